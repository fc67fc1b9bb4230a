"""MlflowApp and MlflowTrackingServer as synthesized: the domain's key, a bucket the MLflow role
alone reaches, the grant an execution role gets, replacement facts, bad input at synth."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Aspects, CfnDeletionPolicy, CfnResource, RemovalPolicy, Stack
from aws_cdk.assertions import Annotations, Match

from sagemaker_studio_cdk import StudioConfigError, StudioDomain
from sagemaker_studio_cdk.constructs.mlflow import APP_RESOURCE_TYPE, MlflowApp, MlflowTrackingServer, TrackingServerSize
from sagemaker_studio_cdk.replacement import WARNING_ID, Baseline, NamedReplacementCheck, spec_of
from tests.support import new_stack, template_of

SERVER = "AWS::SageMaker::MlflowTrackingServer"


@dataclass
class Built:
    stack: Stack
    domain: StudioDomain
    app: MlflowApp
    server: MlflowTrackingServer
    template: dict[str, Any]


@pytest.fixture(scope="module")
def built() -> Built:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    app = MlflowApp(
        stack, "App", domain=domain, name="team-app", default_for_domain=True, account_default=True, model_registration=True
    )
    server = MlflowTrackingServer(
        stack, "Server", domain=domain, name="team-server", size=TrackingServerSize.MEDIUM, mlflow_version="3.0.0"
    )
    app.grant_use(domain.execution_role)
    server.grant_use(domain.execution_role)
    return Built(stack, domain, app, server, template_of(stack).to_json())


def _resolve(built: Built, value: Any) -> Any:
    return built.stack.resolve(value)


def _of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def _policies_of(template: dict[str, Any], role: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        s
        for p in _of_type(template, "AWS::IAM::Policy").values()
        if role in p["Properties"]["Roles"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]


def test_the_app_carries_the_domain_key_and_is_the_domain_default(built: Built) -> None:
    (app,) = _of_type(built.template, APP_RESOURCE_TYPE).values()
    props = app["Properties"]
    assert props["KmsKeyId"] == _resolve(built, built.domain.encryption_key.key_arn)
    assert props["DefaultDomainIdList"] == [_resolve(built, built.domain.domain_id)]
    assert props["ModelRegistrationMode"] == "AutoModelRegistrationEnabled"
    assert props["AccountDefaultStatus"] == "ENABLED"
    assert props["ArtifactStoreUri"] == _resolve(built, f"s3://{built.app.artifact_bucket.bucket_name}/mlflow/team-app")
    assert app["DeletionPolicy"] == "Delete"


def test_each_artifact_bucket_is_key_encrypted_ssl_only_versioned_and_retained(built: Built) -> None:
    buckets = _of_type(built.template, "AWS::S3::Bucket")
    assert len(buckets) == 2
    key = _resolve(built, built.domain.encryption_key.key_arn)
    for bucket in buckets.values():
        assert bucket["DeletionPolicy"] == "Retain"
        assert bucket["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}
        rule = bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        assert rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"] == key
    denies = [
        s
        for p in _of_type(built.template, "AWS::S3::BucketPolicy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
    ]
    assert len(denies) == 2


def test_the_mlflow_roles_reach_only_their_own_prefix_and_registration_only_when_asked(built: Built) -> None:
    app_role = _resolve(built, built.app.role.role_name)
    server_role = _resolve(built, built.server.role.role_name)
    app_statements = _policies_of(built.template, app_role)
    server_statements = _policies_of(built.template, server_role)
    for statements, mlflow in ((app_statements, built.app), (server_statements, built.server)):
        resources = json.dumps([s["Resource"] for s in statements if any(a.startswith("s3:") for a in _list(s["Action"]))])
        own = json.dumps(_resolve(built, mlflow.artifact_bucket.bucket_arn))
        assert own.strip('"{}') in resources
        assert not any(a in ("s3:*", "*") for s in statements for a in _list(s["Action"]))
    registration = [s for s in app_statements if "sagemaker:CreateModelPackage" in _list(s["Action"])]
    assert len(registration) == 1
    assert not [s for s in server_statements if "sagemaker:CreateModelPackage" in _list(s["Action"])]
    managed = json.dumps([r["Properties"].get("ManagedPolicyArns") for r in _of_type(built.template, "AWS::IAM::Role").values()])
    assert "AmazonS3FullAccess" not in managed


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_grant_use_gives_the_execution_role_the_app_and_server_actions_on_those_resources(built: Built) -> None:
    role = _resolve(built, built.domain.execution_role.role_name)
    statements = _policies_of(built.template, role)
    by_resource = {json.dumps(s["Resource"], sort_keys=True): sorted(_list(s["Action"])) for s in statements}
    app = json.dumps(_resolve(built, built.app.arn), sort_keys=True)
    server = json.dumps(_resolve(built, built.server.arn), sort_keys=True)
    assert by_resource[app] == ["sagemaker:CallMlflowAppApi", "sagemaker:CreatePresignedMlflowAppUrl"]
    assert by_resource[server] == ["sagemaker-mlflow:*", "sagemaker:CreatePresignedMlflowTrackingServerUrl"]
    artifacts = [s for s in statements if "s3:PutObject" in _list(s["Action"])]
    assert json.dumps([s["Resource"] for s in artifacts]).count("/mlflow/team-") == 2  # each MLflow's own prefix only


def test_the_tracking_server_takes_size_version_and_the_role(built: Built) -> None:
    (server,) = _of_type(built.template, SERVER).values()
    props = server["Properties"]
    assert (props["TrackingServerName"], props["TrackingServerSize"], props["MlflowVersion"]) == (
        "team-server",
        "Medium",
        "3.0.0",
    )
    assert props["RoleArn"] == _resolve(built, built.server.role.role_arn)
    assert props["AutomaticModelRegistration"] is False
    assert server["DeletionPolicy"] == "Delete"


def test_the_app_declares_name_role_and_key_as_replacing_and_is_stateful(built: Built) -> None:
    (app,) = _of_type(built.template, APP_RESOURCE_TYPE).values()
    spec = spec_of(app)
    assert set(spec.create_only) == {"Name", "RoleArn", "KmsKeyId"}
    assert spec.stateful and spec.name_property == "Name"
    (server,) = _of_type(built.template, SERVER).values()
    server_spec = spec_of(server)
    assert server_spec.stateful and "TrackingServerName" in server_spec.create_only
    assert {"MlflowVersion", "RoleArn"} <= set(server_spec.conditional)


def test_every_function_role_and_state_machine_of_the_app_is_tagged(built: Built) -> None:
    kinds = ("AWS::Lambda::Function", "AWS::IAM::Role", "AWS::StepFunctions::StateMachine")
    found = {
        k: r
        for k, r in built.template["Resources"].items()
        if r["Type"] in kinds and "/App/" in r.get("Metadata", {}).get("aws:cdk:path", "")
    }
    personas = {
        k: {t["Key"]: t["Value"] for t in r["Properties"].get("Tags", [])}.get("studio:persona") for k, r in found.items()
    }
    assert set(personas.values()) == {"mlflow", "mlflow-app-function"}
    assert sum(1 for p in personas.values() if p == "mlflow") == 1


def test_retain_keeps_the_app_and_server(built: Built) -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    server = MlflowTrackingServer(stack, "Server", domain=domain, name="kept", removal_policy=RemovalPolicy.RETAIN)
    app = MlflowApp(stack, "App", domain=domain, name="kept", removal_policy=RemovalPolicy.RETAIN)
    assert server.resource.cfn_options.deletion_policy == CfnDeletionPolicy.RETAIN
    app_resource = app.resource.node.default_child
    assert isinstance(app_resource, CfnResource)
    assert app_resource.cfn_options.deletion_policy == CfnDeletionPolicy.RETAIN


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "bad_name"}, "name"),
        ({"name": "x" * 257}, "name"),
        ({"name": "ok", "maintenance_window": "Tuesday 3am"}, "maintenance_window"),
        ({"name": "ok", "mlflow_version": "three"}, "mlflow_version"),
        ({"name": "ok", "size": "Huge"}, "size"),
        ({"name": "ok", "artifact_prefix": "runs//a"}, "artifact_prefix"),
    ],
)
def test_bad_input_is_a_config_error(built: Built, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(StudioConfigError) as error:
        MlflowTrackingServer(built.stack, f"Bad{len(kwargs)}{field}", domain=built.domain, **kwargs)
    assert field in str(error.value)
    if "size" not in kwargs and "mlflow_version" not in kwargs:
        with pytest.raises(StudioConfigError):
            MlflowApp(built.stack, f"BadApp{field}", domain=built.domain, **kwargs)


def _versioned(app_name: str, version: str) -> Stack:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    MlflowApp(stack, "App", domain=domain, name=app_name)
    MlflowTrackingServer(stack, "Server", domain=domain, name="server", mlflow_version=version)
    return stack


def test_renaming_the_app_or_changing_the_server_version_is_warned_about_at_synth() -> None:
    assembly = _versioned("team", "3.0.0").node.root.synth()  # type: ignore[attr-defined]
    baseline = Baseline.from_assembly(assembly.directory)
    assert baseline is not None
    changed = _versioned("team-2", "3.1.0")
    Aspects.of(changed).add(NamedReplacementCheck(baseline))
    found = Annotations.from_stack(changed).find_warning("*", Match.string_like_regexp(".*"))
    messages = [str(m.entry.data) for m in found if WARNING_ID in str(m.entry.data)]
    assert any(m.startswith(f"{APP_RESOURCE_TYPE} 'team-2' would delete data: Name changed") for m in messages), messages
    assert any(SERVER in m and "MlflowVersion" in m for m in messages), messages
