"""``check`` runs AwsSolutions and StudioChecks once per group of user-group stacks built the same
way: every other group gets the same findings on its own resources, and a group that differs in
anything a rule could judge (a deliberately bad user) is checked on its own."""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path

import pytest
from aws_cdk import App

from sagemaker_studio_cdk import StudioDomainStack, check, parse_spec
from sagemaker_studio_cdk.assembly import load_templates
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.support import CLI_CONTEXT, ENV, cdk_context

FOREIGN_DOMAIN = "d-0123456789ab"
BAD_USER = "u1x0"


@lru_cache(maxsize=1)
def _synthesized() -> Path:
    """Three groups of two users, each with a private space."""
    users = [f"u{g}x{i}" for g in range(3) for i in range(2)]
    raw = {
        "region": "us-east-1",
        "domain": {"name": "groups"},
        "users": [{"name": name, "group": f"g{name[1]}"} for name in users],
        "spaces": [{"name": f"{name}-lab", "sharing": "Private", "owner": name} for name in users],
    }
    subnets = ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")
    vpc = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), subnets)
    app = App(context={**cdk_context(), **CLI_CONTEXT})
    StudioDomainStack(app, "Groups", spec=parse_spec(raw), vpc=vpc, env=ENV)
    return Path(app.synth().directory)


@pytest.fixture(scope="module")
def assembly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The assembly with every space given a foreign domain id (a StudioChecks warning on each
    space, in every group) and :data:`BAD_USER`'s profile too (only in group g1)."""
    directory = tmp_path_factory.mktemp("groups") / "cdk.out"
    shutil.copytree(_synthesized(), directory)
    for template in load_templates(directory):
        assert template.file is not None
        body = json.loads(template.file.read_text())
        for resource in body.get("Resources", {}).values():
            properties = resource.get("Properties", {})
            if resource["Type"] == "AWS::SageMaker::Space" or properties.get("UserProfileName") == BAD_USER:
                properties["DomainId"] = FOREIGN_DOMAIN
        template.file.write_text(json.dumps(body, indent=1))
    return directory


def test_grouped_packs_find_what_checking_every_template_finds(assembly: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "SHAPE_MIN_RESOURCES", 1)
    templates = load_templates(assembly)
    groups = check._pack_groups(templates, check._same_shapes(templates))
    by_label = {t.path: t.label for t in templates}
    assert {by_label[p]: by_label[g[0]] for p, g in groups.items()} == {"Groups/UserGroup-g2": "Groups/UserGroup-g0"}

    grouped = check.check_assembly(assembly)
    monkeypatch.setattr(check, "GROUP_PACKS", False)
    each = check.check_assembly(assembly)
    assert grouped.findings == each.findings
    assert grouped.acknowledged == each.acknowledged

    named = {(f.rule_id, f.path) for f in grouped.findings if f.tool == "StudioChecks"}
    spaces = {f"Groups/UserGroup-g{g}/Spaces/u{g}x{i}-lab/Resource" for g in range(3) for i in range(2)}
    assert named == {("StudioChecks-DomainOfSameApp", path) for path in spaces | {"Groups/UserGroup-g1/Users/u1x0/Resource"}}
    moved = [f for f in grouped.findings if f.stack == "Groups/UserGroup-g2"]
    assert moved and all(f.line is not None and f.file and f.file.endswith(".nested.template.json") for f in moved)


def test_a_finding_that_names_a_renamed_value_is_checked_on_every_template(
    assembly: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check, "SHAPE_MIN_RESOURCES", 1)
    real = check._IncludedAssembly.run_packs

    def naming(self: check._IncludedAssembly, *args: object, **kwargs: object) -> list[dict[str, object]]:
        found = real(self, *args, **kwargs)  # type: ignore[arg-type]
        for finding in found:
            if finding["logical_id"] and "u0x0lab" in str(finding["logical_id"]):
                finding["message"] = "space u0x0-lab is foreign"
        return found

    monkeypatch.setattr(check._IncludedAssembly, "run_packs", naming)
    result = check.check_assembly(assembly)
    messages = {f.path: f.message for f in result.findings if f.tool == "StudioChecks"}
    assert messages["Groups/UserGroup-g0/Spaces/u0x0-lab/Resource"] == "space u0x0-lab is foreign"
    assert messages["Groups/UserGroup-g2/Spaces/u2x0-lab/Resource"] != "space u0x0-lab is foreign"
