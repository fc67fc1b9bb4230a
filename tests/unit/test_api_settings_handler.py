"""The settings handler, called in-process against moto as the provider framework calls it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from sagemaker_studio_cdk.handlers import api_settings
from sagemaker_studio_cdk.testing import StudioMoto, studio_backend

ACCOUNT = "123456789012"
FORECAST = f"arn:aws:iam::{ACCOUNT}:role/forecast"
EMR = f"arn:aws:iam::{ACCOUNT}:role/emr"
CANVAS = "DefaultUserSettings.CanvasAppSettings"
LAB = "DefaultUserSettings.JupyterLabAppSettings"

# CloudFormation passes every scalar as a string: the handler converts with the service model
BLOCKS = {
    CANVAS: {
        "TimeSeriesForecastingSettings": {"Status": "ENABLED", "AmazonForecastRoleArn": FORECAST},
        "DirectDeploySettings": {"Status": "ENABLED"},
    },
    LAB: {
        "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"},
        "AppLifecycleManagement": {"IdleSettings": {"LifecycleManagement": "ENABLED", "IdleTimeoutInMinutes": "60"}},
        "EmrSettings": {"ExecutionRoleArns": [EMR]},
    },
}
RESTORE = {
    CANVAS: {"TimeSeriesForecastingSettings": {"Status": "DISABLED"}, "DirectDeploySettings": {"Status": "DISABLED"}},
    LAB: {"DefaultResourceSpec": {"InstanceType": "ml.t3.medium"}, "EmrSettings": {"ExecutionRoleArns": []}},
}


def _domain(moto: StudioMoto) -> str:
    ec2 = moto.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone=f"{moto.region}a")["Subnet"]["SubnetId"]
    return str(
        moto.client("sagemaker").create_domain(
            DomainName="research",
            AuthMode="IAM",
            VpcId=vpc,
            SubnetIds=[subnet],
            DefaultUserSettings={"ExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/execution"},
        )["DomainId"]
    )


class Sent:
    """The update requests the handler's (real, moto-backed) client sends."""

    def __init__(self, moto: StudioMoto, monkeypatch: pytest.MonkeyPatch) -> None:
        self.requests: list[tuple[str, dict[str, Any]]] = []
        client = moto.client("sagemaker")
        client.meta.events.register("provide-client-params.sagemaker.*", self._record)
        monkeypatch.setattr(api_settings, "_client", lambda: client)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name.startswith("Update"):
            self.requests.append((model.name, json.loads(json.dumps(params))))


@pytest.fixture
def sent(studio_moto: StudioMoto, monkeypatch: pytest.MonkeyPatch) -> Sent:
    return Sent(studio_moto, monkeypatch)


def _props(domain_id: str, blocks: dict[str, Any] = BLOCKS, cfn_hash: str = "a") -> dict[str, Any]:
    return {"Kind": "Domain", "DomainId": domain_id, "Blocks": blocks, "Restore": RESTORE, "CfnHash": cfn_hash}


def _run(request: str, properties: dict[str, Any], *, old: dict[str, Any] | None = None) -> dict[str, Any]:
    """on_event, then is_complete until done, as the framework does; the merged answer."""
    event: dict[str, Any] = {"RequestType": request, "ResourceProperties": {"ServiceToken": "arn:token", **properties}}
    if request != "Create":
        event["PhysicalResourceId"] = api_settings.physical_id(properties)
    if old is not None:
        event["OldResourceProperties"] = {"ServiceToken": "arn:token", **old}
    answer = api_settings.on_event(event, None)
    done = api_settings.is_complete({**event, **answer}, None)
    assert done["IsComplete"]
    return {**answer, **done}


def _described(moto: StudioMoto, domain_id: str) -> dict[str, Any]:
    return dict(moto.client("sagemaker").describe_domain(DomainId=domain_id)["DefaultUserSettings"])


def test_create_applies_every_block_with_the_models_types(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    answer = _run("Create", _props(domain_id))
    settings = _described(studio_moto, domain_id)
    assert settings["CanvasAppSettings"]["TimeSeriesForecastingSettings"] == {
        "Status": "ENABLED",
        "AmazonForecastRoleArn": FORECAST,
    }
    assert settings["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"]["IdleTimeoutInMinutes"] == 60
    assert settings["ExecutionRole"].endswith("role/execution")  # members not written are kept
    assert [name for name, _ in sent.requests] == ["UpdateDomain"]
    assert answer["PhysicalResourceId"] == f"settings:{domain_id}"
    assert json.loads(answer["Data"][CANVAS]) == settings["CanvasAppSettings"]
    assert answer["Data"]["CfnHash"] == "a"


def test_a_retried_create_is_idempotent(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    first = _run("Create", _props(domain_id))
    before = _described(studio_moto, domain_id)
    second = _run("Create", _props(domain_id))
    assert second["PhysicalResourceId"] == first["PhysicalResourceId"]
    assert _described(studio_moto, domain_id) == before


def test_an_update_sends_only_the_changed_block(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    _run("Create", _props(domain_id))
    changed = {**BLOCKS, CANVAS: {**BLOCKS[CANVAS], "KendraSettings": {"Status": "ENABLED"}}}
    sent.requests.clear()
    _run("Update", _props(domain_id, changed), old=_props(domain_id))
    assert sent.requests == [
        ("UpdateDomain", {"DomainId": domain_id, "DefaultUserSettings": {"CanvasAppSettings": changed[CANVAS]}})
    ]
    assert _described(studio_moto, domain_id)["CanvasAppSettings"]["KendraSettings"] == {"Status": "ENABLED"}
    sent.requests.clear()
    _run("Update", _props(domain_id, changed), old=_props(domain_id, changed))
    assert sent.requests == []


def test_a_block_no_longer_declared_is_restored(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    _run("Create", _props(domain_id))
    _run("Update", _props(domain_id, {LAB: BLOCKS[LAB]}), old=_props(domain_id))
    assert _described(studio_moto, domain_id)["CanvasAppSettings"] == RESTORE[CANVAS]


def test_after_a_cloudformation_update_of_the_domain_every_block_is_applied_again(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    _run("Create", _props(domain_id))
    # CloudFormation's update of the domain sends the template's settings, which lack the blocks
    backend = studio_backend(ACCOUNT, studio_moto.region)
    backend.update_domain(
        {"DomainId": domain_id, "DefaultUserSettings": {"ExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/other"}}, replace=True
    )
    assert "CanvasAppSettings" not in _described(studio_moto, domain_id)
    sent.requests.clear()
    _run("Update", _props(domain_id, cfn_hash="b"), old=_props(domain_id))
    assert len(sent.requests) == 1
    assert set(sent.requests[0][1]["DefaultUserSettings"]) == {"CanvasAppSettings", "JupyterLabAppSettings"}
    settings = _described(studio_moto, domain_id)
    assert settings["CanvasAppSettings"]["DirectDeploySettings"] == {"Status": "ENABLED"}
    assert settings["ExecutionRole"].endswith("role/other")


def test_delete_restores_what_the_api_allows(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    _run("Create", _props(domain_id))
    _run("Delete", _props(domain_id))
    settings = _described(studio_moto, domain_id)
    assert settings["CanvasAppSettings"] == RESTORE[CANVAS]
    assert settings["JupyterLabAppSettings"]["EmrSettings"] == {"ExecutionRoleArns": []}


def test_delete_alongside_the_parents_deletion_never_fails(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    _run("Create", _props(domain_id))
    studio_backend(ACCOUNT, studio_moto.region).domains[domain_id]["Status"] = "Deleting"
    sent.requests.clear()
    _run("Delete", _props(domain_id))
    assert sent.requests == []
    studio_moto.client("sagemaker").delete_domain(DomainId=domain_id)
    _run("Delete", _props(domain_id))
    profile = {"Kind": "UserProfile", "DomainId": domain_id, "UserProfileName": "gone", "Blocks": {}, "Restore": {}}
    _run("Delete", profile)


def test_an_api_error_fails_with_the_apis_own_message(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    bad = {CANVAS: {"DirectDeploySettings": {"Status": "SOMETIMES"}}}
    with pytest.raises(ClientError) as raised:
        _run("Create", _props(domain_id, bad))
    assert "SOMETIMES" in str(raised.value) and "UpdateDomain" in str(raised.value)


def test_a_profiles_blocks_go_through_update_user_profile(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    studio_moto.client("sagemaker").create_user_profile(DomainId=domain_id, UserProfileName="alice")
    block = {"UserSettings.RStudioServerProAppSettings": {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_ADMIN"}}
    props = {"Kind": "UserProfile", "DomainId": domain_id, "UserProfileName": "alice", "Blocks": block, "CfnHash": "x"}
    _run("Create", props)
    profile = studio_moto.client("sagemaker").describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert profile["UserSettings"]["RStudioServerProAppSettings"] == {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_ADMIN"}


def test_domain_settings_use_update_domains_names(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    role = f"arn:aws:iam::{ACCOUNT}:role/rstudio"
    block = {
        "DomainSettings.RStudioServerProDomainSettings": {
            "DomainExecutionRoleArn": role,
            "DefaultResourceSpec": {"InstanceType": "system"},
        },
        "DomainSettings.DockerSettings": {"EnableDockerAccess": "ENABLED", "RootlessDocker": "ENABLED"},
    }
    _run("Create", {"Kind": "Domain", "DomainId": domain_id, "Blocks": block, "CfnHash": "x"})
    assert set(sent.requests[0][1]["DomainSettingsForUpdate"]) == {"RStudioServerProDomainSettingsForUpdate", "DockerSettings"}
    described = studio_moto.client("sagemaker").describe_domain(DomainId=domain_id)["DomainSettings"]
    assert described["RStudioServerProDomainSettings"]["DomainExecutionRoleArn"] == role
    assert described["DockerSettings"]["RootlessDocker"] == "ENABLED"


def test_the_demo_reads_back_the_api_only_settings(studio_moto: StudioMoto, sent: Sent) -> None:
    from sagemaker_studio_cdk.demo import api_only_rows

    domain_id = _domain(studio_moto)
    _run("Create", _props(domain_id))
    sm = studio_moto.client("sagemaker")
    rows = api_only_rows(sm, sm.describe_domain(DomainId=domain_id))
    by_path = {path: (where, value) for where, path, value in rows}
    assert by_path["DefaultUserSettings.CanvasAppSettings.DirectDeploySettings.Status"] == ("domain", "ENABLED")
    assert by_path["DefaultUserSettings.CanvasAppSettings.TimeSeriesForecastingSettings.AmazonForecastRoleArn"][1] == FORECAST
    assert json.loads(by_path["DefaultUserSettings.JupyterLabAppSettings.EmrSettings.ExecutionRoleArns"][1]) == [EMR]
    assert not [p for p in by_path if p.endswith("ExecutionRole") or "IdleSettings" in p]  # CloudFormation's: not shown


def test_a_spaces_blocks_go_through_update_space(studio_moto: StudioMoto, sent: Sent) -> None:
    domain_id = _domain(studio_moto)
    sm = studio_moto.client("sagemaker")
    sm.create_space(DomainId=domain_id, SpaceName="team", SpaceSharingSettings={"SharingType": "Shared"})
    block = {"SpaceSettings.JupyterServerAppSettings": {"CodeRepositories": [{"RepositoryUrl": "https://github.com/o/r.git"}]}}
    _run("Create", {"Kind": "Space", "DomainId": domain_id, "SpaceName": "team", "Blocks": block, "CfnHash": "x"})
    described = sm.describe_space(DomainId=domain_id, SpaceName="team")["SpaceSettings"]
    assert described["JupyterServerAppSettings"] == block["SpaceSettings.JupyterServerAppSettings"]
