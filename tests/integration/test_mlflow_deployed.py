"""A domain with an MLflow App and a tracking server deployed to moto, read back through the API,
updated in place, then destroyed: the app and server go, their artifact buckets stay."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CfnOutput, Environment, Stack

from sagemaker_studio_cdk import StudioDomain
from sagemaker_studio_cdk.constructs.mlflow import MlflowApp, MlflowTrackingServer
from sagemaker_studio_cdk.stacks import ExistingVpc
from sagemaker_studio_cdk.testing import StudioMoto
from tests.support import moto_vpc, new_app

STACK = "Mlflow"


def _assembly(moto: StudioMoto, vpc: ExistingVpc, *, default_for_domain: bool) -> Path:
    app = new_app()
    account = moto.client("sts").get_caller_identity()["Account"]
    stack = Stack(app, STACK, env=Environment(account=account, region=moto.region))
    domain = StudioDomain(stack, "Domain", vpc=vpc.import_into(stack, "Vpc"), domain_name="research")
    mlflow_app = MlflowApp(stack, "App", domain=domain, name="team-app", default_for_domain=default_for_domain)
    server = MlflowTrackingServer(stack, "Server", domain=domain, name="team-server", model_registration=True)
    mlflow_app.grant_use(domain.execution_role)
    server.grant_use(domain.execution_role)
    CfnOutput(stack, "AppArn", value=mlflow_app.arn)
    CfnOutput(stack, "DomainId", value=domain.domain_id)
    CfnOutput(stack, "KeyArn", value=domain.encryption_key.key_arn)
    return Path(app.synth().directory)


def test_an_mlflow_app_and_a_tracking_server_deploy_update_and_destroy(studio_moto: StudioMoto) -> None:
    vpc = moto_vpc(studio_moto, (f"{studio_moto.region}a", f"{studio_moto.region}b"))
    deployer = studio_moto.deployer()
    deployer.bootstrap()
    deployer.deploy(_assembly(studio_moto, vpc, default_for_domain=True))
    outputs = deployer.outputs(STACK)
    sm = studio_moto.client("sagemaker")

    app = sm.describe_mlflow_app(Arn=outputs["AppArn"])
    assert (app["Name"], app["KmsKeyId"], app["DefaultDomainIdList"]) == ("team-app", outputs["KeyArn"], [outputs["DomainId"]])
    server = sm.describe_mlflow_tracking_server(TrackingServerName="team-server")
    assert server["AutomaticModelRegistration"] is True
    assert server["ArtifactStoreUri"].endswith("/mlflow/team-server")
    buckets = {b["Name"] for b in studio_moto.client("s3").list_buckets()["Buckets"]}
    assert app["ArtifactStoreUri"].split("/")[2] in buckets and server["ArtifactStoreUri"].split("/")[2] in buckets

    directory = _assembly(studio_moto, vpc, default_for_domain=False)
    deployer.deploy(directory)
    assert deployer.outputs(STACK)["AppArn"] == outputs["AppArn"]  # updated in place
    assert sm.describe_mlflow_app(Arn=outputs["AppArn"])["DefaultDomainIdList"] == []

    deployer.destroy(directory)
    assert sm.list_mlflow_apps()["Summaries"] == []
    assert sm.list_mlflow_tracking_servers()["TrackingServerSummaries"] == []
    assert buckets <= {b["Name"] for b in studio_moto.client("s3").list_buckets()["Buckets"]}
