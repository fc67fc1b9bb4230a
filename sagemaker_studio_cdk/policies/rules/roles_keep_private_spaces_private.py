"""Every role that can sign in to, start apps in, change or open a space of the domain either
is scoped to its own profile or carries the private-space isolation denies.

Judged from the role's effective statements (inline, attached and managed policies of the app,
the AWS managed policies that matter, and its permissions boundary). For each action below an
Allow counts as scoped when:

- every resource names the caller's own profile (``${sagemaker:UserProfileName}``, or a variable of
  the caller's own identity such as ``${aws:PrincipalTag/studio:user-profile}``);
- a condition pins ``sagemaker:OwnerUserProfileArn`` to the caller's own profile, or
  ``sagemaker:SpaceSharingType`` to ``Shared``, or requires the space to have no owner
  (``Null``), for actions that carry those keys;
- a condition pins a resource tag to the caller's own identity (``aws:ResourceTag/... =
  ${aws:PrincipalTag/...}``, ``${aws:username}``, ``${sagemaker:UserProfileName}``);
- a non-negated condition tests a SageMaker key the action never carries: that Allow never applies.

An unscoped Allow is acceptable only when a Deny statement of the role (or its boundary) covers
the action, or when the role's boundary, known to the app, does not allow it unscoped either.
"""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule, iam_match, placeholders_to_wildcards
from ._iam import RolePolicies, Statement, role_policies

OWN_PROFILE = "<sagemaker:UserProfileName>"
"""``${sagemaker:UserProfileName}`` as flattened statements show it."""

OWN_IDENTITY = (OWN_PROFILE, "<aws:PrincipalTag/", "<aws:username>", "<aws:userid>", "<aws:SourceIdentity>")

ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "sagemaker:CreatePresignedDomainUrl": ("user-profile", frozenset()),
    "sagemaker:StartSession": ("space", frozenset()),
    "sagemaker:CreateApp": (
        "app",
        frozenset(
            {
                "sagemaker:owneruserprofilearn",
                "sagemaker:spacesharingtype",
                "sagemaker:imagearns",
                "sagemaker:imageversionarns",
                "sagemaker:instancetypes",
                "sagemaker:studiolifecycleconfigarns",
            }
        ),
    ),
    "sagemaker:UpdateSpace": (
        "space",
        frozenset(
            {
                "sagemaker:owneruserprofilearn",
                "sagemaker:spacesharingtype",
                "sagemaker:imagearns",
                "sagemaker:studiolifecycleconfigarns",
                "sagemaker:remoteaccess",
            }
        ),
    ),
}
"""Each action into a space: its resource type, and the SageMaker condition keys it carries (AWS's
service authorization data; FACTS.md)."""

_NEGATED = ("StringNot", "ArnNot", "NotIpAddress", "NumericNotEquals", "DateNotEquals")


def _operator(raw: str) -> tuple[str, bool, bool]:
    """``ForAnyValue:StringLikeIfExists`` -> (``StringLike``, if_exists, for_all_values)."""
    for_all = raw.startswith("ForAllValues:")
    base = raw.split(":", 1)[1] if ":" in raw else raw
    if_exists = base.endswith("IfExists")
    return base.removesuffix("IfExists"), if_exists, for_all


def _false_when_missing(operator: str, values: list[str]) -> bool:
    """True when the condition fails for a request that does not carry the key."""
    base, if_exists, for_all = _operator(operator)
    if if_exists or for_all:
        return False
    if base == "Null":
        return all(v.lower() == "false" for v in values)
    return not base.startswith(_NEGATED)


def _could_reach(resource: str, kind: str) -> bool:
    """True when the resource pattern can match a SageMaker resource of ``kind`` (``space``, ...)."""
    if resource == "*":
        return True
    pattern = placeholders_to_wildcards(resource)
    parts = pattern.split(":", 5)
    if len(parts) < 6:
        return pattern.strip("*") == "" or not pattern.startswith("arn")
    if not iam_match(parts[2], "sagemaker"):
        return False
    return iam_match(parts[5].split("/", 1)[0], kind)


def _scoped(statement: Statement, action: str) -> bool:
    """True when ``statement`` (an Allow covering ``action``) cannot reach another user's profile or private space."""
    kind, carried = ACTIONS[action]
    reachable = [r for r in statement.resources if _could_reach(r, kind)]
    if not reachable or all(any(own in r for own in OWN_IDENTITY) for r in reachable):
        return True
    for operator, tests in statement.conditions.items():
        base, if_exists, for_all = _operator(operator)
        for key, values in tests.items():
            lowered = key.lower()
            if lowered.startswith("sagemaker:") and lowered not in carried and _false_when_missing(operator, values):
                return True  # the request never carries the key: this Allow never applies to the action
            if if_exists or for_all or base.startswith(_NEGATED) or not values:
                continue
            if lowered == "sagemaker:owneruserprofilearn" and base != "Null" and all(OWN_PROFILE in v for v in values):
                return True
            if lowered == "sagemaker:spacesharingtype" and base.startswith("String") and all(v == "Shared" for v in values):
                return True
            if lowered == "sagemaker:owneruserprofilearn" and base == "Null" and lowered in carried:
                if all(v.lower() == "true" for v in values):
                    return True  # a space without an owner is a shared one
            if lowered.startswith("aws:resourcetag/") and all(any(i in v for i in OWN_IDENTITY) for v in values):
                return True
    return False


def _unscoped(statements: list[Statement], action: str) -> list[Statement]:
    return [s for s in statements if s.effect == "Allow" and s.covers(action) and not _scoped(s, action)]


def _denied(policies: RolePolicies, action: str) -> bool:
    """A Deny of the role or its boundary covers ``action``, or the boundary does not grant it unscoped."""
    denies = [s for s in [*policies.identity, *(policies.boundary or [])] if s.effect == "Deny"]
    if any(s.covers(action) for s in denies):
        return True
    return policies.boundary is not None and not _unscoped(policies.boundary, action)


def check(role: Resource) -> list[str]:
    policies = role_policies(role)
    return [action for action in ACTIONS if _unscoped(policies.identity, action) and not _denied(policies, action)]


RULE = Rule(
    name="PrivateSpaceIsolation",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::IAM::Role",),
    info=(
        "The role may sign in as other users, or start apps in, change or open others' spaces "
        "(the action is in the finding id) without being scoped to its own profile or denied by the isolation statements."
    ),
    explanation=(
        "CreatePresignedDomainUrl signs the caller in as the profile it names, StartSession opens a running space, "
        "and CreateApp/UpdateSpace start code in or change a space: unscoped, any of them lets the role into every "
        "user's private space. Scope the Allow to the caller's own profile (${sagemaker:UserProfileName}, "
        "sagemaker:OwnerUserProfileArn, or SpaceSharingType Shared), or add the denies of "
        "sagemaker_studio_cdk.policies.isolation (DomainAdminRole carries them)."
    ),
    check=check,
)
