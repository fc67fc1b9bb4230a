"""What every custom resource of the library built on CDK's provider framework shares."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr
from constructs import IConstruct


def drop_redundant_role_dependencies(provider: cr.Provider, functions: Sequence[lambda_.Function]) -> None:
    """aws-cdk-lib's functions and the waiter state machine also ``DependsOn`` the role their
    ``Role`` already references, which cfn-lint reports (W3005); keep only the dependency on the
    role's policy. ``functions``: the user functions given to ``provider``."""
    stack = Stack.of(provider)
    pairs: list[tuple[IConstruct, IConstruct]] = []
    for name in ("onEvent", "isComplete", "onTimeout"):
        framework = provider.node.try_find_child(f"framework-{name}")
        if framework is not None:
            pairs.append((framework, framework.node.find_child("ServiceRole")))
    pairs += [(f, f.role) for f in functions if f.role is not None]
    waiter = provider.node.try_find_child("waiter-state-machine")
    if waiter is not None:
        pairs.append((waiter, waiter.node.find_child("Role")))
    for owner, role in pairs:
        resource = owner.node.default_child
        assert isinstance(resource, CfnResource)
        policy = role.node.try_find_child("DefaultPolicy")
        policy_resource = policy.node.default_child if policy is not None else None
        if isinstance(policy_resource, CfnResource):
            resource.add_override("DependsOn", [stack.get_logical_id(policy_resource)])
        else:
            resource.add_deletion_override("DependsOn")
