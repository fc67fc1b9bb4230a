"""PEER-SCENARIOS.md, "Space": each row through the public API, named after its row; the tags row
(and a display name change with it) is deployed to moto and updated in place."""

from __future__ import annotations

from typing import Any

import pytest

from sagemaker_studio_cdk import AppType, FsxLustreFileSystem, StudioConfigError, StudioDomain
from tests.peer.conftest import FSX_ID, Synth
from tests.peer.deployed import Updated
from tests.peer.helpers import in_place
from tests.support import new_stack

SPACE = "AWS::SageMaker::Space"


def _space(synth: Synth, name: str) -> dict[str, Any]:
    return synth.resource(SPACE, SpaceName=name)


def test_basic_shared_space(synth: Synth) -> None:
    team = _space(synth, "team")
    assert team["DomainId"] == synth.resolve(synth.full.domain_id)
    assert team["SpaceSharingSettings"] == {"SharingType": "Shared"}
    assert "OwnershipSettings" not in team


def test_private_space_with_owner(synth: Synth) -> None:
    code = _space(synth, "alice-code")
    assert code["SpaceSharingSettings"] == {"SharingType": "Private"}
    assert code["OwnershipSettings"] == {"OwnerUserProfileName": "alice"}


def test_app_type(synth: Synth) -> None:
    assert _space(synth, "alice-code")["SpaceSettings"]["AppType"] == "CodeEditor"
    assert _space(synth, "team")["SpaceSettings"]["AppType"] == "JupyterLab"


def test_fails_when_a_space_runs_a_studio_classic_app() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "D", vpc=vpc, domain_name="d")
    with pytest.raises(StudioConfigError, match=r"spaces\[k\].app_type: got 'KernelGateway'; JUPYTER_LAB or CODE_EDITOR"):
        domain.add_space("k", app_type=AppType.KERNEL_GATEWAY)


def test_ebs_size(synth: Synth) -> None:
    assert _space(synth, "team")["SpaceSettings"]["SpaceStorageSettings"] == {"EbsStorageSettings": {"EbsVolumeSizeInGb": 50}}


def test_efs_in_the_space(synth: Synth) -> None:
    efs = synth.resolve(synth.parts["efs"].file_system_id)
    assert _space(synth, "team")["SpaceSettings"]["CustomFileSystems"] == [{"EFSFileSystem": {"FileSystemId": efs}}]


def test_s3_and_fsx_in_the_space(synth: Synth) -> None:
    assert _space(synth, "lab")["SpaceSettings"]["CustomFileSystems"] == [{"S3FileSystem": {"S3Uri": "s3://team-datasets/lab"}}]
    assert _space(synth, "scratch")["SpaceSettings"]["CustomFileSystems"] == [{"FSxLustreFileSystem": {"FileSystemId": FSX_ID}}]


def test_fails_when_a_space_file_system_has_a_path() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "D", vpc=vpc, domain_name="d")
    with pytest.raises(StudioConfigError, match=r"custom_file_systems\[0\].path: got '/x'; no path"):
        domain.add_space("s", custom_file_systems=[FsxLustreFileSystem(file_system_id=FSX_ID, path="/x")])


def test_default_instance_and_image(synth: Synth) -> None:
    code = _space(synth, "alice-code")["SpaceSettings"]["CodeEditorAppSettings"]["DefaultResourceSpec"]
    assert code["InstanceType"] == "ml.t3.large"
    assert code["SageMakerImageArn"] == synth.resolve(synth.parts["editor_image"].image_arn)
    lab = _space(synth, "lab")["SpaceSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]
    assert lab["InstanceType"] == "ml.m5.large"
    assert lab["SageMakerImageVersionArn"].endswith(":image-version/sagemaker-distribution-cpu/12")
    assert lab["SageMakerImageArn"].endswith(":image/sagemaker-distribution-cpu")


def test_idle_timeout_within_domain_bounds(synth: Synth) -> None:
    lab = _space(synth, "lab")["SpaceSettings"]["JupyterLabAppSettings"]["AppLifecycleManagement"]
    assert lab == {"IdleSettings": {"IdleTimeoutInMinutes": 120}}
    code = _space(synth, "alice-code")["SpaceSettings"]["CodeEditorAppSettings"]["AppLifecycleManagement"]
    assert code == {"IdleSettings": {"IdleTimeoutInMinutes": 90}}
    with pytest.raises(StudioConfigError, match=r"spaces\[late\].idle_timeout_minutes: got 300; within the idle bounds 60-240"):
        synth.full.add_space("late", idle_timeout_minutes=300)


def test_tags(updated: Updated) -> None:
    assert updated.before["space_tags"] == {"team": "ml"}
    space = in_place(updated, "space")
    assert updated.after["space_tags"] == {"team": "ml", "project": "churn"}
    assert (updated.before["space"]["SpaceDisplayName"], space["SpaceDisplayName"]) == ("Team lab", "Team lab (churn)")
