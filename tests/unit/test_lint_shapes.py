"""check lints one template per shape: templates built the same way (user groups) get the findings
of the one linted, on their own resources, and any difference cfn-lint could judge apart is linted."""

from __future__ import annotations

from typing import Any

import pytest

from sagemaker_studio_cdk import check
from sagemaker_studio_cdk.assembly import StackTemplate
from sagemaker_studio_cdk.lint import lint_template


def group(suffix: str, *, app_type: str = "JupyterLab") -> StackTemplate:
    """A nested user-group stack as the library builds it: profiles and private spaces by name;
    the space carries a property cfn-lint rejects, so every group has a finding."""
    resources: dict[str, Any] = {"DomainId": {"Type": "String"}}
    body: dict[str, Any] = {"Description": f"SageMaker Studio users of group {suffix}", "Resources": {}, "Parameters": resources}
    for name in ("alice", "bob"):
        user = f"{name}{suffix}"
        body["Resources"][f"Users{user}AB12CD34"] = {
            "Type": "AWS::SageMaker::UserProfile",
            "Properties": {"DomainId": {"Ref": "DomainId"}, "UserProfileName": user},
        }
        body["Resources"][f"Spaces{user}lab99EE88FF"] = {
            "Type": "AWS::SageMaker::Space",
            "Properties": {
                "DomainId": {"Ref": "DomainId"},
                "SpaceName": f"{user}-lab",
                "OwnershipSettings": {"OwnerUserProfileName": user},
                "SpaceSettings": {"AppType": app_type, "NoSuchSetting": "x"},
                "SpaceSharingSettings": {"SharingType": "Private"},
            },
            "DependsOn": [f"Users{user}AB12CD34"],
        }
    return StackTemplate(("Root", f"Group{suffix}"), body, f"Root/Group{suffix}")


def test_one_lint_per_shape_finds_what_linting_each_template_finds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "SHAPE_MIN_RESOURCES", 1)
    # g002 differs from g000 only in names; g003 also in an enum value that cfn-lint rejects.
    templates = [group("g000"), group("g002"), group("g003", app_type="JupyterLob")]
    same = check._same_shapes(templates)
    assert {path[-1]: representative[-1] for path, (representative, _, _) in same.items()} == {"Groupg002": "Groupg000"}
    linter = check._Linter(templates, parallel=False)
    by_shape = {t.label: sorted(map(str, findings)) for t, findings in linter.results()}
    each = {t.label: sorted(map(str, lint_template(t.template))) for t in templates}
    assert by_shape == each
    assert any("Spacesaliceg002lab99EE88FF" in f and "NoSuchSetting" in f for f in by_shape["Root/Groupg002"])
    assert any("AppType" in f for f in by_shape["Root/Groupg003"])


def test_a_template_that_is_not_one_renaming_is_linted_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "SHAPE_MIN_RESOURCES", 1)
    moved = group("g004")
    space = moved.template["Resources"]["Spacesaliceg004lab99EE88FF"]["Properties"]
    space["OwnershipSettings"]["OwnerUserProfileName"] = "bobbyg004"  # same character classes, not a renaming
    assert check._same_shapes([group("g000"), moved]) == {}
