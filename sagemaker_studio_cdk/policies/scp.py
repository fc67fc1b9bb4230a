"""Optional service control policies: the admin isolation denies, account-wide, and the guards
on the tags, sessions, roles and functions the isolation relies on.

Attach them in AWS Organizations to the accounts (or OUs) that hold Studio domains. They apply to
every principal tagged ``studio:persona=domain-admin``, however the principal was made and
whatever policies it has; and to everyone but the CDK deploy role, they refuse setting the two
tags the isolation relies on (in any letter case, on principals and on sessions), changing a
library role, and invoking or changing a library function or state machine. They cannot know the
app's approved lifecycle configs and images, so instead of denying unapproved attachments they
deny making new ones at all; the identity and boundary policies of
:class:`~sagemaker_studio_cdk.DomainAdminRole` still do the former.

AWS Organizations limits one SCP to 5,120 characters and a target to 5 SCPs (``FullAWSAccess``
usually takes one); :func:`service_control_policies` splits the statements into as few documents
as fit. ``docs/service-control-policy-<n>.json`` are those documents as files; a test keeps them
equal to the builder and within the limit.
"""

from __future__ import annotations

import json
from typing import Any

from . import actions
from .personas import CLEANUP, DOMAIN_ADMIN, MLFLOW_APP_FUNCTION, PERSONA_TAG, SETTINGS, SPACE_OWNER_TAG
from .user_access import USER_PROFILE_TAG

SCP_MAX_CHARACTERS = 5120
"""AWS Organizations' limit on the size of one service control policy."""

SCPS_PER_TARGET = 5
"""AWS Organizations' limit on the SCPs attached to one root, OU or account (``FullAWSAccess`` included)."""

CDK_DEPLOY_ROLE_PATTERN = "arn:*:iam::*:role/cdk-*-cfn-exec-role-*"
"""The CloudFormation execution role of ``cdk bootstrap``: the one principal that tags roles."""


def service_control_policy(
    *,
    admin_persona: str = DOMAIN_ADMIN,
    protected_tag_keys: tuple[str, ...] = (PERSONA_TAG, USER_PROFILE_TAG),
    tagger_arn_pattern: str = CDK_DEPLOY_ROLE_PATTERN,
    user_data_prefixes: tuple[str, ...] = ("users",),
) -> dict[str, Any]:
    """Every statement, as one policy document (it may exceed one SCP: see :func:`service_control_policies`).

    :param admin_persona: the ``studio:persona`` value of the principals it restricts.
    :param protected_tag_keys: tags only ``tagger_arn_pattern`` may set or remove on IAM roles and
        users, compared without regard to letter case (IAM tag keys are case-insensitive).
    :param tagger_arn_pattern: who may set them, and change library roles and functions: the CDK
        deploy role by default.
    :param user_data_prefixes: the key prefixes of users' data (``StudioDomain(user_data_prefix=...)``),
        in any bucket, that admins may not read or change. Default: ``users``.
    """
    is_admin = {"StringEquals": {f"aws:PrincipalTag/{PERSONA_TAG}": admin_persona}}
    not_deployer = {"ArnNotLike": {"aws:PrincipalArn": tagger_arn_pattern}}
    persona_resource = {"Null": {f"aws:ResourceTag/{PERSONA_TAG}": "false"}}
    profile_tag = {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": [USER_PROFILE_TAG]}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "StudioAdminNoSignInCodeOrNetwork",
                "Effect": "Deny",
                "Action": [
                    *actions.SIGN_IN_AS_USER,
                    *actions.REMOTE_ACCESS,
                    *actions.CODE_SUPPLY,
                    *actions.IMAGE_PUSH,
                    *actions.SECURITY_GROUP_OPENING,
                    *actions.NETWORK_PLACEMENT,
                    *actions.IDENTITY_CENTER,
                    *actions.BUCKET_POLICY_EDIT,
                    *actions.FUNCTION_BINDING,
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
                "Sid": "StudioAdminNoSecurityGroupSettings",
                "Effect": "Deny",
                "Action": list(actions.SETTINGS_THAT_ATTACH_SECURITY_GROUPS),
                "Resource": "*",
                "Condition": {**is_admin, "Null": {"sagemaker:VpcSecurityGroupIds": "false"}},
            },
            {
                "Sid": "StudioAdminNoIdentityChanges",
                "Effect": "Deny",
                "Action": [
                    *actions.ROLE_USE,
                    *actions.IDENTITY_FORGERY,
                    *actions.SOURCE_IDENTITY_SETTING,
                    *actions.ROLE_ASSUMPTION,
                    *actions.ROLE_SELF_EDIT,
                    *actions.POLICY_VERSIONS,
                    *actions.PRINCIPAL_CREATION,
                    *actions.USER_BOUNDARY_EDIT,
                    *actions.USER_AND_GROUP_WIDENING,
                ],
                "Resource": "*",
                "Condition": is_admin,
            },
            {
                "Sid": "StudioAdminNoUsersData",
                "Effect": "Deny",
                "Action": list(actions.USER_DATA_READ_WRITE),
                "Resource": [f"arn:*:s3:::*/{prefix}/*" for prefix in user_data_prefixes],
                "Condition": is_admin,
            },
            {
                "Sid": "StudioTagsOnlyByDeployer",
                "Effect": "Deny",
                "Action": ["iam:TagRole", "iam:UntagRole", "iam:TagUser", "iam:UntagUser", "iam:CreateRole", "iam:CreateUser"],
                "Resource": "*",
                "Condition": {
                    "ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": list(protected_tag_keys)},
                    **not_deployer,
                },
            },
            {
                "Sid": "StudioSpaceOwnerTagOnlyByDeployer",
                "Effect": "Deny",
                "Action": list(actions.SPACE_TAGGING),
                "Resource": "*",
                "Condition": {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": [SPACE_OWNER_TAG]}, **not_deployer},
            },
            {
                "Sid": "StudioNoPersonaSessionTags",
                "Effect": "Deny",
                "Action": ["sts:TagSession"],
                "Resource": "*",
                "Condition": {"ForAnyValue:StringEqualsIgnoreCase": {"aws:TagKeys": [PERSONA_TAG]}},
            },
            {
                "Sid": "StudioProfileSessionTagOnlyOwn",
                "Effect": "Deny",
                "Action": ["sts:TagSession"],
                "Resource": "*",
                "Condition": {
                    **profile_tag,
                    "StringNotEquals": {f"aws:RequestTag/{USER_PROFILE_TAG}": f"${{aws:PrincipalTag/{USER_PROFILE_TAG}}}"},
                },
            },
            {
                "Sid": "StudioProfileSessionTagNeedsOwn",
                "Effect": "Deny",
                "Action": ["sts:TagSession"],
                "Resource": "*",
                "Condition": {**profile_tag, "Null": {f"aws:PrincipalTag/{USER_PROFILE_TAG}": "true"}},
            },
            {
                "Sid": "StudioLibraryRolesOnlyByDeployer",
                "Effect": "Deny",
                "Action": [a for a in actions.ROLE_TAMPERING if a != "iam:PassRole"],
                "Resource": "*",
                "Condition": {**persona_resource, **not_deployer},
            },
            {
                "Sid": "StudioLibraryFunctionsOnlyByDeployer",
                "Effect": "Deny",
                "Action": [*actions.FUNCTION_TAMPERING, *actions.STATE_MACHINE_TAMPERING],
                "Resource": "*",
                "Condition": {
                    **persona_resource,
                    **not_deployer,
                    # the provider frameworks of the library's custom resources invoke their own handlers
                    "StringNotEquals": {f"aws:PrincipalTag/{PERSONA_TAG}": [CLEANUP, MLFLOW_APP_FUNCTION, SETTINGS]},
                },
            },
        ],
    }


def minified_size(policy: dict[str, Any]) -> int:
    """The policy's size as AWS Organizations counts it: minified JSON."""
    return len(json.dumps(policy, separators=(",", ":")))


def service_control_policies(**options: Any) -> list[dict[str, Any]]:
    """:func:`service_control_policy`'s statements split, in order, into as few documents as fit
    within :data:`SCP_MAX_CHARACTERS` each (minified). Attach every one to the same target.

    :raises ValueError: more documents than a target can hold beside ``FullAWSAccess``.
    """
    whole = service_control_policy(**options)
    documents: list[dict[str, Any]] = []
    for statement in whole["Statement"]:
        if (
            documents
            and minified_size({**documents[-1], "Statement": [*documents[-1]["Statement"], statement]}) <= SCP_MAX_CHARACTERS
        ):
            documents[-1]["Statement"].append(statement)
        else:
            documents.append({"Version": whole["Version"], "Statement": [statement]})
    if len(documents) > SCPS_PER_TARGET - 1:
        raise ValueError(f"{len(documents)} SCPs: a target holds {SCPS_PER_TARGET}, FullAWSAccess included")
    return documents


def render(policy: dict[str, Any]) -> str:
    """The policy as the file ships it: one statement a line, no other whitespace."""
    statements = ",\n".join(json.dumps(s, separators=(",", ":")) for s in policy["Statement"])
    return f'{{"Version":"{policy["Version"]}","Statement":[\n{statements}\n]}}\n'
