"""Statements of the ``execution`` persona: the role Studio apps run as.

Owner-only access to private spaces follows AWS's documented policy for Studio users: a user's
session can create, change and delete only the spaces it owns or shared ones, and start or stop
apps only in those. Studio fills ``${sagemaker:DomainId}`` and ``${sagemaker:UserProfileName}``
for the session, so one role serves every user without naming any of them (and without a
dependency cycle between the role and the domain that uses it).
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from . import actions


def _arn(partition: str, region: str, account: str, resource: str, service: str = "sagemaker") -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def own_profile_arn(partition: str, region: str, account: str) -> str:
    """The ARN of the calling user's own profile, as policy variables."""
    return _arn(partition, region, account, "user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}")


def execution_statements(*, partition: str, region: str, account: str, key_arn: str | None) -> list[iam.PolicyStatement]:
    """The least-privilege statements that let Studio apps work for their own user.

    :param key_arn: the domain's KMS key, whose use apps need for their volumes; ``None`` for an
        AWS-owned key.
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
            sid="AppLogs",
            actions=list(actions.APP_LOGS),
            resources=[_arn(partition, region, account, "log-group:/aws/sagemaker/*", service="logs")],
        ),
    ]
    if key_arn is not None:
        statements.append(iam.PolicyStatement(sid="DomainKey", actions=list(actions.DOMAIN_KEY_USE), resources=[key_arn]))
    return statements
