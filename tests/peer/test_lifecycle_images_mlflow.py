"""PEER-SCENARIOS.md, "Lifecycle configs, images, MLflow": each row through the public API, named
after its resource; the rows with an update are deployed to moto and updated in place."""

from __future__ import annotations

import base64
import json

from tests.peer.conftest import DIGEST, Synth
from tests.peer.deployed import Updated
from tests.peer.helpers import same_physical_ids


def test_studiolifecycleconfig(synth: Synth) -> None:
    lab = synth.parts["lab"]
    config = synth.resource("AWS::SageMaker::StudioLifecycleConfig", StudioLifecycleConfigName=lab.lifecycle_config_name)
    assert config["StudioLifecycleConfigAppType"] == "JupyterLab"
    assert base64.b64decode(config["StudioLifecycleConfigContent"]).decode() == "echo lab"
    kernels = synth.parts["kernels"]
    kernel_config = synth.resource(
        "AWS::SageMaker::StudioLifecycleConfig", StudioLifecycleConfigName=kernels.lifecycle_config_name
    )
    assert kernel_config["StudioLifecycleConfigAppType"] == "KernelGateway"


def test_appimageconfig(synth: Synth, updated: Updated) -> None:
    kernels = synth.resource("AWS::SageMaker::AppImageConfig", AppImageConfigName="team-kernels")["KernelGatewayImageConfig"]
    assert kernels["KernelSpecs"] == [{"Name": "python3", "DisplayName": "Python 3"}]
    deployed = updated.after["kernel_config"]["KernelGatewayImageConfig"]
    assert deployed["FileSystemConfig"] == {"MountPath": "/home/sagemaker-user", "DefaultUid": 1000, "DefaultGid": 100}
    same_physical_ids(updated)
    before = updated.before["app_image_config"]["JupyterLabAppImageConfig"]["ContainerConfig"]
    after = updated.after["app_image_config"]["JupyterLabAppImageConfig"]["ContainerConfig"]
    assert before == {"ContainerArguments": ["--debug"], "ContainerEnvironmentVariables": {"TEAM": "ml"}}
    assert after == {"ContainerArguments": ["--debug"], "ContainerEnvironmentVariables": {"TEAM": "ml", "STAGE": "prod"}}


def test_image(updated: Updated) -> None:
    same_physical_ids(updated)
    before, after = updated.before["image"], updated.after["image"]
    assert after["ImageArn"] == before["ImageArn"] and after["CreationTime"] == before["CreationTime"]
    assert after["RoleArn"] == before["RoleArn"]
    assert (before["DisplayName"], after["DisplayName"]) == ("Team lab", "Team lab (prod)")
    assert after["Description"] == "the team's JupyterLab image, production"


def test_imageversion(synth: Synth, updated: Updated) -> None:
    """ImageName and BaseImage are create-only (a new digest is a new version); aliases and release
    notes update the same version in place."""
    same_physical_ids(updated)
    before, after = updated.before["image_version"], updated.after["image_version"]
    assert after["ImageVersionArn"] == before["ImageVersionArn"] and after["Version"] == 1
    assert (before["ReleaseNotes"], after["ReleaseNotes"]) == ("first release", "second")
    for key, value in (("VendorGuidance", "STABLE"), ("JobType", "NOTEBOOK_KERNEL"), ("Processor", "CPU")):
        assert after[key] == value
    assert (after["MLFramework"], after["ProgrammingLang"]) == ("PyTorch 2.3", "Python 3.11")
    assert (updated.before["aliases"], updated.after["aliases"]) == (["1.0"], ["1.0", "stable"])
    version = synth.resource("AWS::SageMaker::ImageVersion", ImageName="team-editor")
    assert f"/team/images@{DIGEST}" in json.dumps(version["BaseImage"])
    assert version["BaseImage"] == synth.resolve(synth.parts["editor_image"].base_image)


def test_mlflowtrackingserver(updated: Updated) -> None:
    same_physical_ids(updated)
    before, after = updated.before["tracking_server"], updated.after["tracking_server"]
    assert after["TrackingServerArn"] == before["TrackingServerArn"]
    assert (after["RoleArn"], after["ArtifactStoreUri"], after["MlflowVersion"]) == (
        before["RoleArn"],
        before["ArtifactStoreUri"],
        "3.0",
    )
    assert (before["TrackingServerSize"], after["TrackingServerSize"]) == ("Small", "Medium")
    assert (before["AutomaticModelRegistration"], after["AutomaticModelRegistration"]) == (False, True)
    assert after["WeeklyMaintenanceWindowStart"] == "Tue:03:30"
