"""``DomainAdminRole``: a role that runs a Studio domain and cannot get into users' private spaces."""

from __future__ import annotations

import json

import jsii
from aws_cdk import Duration, Stack, Tags
from aws_cdk import aws_iam as iam
from constructs import Construct, IValidation

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies import PERSONA_TAG
from ..policies.admin import AdminSettingsAccess, admin_statements
from ..policies.isolation import (
    image_version_pattern,
    isolation_denies,
    merged,
    nothing_approved_arn,
    self_protection_denies,
    settings_write_denies,
    user_data_denies,
)
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.wildcards import WILDCARD_REASONS
from .domain import StudioDomainBase
from .rendering import lazy_list

BOUNDARY_WHOLE_SERVICES = ("iam", "ecr", "ec2", "s3", "lambda", "states")
"""Services the admin has no job in: the boundary denies every action of each (shorter, and stronger)."""

MANAGED_POLICY_MAX_CHARACTERS = 6144
"""IAM's limit on one managed policy (whitespace not counted)."""


@jsii.implements(IValidation)
class _PolicySize:
    """Synth fails with a clear message when the boundary outgrows a managed policy."""

    def __init__(self, policy: iam.ManagedPolicy) -> None:
        self._policy = policy

    def validate(self) -> list[str]:
        document = Stack.of(self._policy).resolve(self._policy.document.to_json())
        size = len(json.dumps(document, separators=(",", ":")))
        if size <= MANAGED_POLICY_MAX_CHARACTERS:
            return []
        return [
            f"{self._policy.node.path}: the admin boundary has {size} characters, more than the "
            f"{MANAGED_POLICY_MAX_CHARACTERS} of a managed policy; approve fewer lifecycle configs or images "
            "(each approved ARN costs about 100)"
        ]


def _literal(stack: Stack, value: str) -> str:
    """``value`` as a plain string when the stack can resolve it at synth time (a concrete region)."""
    resolved = stack.resolve(value)
    return resolved if isinstance(resolved, str) else value


def admin_denies(
    domain: StudioDomainBase,
    scope: Construct,
    *,
    role_arn: str | None,
    boundary_arn: str | None,
    settings_access: AdminSettingsAccess = AdminSettingsAccess.DIRECT,
) -> list[iam.PolicyStatement]:
    """The isolation and self-protection denies of an admin of ``domain``, with the domain's
    approved lifecycle configs and images read at synth time (profiles and spaces declared later
    still count); the users' data of the domain's ``user_data_bucket``, when it has one; and every
    settings write with ``THROUGH_STACK``."""
    stack = Stack.of(scope)
    partition, region, account = stack.partition, stack.region, stack.account

    def approved_configs() -> list[str]:
        arns = list(getattr(domain, "approved_lifecycle_config_arns", []))
        return arns or [nothing_approved_arn(partition, region, account, "studio-lifecycle-config")]

    def approved_images() -> list[str]:
        return list(getattr(domain, "approved_image_arns", [])) or [nothing_approved_arn(partition, region, account, "image")]

    def approved_versions() -> list[str]:
        images = [_literal(stack, a) for a in getattr(domain, "approved_image_arns", [])]
        return [image_version_pattern(a) for a in images] or [nothing_approved_arn(partition, region, account, "image-version")]

    return [
        *isolation_denies(
            approved_lifecycle_config_arns=lazy_list(approved_configs),
            approved_image_arns=lazy_list(approved_images),
            approved_image_version_arns=lazy_list(approved_versions),
        ),
        *self_protection_denies(role_arn=role_arn, boundary_arn=boundary_arn),
        *(settings_write_denies() if settings_access is AdminSettingsAccess.THROUGH_STACK else []),
        *_user_data_denies(domain),
    ]


def _user_data_denies(domain: StudioDomainBase) -> list[iam.PolicyStatement]:
    """The users' data of a domain made here (its bucket and prefix); of an imported domain, whose
    bucket this app does not know, the default prefix in every bucket (as the SCP does)."""
    if not hasattr(domain, "user_data_bucket"):
        return user_data_denies(bucket_arn=f"arn:{Stack.of(domain).partition}:s3:::*", prefix="users")
    bucket = domain.user_data_bucket
    if bucket is None:
        return []
    return user_data_denies(bucket_arn=bucket.bucket_arn, prefix=getattr(domain, "user_data_prefix", "users"))


class DomainAdminRole(Construct):
    """The ``domain-admin`` persona: an IAM role that runs one Studio domain.

    It changes domain settings; creates, updates and deletes user profiles and shared spaces;
    reads the metadata of everything in the domain; and stops apps (their spaces and files stay).
    It cannot sign in to Studio as anyone, open or change a private space (including those users
    make in Studio), bring new code into spaces (lifecycle configs, images, image pushes, or
    attaching anything outside the app's approved set), pass roles, forge the tags that user access
    relies on or set source identities, assume other roles, open security groups or place anything
    in them, widen IAM users or groups, administer IAM Identity Center, read users' data or rewrite
    bucket policies, run or change the library's functions, state machines and roles, or edit itself.

    Its permissions boundary is an allowlist of exactly the admin actions and holds every deny
    itself, so policies attached to the role later (even ``AdministratorAccess``) cannot widen it.
    The role is tagged ``studio:persona=domain-admin``. See ``docs/security.md`` for what it
    cannot stop.

    :param domain: the domain to administer.
    :param assumed_by: who may assume the role (for example ``iam.AccountRootPrincipal()``, which
        lets the account's IAM policies decide, or a federated principal).
    :param role_name: the role's name. Default: generated by CloudFormation.
    :param max_session_duration: Default: 1 hour.
    :param description: Default: names the domain.
    :param settings_access: ``THROUGH_STACK`` takes every direct write to domain, profile and
        space settings away (they change only through the reviewed stack); see
        :class:`AdminSettingsAccess` for what each mode leaves open. Default: ``DIRECT``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomainBase,
        assumed_by: iam.IPrincipal,
        role_name: str | None = None,
        max_session_duration: Duration | None = None,
        description: str | None = None,
        settings_access: AdminSettingsAccess = AdminSettingsAccess.DIRECT,
    ) -> None:
        collect(
            lambda: limits.check_type("domain", domain, StudioDomainBase, "a StudioDomain"),
            lambda: limits.check_type("assumed_by", assumed_by, iam.IPrincipal, "an iam.IPrincipal"),
            lambda: limits.check_optional_type("role_name", role_name, str, "a role name (str)"),
            lambda: limits.check_cfn("role_name", role_name, "AWS::IAM::Role", "RoleName", "an IAM role name"),
            lambda: limits.check_optional_type("max_session_duration", max_session_duration, Duration, "a Duration"),
            lambda: limits.check_optional_type("description", description, str, "a description (str)"),
            lambda: limits.check_cfn("description", description, "AWS::IAM::Role", "Description", "a role description"),
        )
        if not isinstance(settings_access, AdminSettingsAccess):
            raise StudioConfigError("settings_access", settings_access, "an AdminSettingsAccess: DIRECT or THROUGH_STACK")
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.domain = domain
        self.settings_access = settings_access

        def allows() -> list[iam.PolicyStatement]:
            return admin_statements(
                partition=stack.partition,
                region=stack.region,
                account=stack.account,
                domain_id=domain.domain_id,
                settings_access=settings_access,
            )

        self.boundary = iam.ManagedPolicy(
            self,
            "Boundary",
            description="Permissions boundary of a SageMaker Studio domain admin: the admin actions, and the denies "
            "that keep it out of private spaces",
            statements=[
                *allows(),
                *merged(
                    admin_denies(domain, self, role_arn=None, boundary_arn=None, settings_access=settings_access),
                    whole_services=BOUNDARY_WHOLE_SERVICES,
                ),
            ],
        )
        """The permissions boundary: the admin allowlist plus every deny (every IAM and ECR action,
        on all roles and policies)."""
        self.node.add_validation(_PolicySize(self.boundary))
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=assumed_by,
            role_name=role_name,
            max_session_duration=max_session_duration,
            permissions_boundary=self.boundary,
            description=description or f"SageMaker Studio domain admin of {domain.node.path}: no access to private spaces",
        )
        """The role; its identity policy repeats the allows and denies, the self-edit ones naming it."""
        Tags.of(self.role).add(PERSONA_TAG, "domain-admin")
        for statement in [
            *allows(),
            *admin_denies(
                domain,
                self,
                role_arn=self.role.role_arn,
                boundary_arn=self.boundary.managed_policy_arn,
                settings_access=settings_access,
            ),
        ]:
            self.role.add_to_principal_policy(statement)
        acknowledge_wildcards(self, allows(), WILDCARD_REASONS)  # the boundary's and the role's
        acknowledge_inline_policy(self.role)

    @property
    def role_arn(self) -> str:
        """The role's ARN."""
        return self.role.role_arn


def grant_admin(
    domain: StudioDomainBase, grantee: iam.IGrantable, settings_access: AdminSettingsAccess = AdminSettingsAccess.DIRECT
) -> iam.Grant:
    """What :meth:`StudioDomainBase.grant_admin` does: admin allows and isolation denies as
    identity statements of ``grantee``. Without a boundary to protect, the self-protection denies
    cover every role and managed policy (the user-access and execution roles, not only the
    grantee's own), as the boundary of :class:`DomainAdminRole` does."""
    if not isinstance(settings_access, AdminSettingsAccess):
        raise StudioConfigError("settings_access", settings_access, "an AdminSettingsAccess: DIRECT or THROUGH_STACK")
    principal = grantee.grant_principal
    stack = Stack.of(domain)
    allows = admin_statements(
        partition=stack.partition,
        region=stack.region,
        account=stack.account,
        domain_id=domain.domain_id,
        settings_access=settings_access,
    )
    grant: iam.Grant | None = None
    for statement in allows:
        json = statement.to_statement_json()
        next_grant = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=statement.actions,
            resource_arns=statement.resources,
            conditions=json.get("Condition"),
        )
        grant = next_grant if grant is None else grant.combine(next_grant)
    for statement in admin_denies(domain, domain, role_arn=None, boundary_arn=None, settings_access=settings_access):
        added = principal.add_to_principal_policy(statement)
        # an immutable imported role says "added" and drops the statement: look for the policy it went to
        node = getattr(principal, "node", None)
        has_policy = node is not None and any(isinstance(c, iam.Policy) for c in node.children)
        if not added.statement_added or not has_policy:
            raise StudioConfigError(
                "grantee",
                principal.to_string() if hasattr(principal, "to_string") else str(principal),
                "a principal whose identity policy this app can change (a Role, User or Group made here, or "
                "imported with mutable=True): without it the isolation denies would be missing",
            )
    assert grant is not None
    if isinstance(principal, Construct):
        acknowledge_wildcards(principal, allows, WILDCARD_REASONS)
    if not grant.success:
        raise StudioConfigError("grantee", str(principal), "a principal whose identity policy this app can change")
    return grant
