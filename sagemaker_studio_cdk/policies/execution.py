"""Statements of the ``execution`` persona: the role Studio apps run as.

Owner-only access to private spaces follows AWS's documented policy for Studio users: a user's
session can create, change and delete only the spaces it owns or shared ones, and start or stop
apps only in those. One deny hardens it, and fails closed: a space that is not shared and not the
session's own (including a request that carries neither key) is out of reach whatever else
allows it. Studio fills ``${sagemaker:DomainId}`` and ``${sagemaker:UserProfileName}``
for the session, so one role serves every user without naming any of them (and without a
dependency cycle between the role and the domain that uses it).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_iam as iam

from . import actions
from .personas import SPACE_OWNER_TAG


def _arn(partition: str, region: str, account: str, resource: str, service: str = "sagemaker") -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def sagemaker_arn(partition: str, region: str, account: str, resource: str) -> str:
    """``arn:<partition>:sagemaker:<region>:<account>:<resource>``."""
    return _arn(partition, region, account, resource)


def own_profile_arn(partition: str, region: str, account: str) -> str:
    """The ARN of the calling user's own profile, as policy variables."""
    return _arn(partition, region, account, "user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}")


def space_owner_tag_denies() -> list[iam.PolicyStatement]:
    """No setting or removing the ``studio:space-owner`` tag (in any letter case), on create or after.

    StartSession is scoped by that tag alone, so whoever could set it could open a remote session
    into any space; only the deploy role (CloudFormation) writes it.
    """
    return [
        iam.PolicyStatement(
            sid="DenySpaceOwnerTag",
            effect=iam.Effect.DENY,
            actions=list(actions.SPACE_TAGGING),
            resources=["*"],
            conditions={"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": [SPACE_OWNER_TAG]}},
        )
    ]


def execution_statements(
    *,
    partition: str,
    region: str,
    account: str,
    key_arn: str | None,
    allowed_instance_types: Sequence[str] | None = None,
    user_data_bucket_arn: str | None = None,
    user_data_prefix: str = "users",
) -> list[iam.PolicyStatement]:
    """The least-privilege statements that let Studio apps work for their own user.

    :param key_arn: the domain's KMS key, whose use apps need for their volumes; ``None`` for an
        AWS-owned key.
    :param allowed_instance_types: when given, apps and spaces with any other instance type are
        denied (``sagemaker:InstanceTypes``); patterns such as ``ml.t3.*`` are allowed.
    :param user_data_bucket_arn: a bucket whose ``<user_data_prefix>/<profile name>/`` prefix each
        user may read and write, keyed on the session's source identity (the domain must set
        ``ExecutionRoleIdentityConfig: USER_PROFILE_NAME``, and the role's trust policy must allow
        ``sts:SetSourceIdentity``).
    """
    own_profile = own_profile_arn(partition, region, account)
    spaces = _arn(partition, region, account, "space/${sagemaker:DomainId}/*")
    apps = _arn(partition, region, account, "app/${sagemaker:DomainId}/*")
    statements = [
        iam.PolicyStatement(sid="StudioRead", actions=list(actions.STUDIO_READ), resources=["*"]),
        iam.PolicyStatement(sid="OwnPresignedUrl", actions=list(actions.PRESIGNED_URL), resources=[own_profile]),
        iam.PolicyStatement(
            sid="TagOnCreate",
            actions=list(actions.TAG_ON_CREATE),
            resources=[_arn(partition, region, account, "*/*")],
            conditions={"Null": {"sagemaker:TaggingAction": "false"}},
        ),
        iam.PolicyStatement(
            sid="SharedSpacesWithoutOwner",
            actions=list(actions.SPACE_WRITE),
            resources=[spaces],
            conditions={"Null": {"sagemaker:OwnerUserProfileArn": "true"}},
        ),
        iam.PolicyStatement(
            sid="SpacesOwnedBySelf",
            actions=list(actions.SPACE_WRITE),
            resources=[spaces],
            conditions={
                "ArnLike": {"sagemaker:OwnerUserProfileArn": own_profile},
                "StringEquals": {"sagemaker:SpaceSharingType": ["Private", "Shared"]},
            },
        ),
        iam.PolicyStatement(
            sid="AppsInOwnPrivateSpaces",
            actions=list(actions.APP_WRITE),
            resources=[apps],
            conditions={
                "ArnLike": {"sagemaker:OwnerUserProfileArn": own_profile},
                "StringEquals": {"sagemaker:SpaceSharingType": ["Private"]},
            },
        ),
        iam.PolicyStatement(
            sid="AppsInSharedSpaces",
            actions=list(actions.APP_WRITE),
            resources=[apps],
            conditions={"StringEquals": {"sagemaker:SpaceSharingType": ["Shared"]}},
        ),
        iam.PolicyStatement(
            sid="DenyOtherUsersPrivateSpaces",
            effect=iam.Effect.DENY,
            actions=[*actions.SPACE_WRITE, *actions.APP_WRITE],
            resources=["*"],
            # denied unless the space is shared or the session's own; both operators are negated,
            # so a request missing either key is denied (fails closed)
            conditions={
                "StringNotEquals": {"sagemaker:SpaceSharingType": "Shared"},
                "ArnNotLike": {"sagemaker:OwnerUserProfileArn": own_profile},
            },
        ),
        *space_owner_tag_denies(),
        iam.PolicyStatement(
            sid="AppLogs",
            actions=list(actions.APP_LOGS),
            resources=[_arn(partition, region, account, "log-group:/aws/sagemaker/*", service="logs")],
        ),
    ]
    if key_arn is not None:
        statements.append(iam.PolicyStatement(sid="DomainKey", actions=list(actions.DOMAIN_KEY_USE), resources=[key_arn]))
    if allowed_instance_types is not None:
        statements += instance_type_denies(allowed_instance_types)
    if user_data_bucket_arn is not None:
        statements += user_data_statements(bucket_arn=user_data_bucket_arn, prefix=user_data_prefix)
    return statements


def instance_type_denies(allowed_instance_types: Sequence[str]) -> list[iam.PolicyStatement]:
    """No app, and no space default, on an instance type outside ``allowed_instance_types``.

    Hiding instance types in the Studio UI is not enforcement; this is. A request that names no
    instance type (an app on the space's default) carries no ``sagemaker:InstanceTypes`` and is
    not denied: the defaults the app sets are checked against the list at synth time.
    """
    return [
        iam.PolicyStatement(
            sid="DenyOtherInstanceTypes",
            effect=iam.Effect.DENY,
            actions=["sagemaker:CreateApp", "sagemaker:CreateSpace", "sagemaker:UpdateSpace"],
            resources=["*"],
            conditions={"ForAnyValue:StringNotLike": {"sagemaker:InstanceTypes": list(allowed_instance_types)}},
        )
    ]


SOURCE_IDENTITY = "${aws:SourceIdentity}"
"""The policy variable Studio fills with the profile name under ``USER_PROFILE_NAME`` identity."""


def user_data_statements(*, bucket_arn: str, prefix: str = "users") -> list[iam.PolicyStatement]:
    """Each user's session reads and writes ``<prefix>/<own profile name>/`` of the bucket, and
    lists only that prefix.

    The key is ``aws:SourceIdentity``, which Studio sets to the bare profile name when the domain
    uses ``ExecutionRoleIdentityConfig: USER_PROFILE_NAME``; a session without one gets nothing.
    """
    own = f"{prefix}/{SOURCE_IDENTITY}"
    has_identity = {"Null": {"aws:SourceIdentity": "false"}}
    return [
        iam.PolicyStatement(
            sid="OwnUserDataList",
            actions=list(actions.USER_DATA_LIST),
            resources=[bucket_arn],
            conditions={**has_identity, "StringLike": {"s3:prefix": [own, f"{own}/*"]}},
        ),
        iam.PolicyStatement(
            sid="OwnUserDataObjects",
            actions=list(actions.USER_DATA_OBJECTS),
            resources=[f"{bucket_arn}/{own}/*"],
            conditions=has_identity,
        ),
    ]
