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
from .execution import sagemaker_arn, space_owner_tag_denies
from .personas import SPACE_OWNER_TAG

USER_PROFILE_TAG = "studio:user-profile"
"""The principal tag that names the profile a person may sign in as."""


def user_access_statements(
    *, partition: str, region: str, account: str, domain_id: str, tag_key: str = USER_PROFILE_TAG
) -> list[iam.PolicyStatement]:
    """``CreatePresignedDomainUrl`` for the profile the caller's principal tag names, and
    ``StartSession`` (remote access from a local IDE) into the spaces of the domain tagged
    ``studio:space-owner`` with that same name, nothing more.

    Without the tag the policy variable has no value, and the ``Null`` condition makes sure the
    statements grant nothing. ``StartSession`` carries no SageMaker key, so the space's owner tag
    (written by the library on every private space it declares, settable by nobody else) is what
    tells the owner's space from another's; a space without it (made in Studio, or shared) gets no
    remote session, and the Deny fails closed against any other Allow the principal holds.
    """
    own = f"${{aws:PrincipalTag/{tag_key}}}"
    return [
        iam.PolicyStatement(
            sid="SignInAsOwnProfile",
            actions=list(actions.PRESIGNED_URL),
            resources=[sagemaker_arn(partition, region, account, f"user-profile/{domain_id}/${{aws:PrincipalTag/{tag_key}}}")],
            conditions={"Null": {f"aws:PrincipalTag/{tag_key}": "false"}},
        ),
        iam.PolicyStatement(
            sid="RemoteSessionIntoOwnSpaces",
            actions=list(actions.REMOTE_ACCESS),
            resources=[sagemaker_arn(partition, region, account, f"space/{domain_id}/*")],
            conditions={
                "StringEquals": {f"aws:ResourceTag/{SPACE_OWNER_TAG}": own},
                "Null": {f"aws:PrincipalTag/{tag_key}": "false"},
            },
        ),
        iam.PolicyStatement(
            sid="DenyRemoteSessionUnlessOwner",
            effect=iam.Effect.DENY,
            actions=list(actions.REMOTE_ACCESS),
            resources=["*"],
            # negated: a space without the owner tag, or a caller without the profile tag, is denied
            conditions={"StringNotEquals": {f"aws:ResourceTag/{SPACE_OWNER_TAG}": own}},
        ),
        *space_owner_tag_denies(),
    ]
