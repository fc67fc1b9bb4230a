"""The denies that keep a domain admin out of users' private spaces.

Each statement closes one path into a private space (see ``docs/security.md``). They follow
three rules that come from how IAM evaluates conditions:

- An action that carries no key to tell a private space from a shared one
  (``CreatePresignedDomainUrl``, ``StartSession``, ``CreateStudioLifecycleConfig``, ``CreateImage``,
  ...) is denied outright: a Deny conditioned on a key the request does not carry never fires.
- A single-valued key is tested with a negated operator (``StringNotEquals
  sagemaker:SpaceSharingType Shared``): when the key is missing (a space made in Studio, an API
  that leaves it out) the condition is true and the Deny fires. It fails closed.
- A multi-valued key (``sagemaker:StudioLifecycleConfigArns``, ``ImageArns``, ...) lists what a
  request attaches; ``ForAnyValue:ArnNotLike`` denies a request attaching anything outside the
  approved set, and a request that attaches nothing has nothing to deny.

The builders are pure: they take strings (literals or CDK tokens) and return statements, so
tests call them without a stack.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Fn
from aws_cdk import aws_iam as iam

from .. import limits
from . import actions
from .execution import sagemaker_arn, space_owner_tag_denies
from .personas import PERSONA_TAG

NOTHING_APPROVED = "nothing-approved."
"""The name part of the placeholder ARN that stands for an empty approved set: it contains a dot,
which no lifecycle config or image name may, so it never matches a real one."""


def nothing_approved_arn(partition: str, region: str, account: str, kind: str) -> str:
    """A well-formed ARN that matches no real resource: the approved set when nothing is approved.

    ``ForAnyValue:ArnNotLike`` needs at least one value; with this one, every ARN a request
    attaches is "not like" it, so the Deny fires on any attachment.
    """
    return sagemaker_arn(partition, region, account, f"{kind}/{NOTHING_APPROVED}")


def image_version_pattern(image_arn: str) -> str:
    """The ARN pattern of every version of an image: ``...:image/NAME`` -> ``...:image-version/NAME/*``.

    Works on tokens too (``Fn::Split`` and ``Fn::Join`` at deploy time).
    """
    if limits.is_token(image_arn):
        return Fn.join("", [Fn.join(":image-version/", Fn.split(":image/", image_arn)), "/*"])
    return image_arn.replace(":image/", ":image-version/", 1) + "/*"


def sign_in_denies() -> list[iam.PolicyStatement]:
    """No signing in to Studio as any profile, and no remote session into any space.

    Neither action carries a SageMaker condition key, so both are denied outright.
    """
    return [
        iam.PolicyStatement(
            sid="DenySignInAsAnyUser", effect=iam.Effect.DENY, actions=list(actions.SIGN_IN_AS_USER), resources=["*"]
        ),
        iam.PolicyStatement(
            sid="DenyRemoteAccessToSpaces", effect=iam.Effect.DENY, actions=list(actions.REMOTE_ACCESS), resources=["*"]
        ),
    ]


def private_space_denies() -> list[iam.PolicyStatement]:
    """No app started, and no space created, changed or deleted, unless the space is shared.

    ``StringNotEquals`` fails closed: a request without ``sagemaker:SpaceSharingType`` (a
    user-made space that carries no tags of ours, an API call that leaves it out) is denied.
    """
    return [
        iam.PolicyStatement(
            sid="DenyPrivateSpaces",
            effect=iam.Effect.DENY,
            actions=list(actions.PRIVATE_SPACE_ENTRY),
            resources=["*"],
            conditions={"StringNotEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        )
    ]


def code_supply_denies() -> list[iam.PolicyStatement]:
    """No new or changed lifecycle configs or images, and no pushes to container repositories."""
    return [
        iam.PolicyStatement(
            sid="DenyNewCodeForSpaces", effect=iam.Effect.DENY, actions=list(actions.CODE_SUPPLY), resources=["*"]
        ),
        iam.PolicyStatement(sid="DenyImagePushes", effect=iam.Effect.DENY, actions=list(actions.IMAGE_PUSH), resources=["*"]),
    ]


def attachment_denies(
    *,
    approved_lifecycle_config_arns: Sequence[str],
    approved_image_arns: Sequence[str],
    approved_image_version_arns: Sequence[str],
) -> list[iam.PolicyStatement]:
    """Nothing outside the approved sets attached through domain, profile, space or app settings.

    :param approved_lifecycle_config_arns: at least one ARN (or a list token); pass
        :func:`nothing_approved_arn` when nothing is approved.
    :param approved_image_arns: likewise, for ``sagemaker:ImageArns``.
    :param approved_image_version_arns: ARN patterns for ``sagemaker:ImageVersionArns``, usually
        :func:`image_version_pattern` of each approved image.
    """
    return [
        iam.PolicyStatement(
            sid=sid,
            effect=iam.Effect.DENY,
            actions=list(actions.SETTINGS_THAT_ATTACH_CODE),
            resources=["*"],
            conditions={"ForAnyValue:ArnNotLike": {key: list(approved)}},
        )
        for sid, key, approved in (
            ("DenyUnapprovedLifecycleConfigs", "sagemaker:StudioLifecycleConfigArns", approved_lifecycle_config_arns),
            ("DenyUnapprovedImages", "sagemaker:ImageArns", approved_image_arns),
            ("DenyUnapprovedImageVersions", "sagemaker:ImageVersionArns", approved_image_version_arns),
        )
    ]


def role_and_identity_denies() -> list[iam.PolicyStatement]:
    """No passing roles, no forging principal tags or credentials, no assuming other roles."""
    return [
        iam.PolicyStatement(sid="DenyPassRole", effect=iam.Effect.DENY, actions=list(actions.ROLE_USE), resources=["*"]),
        iam.PolicyStatement(
            sid="DenyIdentityForgery",
            effect=iam.Effect.DENY,
            actions=[*actions.IDENTITY_FORGERY, *actions.SOURCE_IDENTITY_SETTING],
            resources=["*"],
        ),
        iam.PolicyStatement(sid="DenyAssumeRole", effect=iam.Effect.DENY, actions=list(actions.ROLE_ASSUMPTION), resources=["*"]),
        iam.PolicyStatement(
            sid="DenyWideningUsersAndGroups",
            effect=iam.Effect.DENY,
            actions=list(actions.USER_AND_GROUP_WIDENING),
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="DenyIdentityCenter", effect=iam.Effect.DENY, actions=list(actions.IDENTITY_CENTER), resources=["*"]
        ),
    ]


PERSONA_RESOURCE = {"Null": {f"aws:ResourceTag/{PERSONA_TAG}": "false"}}
"""A resource (a function, a state machine, a role) the library made for a persona: tagged ``studio:persona``."""


def function_denies() -> list[iam.PolicyStatement]:
    """No running a library function or state machine with one's own input, and no changing its
    code, configuration, permissions or tags (the custom resources' handlers and the Provider
    framework's functions and waiter); no changing, passing or deleting a library role.

    Keyed on the resource's ``studio:persona`` tag, which every action listed carries; binding a
    function to an event source names it only in ``lambda:FunctionArn``, so that is denied outright.
    """
    return [
        iam.PolicyStatement(
            sid="DenyLibraryFunctions",
            effect=iam.Effect.DENY,
            actions=[*actions.FUNCTION_TAMPERING, *actions.STATE_MACHINE_TAMPERING],
            resources=["*"],
            conditions=PERSONA_RESOURCE,
        ),
        iam.PolicyStatement(
            sid="DenyFunctionBinding", effect=iam.Effect.DENY, actions=list(actions.FUNCTION_BINDING), resources=["*"]
        ),
        iam.PolicyStatement(
            sid="DenyLibraryRoles",
            effect=iam.Effect.DENY,
            actions=list(actions.ROLE_TAMPERING),
            resources=["*"],
            conditions=PERSONA_RESOURCE,
        ),
    ]


def settings_write_denies() -> list[iam.PolicyStatement]:
    """No direct write to domain, profile or space settings: they change through the reviewed stack.

    Some settings carry no condition key at all (a built-in lifecycle config, custom images by
    name, an S3 mount's path), so only leaving the write out entirely keeps them reviewed.
    """
    return [
        iam.PolicyStatement(
            sid="DenySettingsWrites", effect=iam.Effect.DENY, actions=list(actions.SETTINGS_WRITES), resources=["*"]
        )
    ]


def user_data_denies(*, bucket_arn: str, prefix: str) -> list[iam.PolicyStatement]:
    """No reading or changing users' objects under ``<bucket_arn>/<prefix>/``.

    :param bucket_arn: the users' data bucket, or a pattern (``arn:aws:s3:::*``) when it is not known.
    """
    return [
        iam.PolicyStatement(
            sid="DenyUsersData",
            effect=iam.Effect.DENY,
            actions=list(actions.USER_DATA_READ_WRITE),
            resources=[f"{bucket_arn}/{prefix}/*"],
        )
    ]


def bucket_policy_denies() -> list[iam.PolicyStatement]:
    """No rewriting who may read a bucket: its policy and ACLs (the users' data bucket among them)."""
    return [
        iam.PolicyStatement(
            sid="DenyBucketPolicyChanges", effect=iam.Effect.DENY, actions=list(actions.BUCKET_POLICY_EDIT), resources=["*"]
        )
    ]


def network_denies() -> list[iam.PolicyStatement]:
    """No security group opened, and none attached through domain or profile settings.

    On every group rather than the domain's own: the admin's job needs no EC2 changes, and a
    list of every user's group would outgrow the 6,144 characters of a managed policy.
    """
    return [
        iam.PolicyStatement(
            sid="DenyOpeningSecurityGroups",
            effect=iam.Effect.DENY,
            actions=list(actions.SECURITY_GROUP_OPENING),
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="DenySettingSecurityGroups",
            effect=iam.Effect.DENY,
            actions=list(actions.SETTINGS_THAT_ATTACH_SECURITY_GROUPS),
            resources=["*"],
            conditions={"Null": {"sagemaker:VpcSecurityGroupIds": "false"}},
        ),
        iam.PolicyStatement(
            sid="DenyJoiningSecurityGroups",
            effect=iam.Effect.DENY,
            actions=list(actions.NETWORK_PLACEMENT),
            resources=["*"],
        ),
    ]


def self_protection_denies(*, role_arn: str | None, boundary_arn: str | None) -> list[iam.PolicyStatement]:
    """No editing one's own role, rewriting the boundary, or making principals without it.

    :param role_arn: the admin's own role; ``None`` denies the edits on every role (what a
        permissions boundary says, since it cannot name the role it is attached to without a
        dependency cycle).
    :param boundary_arn: the admin's boundary; ``None`` denies rewriting any managed policy and
        creating any role or user, else only rewriting the boundary and creating principals
        without it.
    """
    statements = [
        iam.PolicyStatement(
            sid="DenyEditingOwnRole",
            effect=iam.Effect.DENY,
            actions=list(actions.ROLE_SELF_EDIT),
            resources=[role_arn or "*"],
        ),
        iam.PolicyStatement(
            sid="DenyBoundaryChanges",
            effect=iam.Effect.DENY,
            actions=["iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", *actions.USER_BOUNDARY_EDIT],
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="DenyRewritingBoundary",
            effect=iam.Effect.DENY,
            actions=list(actions.POLICY_VERSIONS),
            resources=[boundary_arn or "*"],
        ),
    ]
    if boundary_arn is None:
        statements.append(
            iam.PolicyStatement(
                sid="DenyNewPrincipals", effect=iam.Effect.DENY, actions=list(actions.PRINCIPAL_CREATION), resources=["*"]
            )
        )
    else:
        statements.append(
            iam.PolicyStatement(
                sid="DenyNewPrincipalsWithoutBoundary",
                effect=iam.Effect.DENY,
                actions=list(actions.PRINCIPAL_CREATION),
                resources=["*"],
                conditions={"StringNotEquals": {"iam:PermissionsBoundary": boundary_arn}},
            )
        )
    return statements


def isolation_denies(
    *,
    approved_lifecycle_config_arns: Sequence[str],
    approved_image_arns: Sequence[str],
    approved_image_version_arns: Sequence[str],
) -> list[iam.PolicyStatement]:
    """Every deny that keeps a principal out of private spaces (not the self-protection ones)."""
    return [
        *sign_in_denies(),
        *private_space_denies(),
        *code_supply_denies(),
        *attachment_denies(
            approved_lifecycle_config_arns=approved_lifecycle_config_arns,
            approved_image_arns=approved_image_arns,
            approved_image_version_arns=approved_image_version_arns,
        ),
        *role_and_identity_denies(),
        *network_denies(),
        *function_denies(),
        *bucket_policy_denies(),
        *space_owner_tag_denies(),
    ]


def merged(
    statements: Sequence[iam.PolicyStatement], *, whole_services: Sequence[str] = (), sid: str = "DenyOutright"
) -> list[iam.PolicyStatement]:
    """``statements`` with every Deny on ``*`` without conditions merged into one statement.

    A managed policy holds at most 6,144 characters: the boundary, which holds every allow and
    every deny, uses this to stay well inside it. The merged statement denies at least the union
    of the actions of the statements it replaces.

    :param whole_services: services whose actions the merged statement denies all of
        (``iam:*``), for a principal with no job in them: shorter, and stronger.
    """
    outright: list[str] = [f"{service}:*" for service in whole_services]
    kept: list[iam.PolicyStatement] = []
    for statement in statements:
        as_json = statement.to_statement_json()
        named = as_json.get("Action", [])
        if as_json.get("Effect") == "Deny" and all(
            a.split(":")[0] in whole_services for a in ([named] if isinstance(named, str) else named)
        ):
            continue  # a whole-service deny already covers it, whatever its condition
        if as_json.get("Effect") == "Deny" and as_json.get("Resource") == "*" and "Condition" not in as_json:
            found = as_json["Action"]
            outright += [a for a in ([found] if isinstance(found, str) else found) if a.split(":")[0] not in whole_services]
        else:
            kept.append(statement)
    if not outright:
        return kept
    merged_statement = iam.PolicyStatement(
        sid=sid, effect=iam.Effect.DENY, actions=list(dict.fromkeys(outright)), resources=["*"]
    )
    return [merged_statement, *kept]
