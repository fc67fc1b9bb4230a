"""examples/full_workbench.py: synthesized once (cfn-lint clean through tests/conftest.py), every
workbench part in its templates, then deployed into moto, read back through the API and destroyed."""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from aws_cdk import App

from sagemaker_studio_cdk.assembly import StackTemplate, load_templates
from sagemaker_studio_cdk.demo import deployed_tables
from sagemaker_studio_cdk.testing import mock_studio
from sagemaker_studio_cdk.workbench_tables import rstudio_summary
from tests.support import CLI_CONTEXT, ROOT, cdk_context


def _example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("full_workbench", ROOT / "examples" / "full_workbench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


EXAMPLE = _example()


@pytest.fixture(scope="module")
def directory() -> Path:
    app = App(context={**cdk_context(), **CLI_CONTEXT}, outdir=tempfile.mkdtemp(prefix="full-workbench-"))
    EXAMPLE.build(app)
    return Path(app.synth().directory)  # linted by tests/conftest.py


@pytest.fixture(scope="module")
def templates(directory: Path) -> dict[str, StackTemplate]:
    return {t.label: t for t in load_templates(directory)}


def _all(templates: dict[str, StackTemplate], resource_type: str) -> list[dict[str, Any]]:
    return [r["Properties"] for t in templates.values() for r in t.resources(resource_type).values()]


def _statements(templates: dict[str, StackTemplate]) -> list[dict[str, Any]]:
    return [s for p in _all(templates, "AWS::IAM::Policy") for s in p["PolicyDocument"]["Statement"]]


def _actions(statement: dict[str, Any]) -> list[str]:
    actions = statement["Action"]
    return [actions] if isinstance(actions, str) else list(actions)


def test_network_has_the_mlflow_and_feature_store_endpoints(templates: dict[str, StackTemplate]) -> None:
    services = [str(e["ServiceName"]) for e in _all(templates, "AWS::EC2::VPCEndpoint")]
    assert any("sagemaker.featurestore-runtime" in s for s in services), services
    assert any("experiments" in s for s in services), services


def test_domain_runs_the_digest_pinned_custom_images(templates: dict[str, StackTemplate]) -> None:
    (domain,) = _all(templates, "AWS::SageMaker::Domain")
    user = domain["DefaultUserSettings"]
    lab = user["JupyterLabAppSettings"]
    assert [i["ImageName"] for i in lab["CustomImages"]] == ["workbench-lab"]
    assert "SageMakerImageArn" in lab["DefaultResourceSpec"]
    assert [i["ImageName"] for i in user["CodeEditorAppSettings"]["CustomImages"]] == ["workbench-editor"]
    base_images = [v["BaseImage"] for v in _all(templates, "AWS::SageMaker::ImageVersion")]
    assert len(base_images) == 3, base_images
    assert all("/studio/workbench@" + EXAMPLE.PLACEHOLDER_DIGEST in json.dumps(b) for b in base_images)


def test_rstudio_with_its_endpoint_role_and_session_image(templates: dict[str, StackTemplate]) -> None:
    (domain,) = _all(templates, "AWS::SageMaker::Domain")
    assert "DomainExecutionRoleArn" in domain["DomainSettings"]["RStudioServerProDomainSettings"]
    assert domain["AppSecurityGroupManagement"] == "Service" and domain["HomeEfsFileSystemCreation"] == "Enabled"
    session = domain["DefaultUserSettings"]["RSessionAppSettings"]
    assert [i["ImageName"] for i in session["CustomImages"]] == ["workbench-r"]
    users = {u["UserProfileName"]: u.get("UserSettings", {}) for u in _all(templates, "AWS::SageMaker::UserProfile")}
    assert users["alice"]["RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_ADMIN"
    assert "RStudioServerProAppSettings" not in users["bob"]
    services = [str(e["ServiceName"]) for e in _all(templates, "AWS::EC2::VPCEndpoint")]
    assert any("license-manager" in s for s in services), services
    summary = rstudio_summary(list(templates.values()))
    assert summary is not None and "workbench-r" in summary and "Service" in summary, summary
    assert "alice  ENABLED  R_STUDIO_ADMIN" in summary, summary


def test_portal_hides_the_instance_types_the_domain_does_not_allow(templates: dict[str, StackTemplate]) -> None:
    (domain,) = _all(templates, "AWS::SageMaker::Domain")
    hidden = domain["DefaultUserSettings"]["StudioWebPortalSettings"]["HiddenInstanceTypes"]
    assert "ml.p4d.24xlarge" in hidden and "ml.t3.medium" not in hidden and "ml.m5.large" not in hidden
    conditions = [s.get("Condition", {}) for s in _statements(templates) + _managed_statements(templates)]
    assert any("sagemaker:InstanceTypes" in str(c) for c in conditions)


def _managed_statements(templates: dict[str, StackTemplate]) -> list[dict[str, Any]]:
    return [s for p in _all(templates, "AWS::IAM::ManagedPolicy") for s in p["PolicyDocument"]["Statement"]]


def test_spaces_shared_team_and_private_per_user(templates: dict[str, StackTemplate]) -> None:
    spaces = {s["SpaceName"]: s for s in _all(templates, "AWS::SageMaker::Space")}
    assert spaces.keys() == {"team", "alice-code", "bob-lab"}
    assert spaces["team"]["SpaceSharingSettings"]["SharingType"] == "Shared"
    assert "JupyterLabAppSettings" in spaces["team"]["SpaceSettings"]
    owners = {s["OwnershipSettings"]["OwnerUserProfileName"] for s in spaces.values() if "OwnershipSettings" in s}
    assert owners == {"alice", "bob"}
    editor = spaces["alice-code"]["SpaceSettings"]["CodeEditorAppSettings"]["DefaultResourceSpec"]
    assert "SageMakerImageArn" in editor
    assert {n: s["SpaceSettings"].get("RemoteAccess") for n, s in spaces.items()} == {
        "team": None,
        "alice-code": "ENABLED",
        "bob-lab": None,
    }


def test_mlflow_feature_store_and_data_wrangler_are_granted(templates: dict[str, StackTemplate]) -> None:
    actions = {a for s in _statements(templates) for a in _actions(s)}
    assert {"sagemaker:CreatePresignedMlflowAppUrl", "sagemaker:PutRecord"} <= actions, sorted(actions)
    data_prep = [s for s in _statements(templates) if "canvas-data-prep" in json.dumps(s["Resource"])]
    assert data_prep and "sagemaker:CreateProcessingJob" in _actions(data_prep[0]), data_prep


def test_admin_role_user_access_and_cleanup(templates: dict[str, StackTemplate]) -> None:
    outputs = templates["Workbench"].template["Outputs"]
    assert "DomainAdminRoleArn" in outputs
    assert _all(templates, "AWS::IAM::ManagedPolicy")
    assert len([r for t in templates.values() for r in t.resources("Custom::StudioDomainCleanup").values()]) == 1


def test_the_example_deploys_reads_back_and_destroys(directory: Path) -> None:
    with mock_studio(region="us-east-1") as moto:
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy(directory)
        sm = moto.client("sagemaker")
        domain_id = deployer.outputs("Workbench")["DomainId"]
        domain = sm.describe_domain(DomainId=domain_id)
        assert domain["DomainName"] == "workbench"
        lab = domain["DefaultUserSettings"]["JupyterLabAppSettings"]
        assert [i["ImageName"] for i in lab["CustomImages"]] == ["workbench-lab"]
        assert domain["DomainSettings"]["RStudioServerProDomainSettings"]["DomainExecutionRoleArn"].startswith("arn:aws:iam::")
        assert domain["HomeEfsFileSystemId"].startswith("fs-")  # RStudio keeps home directories there
        server = sm.list_apps(DomainIdEquals=domain_id, UserProfileNameEquals="domain-shared")["Apps"]
        assert [a["AppType"] for a in server] == ["RStudioServerPro"]  # SageMaker's, gone by the cleanup on destroy
        alice = sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
        assert alice["UserSettings"]["RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_ADMIN"
        version = sm.describe_image_version(ImageName="workbench-editor")
        assert version["BaseImage"].endswith("@" + EXAMPLE.PLACEHOLDER_DIGEST)
        (app,) = sm.list_mlflow_apps()["Summaries"]
        assert sm.describe_mlflow_app(Arn=app["Arn"])["DefaultDomainIdList"] == [domain_id]
        spaces = {s["SpaceName"] for s in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]}
        assert spaces == {"team", "alice-code", "bob-lab"}
        shown = deployed_tables(moto.client)  # what make demo prints for this app
        for table in ("Custom images", "Portal and image lists", "RStudio", "Grants of Workbench-DomainExecutionRole", "MLflow"):
            assert f"\n{table}" in shown, shown
        assert "Feature Store  feature-group/workbench*" in shown, shown
        assert next(line for line in shown.splitlines() if "alice-code" in line).endswith("ENABLED"), shown
        assert "R_STUDIO_ADMIN" in shown and "workbench-r" in shown, shown
        deployer.destroy(directory)
        assert sm.list_domains()["Domains"] == [] and sm.list_mlflow_apps()["Summaries"] == []
