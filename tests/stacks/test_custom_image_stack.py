"""A domain stack from a spec with custom images, built-in lifecycle configs, code repositories and
portal guardrails; the images' logical ids are pinned like every stateful resource's."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sagemaker_studio_cdk import StudioConfigError, StudioDomainStack, parse_spec
from sagemaker_studio_cdk.assembly import load_templates
from sagemaker_studio_cdk.check import check_assembly
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.example import pinned_logical_ids, stateful_logical_ids
from tests.support import ENV, ROOT, new_app

STACK = "StudioWorkbench"
DIGEST = "sha256:" + "0f" * 32
SPEC: dict[str, Any] = {
    "domain": {
        "name": "workbench",
        "custom_images": ["team-lab", "team-editor"],
        "default_image": "team-lab",
        "built_in_lifecycle_configs": ["lab-start"],
        "code_repositories": ["https://github.com/example-org/notebooks.git"],
        "portal": {"hidden_app_types": ["Canvas"], "hidden_ml_tools": ["DataWrangler"]},
    },
    "lifecycle_configs": [{"name": "lab-start", "app_type": "JupyterLab", "script": "echo start"}],
    "custom_images": [
        {"name": "team-lab", "repository": "team/images", "tag_or_digest": DIGEST, "environment": {"TEAM": "ml"}},
        {"name": "team-editor", "repository": "team/images", "tag_or_digest": DIGEST, "app_type": "CodeEditor"},
    ],
    "users": [{"name": "alice", "default_image": "team-editor", "portal": {"studio_web_portal": "ENABLED"}}],
    "spaces": [
        {"name": "alice-code", "sharing": "Private", "owner": "alice", "app_type": "CodeEditor", "image": "team-editor"},
        {"name": "team", "image": "team-lab", "code_repositories": ["https://github.com/example-org/team.git"]},
    ],
}
VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"))


@pytest.fixture(scope="module")
def directory() -> str:
    app = new_app()
    StudioDomainStack(app, STACK, spec=parse_spec(SPEC), vpc=VPC, env=ENV)
    return str(app.synth().directory)


@pytest.fixture(scope="module")
def assembly(directory: str) -> Any:
    return load_templates(directory)


def test_check_finds_no_errors(directory: str) -> None:
    result = check_assembly(directory)
    assert not result.errors, "\n".join(map(str, result.errors))


def test_image_logical_ids_are_pinned(assembly: Any) -> None:
    actual = {k: v for k, v in stateful_logical_ids(assembly).items() if " AWS::SageMaker::Image" in f" {k}"}
    pinned = pinned_logical_ids(json.loads((ROOT / "tests/golden/logical_ids.json").read_text()), STACK)
    assert len(actual) == 4 and actual == {k: v for k, v in pinned.items() if k in actual}, (actual, pinned)


def test_spec_custom_images_reach_the_domain_profile_and_spaces(assembly: Any) -> None:
    root = next(t for t in assembly if t.label == STACK)
    (domain,) = root.resources("AWS::SageMaker::Domain").values()
    user = domain["Properties"]["DefaultUserSettings"]
    assert [i["ImageName"] for i in user["JupyterLabAppSettings"]["CustomImages"]] == ["team-lab"]
    assert [i["ImageName"] for i in user["CodeEditorAppSettings"]["CustomImages"]] == ["team-editor"]
    assert "BuiltInLifecycleConfigArn" in user["JupyterLabAppSettings"]
    assert user["StudioWebPortalSettings"] == {"HiddenAppTypes": ["Canvas"], "HiddenMlTools": ["DataWrangler"]}
    spaces = {
        s["Properties"]["SpaceName"]: s["Properties"]["SpaceSettings"]
        for t in assembly
        for s in t.resources("AWS::SageMaker::Space").values()
    }
    assert "SageMakerImageArn" in spaces["alice-code"]["CodeEditorAppSettings"]["DefaultResourceSpec"]
    assert spaces["team"]["JupyterLabAppSettings"]["CodeRepositories"] == [
        {"RepositoryUrl": "https://github.com/example-org/team.git"}
    ]
    profiles = [p for t in assembly for p in t.resources("AWS::SageMaker::UserProfile").values()]
    assert profiles[0]["Properties"]["UserSettings"]["StudioWebPortal"] == "ENABLED"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"domain": {**SPEC["domain"], "custom_images": ["nope"]}}, r"domain.custom_images.*a name declared in custom_images"),
        ({"custom_images": [{**SPEC["custom_images"][0], "tag_or_digest": "v1:2"}]}, r"custom_images.0.tag_or_digest"),
        ({"spaces": [{"name": "x", "image": "ghost"}]}, r"spaces\[0\] \(x\).image"),
        ({"custom_images": [{**SPEC["custom_images"][0], "app_type": "RStudioServerPro"}]}, r"custom_images.0.app_type"),
    ],
)
def test_fails_when_the_spec_names_a_bad_image(change: dict[str, Any], match: str) -> None:
    with pytest.raises(StudioConfigError, match=match):
        parse_spec({**SPEC, **change})


@pytest.mark.parametrize(
    ("domain", "match"),
    [
        ({"portal": {"hidden_app_types": ["Nope"]}}, r"domain.portal.hidden_app_types\[0\]"),
        (
            {"portal": {"hide_disallowed_instance_types": True}},
            r"domain.portal.hide_disallowed_instance_types.*allowed_instance_types",
        ),
        ({"code_repositories": ["git@github.com:a/b.git"]}, r"domain.code_repositories\[0\]"),
        ({"allowed_instance_types": ["ml.g5.*"]}, r"domain.app_defaults.jupyter_lab_instance_type: got 'ml.t3.medium'"),
    ],
)
def test_fails_when_the_spec_sets_a_guardrail_cloudformation_rejects(domain: dict[str, Any], match: str) -> None:
    with pytest.raises(StudioConfigError, match=match):
        parse_spec({"domain": {"name": "d", **domain}})


def test_spec_hides_what_allowed_instance_types_does_not_allow() -> None:
    raw = {
        "domain": {
            "name": "d",
            "allowed_instance_types": ["ml.t3.*"],
            "portal": {"hide_disallowed_instance_types": True},
        }
    }
    stack = StudioDomainStack(new_app(), STACK, spec=parse_spec(raw), vpc=VPC, env=ENV)
    settings = stack.resolve(stack.domain.resource.default_user_settings)
    hidden = settings["studioWebPortalSettings"]["hiddenInstanceTypes"]
    assert "ml.m5.large" in hidden and not any(t.startswith("ml.t3.") for t in hidden)


def test_fails_when_a_shared_code_editor_space_names_a_custom_image() -> None:
    raw = {**SPEC, "spaces": [{"name": "team-code", "app_type": "CodeEditor", "image": "team-editor"}]}
    with pytest.raises(StudioConfigError, match="no Code Editor image list"):
        StudioDomainStack(new_app(), STACK, spec=parse_spec(raw), vpc=VPC, env=ENV)


def test_summary_shows_images_and_portal(assembly: Any) -> None:
    from sagemaker_studio_cdk.cli import summary

    text = summary(assembly)
    images = text.split("Custom images\n", 1)[1]
    lab = next(line for line in images.splitlines() if line.startswith("team-lab"))
    assert "JupyterLab" in lab and "digest" in lab and "Retain/Retain" in lab
    portal = text.split("Portal and image lists\n", 1)[1]
    assert "domain workbench" in portal and "Canvas" in portal and "DataWrangler" in portal
    assert "user alice" in portal and "ENABLED" in portal
