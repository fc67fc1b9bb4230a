"""``UserProfile``: one person's profile in a Studio domain, with per-user overrides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sm
from constructs import Construct

from .. import cfn_schema, limits
from ..errors import StudioConfigError, collect
from ..lint import acknowledge_known_gaps
from .api_settings import DeployedSettings
from .app_settings import check_built_in, check_code_repositories
from .custom_image import (
    STUDIO_IMAGE_APPS,
    CustomImage,
    ImageAppType,
    check_classic_defaults,
    check_custom_images,
    check_listed,
    lists_of,
)
from .domain import StudioDomainBase
from .efs_mount import EfsMount, MountedFileSystem
from .image import StudioImage
from .lifecycle_config import LifecycleConfig, check_allowed_count, check_defaults
from .portal import PortalSettings
from .rendering import cfn_tags, user_settings
from .rstudio import RStudioUser
from .security_group import STUDIO_SECURITY_GROUP_RESOURCES, studio_security_group
from .settings import AppDefaults, AuthMode, EbsStorage, IdleShutdown, PosixUser
from .studio_options import (
    ClassicAppDefaults,
    CustomFileSystem,
    NotebookSharing,
    S3FileSystem,
    allow_lustre_from,
    check_built_in_level,
    check_custom_file_systems,
    check_outside_user_data,
    check_security_groups,
    grant_custom_file_systems,
    user_scope,
)
from .studio_settings import (
    ApiOnlySettings,
    AppResourceDefaults,
    EmrRoles,
    check_profile_settings,
    default_image_aliases,
    jupyter_server_repositories,
    merge,
)

if TYPE_CHECKING:
    from .canvas import CanvasSettings


class UserProfile(Construct):
    """A user profile of a Studio domain.

    Settings left out are inherited from the domain, so a change to the domain's defaults reaches
    every profile that does not override it.

    :param domain: the domain the profile belongs to.
    :param user_profile_name: the profile's name. It cannot change: a new name is a new profile
        (the old one, and its private spaces with their files, are deleted).
    :param execution_role: the role this user's apps run as. Default: the domain's.
    :param app_defaults: this user's default instance types. Default: the domain's.
    :param ebs: this user's default and maximum space sizes. Default: the domain's.
    :param idle_shutdown: this user's idle shutdown. Default: the domain's.
    :param default_image: the image this user's new apps start. Default: the domain's.
    :param posix_user: this user's POSIX identity. Default: the domain's.
    :param sso_user_name: the IAM Identity Center user name; required in an SSO domain and not
        allowed in an IAM one. It cannot change after creation.
    :param lifecycle_configs: lifecycle configs this user may choose besides the domain's.
        Setting any replaces the domain's list for this user. Default: the domain's.
    :param default_lifecycle_configs: at most one per app type, run by default for this user.
        Default: the domain's.
    :param file_systems: up to 10 EFS file systems (an :class:`EfsMount`, or one with a path from
        ``mount.at("/path")``) in this user's private spaces. Setting any replaces the domain's
        for this user. Default: the domain's.
    :param custom_images: :class:`CustomImage` s this user may start. An app's list given here
        replaces the domain's list of that app for this user (the domain's default image of that
        app must then be in it too). Default: the domain's.
    :param built_in_lifecycle_configs: at most one per app type, run before the default config.
        Default: the domain's.
    :param code_repositories: Git URLs JupyterLab offers this user. Default: the domain's.
    :param portal: what the Studio web portal shows this user; it replaces the domain's portal
        settings it sets. ``hide_disallowed_instance_types`` follows the domain's
        ``allowed_instance_types``. Default: the domain's.
    :param notebook_sharing: this user's notebook sharing (:class:`NotebookSharing`). Default: the domain's.
    :param security_groups: security groups this user's apps carry besides the library's (the
        domain's group, or the user's own and the file-system client group with
        ``security_group_per_user``); at most 5 in all. Setting any replaces the domain's
        ``security_groups`` for this user. Default: the domain's.
    :param kernel_gateway: this user's Studio Classic Kernel Gateway defaults. Default: the domain's.
    :param jupyter_server: this user's Studio Classic Jupyter Server defaults. Default: the domain's.
    :param custom_file_systems: S3 prefixes and FSx for Lustre file systems in this user's private
        spaces, counted with ``file_systems`` (at most 10). Setting any replaces the domain's file
        systems for this user. Default: the domain's.
    :param rstudio: this user's RStudio access and group (:class:`RStudioUser`), only in a domain
        with ``rstudio``. Set at creation only: CloudFormation cannot change them on a named
        profile (the update fails). Default: the domain's ``default_access`` and
        ``default_user_group`` (``ENABLED``, ``USER``).
    :param tags: tags on the profile (updated in place).
    :param canvas: SageMaker Canvas for this user (:class:`CanvasSettings`, API only); it
        replaces the domain's. Default: the domain's.
    :param emr: JupyterLab's EMR roles for this user (:class:`EmrRoles`; CloudFormation
        carries them on a profile); the execution role this user runs as (its own, else the
        domain's, which every user shares) may assume the assumable ones. Default: the domain's.
    :param tensorboard: TensorBoard's default instance and image (API only). Default: the domain's.
    :param rsession: RStudio sessions' default instance and image (``RSessionAppSettings``,
        API only on a profile). Default: the domain's.
    :param jupyter_server_code_repositories: Git URLs Studio Classic's Jupyter Server offers
        this user (API only). Default: the domain's.

    Settings CloudFormation lacks are collected in :attr:`api_only_settings` (``UserSettings``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomainBase,
        user_profile_name: str,
        execution_role: iam.IRole | None = None,
        app_defaults: AppDefaults | None = None,
        ebs: EbsStorage | None = None,
        idle_shutdown: IdleShutdown | None = None,
        default_image: StudioImage | None = None,
        posix_user: PosixUser | None = None,
        sso_user_name: str | None = None,
        lifecycle_configs: Sequence[LifecycleConfig] = (),
        default_lifecycle_configs: Sequence[LifecycleConfig] = (),
        file_systems: Sequence[EfsMount | MountedFileSystem] = (),
        custom_images: Sequence[CustomImage] = (),
        built_in_lifecycle_configs: Sequence[LifecycleConfig] = (),
        code_repositories: Sequence[str] = (),
        portal: PortalSettings | None = None,
        notebook_sharing: NotebookSharing | None = None,
        security_groups: Sequence[ec2.ISecurityGroup] = (),
        kernel_gateway: ClassicAppDefaults | None = None,
        jupyter_server: ClassicAppDefaults | None = None,
        custom_file_systems: Sequence[CustomFileSystem] = (),
        rstudio: RStudioUser | None = None,
        tags: Mapping[str, str] | None = None,
        canvas: CanvasSettings | None = None,
        emr: EmrRoles | None = None,
        tensorboard: AppResourceDefaults | None = None,
        rsession: AppResourceDefaults | None = None,
        jupyter_server_code_repositories: Sequence[str] = (),
    ) -> None:
        field = f"user_profiles[{user_profile_name}]"
        limits.check_type("domain", domain, StudioDomainBase, "a StudioDomain (or one from from_domain_attributes)")
        portal_settings: dict[str, Any] = {}
        domain._check_new_name("user", f"{field}.user_profile_name", user_profile_name)
        collect(
            lambda: limits.check_optional_type(f"{field}.execution_role", execution_role, iam.IRole, "an iam.IRole"),
            lambda: limits.check_optional_type(f"{field}.app_defaults", app_defaults, AppDefaults, "an AppDefaults"),
            lambda: limits.check_optional_type(f"{field}.ebs", ebs, EbsStorage, "an EbsStorage"),
            lambda: limits.check_optional_type(f"{field}.idle_shutdown", idle_shutdown, IdleShutdown, "an IdleShutdown"),
            lambda: limits.check_optional_type(f"{field}.default_image", default_image, StudioImage, "a StudioImage"),
            lambda: limits.check_optional_type(f"{field}.posix_user", posix_user, PosixUser, "a PosixUser"),
            lambda: limits.check_optional_type(f"{field}.sso_user_name", sso_user_name, str, "a user name (str)"),
            lambda: limits.check_items(f"{field}.lifecycle_configs", lifecycle_configs, LifecycleConfig, "LifecycleConfig"),
            lambda: limits.check_items(
                f"{field}.default_lifecycle_configs", default_lifecycle_configs, LifecycleConfig, "LifecycleConfig"
            ),
            lambda: limits.check_items(f"{field}.file_systems", file_systems, (EfsMount, MountedFileSystem), "EfsMount"),
        )
        mounted = [m.at() if isinstance(m, EfsMount) else m for m in file_systems]
        collect(
            lambda: limits.check_name(f"{field}.user_profile_name", user_profile_name, "UserProfileName"),
            lambda: app_defaults.validate(f"{field}.app_defaults") if app_defaults else None,
            lambda: ebs.validate(f"{field}.ebs") if ebs else None,
            lambda: idle_shutdown.validate(f"{field}.idle_shutdown") if idle_shutdown else None,
            lambda: posix_user.validate(f"{field}.posix_user") if posix_user else None,
            lambda: _check_sso(f"{field}.sso_user_name", domain.auth_mode, sso_user_name),
            lambda: limits.check_tags(f"{field}.tags", tags, "AWS::SageMaker::UserProfile"),
            lambda: limits.check_cfn(
                f"{field}.execution_role",
                execution_role.role_arn if execution_role else None,
                "AWS::SageMaker::UserProfile",
                "UserSettings/ExecutionRole",
            ),
            lambda: check_defaults(f"{field}.default_lifecycle_configs", default_lifecycle_configs),
            lambda: check_allowed_count(
                f"{field}.lifecycle_configs",
                "AWS::SageMaker::UserProfile",
                "UserSettings",
                lifecycle_configs,
                default_lifecycle_configs,
            ),
            lambda: _check_file_systems(f"{field}.file_systems", domain, mounted),
            lambda: check_custom_images(f"{field}.custom_images", custom_images),
            lambda: check_built_in(f"{field}.built_in_lifecycle_configs", built_in_lifecycle_configs),
            lambda: check_code_repositories(f"{field}.code_repositories", code_repositories),
            lambda: (
                portal_settings.update(
                    portal.render(f"{field}.portal", "AWS::SageMaker::UserProfile", domain.allowed_instance_types)
                )
                if portal
                else None
            ),
            lambda: _check_rstudio(f"{field}.rstudio", domain, rstudio),
        )
        check_profile_settings(
            field,
            canvas=canvas,
            emr=emr,
            tensorboard=tensorboard,
            rsession=rsession,
            jupyter_server_code_repositories=jupyter_server_code_repositories,
        )
        sharing_settings: dict[str, Any] = {}
        base_groups = _base_groups(domain, bool(security_groups))
        collect(
            lambda: limits.check_optional_type(
                f"{field}.notebook_sharing", notebook_sharing, NotebookSharing, "a NotebookSharing"
            ),
            lambda: (
                sharing_settings.update(
                    notebook_sharing.render(f"{field}.notebook_sharing", "AWS::SageMaker::UserProfile", "UserSettings")
                )
                if isinstance(notebook_sharing, NotebookSharing)
                else None
            ),
            lambda: check_security_groups(f"{field}.security_groups", security_groups, library_groups=base_groups),
            lambda: limits.check_optional_type(
                f"{field}.kernel_gateway", kernel_gateway, ClassicAppDefaults, "a ClassicAppDefaults"
            ),
            lambda: limits.check_optional_type(
                f"{field}.jupyter_server", jupyter_server, ClassicAppDefaults, "a ClassicAppDefaults"
            ),
            lambda: kernel_gateway.validate(f"{field}.kernel_gateway") if kernel_gateway else None,
            lambda: jupyter_server.validate(f"{field}.jupyter_server") if jupyter_server else None,
            lambda: check_custom_file_systems(f"{field}.custom_file_systems", custom_file_systems, in_space=False),
            lambda: _check_file_system_count(f"{field}.custom_file_systems", len(mounted) + len(custom_file_systems)),
            lambda: check_built_in_level(f"{field}.built_in_lifecycle_configs", built_in_lifecycle_configs),
            lambda: _check_grants(field, domain, notebook_sharing, custom_file_systems),
        )
        self.custom_image_lists: dict[ImageAppType, list[CustomImage]] | None = _effective_lists(domain, custom_images)
        """The ``CustomImages`` lists that apply to this user's private spaces; ``None`` when not known."""
        effective_default = default_image or getattr(domain, "default_image", None)
        check_listed(
            f"{field}.default_image" if default_image else "default_image",
            effective_default.custom_image if effective_default else None,
            app_type=None,
            listed=self.custom_image_lists,
            where=f"user {user_profile_name}",
        )
        check_classic_defaults(
            f"{field}.",
            kernel_gateway.image.custom_image if kernel_gateway and kernel_gateway.image else None,
            jupyter_server.image.custom_image if jupyter_server and jupyter_server.image else None,
            self.custom_image_lists,
            f"user {user_profile_name}",
        )
        super().__init__(scope, construct_id)  # after validation: a refused profile leaves nothing behind
        self.api_only_settings: ApiOnlySettings = {}
        """The settings CloudFormation lacks (``{"UserSettings": {...}}``, only API-only members,
        API-shaped), applied by a :class:`StudioApiSettings` in this profile's stack. Default: none."""
        self.deployed_settings: DeployedSettings | None = None
        """What the roster records of the deployed profile; ``None``: not deployed, or not known."""
        domain._approve(
            lifecycle_configs=[*default_lifecycle_configs, *lifecycle_configs, *built_in_lifecycle_configs],
            images=[
                *([default_image] if default_image else []),
                *(StudioImage.custom(i) for i in custom_images),
                *(c.image for c in (kernel_gateway, jupyter_server) if c is not None and c.image is not None),
            ],
        )
        self.domain = domain
        self.user_profile_name = user_profile_name
        self.ebs: EbsStorage | None = ebs or domain.ebs
        """The EBS sizes that apply to this user's spaces (own or the domain's)."""
        self.ebs_field = f"{field}.ebs" if ebs else "domain.ebs"
        """Where :attr:`ebs` was given, for error messages."""
        self.idle_shutdown: IdleShutdown | None = idle_shutdown or domain.idle_shutdown
        """The idle bounds that apply to this user's spaces (own or the domain's)."""

        self.security_group: ec2.ISecurityGroup | None = None
        if domain.security_group_per_user:
            assert domain.vpc is not None  # the domain constructors guarantee it
            self.security_group = studio_security_group(
                self, "SecurityGroup", vpc=domain.vpc, description=f"SageMaker Studio user {user_profile_name}"
            )
        settings = user_settings(
            self,
            field,
            execution_role=execution_role,
            security_groups=self._security_groups(domain, security_groups),
            app_defaults=app_defaults,
            ebs=ebs,
            idle_shutdown=idle_shutdown,
            image=default_image,
            posix_user=posix_user,
            lifecycle_configs=lifecycle_configs,
            default_lifecycle_configs=default_lifecycle_configs,
            file_systems=mounted,
            custom_images=custom_images,
            built_in_lifecycle_configs=built_in_lifecycle_configs,
            code_repositories=code_repositories,
            kernel_gateway=kernel_gateway,
            jupyter_server=jupyter_server,
            custom_file_systems=custom_file_systems,
        )
        settings.update(portal_settings)
        if emr is not None and emr.cfn():
            settings.setdefault("jupyterLabAppSettings", {})["emrSettings"] = emr.cfn()
        user: dict[str, Any] = {}
        if portal is not None:
            merge(user, ["UserSettings"], portal.api_only(f"{field}.portal", "AWS::SageMaker::UserProfile"))
        merge(user, ["UserSettings"], default_image_aliases(default_image, ["JupyterLab", "CodeEditor"]))
        role = execution_role or getattr(domain, "execution_role", None)
        self.execution_role: iam.IRole | None = role
        """The role this user's apps run as (own or the domain's); ``None`` when not known."""
        _grant_options(
            domain,
            user_profile_name,
            execution_role,
            role,
            notebook_sharing,
            custom_file_systems,
            inherits_file_systems=not (mounted or custom_file_systems),
        )
        if canvas is not None:
            if role is None:
                raise StudioConfigError(
                    f"{field}.execution_role", None, "the profile's execution role: Canvas roles are passed by it"
                )
            merge(user, ["UserSettings", "CanvasAppSettings"], canvas.render(self, f"{field}.canvas", role))
        if emr is not None and role is not None:
            emr.grant_assume(role)
        if tensorboard is not None:
            merge(user, ["UserSettings", "TensorBoardAppSettings"], tensorboard.api(self, f"{field}.tensorboard"))
        if rsession is not None:
            merge(user, ["UserSettings", "RSessionAppSettings"], rsession.api(self, f"{field}.rsession"))
        if jupyter_server_code_repositories:
            merge(
                user, ["UserSettings", "JupyterServerAppSettings"], jupyter_server_repositories(jupyter_server_code_repositories)
            )
        if user.get("UserSettings"):
            self.api_only_settings.update(user)
        if sharing_settings:
            settings["sharingSettings"] = sharing_settings
        if rstudio is not None:
            settings["rStudioServerProAppSettings"] = rstudio.render()
        self.rstudio = rstudio
        self.resource = sm.CfnUserProfile(
            self,
            "Resource",
            domain_id=domain.domain_id,
            user_profile_name=user_profile_name,
            single_sign_on_user_identifier="UserName" if sso_user_name else None,
            single_sign_on_user_value=sso_user_name,
            user_settings=settings or None,
            tags=cfn_tags(tags),
        )
        acknowledge_known_gaps(self.resource, "AWS::SageMaker::UserProfile", {"UserSettings": settings})
        domain._register(self)

    @property
    def user_profile_arn(self) -> str:
        """The profile's ARN (a token CloudFormation resolves at deploy time)."""
        arn: str = self.resource.attr_user_profile_arn
        return arn

    def _security_groups(self, domain: StudioDomainBase, extra: Sequence[ec2.ISecurityGroup]) -> list[ec2.ISecurityGroup] | None:
        """The user's own group and the domain's file-system client group when it has one (else,
        with ``extra`` groups, the domain's group), then ``extra``."""
        if self.security_group is None:
            domain_group = getattr(domain, "security_group", None)
            return [*([domain_group] if domain_group is not None else []), *extra] if extra else None
        client = domain.file_system_client_group
        return [self.security_group, *([client] if client is not None else []), *extra]


def _effective_lists(domain: StudioDomainBase, own: Sequence[CustomImage]) -> dict[ImageAppType, list[CustomImage]] | None:
    """The profile's own list of an app replaces the domain's list of that app."""
    mine = lists_of(own)
    if domain.custom_image_lists is None:
        return mine if all(app in mine for app in STUDIO_IMAGE_APPS) else None
    return {app: mine.get(app, domain.custom_image_lists.get(app, [])) for app in ImageAppType}


def _base_groups(domain: StudioDomainBase, extra: bool) -> int:
    """How many security groups the library puts in a profile's settings before the user's own."""
    if domain.security_group_per_user:
        return 2 if domain.file_system_client_group is not None else 1
    return 1 if extra and getattr(domain, "security_group", None) is not None else 0


def _check_file_system_count(field: str, count: int) -> None:
    if count > MAX_PROFILE_FILE_SYSTEMS:
        raise StudioConfigError(field, f"{count} file systems", f"at most {MAX_PROFILE_FILE_SYSTEMS} per user profile")


def _check_rstudio(field: str, domain: StudioDomainBase, rstudio: RStudioUser | None) -> None:
    if rstudio is None:
        return
    limits.check_type(field, rstudio, RStudioUser, "an RStudioUser")
    rstudio.validate(field)
    if domain.has_rstudio is False:
        raise StudioConfigError(
            field,
            rstudio,
            "nothing: the domain has no RStudio (set StudioDomain(rstudio=RStudioSettings(...)) first)",
        )


def _check_sso(field: str, auth_mode: AuthMode, sso_user_name: str | None) -> None:
    if auth_mode is AuthMode.SSO and not sso_user_name:
        raise StudioConfigError(field, sso_user_name, "the IAM Identity Center user name: the domain uses SSO")
    if auth_mode is AuthMode.IAM and sso_user_name:
        raise StudioConfigError(field, sso_user_name, "nothing: the domain uses IAM, not SSO")
    limits.check_pattern(field, sso_user_name, "String256", "an Identity Center user name")


def profile_resources(*, security_group_per_user: bool) -> int:
    """CloudFormation resources a :class:`UserProfile` makes: the profile, and with the domain's
    ``security_group_per_user`` the user's security group and its rules."""
    return 1 + (STUDIO_SECURITY_GROUP_RESOURCES if security_group_per_user else 0)


MAX_PROFILE_FILE_SYSTEMS = int(
    cfn_schema.property_schema("AWS::SageMaker::UserProfile", "UserSettings/CustomFileSystemConfigs")["maxItems"]
)
"""Custom file systems in a profile's settings, per CloudFormation's schema (10)."""


def _check_file_systems(field: str, domain: StudioDomainBase, mounted: Sequence[MountedFileSystem]) -> None:
    if len(mounted) > MAX_PROFILE_FILE_SYSTEMS:
        raise StudioConfigError(field, f"{len(mounted)} file systems", f"at most {MAX_PROFILE_FILE_SYSTEMS} per user profile")
    for i, m in enumerate(mounted):
        m.validate(f"{field}[{i}]")
        if m.file_system.domain is not domain:
            raise StudioConfigError(f"{field}[{i}]", m.file_system.node.path, "an EfsMount made for this profile's domain")


def _check_grants(
    field: str, domain: StudioDomainBase, sharing: NotebookSharing | None, file_systems: Sequence[CustomFileSystem]
) -> None:
    """The prefixes this profile's role is granted stay outside the users' folders of the domain's user-data bucket."""
    data_bucket = getattr(domain, "user_data_bucket", None)
    user_data = (data_bucket, getattr(domain, "user_data_prefix", "users")) if data_bucket is not None else None
    if isinstance(sharing, NotebookSharing):
        check_outside_user_data(f"{field}.notebook_sharing.prefix", sharing.bucket, sharing.prefix, user_data)
    for i, fs in enumerate(file_systems):
        if isinstance(fs, S3FileSystem):
            check_outside_user_data(f"{field}.custom_file_systems[{i}].prefix", fs.bucket, fs.prefix, user_data)


def _grant_options(
    domain: StudioDomainBase,
    user: str,
    own_role: iam.IRole | None,
    role: iam.IRole | None,
    sharing: NotebookSharing | None,
    file_systems: Sequence[CustomFileSystem],
    *,
    inherits_file_systems: bool,
) -> None:
    """The profile's role gets its own sharing prefix and S3 file systems; a role of its own also gets
    what it inherits from the domain (the domain's role has that already). On a role the domain
    shares among users, the profile's S3 file systems reach this user's sessions only where Studio
    tells users apart (:func:`user_scope`). FSx for Lustre file systems of the profile admit the
    domain's groups."""
    if role is not None:
        effective_sharing = sharing or (getattr(domain, "notebook_sharing", None) if own_role is not None else None)
        if effective_sharing is not None:
            effective_sharing.grant(role)
        grant_custom_file_systems(role, file_systems, user_scope(domain, role, user))
        if own_role is not None and inherits_file_systems:
            grant_custom_file_systems(role, getattr(domain, "custom_file_systems", ()))
    allow_lustre_from([getattr(domain, "security_group", None), domain.file_system_client_group], file_systems)
