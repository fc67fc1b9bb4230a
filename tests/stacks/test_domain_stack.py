"""The stacks: users in nested stacks by group, never in the domain's stack; the network."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from aws_cdk import Stack

from sagemaker_studio_cdk import StudioConfigError, StudioDomainStack, StudioNetworkStack, parse_spec
from sagemaker_studio_cdk.placement import LEGACY_MAX_USERS
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.example import example
from tests.support import ENV, new_app, template_of

SPEC: dict[str, Any] = {
    "domain": {"name": "research"},
    "users": [{"name": "alice", "group": "a"}, {"name": "bob", "group": "b"}],
    "spaces": [{"name": "alice-lab", "sharing": "Private", "owner": "alice"}, {"name": "team"}],
}
VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"))


def domain_stack(raw: dict[str, Any], **context: Any) -> StudioDomainStack:
    return StudioDomainStack(new_app(**context), "Studio", spec=parse_spec(raw), vpc=VPC, env=ENV)


def types_in(template: dict[str, Any]) -> set[str]:
    return {r["Type"] for r in template["Resources"].values()}


def test_domain_stack_holds_no_user_profiles_or_private_spaces() -> None:
    root = next(t for t in example() if t.label == "StudioDomain")
    assert "AWS::SageMaker::UserProfile" not in types_in(root.template)
    sharing = [r["Properties"]["SpaceSharingSettings"]["SharingType"] for r in root.resources("AWS::SageMaker::Space").values()]
    assert sharing == ["Shared"]


def test_users_and_private_spaces_go_to_their_group_stack() -> None:
    stack = domain_stack(SPEC)
    template_of(stack)
    assert set(stack.user_groups) == {"a", "b"}
    assert stack.users["alice"].node.path == "Studio/UserGroup-a/Users/alice"
    assert stack.spaces["alice-lab"].node.path == "Studio/UserGroup-a/Spaces/alice-lab"
    assert stack.spaces["team"].node.path == "Studio/Domain/Spaces/team"


def test_adding_users_moves_no_existing_user() -> None:
    grown = copy.deepcopy(SPEC)
    grown["users"].insert(0, {"name": "aaron", "group": "c"})
    before, after = domain_stack(SPEC), domain_stack(grown)
    for name in ("alice", "bob"):
        old, new = before.users[name].resource, after.users[name].resource
        assert old.node.path == new.node.path
        assert Stack.of(old).resolve(Stack.of(old).get_logical_id(old)) == Stack.of(new).resolve(
            Stack.of(new).get_logical_id(new)
        )


def test_private_space_depends_on_owner_in_same_nested_stack() -> None:
    stack = domain_stack(SPEC)
    nested = template_of(stack.user_groups["a"]).to_json()
    space = next(r for r in nested["Resources"].values() if r["Type"] == "AWS::SageMaker::Space")
    profile_id = next(k for k, r in nested["Resources"].items() if r["Type"] == "AWS::SageMaker::UserProfile")
    assert profile_id in space["DependsOn"]


def test_domain_outputs_id_and_url() -> None:
    outputs = template_of(domain_stack(SPEC)).to_json()["Outputs"]
    assert {"DomainId", "DomainUrl"} <= set(outputs)


def test_without_a_roster_users_without_a_group_stay_in_users_and_fail_past_it() -> None:
    """Release 0.1.0's rule, as nothing remembers where a user went: all in ``users``, at most 200."""
    raw = {"domain": {"name": "research"}, "users": [{"name": f"u{i}"} for i in range(LEGACY_MAX_USERS + 1)]}
    with pytest.raises(StudioConfigError, match=r"users \(without a group\): got '201 users in UserGroup-users, 201 resources'"):
        domain_stack(raw)


def test_fails_when_group_exceeds_resource_limit() -> None:
    # Per-user security groups make 4 resources a user (group, 2 self-ingress rules, profile).
    raw = {
        "domain": {"name": "research", "security_group_per_user": True},
        "users": [{"name": f"u{i}", "group": "a"} for i in range(130)],
    }
    with pytest.raises(StudioConfigError, match=r"users\[group=a\]: got '130 users, 520 resources'; at most 500 resources"):
        domain_stack(raw)


def test_existing_vpc_is_imported_without_network_stack() -> None:
    app = new_app(
        **{
            "studio:vpc": {
                "vpcId": VPC.vpc_id,
                "availabilityZones": list(VPC.availability_zones),
                "privateSubnetIds": list(VPC.private_subnet_ids),
            }
        }
    )
    from tests.example import app_module

    stack = app_module().build(app)
    assert [s.stack_name for s in app.node.children if isinstance(s, Stack)] == ["StudioDomain"]
    template_of(stack).has_resource_properties("AWS::SageMaker::Domain", {"VpcId": VPC.vpc_id})


def test_fails_when_existing_vpc_context_incomplete() -> None:
    with pytest.raises(StudioConfigError, match=r"context studio:vpc: got .*vpcId, availabilityZones and privateSubnetIds"):
        ExistingVpc.from_context({"vpcId": "vpc-1"})


def test_network_stack_has_endpoints_a_vpc_only_domain_needs() -> None:
    stack = StudioNetworkStack(new_app(), "Network", env=ENV)
    template = template_of(stack).to_json()
    services = [r["Properties"]["ServiceName"] for r in template["Resources"].values() if r["Type"] == "AWS::EC2::VPCEndpoint"]
    flat = " ".join(str(s) for s in services)
    for service in ("sagemaker.api", "sagemaker.runtime", "sts", "logs", ".s3"):
        assert service in flat, f"missing endpoint {service}: {services}"


def test_network_stack_has_no_nat_and_no_custom_resource() -> None:
    template = template_of(StudioNetworkStack(new_app(), "Network", env=ENV)).to_json()
    kinds = types_in(template)
    assert "AWS::EC2::NatGateway" not in kinds
    assert not any(k.startswith("Custom::") or k == "AWS::Lambda::Function" for k in kinds)
