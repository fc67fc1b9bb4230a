"""The RStudio rows of PEER-SCENARIOS.md: declared in studio.yaml (``rstudio`` on the domain and a
user), synthesized into CloudFormation's RStudio properties, deployed to moto and read back; a
deployed user's group changed in place through the settings resource (the roster records its
creation value). One deploy shared with test_api_only.py."""

from __future__ import annotations

from typing import Any

import pytest

from sagemaker_studio_cdk.constructs.api_settings import RESOURCE_TYPE
from tests.peer.deployed_settings import CONNECT, PACKAGES, Deployed


@pytest.fixture(scope="module")
def updated(settings_deployed: Deployed) -> Deployed:
    """The shared deploy, whose update changed alice's RStudio group."""
    return settings_deployed


def _domain(deployed: Deployed) -> dict[str, Any]:
    (domain,) = deployed.resources("AWS::SageMaker::Domain").values()
    props: dict[str, Any] = domain["Properties"]
    return props


def test_rsession_default_resource_spec(settings_deployed: Deployed) -> None:
    spec = {"InstanceType": "ml.m5.large"}
    assert _domain(settings_deployed)["DefaultUserSettings"]["RSessionAppSettings"]["DefaultResourceSpec"] == spec
    read = settings_deployed.before["domain"]["DefaultUserSettings"]["RSessionAppSettings"]["DefaultResourceSpec"]
    assert read["InstanceType"] == "ml.m5.large"


def test_rstudio_user_access(updated: Deployed) -> None:
    """alice's group R_STUDIO_USER -> R_STUDIO_ADMIN (create-only on a UserProfile): the template keeps
    the creation value the roster records, the settings resource applies the change, and the profile
    is updated in place: same logical id, same physical id and name."""
    (profile_id, profile), *_ = updated.resources("AWS::SageMaker::UserProfile").items()
    assert profile["Properties"]["UserProfileName"] == "alice"
    assert profile["Properties"]["UserSettings"]["RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_USER"
    assert "create:UserSettings/RStudioServerProAppSettings/UserGroup=R_STUDIO_USER" in updated.roster
    (settings,) = [r["Properties"] for r in updated.resources(RESOURCE_TYPE).values() if r["Properties"].get("UserProfileName")]
    assert settings["Blocks"]["UserSettings.RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_ADMIN"
    before, after = updated.before["profile"], updated.after["profile"]
    assert before["UserSettings"]["RStudioServerProAppSettings"] == {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_USER"}
    assert after["UserSettings"]["RStudioServerProAppSettings"] == {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_ADMIN"}
    assert (after["UserProfileArn"], after["CreationTime"]) == (before["UserProfileArn"], before["CreationTime"])
    (key,) = [k for k in updated.ids_before if k.endswith(f"/{profile_id}")]
    assert updated.ids_after[key] == updated.ids_before[key]


def test_rstudio_domain(settings_deployed: Deployed) -> None:
    server = _domain(settings_deployed)["DomainSettings"]["RStudioServerProDomainSettings"]
    assert (server["RStudioConnectUrl"], server["RStudioPackageManagerUrl"]) == (CONNECT, PACKAGES)
    assert "DomainExecutionRoleArn" in server  # the least-privilege domain role the library makes
    read = settings_deployed.before["domain"]["DomainSettings"]["RStudioServerProDomainSettings"]
    assert (read["RStudioConnectUrl"], read["RStudioPackageManagerUrl"]) == (CONNECT, PACKAGES)
    assert ":role/" in read["DomainExecutionRoleArn"]
