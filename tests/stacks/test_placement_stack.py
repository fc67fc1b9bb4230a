"""Placement in the stacks: a user the library placed and a new shared space live in nested
stacks, and what placement counts is what the constructs make. One small synth."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from aws_cdk import CfnResource, Stack

from sagemaker_studio_cdk import StudioDomainStack, parse_spec
from sagemaker_studio_cdk.constructs.space import SPACE_RESOURCES
from sagemaker_studio_cdk.constructs.user_profile import profile_resources
from sagemaker_studio_cdk.roster import HEADER, RosterCheck
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.support import ENV, new_app, template_of

VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a",), ("subnet-0aaaaaaaaaaaaaaa1",))
RAW = {
    "domain": {"name": "research", "security_group_per_user": True, "cleanup": {"enabled": True}},
    "users": [{"name": "alice", "group": "a"}, {"name": "erin", "tags": {"team": "review"}}],
    "spaces": [
        {"name": "team"},
        {"name": "erin-lab", "sharing": "Private", "owner": "erin", "ebs_gb": 20},
        {"name": "review", "display_name": "Review"},
    ],
}
ROSTER = HEADER + "research space team domain active 1\nresearch user alice UserGroup-a active 1\n"


@cache
def placed_stack(folder: Path) -> StudioDomainStack:
    (folder / "studio.roster").write_text(ROSTER)
    check = RosterCheck(path=folder / "studio.roster")
    return StudioDomainStack(new_app(), "Studio", spec=parse_spec(RAW), vpc=VPC, roster=check, env=ENV)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> StudioDomainStack:
    return placed_stack(tmp_path_factory.mktemp("placement"))


def resources_under(construct: object) -> int:
    return sum(1 for c in construct.node.find_all() if isinstance(c, CfnResource))  # type: ignore[attr-defined]


def test_a_placed_user_and_a_new_shared_space_live_in_nested_stacks(stack: StudioDomainStack) -> None:
    assert stack.users["alice"].node.path == "Studio/UserGroup-a/Users/alice"
    assert stack.users["erin"].node.path == "Studio/UserGroup-users/Users/erin"
    assert stack.spaces["erin-lab"].node.path == "Studio/UserGroup-users/Spaces/erin-lab"
    assert stack.spaces["team"].node.path == "Studio/Domain/Spaces/team"  # recorded in the domain's stack: stays
    assert stack.spaces["review"].node.path == "Studio/SharedSpaces-1/Spaces/review"
    nested = template_of(stack.shared_space_stacks["SharedSpaces-1"]).to_json()
    assert [r["Type"] for r in nested["Resources"].values()] == ["AWS::SageMaker::Space"]


def test_placement_counts_what_the_constructs_make(stack: StudioDomainStack) -> None:
    assert resources_under(stack.users["erin"]) == profile_resources(security_group_per_user=True)
    assert resources_under(stack.spaces["erin-lab"]) == SPACE_RESOURCES
    for stack_id in ("UserGroup-users", "SharedSpaces-1"):
        nested = next(s for s in (*stack.user_groups.values(), *stack.shared_space_stacks.values()) if s.node.id == stack_id)
        resources = template_of(nested).to_json()["Resources"]
        load = stack.placement.load(stack_id)
        assert len(resources) == load.resources
        written = len(json.dumps(resources, indent=1))  # as CDK writes templates
        assert written <= load.template_bytes(reserved=False), f"{stack_id}: the byte estimate is not an upper bound"


def test_cleanup_runs_before_the_shared_spaces_stack_is_deleted(stack: StudioDomainStack) -> None:
    root = template_of(Stack.of(stack)).to_json()["Resources"]
    nested_id = next(k for k, r in root.items() if r["Type"] == "AWS::CloudFormation::Stack" and "SharedSpaces1" in k)
    cleanup = next(r for k, r in root.items() if k.startswith("Cleanup") and r["Type"].startswith("Custom::"))
    assert nested_id in cleanup["DependsOn"]
