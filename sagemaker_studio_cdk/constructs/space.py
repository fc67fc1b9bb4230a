"""``Space``: a private or shared SageMaker Studio space on its own EBS volume."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_sagemaker as sm
from constructs import Construct

from .. import cfn_schema, limits
from ..errors import StudioConfigError, collect
from ..lint import acknowledge_known_gaps
from ..policies.personas import SPACE_OWNER_TAG
from .api_settings import DeployedSettings
from .app_settings import check_code_repositories
from .custom_image import ImageAppType, check_listed
from .domain import StudioDomainBase
from .efs_mount import EfsMount, MountedFileSystem
from .image import StudioImage
from .lifecycle_config import LifecycleConfig, check_attachable
from .rendering import cfn_tags
from .settings import SPACE_APP_TYPES, AppType, EbsStorage, IdleShutdown, RemoteAccess, SpaceSharing, check_training_plan
from .studio_options import (
    CustomFileSystem,
    S3FileSystem,
    SpaceManagedResources,
    allow_lustre_from,
    check_custom_file_systems,
    check_outside_user_data,
    grant_custom_file_systems,
    space_custom_file_systems,
    user_scope,
)
from .studio_settings import ApiOnlySettings, image_alias, merge
from .user_profile import UserProfile


def check_ownership(field: str, sharing: SpaceSharing, owner: str | None, known_users: Collection[str] | None) -> None:
    """A private space has an owner that is a profile of the domain; a shared one has none.

    :param known_users: the domain's profile names; ``None`` skips the membership check.
    """
    if sharing is SpaceSharing.PRIVATE:
        if not owner:
            raise StudioConfigError(f"{field}.owner", owner, "a user profile of the domain: a private space needs an owner")
        if known_users is not None and owner not in known_users:
            allowed = ", ".join(sorted(known_users)) or "none declared"
            raise StudioConfigError(f"{field}.owner", owner, f"a user profile of the domain ({allowed})")
    elif owner:
        raise StudioConfigError(f"{field}.owner", owner, "no owner: a shared space belongs to every user of the domain")


class Space(Construct):
    """A space of a Studio domain: private to its owner, or shared by every user.

    A space's name, sharing and owner cannot change: CloudFormation would have to replace the
    space (and with it the EBS volume holding its files), which it refuses for a named resource.
    Give the space a new name instead, after saving its files.

    :param domain: the domain the space belongs to.
    :param space_name: the space's name, unique in the domain.
    :param sharing: ``SHARED`` (default) or ``PRIVATE``.
    :param owner: the owner of a private space, a profile of ``domain``; none for a shared one.
        The space depends on it, so CloudFormation creates the profile first.
    :param app_type: ``JUPYTER_LAB`` (default) or ``CODE_EDITOR``.
    :param ebs_size_gb: the space's volume. Default: the domain's (or owner's) default size; at
        most the domain's (or owner's) maximum.
    :param instance_type: the app's default instance type. Default: the domain's.
    :param image: the image the app starts. Default: the domain's.
    :param idle_timeout_minutes: this space's idle timeout, within the idle bounds that apply
        (the owner's, else the domain's). Default: the domain's timeout.
    :param display_name: the name Studio shows. Default: none, and Studio shows the space name.
    :param lifecycle_config: the lifecycle config the space's app runs by default; its app type
        must be the space's. Spaces take no list of allowed configs. Default: the owner's or
        domain's default.
    :param file_systems: EFS file systems mounted whole in this space (a space takes no path): at
        most :data:`MAX_SPACE_FILE_SYSTEMS` (1: CloudFormation's schema allows one, though the API
        allows 5). Default: none besides the domain's or owner's.
    :param code_repositories: JupyterLab only: Git URLs its Git extension offers in this space.
        Default: none besides the domain's or owner's.
    :param remote_access: ``ENABLED`` lets a local IDE connect to the space (``SpaceSettings.RemoteAccess``).
        Default: not set, which SageMaker treats as disabled.
    :param custom_file_systems: an S3 prefix or FSx for Lustre file system mounted whole in this
        space (:class:`S3FileSystem` without ``mount_path``, :class:`FsxLustreFileSystem` without
        ``path``), counted with ``file_systems``. Default: none.
    :param managed_resources: ``ENABLED`` has SageMaker create the profile that owns the space and
        the space's app (``SpaceSettings.SpaceManagedResources``). Default: not set (Studio's).
    :param training_plan_arn: a SageMaker training plan whose reserved capacity the space's app
        launches on (``DefaultResourceSpec.TrainingPlanArn``; the plan must reserve the space's
        instance type). CloudFormation's ``AWS::SageMaker::Space`` has no such property (the
        domain's and profile's do), so it goes to :attr:`api_only_settings`, and with it the
        app's whole ``DefaultResourceSpec``. Default: the owner's or domain's ``app_defaults``.
    :param tags: tags on the space (updated in place). A private space also carries
        ``studio:space-owner=<owner's profile name>``, which scopes who may start a remote session
        into it (see ``docs/security.md``); ``tags`` may not set that key.

    An ``image`` made with ``StudioImage.custom`` must serve the space's app type and be in the
    ``CustomImages`` list that applies: the owner's (or the domain's) for a private space, the
    domain's JupyterLab list for a shared one. Shared spaces have no Code Editor image list, so a
    custom image on a shared Code Editor space is refused.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomainBase,
        space_name: str,
        sharing: SpaceSharing = SpaceSharing.SHARED,
        owner: UserProfile | None = None,
        app_type: AppType = AppType.JUPYTER_LAB,
        ebs_size_gb: int | None = None,
        instance_type: str | None = None,
        image: StudioImage | None = None,
        idle_timeout_minutes: int | None = None,
        display_name: str | None = None,
        lifecycle_config: LifecycleConfig | None = None,
        file_systems: Sequence[EfsMount | MountedFileSystem] = (),
        code_repositories: Sequence[str] = (),
        remote_access: RemoteAccess | None = None,
        custom_file_systems: Sequence[CustomFileSystem] = (),
        managed_resources: SpaceManagedResources | None = None,
        training_plan_arn: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        field = f"spaces[{space_name}]"
        limits.check_type("domain", domain, StudioDomainBase, "a StudioDomain (or one from from_domain_attributes)")
        domain._check_new_name("space", f"{field}.space_name", space_name)
        collect(
            lambda: limits.check_enum(f"{field}.sharing", sharing, SpaceSharing),
            lambda: limits.check_optional_type(f"{field}.owner", owner, UserProfile, "a UserProfile of the domain"),
            lambda: limits.check_enum(f"{field}.app_type", app_type, AppType),
            lambda: limits.check_optional_type(f"{field}.instance_type", instance_type, str, "an instance type (str)"),
            lambda: limits.check_optional_type(f"{field}.image", image, StudioImage, "a StudioImage"),
            lambda: limits.check_optional_type(f"{field}.display_name", display_name, str, "a display name (str)"),
            lambda: limits.check_optional_type(
                f"{field}.lifecycle_config", lifecycle_config, LifecycleConfig, "a LifecycleConfig"
            ),
            lambda: limits.check_items(f"{field}.file_systems", file_systems, (EfsMount, MountedFileSystem), "EfsMount"),
            lambda: None if remote_access is None else limits.check_enum(f"{field}.remote_access", remote_access, RemoteAccess),
            lambda: (
                None
                if managed_resources is None
                else limits.check_enum(f"{field}.managed_resources", managed_resources, SpaceManagedResources)
            ),
            lambda: check_training_plan(f"{field}.training_plan_arn", training_plan_arn),
        )
        bounds: Any = owner if owner is not None else domain
        ebs_field = owner.ebs_field if owner is not None else "domain.ebs"
        shared_bounds = getattr(domain, "shared_space_defaults", None)
        if owner is None and sharing is SpaceSharing.SHARED and shared_bounds is not None:
            # A shared space's EBS and idle bounds are the shared-space defaults where they are given.
            bounds = _Bounds(shared_bounds.ebs or domain.ebs, shared_bounds.idle_shutdown or domain.idle_shutdown)
            ebs_field = "shared_space_defaults.ebs" if shared_bounds.ebs else ebs_field
        collect(
            lambda: limits.check_name(f"{field}.space_name", space_name, "SpaceName"),
            lambda: check_ownership(field, sharing, owner.user_profile_name if owner else None, None),
            lambda: _check_owner_domain(field, domain, owner),
            lambda: limits.check_in_range(f"{field}.ebs_size_gb", ebs_size_gb, limits.ebs_range(), "GB"),
            lambda: limits.check_not_above(
                f"{field}.ebs_size_gb", ebs_size_gb, f"{ebs_field}.max_gb", bounds.ebs.max_gb if bounds.ebs else None, "GB"
            ),
            lambda: limits.check_instance_type(f"{field}.instance_type", instance_type),
            lambda: (bounds.idle_shutdown.check_timeout if bounds.idle_shutdown else _check_idle_range)(
                f"{field}.idle_timeout_minutes", idle_timeout_minutes
            ),
            lambda: limits.check_pattern(f"{field}.display_name", display_name, "NonEmptyString64", "a display name"),
            lambda: limits.check_cfn(f"{field}.display_name", display_name, _SPACE, "SpaceDisplayName", "a display name"),
            lambda: limits.check_tags(f"{field}.tags", tags, "AWS::SageMaker::Space"),
            lambda: _check_no_owner_tag(f"{field}.tags", tags),
            lambda: check_attachable(f"{field}.lifecycle_config", lifecycle_config, app_type) if lifecycle_config else None,
            lambda: _check_file_systems(f"{field}.file_systems", domain, file_systems),
            lambda: _check_space_image(f"{field}.image", image, app_type, sharing, owner, domain),
            lambda: _check_space_repositories(f"{field}.code_repositories", code_repositories, app_type),
            lambda: _check_space_app(f"{field}.app_type", app_type),
            lambda: check_custom_file_systems(f"{field}.custom_file_systems", custom_file_systems, in_space=True),
            lambda: _check_file_system_count(f"{field}.custom_file_systems", len(file_systems) + len(custom_file_systems)),
            lambda: _check_outside_user_data(f"{field}.custom_file_systems", domain, custom_file_systems),
        )
        super().__init__(scope, construct_id)  # after validation: a refused space leaves nothing behind
        self.api_only_settings: ApiOnlySettings = {}
        """The settings CloudFormation lacks (``{"SpaceSettings": {...}}``, only API-only members,
        API-shaped), applied by a :class:`StudioApiSettings`. Default: none."""
        self.deployed_settings: DeployedSettings | None = None
        """What the roster records of the deployed space; ``None``: not deployed, or not known."""
        domain._approve(lifecycle_configs=[lifecycle_config] if lifecycle_config else [], images=[image] if image else [])
        self.domain = domain
        self.space_name = space_name
        self.sharing = sharing
        self.owner = owner
        self.app_type = app_type
        self.remote_access = remote_access

        app_settings: dict[str, Any] = {}
        spec = {
            k: v
            for k, v in (
                ("instanceType", instance_type),
                *(image.resource_spec(self, f"{field}.image") if image else {}).items(),
                ("lifecycleConfigArn", lifecycle_config.lifecycle_config_arn if lifecycle_config else None),
            )
            if v is not None
        }
        if spec:
            app_settings["defaultResourceSpec"] = spec
        if code_repositories:
            app_settings["codeRepositories"] = [{"repositoryUrl": url} for url in code_repositories]
        if idle_timeout_minutes is not None:
            app_settings["appLifecycleManagement"] = {"idleSettings": {"idleTimeoutInMinutes": idle_timeout_minutes}}
        settings: dict[str, Any] = {"appType": app_type.value}
        if app_settings:
            key = "jupyterLabAppSettings" if app_type is AppType.JUPYTER_LAB else "codeEditorAppSettings"
            settings[key] = app_settings
        if ebs_size_gb is not None:
            settings["spaceStorageSettings"] = {"ebsStorageSettings": {"ebsVolumeSizeInGb": ebs_size_gb}}
        if remote_access is not None:
            settings["remoteAccess"] = remote_access.value
        if managed_resources is not None:
            settings["spaceManagedResources"] = managed_resources.value
        if file_systems or custom_file_systems:
            settings["customFileSystems"] = [
                *({"efsFileSystem": {"fileSystemId": m.file_system_id}} for m in file_systems if isinstance(m, EfsMount)),
                *space_custom_file_systems(custom_file_systems),
            ]

        alias = image_alias(f"{app_type.value}AppSettings", image)
        if alias:
            self.api_only_settings["SpaceSettings"] = alias
        if training_plan_arn is not None:
            plan = {"DefaultResourceSpec": {"TrainingPlanArn": training_plan_arn}}
            merge(self.api_only_settings, ["SpaceSettings", f"{app_type.value}AppSettings"], plan)
        self.resource = sm.CfnSpace(
            self,
            "Resource",
            domain_id=domain.domain_id,
            space_name=space_name,
            space_display_name=display_name,
            space_sharing_settings={"sharingType": sharing.value},
            ownership_settings={"ownerUserProfileName": owner.user_profile_name} if owner else None,
            space_settings=settings,
            tags=cfn_tags({**(tags or {}), SPACE_OWNER_TAG: owner.user_profile_name} if owner is not None else tags),
        )
        if owner is not None:
            self.node.add_dependency(owner)
        role = owner.execution_role if owner is not None else getattr(domain, "shared_space_execution_role", None)
        if role is not None:
            # a private space's mount is its owner's alone, even on a role users share
            only = user_scope(domain, role, owner.user_profile_name) if owner is not None else None
            grant_custom_file_systems(role, custom_file_systems, only)
        allow_lustre_from([getattr(domain, "security_group", None), domain.file_system_client_group], custom_file_systems)
        acknowledge_known_gaps(self.resource, "AWS::SageMaker::Space", {"SpaceSettings": settings})
        domain._register(self)

    @property
    def space_arn(self) -> str:
        """The space's ARN (a token CloudFormation resolves at deploy time)."""
        arn: str = self.resource.attr_space_arn
        return arn


def _check_no_owner_tag(field: str, tags: Mapping[str, str] | None) -> None:
    for key in tags or {}:
        if isinstance(key, str) and key.lower() == SPACE_OWNER_TAG:
            raise StudioConfigError(
                f"{field}.{key}", key, f"any other key: the library writes {SPACE_OWNER_TAG} on private spaces itself"
            )


def _check_owner_domain(field: str, domain: StudioDomainBase, owner: UserProfile | None) -> None:
    if owner is not None and owner.domain is not domain:
        raise StudioConfigError(
            f"{field}.owner", owner.user_profile_name, f"a user profile of the space's domain ({domain.node.path})"
        )


def _check_space_image(
    field: str,
    image: StudioImage | None,
    app_type: AppType,
    sharing: SpaceSharing,
    owner: UserProfile | None,
    domain: StudioDomainBase,
) -> None:
    custom = image.custom_image if image is not None else None
    if custom is None:
        return
    if sharing is SpaceSharing.SHARED and app_type is AppType.CODE_EDITOR:
        raise StudioConfigError(
            field,
            custom.image_name,
            "no custom image on a shared Code Editor space: shared spaces take the domain's DefaultSpaceSettings, which "
            "has no Code Editor settings and so no Code Editor image list (in the API and CloudFormation alike)",
        )
    if sharing is SpaceSharing.SHARED:
        listed, where = domain.custom_image_lists, "the domain (DefaultSpaceSettings, shared spaces)"
    elif owner is not None:
        listed, where = owner.custom_image_lists, f"user {owner.user_profile_name}, the space's owner"
    else:
        listed, where = None, "the owner"
    check_listed(field, custom, app_type=ImageAppType(app_type.value), listed=listed, where=where)


def _check_space_repositories(field: str, urls: Sequence[str], app_type: AppType) -> None:
    if urls and app_type is not AppType.JUPYTER_LAB:
        raise StudioConfigError(
            field,
            list(urls),
            "nothing: code repositories are a JupyterLab setting; a Code Editor space has none (API and CloudFormation)",
        )
    check_code_repositories(field, urls)


@dataclass(frozen=True)
class _Bounds:
    ebs: EbsStorage | None
    idle_shutdown: IdleShutdown | None


def _check_space_app(field: str, app_type: AppType) -> None:
    if isinstance(app_type, AppType) and app_type not in SPACE_APP_TYPES:
        raise StudioConfigError(
            field,
            app_type.value,
            "JUPYTER_LAB or CODE_EDITOR: a space runs one of those; Kernel Gateway and Jupyter Server settings are "
            "domain and profile defaults (kernel_gateway, jupyter_server)",
        )


def _check_file_system_count(field: str, count: int) -> None:
    if count > MAX_SPACE_FILE_SYSTEMS:
        raise StudioConfigError(
            field, f"{count} file systems", f"at most {MAX_SPACE_FILE_SYSTEMS} per space, EFS included (CloudFormation's schema)"
        )


def _check_idle_range(field: str, timeout: int | None) -> None:
    limits.check_in_range(field, timeout, limits.idle_range(), "minutes")


_SPACE = "AWS::SageMaker::Space"

SPACE_RESOURCES = 1
"""CloudFormation resources a :class:`Space` makes: the ``AWS::SageMaker::Space`` alone."""

MAX_SPACE_FILE_SYSTEMS = min(
    int(limits._shape("CustomFileSystems").metadata["max"]),
    int(cfn_schema.property_schema(_SPACE, "SpaceSettings/CustomFileSystems")["maxItems"]),
)
"""Custom file systems a space mounts: the stricter of the API's (5) and CloudFormation's schema (1)."""


def _check_file_systems(field: str, domain: StudioDomainBase, file_systems: Sequence[EfsMount | MountedFileSystem]) -> None:
    if len(file_systems) > MAX_SPACE_FILE_SYSTEMS:
        raise StudioConfigError(
            field,
            f"{len(file_systems)} file systems",
            f"at most {MAX_SPACE_FILE_SYSTEMS} per space (CloudFormation's schema; the API would take more)",
        )
    for i, m in enumerate(file_systems):
        if isinstance(m, MountedFileSystem):
            raise StudioConfigError(
                f"{field}[{i}].path", m.path, "no path: a space mounts the whole file system (give the EfsMount itself)"
            )
        if m.domain is not domain:
            raise StudioConfigError(f"{field}[{i}]", m.node.path, "an EfsMount made for this space's domain")


def _check_outside_user_data(field: str, domain: StudioDomainBase, file_systems: Sequence[CustomFileSystem]) -> None:
    data_bucket = getattr(domain, "user_data_bucket", None)
    user_data = (data_bucket, getattr(domain, "user_data_prefix", "users")) if data_bucket is not None else None
    for i, fs in enumerate(file_systems):
        if isinstance(fs, S3FileSystem):
            check_outside_user_data(f"{field}[{i}].prefix", fs.bucket, fs.prefix, user_data)
