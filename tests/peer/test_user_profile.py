"""PEER-SCENARIOS.md, "User profile": each item of its list through the public API, named after the
item; the "(update)" items are deployed to moto and updated in place."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_ec2 as ec2

from sagemaker_studio_cdk import StudioConfigError, StudioDomain
from tests.peer.conftest import Synth
from tests.peer.deployed import Updated
from tests.peer.helpers import in_place
from tests.support import new_stack


def _alice(synth: Synth) -> dict[str, Any]:
    settings: dict[str, Any] = synth.resource("AWS::SageMaker::UserProfile", UserProfileName="alice")["UserSettings"]
    return settings


def test_execution_role(synth: Synth) -> None:
    assert _alice(synth)["ExecutionRole"] == "arn:aws:iam::111122223333:role/studio-shared"


def test_app_default_resource_specs_and_lifecycle_configs(synth: Synth) -> None:
    alice = _alice(synth)
    lab = alice["JupyterLabAppSettings"]
    assert lab["DefaultResourceSpec"]["InstanceType"] == "ml.m5.large"
    assert lab["DefaultResourceSpec"]["LifecycleConfigArn"] == synth.resolve(synth.parts["lab"].lifecycle_config_arn)
    assert alice["CodeEditorAppSettings"]["LifecycleConfigArns"] == [synth.resolve(synth.parts["editor"].lifecycle_config_arn)]
    assert alice["KernelGatewayAppSettings"]["DefaultResourceSpec"] == {"InstanceType": "ml.t3.large"}
    assert alice["JupyterServerAppSettings"]["DefaultResourceSpec"] == {"InstanceType": "system"}


def test_custom_images(synth: Synth) -> None:
    editor = _alice(synth)["CodeEditorAppSettings"]
    assert editor["CustomImages"] == [{"AppImageConfigName": "team-editor", "ImageName": "team-editor"}]
    assert editor["DefaultResourceSpec"]["SageMakerImageArn"] == synth.resolve(synth.parts["editor_image"].image_arn)


def test_hidden_apps_and_ml_tools(synth: Synth, updated: Updated) -> None:
    assert _alice(synth)["StudioWebPortalSettings"] == {
        "HiddenAppTypes": ["Canvas", "CodeEditor"],
        "HiddenMlTools": ["DataWrangler", "Models"],
    }
    after = in_place(updated, "profile")["UserSettings"]["StudioWebPortalSettings"]
    assert updated.before["profile"]["UserSettings"]["StudioWebPortalSettings"] == {"HiddenMlTools": ["DataWrangler"]}
    assert after == {"HiddenMlTools": ["DataWrangler", "Models"]}


def test_tags(updated: Updated) -> None:
    assert updated.before["profile_tags"] == {"owner": "alice"}
    in_place(updated, "profile")
    assert updated.after["profile_tags"] == {"owner": "alice", "project": "churn"}


def test_posix_file_systems_ebs_and_idle_settings(synth: Synth) -> None:
    alice = _alice(synth)
    assert alice["CustomPosixUserConfig"] == {"Uid": 10002, "Gid": 1001}
    assert alice["SpaceStorageSettings"] == {
        "DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": 20, "MaximumEbsVolumeSizeInGb": 50}
    }
    efs = synth.resolve(synth.parts["efs"].file_system_id)
    assert alice["CustomFileSystemConfigs"][0] == {"EFSFileSystemConfig": {"FileSystemId": efs, "FileSystemPath": "/alice"}}
    for app in ("JupyterLab", "CodeEditor"):
        idle = alice[f"{app}AppSettings"]["AppLifecycleManagement"]["IdleSettings"]
        assert (idle["IdleTimeoutInMinutes"], idle["MaxIdleTimeoutInMinutes"]) == (60, 120)


def test_notebook_sharing_and_security_groups(synth: Synth) -> None:
    alice = _alice(synth)
    assert alice["SharingSettings"] == {"NotebookOutputOption": "Allowed", "S3OutputPath": "s3://team-notebook-sharing/alice"}
    own = synth.resolve(synth.full.security_group.security_group_id)
    assert alice["SecurityGroups"] == [own, synth.parts["extra"][1].security_group_id]


def test_fails_when_profile_security_groups_exceed_the_api_limit() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "D", vpc=vpc, domain_name="d", security_group_per_user=True)
    groups = [ec2.SecurityGroup.from_security_group_id(stack, f"G{i}", f"sg-0{i}23456789abcdef0") for i in range(4)]
    with pytest.raises(StudioConfigError, match=r"user_profiles\[bob\].security_groups: got '4 security groups'; at most 3"):
        domain.add_user("bob", security_groups=groups)
