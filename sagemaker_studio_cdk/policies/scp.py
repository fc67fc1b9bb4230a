"""An optional service control policy: the admin isolation denies, account-wide.

Attach it in AWS Organizations to the accounts (or OUs) that hold Studio domains. It applies to
every principal tagged ``studio:persona=domain-admin``, however the principal was made and
whatever policies it has, and it keeps anyone but the CDK deploy role from changing the two tags
the isolation relies on. It cannot know the app's approved lifecycle configs and images, so
instead of denying unapproved attachments it denies making new ones at all; the identity and
boundary policies of :class:`~sagemaker_studio_cdk.DomainAdminRole` still do the former.

``docs/service-control-policy.json`` is this policy as a file; a test keeps the two equal and
within the 5,120-character limit of SCPs.
"""

from __future__ import annotations

import json
from typing import Any

from . import actions
from .personas import DOMAIN_ADMIN, PERSONA_TAG
from .user_access import USER_PROFILE_TAG

SCP_MAX_CHARACTERS = 5120
"""AWS Organizations' limit on the size of one service control policy."""

CDK_DEPLOY_ROLE_PATTERN = "arn:*:iam::*:role/cdk-*-cfn-exec-role-*"
"""The CloudFormation execution role of ``cdk bootstrap``: the one principal that tags roles."""


def service_control_policy(
    *,
    admin_persona: str = DOMAIN_ADMIN,
    protected_tag_keys: tuple[str, ...] = (PERSONA_TAG, USER_PROFILE_TAG),
    tagger_arn_pattern: str = CDK_DEPLOY_ROLE_PATTERN,
) -> dict[str, Any]:
    """The SCP as a policy document.

    :param admin_persona: the ``studio:persona`` value of the principals it restricts.
    :param protected_tag_keys: tags only ``tagger_arn_pattern`` may set or remove on IAM roles and users.
    :param tagger_arn_pattern: who may set them: the CDK deploy role by default.
    """
    is_admin = {"StringEquals": {f"aws:PrincipalTag/{PERSONA_TAG}": admin_persona}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StudioAdminNoSignInOrCode",
                "Effect": "Deny",
                "Action": [
                    *actions.SIGN_IN_AS_USER,
                    *actions.REMOTE_ACCESS,
                    *actions.CODE_SUPPLY,
                    *actions.IMAGE_PUSH,
                ],
                "Resource": "*",
                "Condition": is_admin,
            },
            {
                "Sid": "StudioAdminNoPrivateSpaces",
                "Effect": "Deny",
                "Action": list(actions.PRIVATE_SPACE_ENTRY),
                "Resource": "*",
                "Condition": {**is_admin, "StringNotEquals": {"sagemaker:SpaceSharingType": "Shared"}},
            },
            {
                "Sid": "StudioAdminNoIdentityChanges",
                "Effect": "Deny",
                "Action": [
                    *actions.ROLE_USE,
                    *actions.IDENTITY_FORGERY,
                    *actions.ROLE_ASSUMPTION,
                    *actions.ROLE_SELF_EDIT,
                    *actions.POLICY_VERSIONS,
                    *actions.PRINCIPAL_CREATION,
                    *actions.USER_BOUNDARY_EDIT,
                ],
                "Resource": "*",
                "Condition": is_admin,
            },
            {
                "Sid": "StudioTagsOnlyByDeployer",
                "Effect": "Deny",
                "Action": ["iam:TagRole", "iam:UntagRole", "iam:TagUser", "iam:UntagUser", "iam:CreateRole", "iam:CreateUser"],
                "Resource": "*",
                "Condition": {
                    "ForAnyValue:StringEquals": {"aws:TagKeys": list(protected_tag_keys)},
                    "ArnNotLike": {"aws:PrincipalArn": tagger_arn_pattern},
                },
            },
        ],
    }


def render(policy: dict[str, Any]) -> str:
    """The policy as the file ships it: one statement a line, no other whitespace."""
    statements = ",\n".join(json.dumps(s, separators=(",", ":")) for s in policy["Statement"])
    return f'{{"Version":"{policy["Version"]}","Statement":[\n{statements}\n]}}\n'
