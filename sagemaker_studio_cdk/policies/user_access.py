"""Statements of the ``user-access`` persona: the people who open Studio.

Attribute-based access: a person's IAM principal (a role session, or an IAM user) carries the
tag :data:`USER_PROFILE_TAG` with the name of their own profile, and may sign in to Studio as
that profile only. One policy serves every person; nobody's name is written into it.

This applies to IAM-mode domains. In an SSO-mode domain people sign in through IAM Identity
Center, which maps each Identity Center user to its profile itself; ``CreatePresignedDomainUrl``
is not how they get in, and this policy is not needed (see ``docs/security.md``).
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from . import actions
from .execution import sagemaker_arn

USER_PROFILE_TAG = "studio:user-profile"
"""The principal tag that names the profile a person may sign in as."""


def user_access_statements(
    *, partition: str, region: str, account: str, domain_id: str, tag_key: str = USER_PROFILE_TAG
) -> list[iam.PolicyStatement]:
    """``CreatePresignedDomainUrl`` for the profile the caller's principal tag names, nothing more.

    Without the tag the policy variable has no value, and the ``Null`` condition makes sure the
    statement grants nothing.
    """
    return [
        iam.PolicyStatement(
            sid="SignInAsOwnProfile",
            actions=list(actions.PRESIGNED_URL),
            resources=[sagemaker_arn(partition, region, account, f"user-profile/{domain_id}/${{aws:PrincipalTag/{tag_key}}}")],
            conditions={"Null": {f"aws:PrincipalTag/{tag_key}": "false"}},
        )
    ]
