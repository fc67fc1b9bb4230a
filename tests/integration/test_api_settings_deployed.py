"""A domain and a profile with API-only settings deployed to moto through CloudFormation and the
settings custom resource, read back through the API, updated (the domain's CloudFormation update
wipes nothing the settings resource writes; a user's RStudio access changes in place), then
destroyed."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CfnOutput, Environment, Stack

from sagemaker_studio_cdk import DeployedSettings, StudioDomain
from sagemaker_studio_cdk.constructs.settings import IdleShutdown
from sagemaker_studio_cdk.stacks import ExistingVpc
from sagemaker_studio_cdk.testing import StudioMoto
from tests.support import moto_vpc, new_app

STACK = "Settings"
ACCESS = "UserSettings/RStudioServerProAppSettings/AccessStatus"
ACCOUNT_ROLE = "arn:aws:iam::{account}:role/{name}"


def _assembly(moto: StudioMoto, vpc: ExistingVpc, *, kendra: str, idle_minutes: int, rstudio: str) -> Path:
    app = new_app()
    account = moto.client("sts").get_caller_identity()["Account"]
    stack = Stack(app, STACK, env=Environment(account=account, region=moto.region))
    domain = StudioDomain(
        stack,
        "Domain",
        vpc=vpc.import_into(stack, "Vpc"),
        domain_name="research",
        idle_shutdown=IdleShutdown(timeout_minutes=idle_minutes),
    )
    domain.api_only_settings["DefaultUserSettings"] = {
        "CanvasAppSettings": {
            "TimeSeriesForecastingSettings": {
                "Status": "ENABLED",
                "AmazonForecastRoleArn": ACCOUNT_ROLE.format(account=account, name="forecast"),
            },
            "KendraSettings": {"Status": kendra},
        },
        "JupyterLabAppSettings": {"EmrSettings": {"ExecutionRoleArns": [ACCOUNT_ROLE.format(account=account, name="emr")]}},
    }
    alice = domain.add_user("alice")
    alice.api_only_settings["UserSettings"] = {"TensorBoardAppSettings": {"DefaultResourceSpec": {"InstanceType": "system"}}}
    # a user's RStudio access as the rstudio props render it; the roster recorded DISABLED at creation
    bob = domain.add_user("bob")
    bob.resource.user_settings = {"rStudioServerProAppSettings": {"accessStatus": rstudio, "userGroup": "R_STUDIO_USER"}}
    bob.deployed_settings = DeployedSettings(creation_values={ACCESS: "DISABLED"})
    CfnOutput(stack, "DomainId", value=domain.domain_id)
    CfnOutput(stack, "BobArn", value=bob.user_profile_arn)
    return Path(app.synth().directory)


def test_api_only_settings_deploy_update_and_destroy(studio_moto: StudioMoto) -> None:
    vpc = moto_vpc(studio_moto, (f"{studio_moto.region}a", f"{studio_moto.region}b"))
    deployer = studio_moto.deployer()
    deployer.bootstrap()
    deployer.deploy(_assembly(studio_moto, vpc, kendra="DISABLED", idle_minutes=60, rstudio="DISABLED"))
    domain_id = deployer.outputs(STACK)["DomainId"]
    bob_arn = deployer.outputs(STACK)["BobArn"]
    sm = studio_moto.client("sagemaker")

    settings = sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]
    assert settings["CanvasAppSettings"]["TimeSeriesForecastingSettings"]["Status"] == "ENABLED"
    lab = settings["JupyterLabAppSettings"]
    assert lab["EmrSettings"]["ExecutionRoleArns"][0].endswith("role/emr")
    assert lab["AppLifecycleManagement"]["IdleSettings"]["IdleTimeoutInMinutes"] == 60  # CloudFormation's members too
    profile = sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert profile["UserSettings"]["TensorBoardAppSettings"] == {"DefaultResourceSpec": {"InstanceType": "system"}}

    # an update of the domain's CloudFormation settings (idle timeout) and of an API-only one (Kendra)
    directory = _assembly(studio_moto, vpc, kendra="ENABLED", idle_minutes=90, rstudio="ENABLED")
    deployer.deploy(directory)
    assert deployer.outputs(STACK)["DomainId"] == domain_id  # in place
    # RStudio access granted in place: the same profile, the template keeps the creation value
    assert deployer.outputs(STACK)["BobArn"] == bob_arn
    bob = sm.describe_user_profile(DomainId=domain_id, UserProfileName="bob")
    assert bob["UserSettings"]["RStudioServerProAppSettings"] == {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_USER"}
    settings = sm.describe_domain(DomainId=domain_id)["DefaultUserSettings"]
    assert settings["CanvasAppSettings"]["KendraSettings"] == {"Status": "ENABLED"}
    assert settings["CanvasAppSettings"]["TimeSeriesForecastingSettings"]["Status"] == "ENABLED"  # re-applied
    assert settings["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"]["IdleTimeoutInMinutes"] == 90
    assert settings["JupyterLabAppSettings"]["EmrSettings"]["ExecutionRoleArns"][0].endswith("role/emr")

    deployer.destroy(directory)
    assert sm.list_domains()["Domains"] == []
