"""``StudioDomainStack``: a domain from a spec, its users in nested user stacks.

Users and their private spaces never live in the domain's stack. Each user goes to the nested
stack of its ``group``, or, without one, where the roster records it or the library places it
(``placement.py``); shared spaces live in the domain's stack (those the roster records there) or
in nested ``SharedSpaces-<n>`` stacks. Nothing moves between stacks once placed. Every nested
stack stays within CloudFormation's limits (:data:`~sagemaker_studio_cdk.placement.STACK_LIMITS`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aws_cdk import Annotations, CfnOutput, CfnResource, Duration, NestedStack, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from .. import limits, placement
from ..constructs.admin_role import DomainAdminRole
from ..constructs.api_settings import needs_settings
from ..constructs.cleanup import DomainCleanup, HomeEfsRetention
from ..constructs.custom_image import CustomImage
from ..constructs.domain import StudioDomain
from ..constructs.efs_mount import EfsMount
from ..constructs.image import StudioImage
from ..constructs.lifecycle_config import LifecycleConfig
from ..constructs.settings import AuthMode, SpaceSharing
from ..constructs.space import SPACE_RESOURCES, Space
from ..constructs.user_access import UserAccessPolicy
from ..constructs.user_profile import UserProfile, profile_resources
from ..errors import StudioConfigError, collect
from ..placement import (
    DOMAIN_STACK,
    SETTINGS_RESERVE,
    STACK_LIMITS,
    Cost,
    Placement,
    capacity,
    group_of_stack,
    group_stack_id,
    is_shared_spaces_stack,
    oversized,
    place,
)
from ..policies.nag import acknowledge
from ..roster import Roster, RosterCheck, apply_deployed_settings
from ..spec import CustomImageSpec, FileSystemSpec, SpaceSpec, StudioSpec, UserSpec, is_custom_image_ref, to_image
from ..spec_settings import domain_kwargs, space_image, user_kwargs
from .network import ExistingVpc
from .spec_options import SpecOptions
from .workbench import Workbench, add_workbench

MAX_RESOURCES_PER_STACK = STACK_LIMITS.resources
"""CloudFormation's limit of resources in one stack."""

MAX_USERS_PER_GROUP = capacity(Cost(profile_resources(security_group_per_user=False) + SPACE_RESOURCES, SETTINGS_RESERVE))
"""Users with one private space each (no security group per user, short names) that the library
puts in one group: their resources and the room kept for settings within
:data:`~sagemaker_studio_cdk.placement.STACK_LIMITS` (162). Placement computes each group's room
from what its users really make."""

ROSTER_WARNING = "sagemaker-studio-cdk:roster-out-of-date"
"""The id of the synth warning on users or spaces the roster does not record yet."""


class UserGroupStack(NestedStack):
    """A nested stack holding one group of users and their private spaces."""

    def __init__(self, scope: Construct, construct_id: str, *, group: str) -> None:
        super().__init__(scope, construct_id, description=f"SageMaker Studio users of group {group}")
        self.group = group
        self.users_scope = Construct(self, "Users")
        """Where the group's user profiles go."""
        self.spaces_scope = Construct(self, "Spaces")
        """Where the group's private spaces go."""


class SharedSpaceStack(NestedStack):
    """A nested stack holding shared spaces the roster placed there (``SharedSpaces-<n>``)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id, description=f"SageMaker Studio shared spaces ({construct_id})")
        self.spaces_scope = Construct(self, "Spaces")
        """Where the stack's shared spaces go."""


class StudioDomainStack(Stack):
    """A Studio domain declared by a :class:`StudioSpec`, with users in nested stacks, one per
    group, and shared spaces in this stack or nested ``SharedSpaces-<n>`` stacks (see
    ``placement.py``).

    :param spec: the domain spec.
    :param vpc: the VPC, or an :class:`ExistingVpc` to import.
    :param subnets: the subnets of ``vpc`` for apps. Default: its private subnets.
    :param per_user_data: make a ``UserData`` bucket (retained) in which each user reads and writes
        only ``users/<own profile name>/``, keyed on the session's source identity (see
        :class:`StudioDomain` ``user_data_bucket``). Default: on.
    :param admins: who may assume the :class:`DomainAdminRole` (and, in an IAM domain, the
        user-access role). Default: the account's IAM principals whose own policies allow it.
    :param roster: check the spec against the committed roster first (see ``roster.py``): a user
        or space removed but not retired, a retired name declared again or a moved user is a
        :class:`StudioConfigError`; users or spaces not recorded yet are a warning, or an error
        with ``ci``. Users without a ``group`` and shared spaces stay in the stack the roster
        records, and new ones are placed by the library. Default: no check, and users without a
        ``group`` all in ``users`` and shared spaces in this stack, as in release 0.1.0.

    The stack also makes a ``DomainAdmin`` role kept out of private spaces, and in an IAM-mode
    domain a ``UserAccess`` managed policy and role (sign in as the profile one's principal tag
    names); see ``docs/security.md``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: StudioSpec,
        vpc: ec2.IVpc | ExistingVpc,
        subnets: ec2.SubnetSelection | None = None,
        per_user_data: bool = True,
        admins: iam.IPrincipal | None = None,
        roster: RosterCheck | None = None,
        **kwargs: Any,
    ) -> None:
        collect(
            lambda: limits.check_type("spec", spec, StudioSpec, "a StudioSpec (load_spec or parse_spec)"),
            lambda: limits.check_type("vpc", vpc, (ExistingVpc, ec2.IVpc), "an ec2.IVpc or an ExistingVpc"),
            lambda: limits.check_optional_type("subnets", subnets, ec2.SubnetSelection, "an ec2.SubnetSelection"),
            lambda: limits.check_type("per_user_data", per_user_data, bool, "True or False"),
            lambda: limits.check_optional_type("admins", admins, iam.IPrincipal, "an iam.IPrincipal"),
            lambda: limits.check_optional_type("roster", roster, RosterCheck, "a RosterCheck"),
        )
        out_of_date, placed = roster.check_and_place(spec) if roster is not None else (None, place(spec, None))
        self.placement: Placement = placed
        """The stack of every user and space (see ``placement.py``)."""
        if roster is None:
            problems = oversized(self.placement)
            if problems:
                raise StudioConfigError.combine(problems)
        super().__init__(scope, construct_id, **kwargs)
        if out_of_date:
            Annotations.of(self).add_warning_v2(ROSTER_WARNING, out_of_date)
        self.user_data_bucket: s3.Bucket | None = (
            s3.Bucket(
                self,
                "UserData",
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                encryption=s3.BucketEncryption.S3_MANAGED,
                enforce_ssl=True,
                versioned=True,
                removal_policy=RemovalPolicy.RETAIN,
            )
            if per_user_data
            else None
        )
        if self.user_data_bucket is not None:
            _acknowledge_user_data_findings(self.user_data_bucket)
        if isinstance(vpc, ExistingVpc):
            vpc = vpc.import_into(self, "Vpc")
        d = spec.domain
        lifecycle_scope = Construct(self, "LifecycleConfigs")
        self.lifecycle_configs: dict[str, LifecycleConfig] = {}
        for i, c in enumerate(spec.lifecycle_configs):
            with located(spec, "lifecycle_configs", i):
                self.lifecycle_configs[c.name] = LifecycleConfig(
                    lifecycle_scope, c.name, app_type=c.app_type, script=c.content, tags=c.tags
                )
        image_scope = Construct(self, "CustomImages")
        self.custom_images: dict[str, CustomImage] = {}
        for i, image in enumerate(spec.custom_images):
            with located(spec, "custom_images", i):
                self.custom_images[image.name] = self._custom_image(image_scope, image)
        with located(spec, "domain"):
            self.domain = self._domain(spec, vpc, subnets)
        file_system_scope = Construct(self, "FileSystems")
        self.file_systems: dict[str, EfsMount] = {}
        for i, f in enumerate(spec.file_systems):
            with located(spec, "file_systems", i):
                self.file_systems[f.name] = EfsMount(
                    file_system_scope, f.name, domain=self.domain, file_system=self._existing_file_system(f)
                )
        for i, mount in enumerate(d.file_systems):
            with located(spec, "domain", "file_systems", i):
                self.domain.add_file_system(self.file_systems[mount.name], mount.path)
        self.user_groups: dict[str, UserGroupStack] = {}
        self.shared_space_stacks: dict[str, SharedSpaceStack] = {}
        """The nested stacks of shared spaces, by construct id."""
        self.users: dict[str, UserProfile] = {}
        for i, user in enumerate(spec.users):
            with located(spec, "users", i):
                self.users[user.name] = self._add_user(user)
        if roster is not None:  # what is deployed: the settings resource never moves a block CloudFormation writes
            apply_deployed_settings(Roster.load(roster.path), self.domain, spec.domain.name)
        self._check_shared_spaces(spec)
        self.spaces: dict[str, Space] = {}
        for i, space in enumerate(spec.spaces):
            with located(spec, "spaces", i):
                self.spaces[space.name] = self._add_space(space)
        self._check_group_sizes(spec)
        self.cleanup: DomainCleanup | None = (
            DomainCleanup(
                self,
                "Cleanup",
                domain=self.domain,
                delete_unmanaged_spaces=d.cleanup.delete_unmanaged_spaces,
                timeout=Duration.minutes(d.cleanup.timeout_minutes),
                home_efs_retention=d.home_efs_retention or HomeEfsRetention.RETAIN,
            )
            if d.cleanup.enabled
            else None
        )
        """With ``domain.cleanup.enabled``: the :class:`DomainCleanup`, run before every user stack
        and shared space is deleted."""
        with located(spec, "mlflow"):
            self.workbench: Workbench = add_workbench(self, self.domain, spec.mlflow, spec.feature_store)
            """The spec's MLflow Apps and tracking servers."""
        principals = admins or iam.AccountRootPrincipal()
        self.admin = DomainAdminRole(self, "DomainAdmin", domain=self.domain, assumed_by=principals)
        self.user_access: UserAccessPolicy | None = (
            UserAccessPolicy(self, "UserAccess", domain=self.domain, assumed_by=principals)
            if d.auth_mode is AuthMode.IAM
            else None
        )

        CfnOutput(self, "DomainId", value=self.domain.domain_id, description="the Studio domain's id")
        CfnOutput(self, "DomainUrl", value=self.domain.url, description="the Studio domain's URL")
        CfnOutput(self, "DomainAdminRoleArn", value=self.admin.role_arn, description="the domain admin's role")
        self._check_stack_size(spec)

    def _domain(self, spec: StudioSpec, vpc: ec2.IVpc, subnets: ec2.SubnetSelection | None) -> StudioDomain:
        d = spec.domain
        self._spec_settings = SpecOptions(self, self._image, self._configs)
        return StudioDomain(
            self,
            "Domain",
            vpc=vpc,
            subnets=subnets,
            domain_name=d.name,
            auth_mode=d.auth_mode,
            app_network_access=d.app_network_access,
            security_group_per_user=d.security_group_per_user,
            app_defaults=d.app_defaults,
            ebs=d.ebs,
            idle_shutdown=d.idle_shutdown,
            **domain_kwargs(self, d, self._image(d.default_image)),
            posix_user=d.posix_user,
            lifecycle_configs=self._configs(d.lifecycle_configs),
            default_lifecycle_configs=self._configs(d.default_lifecycle_configs),
            custom_images=[self.custom_images[name] for name in d.custom_images],
            built_in_lifecycle_configs=self._configs(d.built_in_lifecycle_configs),
            code_repositories=d.code_repositories,
            portal=d.portal,
            rstudio=d.rstudio.settings(self.custom_images, self._image) if d.rstudio else None,
            app_security_group_management=d.app_security_group_management,
            allowed_instance_types=d.allowed_instance_types,
            user_data_bucket=self.user_data_bucket,
            tags=d.tags,
            **self._spec_settings.domain(d),
        )

    def _group(self, stack_id: str) -> UserGroupStack:
        name = group_of_stack(stack_id)
        assert name is not None, stack_id  # placement puts users only in user group stacks
        if name not in self.user_groups:
            self.user_groups[name] = UserGroupStack(self, group_stack_id(name), group=name)
        return self.user_groups[name]

    def _space_scope(self, stack_id: str) -> Construct:
        if stack_id == DOMAIN_STACK:
            return self.domain.spaces_scope
        if is_shared_spaces_stack(stack_id):
            if stack_id not in self.shared_space_stacks:
                self.shared_space_stacks[stack_id] = SharedSpaceStack(self, stack_id)
            return self.shared_space_stacks[stack_id].spaces_scope
        return self._group(stack_id).spaces_scope

    def _add_user(self, user: UserSpec) -> UserProfile:
        return self.domain.add_user(
            user.name,
            scope=self._group(self.placement.users[user.name]).users_scope,
            sso_user_name=user.sso_user_name,
            app_defaults=user.app_defaults,
            ebs=user.ebs,
            idle_shutdown=user.idle_shutdown,
            **user_kwargs(self, user.name, user, self._image(user.default_image) if user.default_image else None),
            posix_user=user.posix_user,
            lifecycle_configs=self._configs(user.lifecycle_configs),
            default_lifecycle_configs=self._configs(user.default_lifecycle_configs),
            custom_images=[self.custom_images[name] for name in user.custom_images],
            built_in_lifecycle_configs=self._configs(user.built_in_lifecycle_configs),
            code_repositories=user.code_repositories,
            portal=user.portal,
            rstudio=user.rstudio,
            file_systems=[self.file_systems[m.name].at(m.path) for m in user.file_systems],
            tags=user.tags,
            **self._spec_settings.user(user),
        )

    def _add_space(self, space: SpaceSpec) -> Space:
        owner = self.users.get(space.owner) if space.owner else None
        return self.domain.add_space(
            space.name,
            scope=self._space_scope(self.placement.spaces[space.name]),
            sharing=space.sharing,
            owner=owner,
            app_type=space.app_type,
            ebs_size_gb=space.ebs_gb,
            instance_type=space.instance_type,
            image=space_image(space, self._image(space.image) if space.image else None),
            idle_timeout_minutes=space.idle_timeout_minutes,
            display_name=space.display_name,
            lifecycle_config=self.lifecycle_configs[space.lifecycle_config] if space.lifecycle_config else None,
            file_systems=[self.file_systems[name] for name in space.file_system_names],
            code_repositories=space.code_repositories,
            remote_access=space.remote_access,
            tags=space.tags,
            **self._spec_settings.space(space),
        )

    def _image(self, ref: str) -> StudioImage:
        """A spec's image reference: one of its custom images by name, else :func:`to_image`."""
        return StudioImage.custom(self.custom_images[ref]) if is_custom_image_ref(ref) else to_image(ref)

    def _custom_image(self, scope: Construct, spec: CustomImageSpec) -> CustomImage:
        repository = (
            ecr.Repository.from_repository_arn(self, f"Repository-{spec.name}", spec.repository)
            if spec.repository.startswith("arn:")
            else ecr.Repository.from_repository_name(self, f"Repository-{spec.name}", spec.repository)
        )
        return CustomImage(
            scope,
            spec.name,
            repository=repository,
            tag_or_digest=spec.tag_or_digest,
            image_name=spec.name,
            app_type=spec.app_type,
            entrypoint=spec.entrypoint,
            arguments=spec.arguments,
            environment=spec.environment,
            kernel_specs=spec.kernel_specs,
            file_system=spec.file_system,
            display_name=spec.display_name,
            description=spec.description,
            tags=spec.tags,
            version_metadata=spec.version_metadata,
        )

    def _configs(self, names: list[str]) -> list[LifecycleConfig]:
        return [self.lifecycle_configs[name] for name in names]

    def _existing_file_system(self, spec: FileSystemSpec) -> efs.IFileSystem | None:
        if spec.file_system_id is None or spec.security_group_id is None:
            return None
        return efs.FileSystem.from_file_system_attributes(
            self,
            f"Existing-{spec.name}",
            file_system_id=spec.file_system_id,
            security_group=ec2.SecurityGroup.from_security_group_id(self, f"ExistingGroup-{spec.name}", spec.security_group_id),
        )

    def _own_resources(self) -> int:
        """CloudFormation resources in this stack itself (not in its nested user stacks)."""
        count, pending = 0, list(self.node.children)
        while pending:
            construct = pending.pop()
            if isinstance(construct, NestedStack):
                count += 1  # the AWS::CloudFormation::Stack resource; its content counts in the nested stack
                continue
            if isinstance(construct, CfnResource):
                count += 1
            pending.extend(construct.node.children)
        return count

    def _check_shared_spaces(self, spec: StudioSpec) -> None:
        """Refuse, before making them, more shared spaces in this stack than it can hold."""
        shared = [s for s in spec.spaces if s.sharing is SpaceSharing.SHARED and self.placement.spaces[s.name] == DOMAIN_STACK]
        total = self._own_resources() + len(shared) * SPACE_RESOURCES
        if total > placement.STACK_LIMITS.resources:
            raise StudioConfigError(
                f"{spec.location('spaces')}: spaces (shared)",
                f"{len(shared)} shared spaces, {total} resources in the domain's stack",
                f"at most {placement.STACK_LIMITS.resources} resources in one CloudFormation stack: shared spaces the "
                "roster records in the domain's stack (all of them without a roster or on its first update, as in "
                "release 0.1.0) live there. Declare fewer; or, for those not deployed yet, delete their roster lines "
                "and run `sagemaker-studio-cdk roster update`: once the roster records the domain's users, new shared "
                "spaces go to nested SharedSpaces stacks",
            )

    def _check_stack_size(self, spec: StudioSpec) -> None:
        """This stack within CloudFormation's resource limit once everything is declared."""
        total = self._own_resources()
        if total > placement.STACK_LIMITS.resources:
            raise StudioConfigError(
                f"{spec.location('spaces')}: spaces (shared)",
                f"{total} resources in the domain's stack",
                f"at most {placement.STACK_LIMITS.resources} resources in one CloudFormation stack: declare fewer shared spaces",
            )

    def _check_group_sizes(self, spec: StudioSpec) -> None:
        """Every nested stack within the resource limit, counting what the constructs really made
        and the settings resource each profile or space with API-only settings gets at synth
        (``StudioApiSettings``, in the parent's stack; placement reserved room for it)."""
        stacks: dict[str, NestedStack] = {**{g.node.id: g for g in self.user_groups.values()}, **self.shared_space_stacks}
        pending: dict[str, int] = {}
        for kind, parents in (("UserProfile", self.users), ("Space", self.spaces)):
            for parent in parents.values():
                if needs_settings(kind, parent):
                    stack_id = Stack.of(parent).node.id
                    pending[stack_id] = pending.get(stack_id, 0) + 1
        for stack_id, stack in stacks.items():
            resources = sum(1 for c in stack.node.find_all() if isinstance(c, CfnResource)) + pending.get(stack_id, 0)
            if resources > placement.STACK_LIMITS.resources:
                members = [u.name for u in spec.users if self.placement.users[u.name] == stack_id]
                raise StudioConfigError(
                    f"users[group={group_of_stack(stack_id)}]" if members else f"spaces[stack={stack_id}]",
                    f"{resources} resources for {len(members)} users" if members else f"{resources} resources",
                    f"at most {placement.STACK_LIMITS.resources} resources in one CloudFormation stack: give new "
                    "users another group (or none: the library places them); nothing placed moves",
                )


@contextmanager
def located(spec: StudioSpec, *path: str | int) -> Iterator[None]:
    """Re-raise a construct's :class:`StudioConfigError` with the spec's ``file:line`` of ``path``
    in front of each field, so an error found while building the stacks points into studio.yaml."""
    try:
        yield
    except StudioConfigError as err:
        where = spec.location(*path)
        label = ".".join(str(p) for p in path)
        parts = [StudioConfigError(f"{where}: {label}: {p.field}", p.value, p.allowed) for p in err.parts]
        raise StudioConfigError.combine(parts) from None


_USER_DATA_REASONS: dict[str, str] = {
    "access-logs": (
        "Object-level auditing of users' data belongs to CloudTrail data events on the account's or organization's "
        "trail, which name the IAM session and its source identity (the user's profile); S3 server access logs are "
        "best-effort and would need a second bucket of their own."
    ),
    "replication": (
        "Users' working data of a single-Region domain: versioning keeps every overwritten or deleted object and the "
        "bucket is retained when the stack is deleted; a replica in another Region is the account's "
        "disaster-recovery choice, not part of the domain."
    ),
    "kms": (
        "Objects are encrypted at rest with SSE-S3. Who may read them is decided by the execution role's per-user "
        "prefixes and the bucket's TLS-only policy; a KMS key would not change that, only add a key policy and a "
        "KMS call per request."
    ),
}


def _acknowledge_user_data_findings(bucket: s3.Bucket) -> None:
    resource = bucket.node.default_child or bucket
    for finding_id, reason in (
        ("AwsSolutions-S1", "access-logs"),
        ("NIST.800.53.R5-S3BucketLoggingEnabled", "access-logs"),
        ("HIPAA.Security-S3BucketLoggingEnabled", "access-logs"),
        ("NIST.800.53.R5-S3BucketReplicationEnabled", "replication"),
        ("HIPAA.Security-S3BucketReplicationEnabled", "replication"),
        ("NIST.800.53.R5-S3DefaultEncryptionKMS", "kms"),
        ("HIPAA.Security-S3DefaultEncryptionKMS", "kms"),
    ):
        acknowledge(resource, finding_id, _USER_DATA_REASONS[reason])
