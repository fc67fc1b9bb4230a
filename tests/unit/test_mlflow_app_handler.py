"""The MLflow App handler, called in-process against moto as the provider framework calls it."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from sagemaker_studio_cdk.handlers import mlflow_app
from sagemaker_studio_cdk.testing import StudioMoto, studio_backend

ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/mlflow"


def _domain(moto: StudioMoto, name: str) -> str:
    ec2 = moto.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone=f"{moto.region}a")["Subnet"]["SubnetId"]
    return str(
        moto.client("sagemaker").create_domain(
            DomainName=name,
            AuthMode="IAM",
            VpcId=vpc,
            SubnetIds=[subnet],
            DefaultUserSettings={"ExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/execution"},
        )["DomainId"]
    )


def _run(
    request: str, properties: dict[str, Any], *, physical: str | None = None, old: dict[str, Any] | None = None
) -> dict[str, Any]:
    """on_event, then is_complete until done, as the framework does; the merged answer."""
    event: dict[str, Any] = {"RequestType": request, "ResourceProperties": {"ServiceToken": "arn:token", **properties}}
    if physical is not None:
        event["PhysicalResourceId"] = physical
    if old is not None:
        event["OldResourceProperties"] = {"ServiceToken": "arn:token", **old}
    answer = mlflow_app.on_event(event, None)
    merged = {**event, **answer}
    for _ in range(5):
        done = mlflow_app.is_complete(merged, None)
        if done["IsComplete"]:
            return {**answer, **done}
    raise AssertionError("never complete")


@pytest.fixture
def props(studio_moto: StudioMoto) -> dict[str, Any]:
    key = studio_moto.client("kms").create_key()["KeyMetadata"]["KeyId"]
    return {
        "Name": "team-mlflow",
        "ArtifactStoreUri": "s3://artifacts/mlflow",
        "RoleArn": ROLE,
        "KmsKeyId": key,
        "DefaultDomainIdList": [_domain(studio_moto, "d")],
        "Tags": [{"Key": "team", "Value": "a"}],
    }


def test_create_sends_the_api_only_key_and_default_domains(studio_moto: StudioMoto, props: dict[str, Any]) -> None:
    answer = _run("Create", props)
    arn = answer["PhysicalResourceId"]
    app = studio_moto.client("sagemaker").describe_mlflow_app(Arn=arn)
    assert (app["Name"], app["KmsKeyId"], app["DefaultDomainIdList"]) == (
        "team-mlflow",
        props["KmsKeyId"],
        props["DefaultDomainIdList"],
    )
    assert answer["Data"] == {"Arn": arn, "Name": "team-mlflow", "MlflowVersion": app["MlflowVersion"]}
    listed = studio_moto.client("sagemaker").list_mlflow_apps(DefaultForDomainId=props["DefaultDomainIdList"][0])
    assert [s["Arn"] for s in listed["Summaries"]] == [arn]


def test_update_changes_the_default_domains_and_tags_in_place(studio_moto: StudioMoto, props: dict[str, Any]) -> None:
    arn = _run("Create", props)["PhysicalResourceId"]
    other = _domain(studio_moto, "e")
    new = {**props, "DefaultDomainIdList": [other], "ModelRegistrationMode": "AutoModelRegistrationEnabled", "Tags": []}
    answer = _run("Update", new, physical=arn, old=props)
    assert answer["PhysicalResourceId"] == arn
    sm = studio_moto.client("sagemaker")
    app = sm.describe_mlflow_app(Arn=arn)
    assert (app["DefaultDomainIdList"], app["ModelRegistrationMode"]) == ([other], "AutoModelRegistrationEnabled")
    assert sm.list_tags(ResourceArn=arn)["Tags"] == []
    cleared = _run("Update", {**new, "DefaultDomainIdList": []}, physical=arn, old=new)
    assert cleared["PhysicalResourceId"] == arn
    assert sm.describe_mlflow_app(Arn=arn)["DefaultDomainIdList"] == []


@pytest.mark.parametrize("changed", ["Name", "RoleArn", "KmsKeyId"])
def test_a_create_only_change_makes_a_new_app(studio_moto: StudioMoto, props: dict[str, Any], changed: str) -> None:
    arn = _run("Create", props)["PhysicalResourceId"]
    values = {
        "Name": "team-mlflow-2",
        "RoleArn": f"{ROLE}-2",
        "KmsKeyId": studio_moto.client("kms").create_key()["KeyMetadata"]["KeyId"],
    }
    answer = _run("Update", {**props, changed: values[changed]}, physical=arn, old=props)
    assert answer["PhysicalResourceId"] != arn
    app = studio_moto.client("sagemaker").describe_mlflow_app(Arn=answer["PhysicalResourceId"])
    assert app[changed] == values[changed]


def test_delete_removes_the_app_and_tolerates_one_already_gone(studio_moto: StudioMoto, props: dict[str, Any]) -> None:
    arn = _run("Create", props)["PhysicalResourceId"]
    _run("Delete", props, physical=arn)
    sm = studio_moto.client("sagemaker")
    with pytest.raises(ClientError, match="ResourceNotFound"):
        sm.describe_mlflow_app(Arn=arn)
    assert _run("Delete", props, physical=arn)["PhysicalResourceId"] == arn


def test_moto_rejects_what_the_api_rejects(studio_moto: StudioMoto, props: dict[str, Any]) -> None:
    with pytest.raises(ClientError, match="ValidationException"):
        _run("Create", {**props, "Name": "no_underscores"})
    with pytest.raises(ClientError, match="ValidationException"):
        _run("Create", {**props, "DefaultDomainIdList": ["d-doesnotexist"]})


def test_an_app_that_failed_fails_the_resource_with_its_state(studio_moto: StudioMoto, props: dict[str, Any]) -> None:
    answer = mlflow_app.on_event({"RequestType": "Create", "ResourceProperties": props}, None)
    arn = answer["PhysicalResourceId"]
    studio_backend(ACCOUNT, studio_moto.region).mlflow_apps[arn]["Status"] = "CreateFailed"
    with pytest.raises(mlflow_app.MlflowAppFailed, match="CreateFailed"):
        mlflow_app.is_complete({"RequestType": "Create", "PhysicalResourceId": arn}, None)


def test_the_app_is_the_one_writer_of_its_account_default_status(studio_moto: StudioMoto, props: dict[str, Any]) -> None:
    enabled = {**props, "AccountDefaultStatus": "ENABLED"}
    arn = _run("Create", enabled)["PhysicalResourceId"]
    sm = studio_moto.client("sagemaker")
    assert sm.describe_mlflow_app(Arn=arn)["AccountDefaultStatus"] == "ENABLED"
    _run("Update", props, physical=arn, old=enabled)
    assert sm.describe_mlflow_app(Arn=arn)["AccountDefaultStatus"] == "DISABLED"
    assert mlflow_app.update_request(arn, props, props).get("AccountDefaultStatus") is None  # never set: left alone
