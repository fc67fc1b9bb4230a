"""The API-only rows of PEER-SCENARIOS.md (and Docker access, whose rootless switch is API only):
declared in studio.yaml, deployed to moto by CloudFormation and the settings custom resource, and
read back through DescribeDomain. One deploy shared with test_rstudio.py (``settings_deployed``)."""

from __future__ import annotations

from typing import Any

import pytest

from sagemaker_studio_cdk.constructs.api_settings import RESOURCE_TYPE
from tests.peer.deployed_settings import (
    ANOTHER,
    ASSUMABLE,
    OTHER,
    REGISTRY_ROLE,
    REPOSITORY,
    RUNTIME,
    SECRET,
    WORKSPACE,
    Deployed,
)


@pytest.fixture(scope="module")
def updated(settings_deployed: Deployed) -> Deployed:
    """The shared deploy, whose update changed the Docker trusted accounts."""
    return settings_deployed


def _users(deployed: Deployed) -> dict[str, Any]:
    settings: dict[str, Any] = deployed.before["domain"]["DefaultUserSettings"]
    return settings


def _domain_settings_resource(deployed: Deployed) -> dict[str, Any]:
    (found,) = [r["Properties"] for r in deployed.resources(RESOURCE_TYPE).values() if r["Properties"]["Kind"] == "Domain"]
    return found


def test_canvas_time_series_model_registration_generative_ai_kendra_direct_deploy_emr_serverless_oauth_workspace_s3(
    settings_deployed: Deployed,
) -> None:
    canvas = _users(settings_deployed)["CanvasAppSettings"]
    forecast = canvas["TimeSeriesForecastingSettings"]
    assert forecast["Status"] == "ENABLED" and ":role/" in forecast["AmazonForecastRoleArn"]  # made by the library
    assert canvas["ModelRegisterSettings"] == {"Status": "ENABLED", "CrossAccountModelRegisterRoleArn": REGISTRY_ROLE}
    assert ":role/" in canvas["GenerativeAiSettings"]["AmazonBedrockRoleArn"]
    assert canvas["KendraSettings"] == {"Status": "ENABLED"}
    assert canvas["DirectDeploySettings"] == {"Status": "ENABLED"}
    assert canvas["EmrServerlessSettings"]["Status"] == "ENABLED"
    assert ":role/" in canvas["EmrServerlessSettings"]["ExecutionRoleArn"]
    assert canvas["IdentityProviderOAuthSettings"] == [{"DataSourceName": "Snowflake", "Status": "ENABLED", "SecretArn": SECRET}]
    assert canvas["WorkspaceSettings"] == {"S3ArtifactPath": WORKSPACE}
    assert forecast["AmazonForecastRoleArn"].rsplit("/", 1)[1] in settings_deployed.ids_before.values()  # this stack's


def test_tensorboard(settings_deployed: Deployed) -> None:
    assert _users(settings_deployed)["TensorBoardAppSettings"] == {"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}}


def test_jupyterlab_emr_roles(settings_deployed: Deployed) -> None:
    lab = _users(settings_deployed)["JupyterLabAppSettings"]
    assert lab["EmrSettings"] == {"AssumableRoleArns": [ASSUMABLE], "ExecutionRoleArns": [RUNTIME]}
    # one writer: the settings resource wrote CloudFormation's members of the block too
    assert lab["DefaultResourceSpec"]["InstanceType"]
    assert lab["AppLifecycleManagement"]["IdleSettings"]["IdleTimeoutInMinutes"] == 60


def test_jupyter_server_code_repository(settings_deployed: Deployed) -> None:
    expected = {"CodeRepositories": [{"RepositoryUrl": REPOSITORY}]}
    assert _users(settings_deployed)["JupyterServerAppSettings"] == expected
    assert settings_deployed.before["domain"]["DefaultSpaceSettings"]["JupyterServerAppSettings"] == expected


def test_docker_access_in_vpconly(updated: Deployed) -> None:
    """CloudFormation carries EnableDockerAccess and VpcOnlyTrustedAccounts, but not RootlessDocker:
    the block has one writer, the settings resource, with all three; a changed trusted account is
    an update in place of the same domain."""
    (domain,) = updated.resources("AWS::SageMaker::Domain").values()
    assert "DockerSettings" not in domain["Properties"]["DomainSettings"]
    expected = {"EnableDockerAccess": "ENABLED", "VpcOnlyTrustedAccounts": [OTHER, ANOTHER], "RootlessDocker": "ENABLED"}
    assert _domain_settings_resource(updated)["Blocks"]["DomainSettings.DockerSettings"] == expected
    before, after = updated.before["domain"], updated.after["domain"]
    assert before["AppNetworkAccessType"] == "VpcOnly"
    assert before["DomainSettings"]["DockerSettings"] == {**expected, "VpcOnlyTrustedAccounts": [OTHER]}
    assert after["DomainSettings"]["DockerSettings"] == expected
    assert after["DomainId"] == before["DomainId"]
