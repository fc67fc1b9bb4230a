"""The effective IAM statements of a role, gathered from the app: inline policies, attached policy
resources, managed policies of the app, the AWS managed policies that matter here, the boundary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ._base import Resource, as_list, dig, flat, iam_match

KNOWN_AWS_MANAGED: dict[str, list[dict[str, Any]]] = {
    "AdministratorAccess": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    "PowerUserAccess": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}],
    "AmazonSageMakerFullAccess": [{"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"}],
}
"""What the AWS managed policies that matter to Studio allow, as far as the rules care (the
``sagemaker`` part of them). Other AWS managed policies are not known here."""


@dataclass
class Statement:
    """One policy statement, with every value flattened to strings (intrinsics as ``<...>``)."""

    effect: str
    actions: list[str]
    not_actions: list[str] | None
    resources: list[str]
    conditions: dict[str, dict[str, list[str]]]
    source: str
    """Where the statement comes from: the policy's construct path or the managed policy's name."""

    @classmethod
    def parse(cls, raw: Any, source: str) -> Statement | None:
        if not isinstance(raw, dict):
            return None
        conditions: dict[str, dict[str, list[str]]] = {}
        for operator, tests in (raw.get("Condition") or {}).items():
            if isinstance(tests, dict):
                conditions[str(operator)] = {str(k): [flat(v) for v in as_list(values)] for k, values in tests.items()}
        return cls(
            effect=str(raw.get("Effect", "Allow")),
            actions=[flat(a) for a in as_list(raw.get("Action"))],
            not_actions=[flat(a) for a in as_list(raw["NotAction"])] if "NotAction" in raw else None,
            resources=[flat(r) for r in as_list(raw.get("Resource", "*" if "NotResource" in raw else None))],
            conditions=conditions,
            source=source,
        )

    def covers(self, action: str) -> bool:
        """True when the statement's ``Action`` (or ``NotAction``) takes in ``action``."""
        if self.not_actions is not None:
            return not any(iam_match(pattern, action) for pattern in self.not_actions)
        return any(iam_match(pattern, action) for pattern in self.actions)


def statements_of(document: Any, source: str) -> list[Statement]:
    """The statements of a policy document (a resolved template value)."""
    parsed = (Statement.parse(raw, source) for raw in as_list(dig(document, "Statement")))
    return [s for s in parsed if s is not None]


@dataclass
class RolePolicies:
    """Everything that decides what a role may do, as far as the app declares it."""

    identity: list[Statement] = field(default_factory=list)
    boundary: list[Statement] | None = None
    """The boundary's statements when the app declares the boundary policy."""
    has_boundary: bool = False
    unknown_managed_arns: list[str] = field(default_factory=list)
    """Managed policies attached by ARN that neither the app nor :data:`KNOWN_AWS_MANAGED` describes."""
    aws_managed: list[str] = field(default_factory=list)
    """Names of the known AWS managed policies attached."""


def _aws_managed_name(arn: str) -> str | None:
    """``AmazonSageMakerFullAccess`` for ``arn:<partition>:iam::aws:policy/AmazonSageMakerFullAccess``."""
    if ":iam::aws:policy/" not in arn:
        return None
    return arn.rsplit("/", 1)[-1]


def _refers_to(holder: Resource, value: Any, role: Resource) -> bool:
    """``value`` (in ``holder``'s properties) names ``role``: by reference or by its literal name."""
    target = holder.index.referenced(holder, value)
    if target is not None:
        return target.key == role.key
    return isinstance(value, str) and value == role.get("RoleName")


def role_policies(role: Resource) -> RolePolicies:
    """The statements that apply to ``role`` (an ``AWS::IAM::Role``)."""
    index = role.index
    found = RolePolicies()
    for inline in as_list(role.get("Policies")):
        found.identity += statements_of(dig(inline, "PolicyDocument"), f"{role.path} (inline {dig(inline, 'PolicyName')})")
    for policy in index.of_type("AWS::IAM::Policy"):
        if any(_refers_to(policy, value, role) for value in as_list(policy.get("Roles"))):
            found.identity += statements_of(policy.get("PolicyDocument"), policy.path)
    for policy in index.of_type("AWS::IAM::RolePolicy"):
        if _refers_to(policy, policy.get("RoleName"), role):
            found.identity += statements_of(policy.get("PolicyDocument"), policy.path)
    attached: set[tuple[str, str]] = set()
    for value in as_list(role.get("ManagedPolicyArns")):
        target = index.referenced(role, value)
        if target is not None and target.type == "AWS::IAM::ManagedPolicy":
            attached.add(target.key)
            found.identity += statements_of(target.get("PolicyDocument"), target.path)
            continue
        arn = flat(value)
        name = _aws_managed_name(arn)
        if name is not None and name in KNOWN_AWS_MANAGED:
            found.aws_managed.append(name)
            found.identity += statements_of({"Statement": KNOWN_AWS_MANAGED[name]}, f"AWS managed policy {name}")
        else:
            found.unknown_managed_arns.append(arn)
    for policy in index.of_type("AWS::IAM::ManagedPolicy"):
        if policy.key not in attached and any(_refers_to(policy, value, role) for value in as_list(policy.get("Roles"))):
            found.identity += statements_of(policy.get("PolicyDocument"), policy.path)
    boundary = role.get("PermissionsBoundary")
    if boundary is not None:
        found.has_boundary = True
        target = index.referenced(role, boundary)
        if target is not None and target.type == "AWS::IAM::ManagedPolicy":
            found.boundary = statements_of(target.get("PolicyDocument"), f"{target.path} (boundary)")
        else:
            name = _aws_managed_name(flat(boundary))
            if name is not None and name in KNOWN_AWS_MANAGED:
                found.boundary = statements_of({"Statement": KNOWN_AWS_MANAGED[name]}, f"AWS managed policy {name} (boundary)")
    return found


def trusts_service(role: Resource, service: str) -> bool:
    """True when the role's trust policy lets ``service`` (``sagemaker.amazonaws.com``) assume it."""
    prefix = service.split(".", 1)[0] + "."
    for statement in as_list(dig(role.get("AssumeRolePolicyDocument"), "Statement")):
        if dig(statement, "Effect") == "Deny":
            continue
        for principal in as_list(dig(statement, "Principal", "Service")):
            text = flat(principal)
            if text == service or text.startswith(prefix):
                return True
    return False
