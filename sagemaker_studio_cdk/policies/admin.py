"""Statements of the ``domain-admin`` persona: what running a Studio domain needs, and no more.

The admin manages the domain's settings, its user profiles and its shared spaces, reads the
metadata of everything in the domain, and stops apps that run away (stopping an app keeps its
space and files). Everything else, and in particular every way into a private space, is left
out here and denied by :mod:`.isolation`.
"""

from __future__ import annotations

from enum import Enum

from aws_cdk import aws_iam as iam

from . import actions
from .execution import sagemaker_arn


class AdminSettingsAccess(Enum):
    """How a domain admin changes domain, profile and space settings."""

    DIRECT = "direct"
    """``UpdateDomain``, ``Create/UpdateUserProfile`` and ``Create/UpdateSpace`` (shared spaces),
    with every setting that carries a condition key filtered (approved lifecycle configs and images,
    no security groups). Settings without a key (a built-in lifecycle config, custom images by name,
    an S3 mount's path, file systems) are the admin's to choose."""
    THROUGH_STACK = "through-stack"
    """No direct write to any of those settings at all (they are denied): they change only through
    the reviewed stack. The admin still reads everything, stops apps, and deletes profiles and
    shared spaces."""


def admin_statements(
    *,
    partition: str,
    region: str,
    account: str,
    domain_id: str,
    settings_access: AdminSettingsAccess = AdminSettingsAccess.DIRECT,
) -> list[iam.PolicyStatement]:
    """The allow statements of a domain admin, scoped to one domain.

    ``AdminDomain`` lists each action with every resource of the domain; an action applies only
    to its own resource type (``UpdateDomain`` to the domain's ARN, ``DeleteApp`` to app ARNs), so
    one statement says the same as one per type, in fewer of the 6,144 characters a managed
    policy (the boundary) may hold.

    :param domain_id: the domain's id (``d-...``, or a token).
    :param settings_access: with ``THROUGH_STACK``, no settings writes are allowed (and
        :func:`.isolation.settings_write_denies` denies them). Default: ``DIRECT``.
    """

    def arn(resource: str) -> str:
        return sagemaker_arn(partition, region, account, resource)

    domain = arn(f"domain/{domain_id}")
    profiles = arn(f"user-profile/{domain_id}/*")
    spaces = arn(f"space/{domain_id}/*")
    apps = arn(f"app/{domain_id}/*")
    direct = settings_access is AdminSettingsAccess.DIRECT
    domain_actions = [*actions.DOMAIN_ADMIN, *actions.PROFILE_ADMIN] if direct else ["sagemaker:DeleteUserProfile"]
    shared_space_actions = list(actions.SHARED_SPACE_ADMIN) if direct else ["sagemaker:DeleteSpace"]
    return [
        iam.PolicyStatement(sid="AdminList", actions=list(actions.STUDIO_LIST), resources=["*"]),
        iam.PolicyStatement(
            sid="AdminDomain",
            actions=[*actions.STUDIO_DESCRIBE, *domain_actions, *actions.APP_STOP],
            resources=[domain, profiles, spaces, apps],
        ),
        iam.PolicyStatement(
            # the account's (and AWS's) images and configs, which belong to no one domain; on "*"
            # because the four ARN patterns would cost a tenth of the boundary's 6,144 characters
            sid="AdminDescribeCode",
            actions=list(actions.STUDIO_DESCRIBE_SHARED_OBJECTS),
            resources=["*"],
        ),
        iam.PolicyStatement(
            sid="AdminSharedSpaces",
            actions=shared_space_actions,
            resources=[spaces],
            conditions={"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        ),
        iam.PolicyStatement(
            sid="AdminTagOnCreate",
            actions=list(actions.TAG_ON_CREATE),
            resources=[profiles, spaces],
            conditions={"StringEquals": {"sagemaker:TaggingAction": ["CreateUserProfile", "CreateSpace"]}},
        ),
    ]
