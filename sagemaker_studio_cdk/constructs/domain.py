"""``StudioDomain``: a SageMaker Studio domain with EBS-backed spaces and secure defaults."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import RemovalPolicy, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sm
from constructs import Construct

from .. import cfn_schema, limits
from ..errors import StudioConfigError, collect
from ..lint import acknowledge_known_gaps
from ..policies import PERSONA_TAG, execution_statements
from ..policies.admin import AdminSettingsAccess
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.wildcards import WILDCARD_REASONS
from .api_settings import DeployedSettings, StudioApiSettings, apply_settings_at_synth
from .app_settings import check_built_in, check_code_repositories
from .custom_image import CustomImage, ImageAppType, check_classic_defaults, check_custom_images, check_listed, lists_of
from .image import StudioImage
from .portal import PortalSettings
from .rendering import APP_SETTINGS_KEYS, cfn_tags, file_system_configs, lazy_any, shared_space_app_settings, user_settings
from .rstudio import RStudioSettings
from .security_group import studio_security_group
from .settings import (
    AppDefaults,
    AppNetworkAccess,
    AppSecurityGroupManagement,
    AppType,
    AuthMode,
    EbsStorage,
    IdleShutdown,
    PosixUser,
)
from .studio_options import (
    ClassicAppDefaults,
    CustomFileSystem,
    ExecutionRoleIdentity,
    IpAddressType,
    NotebookSharing,
    S3FileSystem,
    SharedSpaceDefaults,
    UnifiedStudio,
    allow_lustre_from,
    check_built_in_level,
    check_custom_file_systems,
    check_outside_user_data,
    check_security_groups,
    custom_file_system_configs,
    grant_custom_file_systems,
)
from .studio_settings import (
    AmazonQ,
    ApiOnlySettings,
    AppResourceDefaults,
    DockerAccess,
    EmrRoles,
    check_domain_settings,
    default_image_aliases,
    jupyter_server_repositories,
    merge,
    status,
)

if TYPE_CHECKING:
    from .canvas import CanvasSettings
    from .efs_mount import EfsMount, MountedFileSystem
    from .lifecycle_config import LifecycleConfig
    from .space import Space
    from .user_profile import UserProfile

_DOMAIN = "AWS::SageMaker::Domain"

MAX_DOMAIN_FILE_SYSTEMS = int(cfn_schema.property_schema(_DOMAIN, "DefaultUserSettings/CustomFileSystemConfigs")["maxItems"])
"""Custom file systems in a domain's default settings, per CloudFormation's schema (2)."""


class StudioDomainBase(Construct):
    """What user profiles and spaces need of a domain, whether made here or imported."""

    domain_id: str
    """The domain's id (``d-...``)."""
    domain_arn: str
    """The domain's ARN."""
    auth_mode: AuthMode
    """How users sign in."""
    ebs: EbsStorage | None
    """The domain's EBS sizes; ``None`` when not known (an imported domain)."""
    idle_shutdown: IdleShutdown | None
    """The domain's idle bounds; ``None`` when not known."""
    vpc: ec2.IVpc | None
    """The domain's VPC; ``None`` when not known."""
    security_group_per_user: bool
    """True when each user profile gets a security group of its own."""
    file_system_client_group: ec2.ISecurityGroup | None = None
    """The group every profile's apps carry to reach file systems, with per-user groups."""
    custom_image_lists: dict[ImageAppType, list[CustomImage]] | None = None
    """The domain's ``CustomImages`` lists by app; ``None`` when not known (an imported domain)."""
    allowed_instance_types: list[str] | None = None
    """The instance types the execution role allows; ``None``: any, or not known."""
    has_rstudio: bool | None = None
    """True when the domain runs RStudio; ``None`` when not known (an imported domain)."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._users: dict[str, UserProfile] = {}
        self._spaces: dict[str, Space] = {}
        self._folded: dict[str, dict[str, str]] = {"user": {}, "space": {}}
        """Per kind, each declared name in lower case -> the name as declared (one lookup per new name)."""
        self._lifecycle_configs: dict[str, LifecycleConfig] = {}
        self._images: dict[str, StudioImage] = {}
        self._file_systems: list[MountedFileSystem] = []
        self._on_register: list[Callable[[UserProfile | Space], None]] = []
        self.api_only_settings: ApiOnlySettings = {}
        """The settings CloudFormation lacks, applied by a :class:`StudioApiSettings`: per
        ``CreateDomain`` member (``DefaultUserSettings``, ``DefaultSpaceSettings``,
        ``DomainSettings``), only the API-only members, API-shaped, at their real depth. Default:
        none (no settings resource)."""
        self.deployed_settings: DeployedSettings | None = None
        """What the roster records of the deployed domain (blocks CloudFormation writes, creation
        values of create-only settings); ``None``: not deployed, or not known."""
        self._api_settings: list[StudioApiSettings] = []
        apply_settings_at_synth(self)

    @property
    def file_systems(self) -> list[MountedFileSystem]:
        """The file systems every profile and shared space of the domain mounts."""
        return list(self._file_systems)

    def _approve(self, *, lifecycle_configs: Sequence[LifecycleConfig] = (), images: Sequence[StudioImage] = ()) -> None:
        """Record configs and images the app attaches anywhere in this domain."""
        for config in lifecycle_configs:
            self._lifecycle_configs.setdefault(config.node.path, config)
        for image in images:
            self._images.setdefault(str(id(image)), image)

    @property
    def approved_lifecycle_configs(self) -> list[LifecycleConfig]:
        """Every lifecycle config this app attaches to the domain, its profiles or its spaces."""
        return list(self._lifecycle_configs.values())

    @property
    def approved_lifecycle_config_arns(self) -> list[str]:
        """The ARNs of :attr:`approved_lifecycle_configs`: the approved set.

        Profiles and spaces add to it as they are declared; read it lazily
        (``Lazy.list(...)``) when building a policy before all of them exist.
        """
        return [c.lifecycle_config_arn for c in self._lifecycle_configs.values()]

    @property
    def approved_image_arns(self) -> list[str]:
        """The ARNs of the images this app sets as a default anywhere in the domain (read lazily,
        like :attr:`approved_lifecycle_config_arns`)."""
        arns: dict[str, str] = {}
        for image in self._images.values():
            arn = image.bind(self, "approved_image_arns")
            arns.setdefault(str(Stack.of(self).resolve(arn)), arn)
        return list(arns.values())

    @property
    def api_settings(self) -> list[StudioApiSettings]:
        """The settings resources of this domain and its profiles and spaces, made at synth."""
        return list(self._api_settings)

    def _check_new_name(self, kind: str, field: str, name: str) -> None:
        """``name`` is a non-empty name not yet taken by a user profile (``kind="user"``) or space of
        this domain. Checked before the construct exists: CDK refuses an empty id with an error of
        its own. Where the service model says a name is not case sensitive (profile names),
        ``Alice`` and ``alice`` are the same name."""
        shape, operation, member = (
            ("UserProfileName", "CreateUserProfile", "UserProfileName")
            if kind == "user"
            else ("SpaceName", "CreateSpace", "SpaceName")
        )
        limits.check_type(field, name, str, f"a {kind} name (str)")
        if not name:
            limits.check_name(field, name, shape)
        taken = self._users if kind == "user" else self._spaces
        if limits.case_insensitive(operation, member):
            same = self._folded[kind].get(name.lower())
            if same is not None:
                raise StudioConfigError(
                    field, name, f"a {kind} name not yet used in this domain; {same!r} is the same name (not case sensitive)"
                )
        if name in taken:
            raise StudioConfigError(field, name, f"a {kind} name not yet used in this domain (it is declared twice)")

    def _register(self, item: UserProfile | Space) -> None:
        from .user_profile import UserProfile

        if isinstance(item, UserProfile):
            self._users[item.user_profile_name] = item
            self._folded["user"].setdefault(item.user_profile_name.lower(), item.user_profile_name)
        else:
            self._spaces[item.space_name] = item
            self._folded["space"].setdefault(item.space_name.lower(), item.space_name)
        for listener in self._on_register:
            listener(item)

    def on_register(self, listener: Callable[[UserProfile | Space], None]) -> None:
        """Call ``listener`` with every profile and space declared on this domain from now on
        (a :class:`DomainCleanup` depends on each)."""
        self._on_register.append(listener)

    def _container(self, construct_id: str) -> Construct:
        found = self.node.try_find_child(construct_id)
        return found if isinstance(found, Construct) else Construct(self, construct_id)

    @property
    def users_scope(self) -> Construct:
        """The default scope of :meth:`add_user`: a ``Users`` child of this construct."""
        return self._container("Users")

    @property
    def spaces_scope(self) -> Construct:
        """The default scope of :meth:`add_space`: a ``Spaces`` child of this construct."""
        return self._container("Spaces")

    @property
    def user_profiles(self) -> Mapping[str, UserProfile]:
        """The profiles declared on this domain in this app, by name."""
        return dict(self._users)

    @property
    def spaces(self) -> Mapping[str, Space]:
        """The spaces declared on this domain in this app, by name."""
        return dict(self._spaces)

    def add_user(self, user_profile_name: str, *, scope: Construct | None = None, **options: Any) -> UserProfile:
        """Declare a user profile of this domain.

        :param scope: where the profile's resources go. Default: :attr:`users_scope`.
            The domain stacks of this library pass a nested user stack here.
        :param options: the other props of :class:`UserProfile`.
        """
        from .user_profile import UserProfile

        return UserProfile(
            scope or self.users_scope, user_profile_name, domain=self, user_profile_name=user_profile_name, **options
        )

    def add_space(self, space_name: str, *, scope: Construct | None = None, **options: Any) -> Space:
        """Declare a space of this domain (shared unless ``sharing`` and ``owner`` say otherwise).

        :param scope: where the space goes. Default: :attr:`spaces_scope`.
        :param options: the other props of :class:`Space`.
        """
        from .space import Space

        return Space(scope or self.spaces_scope, space_name, domain=self, space_name=space_name, **options)

    def grant_admin(self, grantee: iam.IGrantable, settings_access: AdminSettingsAccess | None = None) -> iam.Grant:
        """Let ``grantee`` run this domain as a :class:`DomainAdminRole` does, kept out of private spaces.

        Adds the admin's allow statements and every isolation deny to the grantee's identity
        policy; the self-edit denies cover every role and managed policy (the grantee may not
        edit the library's roles, its own, or any other). ``settings_access``: see
        :class:`AdminSettingsAccess` (default ``DIRECT``). Only
        :class:`DomainAdminRole`, whose permissions boundary holds the same denies, is proof
        against an admin that edits its own policies; a principal made elsewhere keeps whatever
        else it may do (see ``docs/security.md``).

        :raises StudioConfigError: the app cannot add statements to ``grantee`` (an imported
            role): the denies would silently be missing.
        """
        from .admin_role import grant_admin

        return grant_admin(self, grantee, settings_access or AdminSettingsAccess.DIRECT)


class StudioDomain(StudioDomainBase):
    """A SageMaker Studio domain: VPC-only, KMS-encrypted, EBS-backed spaces, idle shutdown on.

    :param vpc: the VPC apps run in.
    :param domain_name: the domain's name. A domain cannot be renamed: a new name makes a new
        domain, and CloudFormation refuses the update (it cannot replace a named resource).
    :param subnets: the subnets of ``vpc`` for apps. Default: the VPC's private subnets.
    :param auth_mode: IAM (default) or SSO through IAM Identity Center.
    :param app_network_access: Default: ``VPC_ONLY``, no direct internet access.
    :param encryption_key: the KMS key for the domain's volumes. Default: a new key with rotation,
        retained when the stack is deleted. Changing the key replaces the domain: see the docs.
    :param execution_role: the role apps run as. Default: a new role with the least-privilege
        ``execution`` statements of :mod:`sagemaker_studio_cdk.policies`.
    :param security_group_per_user: give each user profile its own security group, as AWS
        recommends, so users' apps cannot reach each other. Default: one group for the domain.
    :param app_defaults: default instance types of JupyterLab and Code Editor.
    :param ebs: default and maximum EBS sizes of spaces (private and shared). Default: 5 / 100 GB.
    :param idle_shutdown: idle shutdown of JupyterLab and Code Editor. Default: on, 60 minutes,
        users may choose 60-480.
    :param default_image: the image new apps start. Default: SageMaker Distribution (CPU) of the
        stack's region; see :meth:`StudioImage.sagemaker_distribution`.
    :param posix_user: the POSIX identity apps run as. Default: Studio's own.
    :param shared_space_execution_role: the role apps in shared spaces run as. Default: the
        domain's execution role.
    :param lifecycle_configs: lifecycle configs users may choose, JupyterLab or Code Editor
        (each goes to its app's list). JupyterLab ones also apply to shared spaces. Default: none.
    :param default_lifecycle_configs: at most one per app type, run by default (and allowed).
        ``DefaultSpaceSettings`` has no Code Editor settings, so a Code Editor default reaches
        profiles only. Default: none.
    :param allowed_instance_types: instance types (or patterns such as ``ml.t3.*``) apps and
        spaces may use, enforced on the default execution role with ``sagemaker:InstanceTypes``
        (hiding types in the UI is not enforcement); ``app_defaults`` must be among them.
        Default: any.
    :param user_data_bucket: per-user data privacy with one execution role: the domain sets
        ``ExecutionRoleIdentityConfig: USER_PROFILE_NAME`` (Studio sets each session's source
        identity to the profile name), the default execution role trusts ``sts:SetSourceIdentity``,
        and each user reads and writes only ``<user_data_prefix>/<profile name>/`` of this bucket.
        Source identity is the bare profile name: use one execution role per domain. Default: none.
    :param user_data_prefix: the key prefix of the users' folders. Default: ``users``.
    :param custom_images: :class:`CustomImage` s users may start, each in its app's
        ``CustomImages`` list (JupyterLab, Code Editor, Kernel Gateway); JupyterLab and Kernel
        Gateway ones also apply to shared spaces (which have no Code Editor list). Default: none.
    :param built_in_lifecycle_configs: at most one per app type: the lifecycle config that runs
        before the default one (``BuiltInLifecycleConfigArn``), JupyterLab ones also in shared
        spaces. Default: none.
    :param code_repositories: Git URLs (``https://``) JupyterLab's Git extension offers, also in
        shared spaces. Default: none.
    :param portal: what the Studio web portal shows (:class:`PortalSettings`); hiding is not
        enforcement. Default: Studio's.
    :param notebook_sharing: notebook sharing (:class:`NotebookSharing`: output option, S3 path, key).
        Default: Studio's (no sharing bucket).
    :param execution_role_identity: ``USER_PROFILE_NAME`` makes each session's source identity its
        profile name (a role made here then trusts ``sts:SetSourceIdentity``). Default:
        ``USER_PROFILE_NAME`` with ``user_data_bucket`` (which needs it; ``DISABLED`` with it is
        refused), else not set.
    :param security_groups: up to 4 security groups users' apps carry besides the domain's
        (``DefaultUserSettings.SecurityGroups``). Default: none.
    :param shared_space_defaults: shared spaces' own security groups, JupyterLab instance type, idle
        shutdown and default lifecycle configs (:class:`SharedSpaceDefaults`). Default: the domain's.
    :param kernel_gateway: Studio Classic Kernel Gateway defaults (:class:`ClassicAppDefaults`),
        users and shared spaces. Default: Studio's.
    :param jupyter_server: Studio Classic Jupyter Server defaults, users and shared spaces. Default: Studio's.
    :param custom_file_systems: S3 prefixes and FSx for Lustre file systems every space mounts
        (:class:`S3FileSystem`, :class:`FsxLustreFileSystem`), counted with the EFS mounts
        (at most 2 at domain level). Default: none.
    :param tag_propagation: propagate the domain's, profiles' and spaces' tags to the SageMaker
        resources Studio makes (``TagPropagation``). Default: not set (Studio's: off).
    :param ip_address_type: ``IPV4`` or ``DUALSTACK`` (``DomainSettings.IpAddressType``). Default: not set.
    :param unified_studio: the domain's link to SageMaker Unified Studio (:class:`UnifiedStudio`,
        ``DomainSettings.UnifiedStudioSettings``). Default: none.
    :param rstudio: RStudio on SageMaker (:class:`RStudioSettings`). It needs a Posit Workbench
        license in License Manager (without one the domain's creation fails), turns the domain's
        home EFS on (RStudio keeps home directories there; see ``docs/operations.md``) and, in a
        VPC-only domain, sets ``app_security_group_management`` to ``SERVICE``. Once set, the API
        refuses to change ``app_network_access``. Default: no RStudio.
    :param app_security_group_management: who makes the security groups between apps of a
        VPC-only domain (``SERVICE`` or ``CUSTOMER``). Default: AWS's (none); ``SERVICE`` with
        ``rstudio`` in a VPC-only domain, where ``CUSTOMER`` is refused.
    :param tags: tags on the domain (updated in place).
    :param canvas: SageMaker Canvas for every user (:class:`CanvasSettings`, API only); roles
        not given are made least-privilege. Default: Studio's.
    :param emr: JupyterLab's EMR roles for every user (:class:`EmrRoles`, API only at domain
        level); the default execution role may assume the assumable ones. Default: none.
    :param shared_space_emr: JupyterLab's EMR roles in shared spaces (API only). Default: none.
    :param tensorboard: TensorBoard's default instance and image (:class:`AppResourceDefaults`,
        API only). Default: Studio's.
    :param amazon_q: Amazon Q in Studio (:class:`AmazonQ`, API only); SSO domains only.
        Default: Studio's.
    :param trusted_identity_propagation: propagate IAM Identity Center identities to AWS
        services (API only); SSO domains only. Default: Studio's.
    :param docker: Docker in spaces (:class:`DockerAccess`); ``rootless`` is API only.
        Default: Studio's (off).
    :param jupyter_server_code_repositories: Git URLs Studio Classic's Jupyter Server offers,
        also in shared spaces (API only). Default: none.

    Settings CloudFormation lacks are collected in :attr:`api_only_settings` for the settings
    resource (``docs/settings.md``).

    File systems are attached after construction with :meth:`add_file_system`, since an
    :class:`EfsMount` needs the domain's VPC, key and security group.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        vpc: ec2.IVpc,
        domain_name: str,
        subnets: ec2.SubnetSelection | None = None,
        auth_mode: AuthMode = AuthMode.IAM,
        app_network_access: AppNetworkAccess = AppNetworkAccess.VPC_ONLY,
        encryption_key: kms.IKey | None = None,
        execution_role: iam.IRole | None = None,
        security_group_per_user: bool = False,
        app_defaults: AppDefaults | None = None,
        ebs: EbsStorage | None = None,
        idle_shutdown: IdleShutdown | None = None,
        default_image: StudioImage | None = None,
        posix_user: PosixUser | None = None,
        shared_space_execution_role: iam.IRole | None = None,
        lifecycle_configs: Sequence[LifecycleConfig] = (),
        default_lifecycle_configs: Sequence[LifecycleConfig] = (),
        allowed_instance_types: Sequence[str] | None = None,
        user_data_bucket: s3.IBucket | None = None,
        user_data_prefix: str = "users",
        custom_images: Sequence[CustomImage] = (),
        built_in_lifecycle_configs: Sequence[LifecycleConfig] = (),
        code_repositories: Sequence[str] = (),
        portal: PortalSettings | None = None,
        notebook_sharing: NotebookSharing | None = None,
        execution_role_identity: ExecutionRoleIdentity | None = None,
        security_groups: Sequence[ec2.ISecurityGroup] = (),
        shared_space_defaults: SharedSpaceDefaults | None = None,
        kernel_gateway: ClassicAppDefaults | None = None,
        jupyter_server: ClassicAppDefaults | None = None,
        custom_file_systems: Sequence[CustomFileSystem] = (),
        tag_propagation: bool | None = None,
        ip_address_type: IpAddressType | None = None,
        unified_studio: UnifiedStudio | None = None,
        rstudio: RStudioSettings | None = None,
        app_security_group_management: AppSecurityGroupManagement | None = None,
        tags: Mapping[str, str] | None = None,
        canvas: CanvasSettings | None = None,
        emr: EmrRoles | None = None,
        shared_space_emr: EmrRoles | None = None,
        tensorboard: AppResourceDefaults | None = None,
        amazon_q: AmazonQ | None = None,
        trusted_identity_propagation: bool | None = None,
        docker: DockerAccess | None = None,
        jupyter_server_code_repositories: Sequence[str] = (),
    ) -> None:
        from .execution_options import check_execution_options
        from .lifecycle_config import LifecycleConfig, check_allowed_count, check_defaults
        from .rstudio import check_network

        collect(
            lambda: limits.check_type("vpc", vpc, ec2.IVpc, "an ec2.IVpc"),
            lambda: limits.check_type("domain_name", domain_name, str, "a domain name (str)"),
            lambda: limits.check_optional_type("subnets", subnets, ec2.SubnetSelection, "an ec2.SubnetSelection"),
            lambda: limits.check_enum("auth_mode", auth_mode, AuthMode),
            lambda: limits.check_enum("app_network_access", app_network_access, AppNetworkAccess),
            lambda: limits.check_optional_type("encryption_key", encryption_key, kms.IKey, "a kms.IKey"),
            lambda: limits.check_optional_type("execution_role", execution_role, iam.IRole, "an iam.IRole"),
            lambda: limits.check_type("security_group_per_user", security_group_per_user, bool, "True or False"),
            lambda: limits.check_optional_type("app_defaults", app_defaults, AppDefaults, "an AppDefaults"),
            lambda: limits.check_optional_type("ebs", ebs, EbsStorage, "an EbsStorage"),
            lambda: limits.check_optional_type("idle_shutdown", idle_shutdown, IdleShutdown, "an IdleShutdown"),
            lambda: limits.check_optional_type("default_image", default_image, StudioImage, "a StudioImage"),
            lambda: limits.check_optional_type("posix_user", posix_user, PosixUser, "a PosixUser"),
            lambda: limits.check_optional_type(
                "shared_space_execution_role", shared_space_execution_role, iam.IRole, "an iam.IRole"
            ),
            lambda: limits.check_items("lifecycle_configs", lifecycle_configs, LifecycleConfig, "LifecycleConfig"),
            lambda: limits.check_items(
                "default_lifecycle_configs", default_lifecycle_configs, LifecycleConfig, "LifecycleConfig"
            ),
            lambda: limits.check_optional_type("user_data_bucket", user_data_bucket, s3.IBucket, "an s3.IBucket"),
            lambda: limits.check_type("user_data_prefix", user_data_prefix, str, "a key prefix (str)"),
            lambda: (
                limits.check_items("allowed_instance_types", allowed_instance_types, str, "instance types (str)")
                if allowed_instance_types is not None and not isinstance(allowed_instance_types, str)
                else None
            ),
        )
        check_domain_settings(
            sso=auth_mode is AuthMode.SSO,
            vpc_only=app_network_access is AppNetworkAccess.VPC_ONLY,
            canvas=canvas,
            emr=emr,
            shared_space_emr=shared_space_emr,
            tensorboard=tensorboard,
            amazon_q=amazon_q,
            trusted_identity_propagation=trusted_identity_propagation,
            docker=docker,
            jupyter_server_code_repositories=jupyter_server_code_repositories,
        )
        super().__init__(scope, construct_id)
        app_defaults = app_defaults or AppDefaults()
        ebs = ebs or EbsStorage()
        idle_shutdown = idle_shutdown or IdleShutdown()
        default_image = default_image or StudioImage.sagemaker_distribution()
        portal_settings: dict[str, Any] = {}
        collect(
            lambda: _validate(domain_name, app_defaults, ebs, idle_shutdown, posix_user, tags),
            lambda: (
                portal_settings.update(portal.render("portal", "AWS::SageMaker::Domain", allowed_instance_types))
                if portal
                else None
            ),
            lambda: check_defaults("default_lifecycle_configs", default_lifecycle_configs),
            lambda: check_allowed_count(
                "lifecycle_configs", _DOMAIN, "DefaultUserSettings", lifecycle_configs, default_lifecycle_configs
            ),
            lambda: check_execution_options(
                allowed_instance_types=allowed_instance_types, app_defaults=app_defaults, user_data_prefix=user_data_prefix
            ),
            lambda: check_custom_images("custom_images", custom_images),
            lambda: check_built_in("built_in_lifecycle_configs", built_in_lifecycle_configs),
            lambda: check_code_repositories("code_repositories", code_repositories),
            lambda: limits.check_optional_type("rstudio", rstudio, RStudioSettings, "an RStudioSettings"),
            lambda: rstudio.validate("rstudio") if isinstance(rstudio, RStudioSettings) else None,
        )
        sharing_settings: dict[str, Any] = {}
        shared_defaults = shared_space_defaults or SharedSpaceDefaults()
        collect(
            lambda: limits.check_optional_type("notebook_sharing", notebook_sharing, NotebookSharing, "a NotebookSharing"),
            lambda: (
                sharing_settings.update(notebook_sharing.render("notebook_sharing", _DOMAIN, "DefaultUserSettings"))
                if isinstance(notebook_sharing, NotebookSharing)
                else None
            ),
            lambda: _check_identity(execution_role_identity, user_data_bucket),
            lambda: check_security_groups("security_groups", security_groups, library_groups=1),
            lambda: limits.check_optional_type(
                "shared_space_defaults", shared_space_defaults, SharedSpaceDefaults, "a SharedSpaceDefaults"
            ),
            lambda: limits.check_items(
                "shared_space_defaults.default_lifecycle_configs",
                shared_defaults.default_lifecycle_configs,
                LifecycleConfig,
                "LifecycleConfig",
            ),
            lambda: check_defaults("shared_space_defaults.default_lifecycle_configs", shared_defaults.default_lifecycle_configs),
            lambda: shared_defaults.validate("shared_space_defaults", library_groups=1),
            lambda: check_code_repositories("shared_space_defaults.code_repositories", shared_defaults.code_repositories),
            lambda: limits.check_optional_type(
                "shared_space_defaults.built_in_lifecycle_config",
                shared_defaults.built_in_lifecycle_config,
                LifecycleConfig,
                "a LifecycleConfig",
            ),
            lambda: limits.check_optional_type("kernel_gateway", kernel_gateway, ClassicAppDefaults, "a ClassicAppDefaults"),
            lambda: limits.check_optional_type("jupyter_server", jupyter_server, ClassicAppDefaults, "a ClassicAppDefaults"),
            lambda: kernel_gateway.validate("kernel_gateway") if kernel_gateway else None,
            lambda: jupyter_server.validate("jupyter_server") if jupyter_server else None,
            lambda: check_custom_file_systems("custom_file_systems", custom_file_systems, in_space=False),
            lambda: _check_file_system_count("custom_file_systems", len(custom_file_systems)),
            lambda: limits.check_optional_type("tag_propagation", tag_propagation, bool, "True or False"),
            lambda: None if ip_address_type is None else limits.check_enum("ip_address_type", ip_address_type, IpAddressType),
            lambda: limits.check_optional_type("unified_studio", unified_studio, UnifiedStudio, "a UnifiedStudio"),
            lambda: check_built_in_level("built_in_lifecycle_configs", built_in_lifecycle_configs),
        )
        unified_studio_settings = unified_studio.render("unified_studio") if unified_studio is not None else {}
        self.shared_space_defaults: SharedSpaceDefaults | None = shared_space_defaults
        """What shared spaces start with where it differs from the domain's defaults."""
        self.custom_file_systems: list[CustomFileSystem] = list(custom_file_systems)
        """The S3 and FSx for Lustre file systems every space of the domain mounts."""
        security_group_management = check_network(
            rstudio=rstudio, app_network_access=app_network_access, app_security_group_management=app_security_group_management
        )
        self.rstudio = rstudio
        self.has_rstudio = rstudio is not None
        self.custom_image_lists = lists_of(custom_images)
        check_listed(
            "default_image", default_image.custom_image, app_type=None, listed=self.custom_image_lists, where="the domain"
        )
        check_classic_defaults(
            "",
            kernel_gateway.image.custom_image if kernel_gateway and kernel_gateway.image else None,
            jupyter_server.image.custom_image if jupyter_server and jupyter_server.image else None,
            self.custom_image_lists,
            "the domain",
        )
        self.allowed_instance_types = list(allowed_instance_types) if allowed_instance_types is not None else None
        self.user_data_bucket = user_data_bucket
        self.user_data_prefix = user_data_prefix
        self._approve(
            lifecycle_configs=[
                *default_lifecycle_configs,
                *lifecycle_configs,
                *built_in_lifecycle_configs,
                *shared_defaults.default_lifecycle_configs,
                *([shared_defaults.built_in_lifecycle_config] if shared_defaults.built_in_lifecycle_config else []),
            ],
            images=[
                default_image,
                *(StudioImage.custom(i) for i in custom_images),
                *(c.image for c in (kernel_gateway, jupyter_server) if c is not None and c.image is not None),
                *(rstudio.images if rstudio else []),
            ],
        )

        self.auth_mode = auth_mode
        self.ebs = ebs
        self.idle_shutdown = idle_shutdown
        self.vpc: ec2.IVpc = vpc
        self.app_network_access = app_network_access
        self.security_group_per_user = security_group_per_user
        self.domain_name = domain_name
        self.default_image = default_image
        self.posix_user = posix_user

        self.encryption_key: kms.IKey = encryption_key or kms.Key(
            self,
            "Key",
            description=f"SageMaker Studio domain {domain_name}: volumes of its spaces",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.security_group: ec2.ISecurityGroup = studio_security_group(
            self, "SecurityGroup", vpc=vpc, description=f"SageMaker Studio domain {domain_name}"
        )
        self.file_system_client_group: ec2.ISecurityGroup | None = (
            ec2.SecurityGroup(
                self,
                "FileSystemClients",
                vpc=vpc,
                description=f"SageMaker Studio domain {domain_name}: apps of users, to reach file systems (no ingress)",
                allow_all_outbound=True,
            )
            if security_group_per_user
            else None
        )
        """With ``security_group_per_user``: a group with no inbound rules that every profile's
        apps also carry, so an :class:`EfsMount` admits all users with one rule (a security
        group holds at most 60 rules by default) without letting users' apps reach each other."""
        self.execution_role: iam.IRole = execution_role or self._default_execution_role()
        self.execution_role_identity: ExecutionRoleIdentity | None = execution_role_identity or (
            ExecutionRoleIdentity.USER_PROFILE_NAME if user_data_bucket is not None else None
        )
        """The domain's ``ExecutionRoleIdentityConfig``; ``None``: not set."""
        if (
            self.execution_role_identity is ExecutionRoleIdentity.USER_PROFILE_NAME
            and user_data_bucket is None
            and isinstance(self.execution_role, iam.Role)
        ):
            from .execution_options import allow_source_identity

            allow_source_identity(self.execution_role)
        self._grant_user_data()
        self.shared_space_execution_role: iam.IRole = shared_space_execution_role or self.execution_role
        _claim_user_data(self)
        self.notebook_sharing: NotebookSharing | None = notebook_sharing
        """The domain's notebook sharing; profiles without their own inherit it."""
        self._grant_options()

        selected = select_subnets("subnets", vpc, subnets)
        collect(
            lambda: limits.check_cfn("vpc", vpc.vpc_id, _DOMAIN, "VpcId", "a VPC id"),
            lambda: limits.check_cfn("subnets", selected.subnet_ids, _DOMAIN, "SubnetIds", "the domain's subnets"),
            lambda: limits.check_cfn(
                "execution_role", self.execution_role.role_arn, _DOMAIN, "DefaultUserSettings/ExecutionRole"
            ),
            lambda: limits.check_cfn(
                "shared_space_execution_role",
                self.shared_space_execution_role.role_arn,
                _DOMAIN,
                "DefaultSpaceSettings/ExecutionRole",
            ),
            lambda: limits.check_cfn("encryption_key", self.encryption_key.key_arn, _DOMAIN, "KmsKeyId", "a KMS key ARN"),
        )
        self.subnets: ec2.SelectedSubnets = selected
        """The subnets apps run in."""
        file_systems = lazy_any(
            lambda: [*file_system_configs(self._file_systems), *custom_file_system_configs(self.custom_file_systems)] or None,
            omit_empty_array=True,
        )
        default_settings = user_settings(
            self,
            "default_user_settings",
            execution_role=self.execution_role,
            security_groups=[self.security_group, *security_groups],
            app_defaults=app_defaults,
            ebs=ebs,
            idle_shutdown=idle_shutdown,
            image=default_image,
            posix_user=posix_user,
            lifecycle_configs=lifecycle_configs,
            default_lifecycle_configs=default_lifecycle_configs,
            custom_images=custom_images,
            built_in_lifecycle_configs=built_in_lifecycle_configs,
            code_repositories=code_repositories,
            kernel_gateway=kernel_gateway,
            jupyter_server=jupyter_server,
        )
        default_settings.update(portal_settings)
        if sharing_settings:
            default_settings["sharingSettings"] = sharing_settings
        default_settings["customFileSystemConfigs"] = file_systems
        rstudio_settings: dict[str, Any] = {}
        if rstudio is not None:
            from .rstudio import default_user_settings, domain_execution_role, domain_settings

            self.rstudio_domain_role: iam.IRole | None = rstudio.domain_execution_role or domain_execution_role(self, domain_name)
            """The role RStudio's server app runs as; ``None`` without ``rstudio``."""
            rstudio_settings = domain_settings(self, rstudio, self.rstudio_domain_role)
            default_settings.update(default_user_settings(self, rstudio))
        else:
            self.rstudio_domain_role = None
        space_settings = {
            "executionRole": self.shared_space_execution_role.role_arn,
            "securityGroups": [
                self.security_group.security_group_id,
                *(g.security_group_id for g in shared_defaults.security_groups),
            ],
            "jupyterLabAppSettings": shared_space_app_settings(
                default_settings["jupyterLabAppSettings"],
                AppType.JUPYTER_LAB,
                shared_defaults,
            ),
            "spaceStorageSettings": default_settings["spaceStorageSettings"],
            "customFileSystemConfigs": file_systems,
        }
        if posix_user is not None:
            space_settings["customPosixUserConfig"] = default_settings["customPosixUserConfig"]
        if shared_defaults.posix_user is not None:
            space_settings["customPosixUserConfig"] = {
                "uid": shared_defaults.posix_user.uid,
                "gid": shared_defaults.posix_user.gid,
            }
        if shared_defaults.ebs is not None:
            space_settings["spaceStorageSettings"] = {
                "defaultEbsStorageSettings": {
                    "defaultEbsVolumeSizeInGb": shared_defaults.ebs.default_gb,
                    "maximumEbsVolumeSizeInGb": shared_defaults.ebs.max_gb,
                }
            }
        for app in (AppType.KERNEL_GATEWAY, AppType.JUPYTER_SERVER):
            key = APP_SETTINGS_KEYS[app.value]
            overridden = shared_space_app_settings(default_settings.get(key, {}), app, shared_defaults)
            if overridden:
                space_settings[key] = overridden

        self._api_only(
            portal=portal,
            default_image=default_image,
            canvas=canvas,
            emr=emr,
            shared_space_emr=shared_space_emr,
            tensorboard=tensorboard,
            amazon_q=amazon_q,
            trusted_identity_propagation=trusted_identity_propagation,
            docker=docker,
            jupyter_server_code_repositories=jupyter_server_code_repositories,
        )
        self.resource = sm.CfnDomain(
            self,
            "Resource",
            domain_name=domain_name,
            auth_mode=auth_mode.value,
            app_network_access_type=app_network_access.value,
            vpc_id=vpc.vpc_id,
            subnet_ids=selected.subnet_ids,
            kms_key_id=self.encryption_key.key_arn,
            home_efs_file_system_creation="Enabled" if rstudio is not None else "Disabled",
            default_user_settings={**default_settings, "autoMountHomeEfs": "Disabled"},
            default_space_settings=space_settings,
            domain_settings={
                "securityGroupIds": [self.security_group.security_group_id],
                **(
                    {"executionRoleIdentityConfig": self.execution_role_identity.value}
                    if self.execution_role_identity is not None
                    else {}
                ),
                **({"ipAddressType": ip_address_type.value} if ip_address_type is not None else {}),
                **({"unifiedStudioSettings": unified_studio_settings} if unified_studio_settings else {}),
                **({"dockerSettings": docker.cfn()} if docker is not None else {}),
                **({"rStudioServerProDomainSettings": rstudio_settings} if rstudio_settings else {}),
            },
            tag_propagation=None if tag_propagation is None else ("ENABLED" if tag_propagation else "DISABLED"),
            app_security_group_management=security_group_management.value if security_group_management else None,
            tags=cfn_tags(tags),
        )
        if rstudio is not None and rstudio.domain_execution_role is None and isinstance(self.rstudio_domain_role, iam.Role):
            from .rstudio import grant_server_app

            grant_server_app(self.rstudio_domain_role, self.resource.attr_domain_id)
        acknowledge_known_gaps(self.resource, "AWS::SageMaker::Domain")  # one domain: every gap of its type
        self.domain_id: str = self.resource.attr_domain_id
        self.domain_arn: str = self.resource.attr_domain_arn
        self.url: str = self.resource.attr_url
        """The Studio URL of the domain."""

    def _api_only(
        self,
        *,
        portal: PortalSettings | None,
        default_image: StudioImage,
        canvas: CanvasSettings | None,
        emr: EmrRoles | None,
        shared_space_emr: EmrRoles | None,
        tensorboard: AppResourceDefaults | None,
        amazon_q: AmazonQ | None,
        trusted_identity_propagation: bool | None,
        docker: DockerAccess | None,
        jupyter_server_code_repositories: Sequence[str],
    ) -> None:
        """Fill :attr:`api_only_settings` from the props CloudFormation cannot carry (whole or in part)."""
        users, spaces, domain = "DefaultUserSettings", "DefaultSpaceSettings", "DomainSettings"
        out = self.api_only_settings
        if portal is not None:
            merge(out, [users], portal.api_only("portal", _DOMAIN))
        merge(out, [users], default_image_aliases(default_image, ["JupyterLab", "CodeEditor"]))
        merge(out, [spaces], default_image_aliases(default_image, ["JupyterLab"]))
        if canvas is not None:
            merge(out, [users, "CanvasAppSettings"], canvas.render(self, "canvas", self.execution_role))
        for key, roles in ((users, emr), (spaces, shared_space_emr)):
            if roles is not None and roles.api():
                merge(out, [key, "JupyterLabAppSettings", "EmrSettings"], roles.api())
                roles.grant_assume(self.execution_role if key == users else self.shared_space_execution_role)
        if tensorboard is not None:
            merge(out, [users, "TensorBoardAppSettings"], tensorboard.api(self, "tensorboard"))
        if jupyter_server_code_repositories:
            for key in (users, spaces):
                merge(out, [key, "JupyterServerAppSettings"], jupyter_server_repositories(jupyter_server_code_repositories))
        if amazon_q is not None:
            merge(out, [domain, "AmazonQSettings"], amazon_q.api())
        if trusted_identity_propagation is not None:
            merge(out, [domain, "TrustedIdentityPropagationSettings"], {"Status": status(trusted_identity_propagation)})
        if docker is not None and docker.api_only():
            merge(out, [domain, "DockerSettings"], docker.api_only())
        for key in [k for k, v in out.items() if not v]:
            del out[key]

    def add_file_system(self, file_system: EfsMount | MountedFileSystem, path: str = "/") -> MountedFileSystem:
        """Mount ``file_system`` in every space of the domain (default user and space settings).

        :param file_system: an :class:`EfsMount` of this domain, or one already given a path.
        :param path: the directory of the file system to mount, when ``file_system`` is a mount.
        """
        from .efs_mount import EfsMount

        mounted = file_system.at(path) if isinstance(file_system, EfsMount) else file_system
        field = f"file_systems[{mounted.file_system.node.id}]"
        mounted.validate(field)
        if mounted.file_system.domain is not self:
            raise StudioConfigError(field, mounted.file_system.node.path, "an EfsMount made for this domain")
        if any(m.file_system is mounted.file_system and m.path == mounted.path for m in self._file_systems):
            raise StudioConfigError(field, mounted.path, "a file system and path not yet mounted at domain level (each once)")
        if len(self._file_systems) + len(self.custom_file_systems) >= MAX_DOMAIN_FILE_SYSTEMS:
            raise StudioConfigError(
                field,
                f"file system {len(self._file_systems) + 1} at domain level",
                f"at most {MAX_DOMAIN_FILE_SYSTEMS} in the domain's default settings (CloudFormation's limit); "
                "attach more to user profiles",
            )
        self._file_systems.append(mounted)
        return mounted

    def _default_execution_role(self) -> iam.Role:
        stack = Stack.of(self)
        role = iam.Role(
            self,
            "ExecutionRole",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description=f"SageMaker Studio domain {self.domain_name}: apps run as this role",
        )
        statements = execution_statements(
            partition=stack.partition,
            region=stack.region,
            account=stack.account,
            key_arn=self.encryption_key.key_arn,
            allowed_instance_types=self.allowed_instance_types,
        )
        for statement in statements:
            role.add_to_policy(statement)
        acknowledge_wildcards(role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(role)
        Tags.of(role).add(PERSONA_TAG, "execution")
        return role

    def _grant_options(self) -> None:
        """What the notebook-sharing bucket and the custom file systems need: the execution role
        reads and writes the sharing prefix; the users' and shared spaces' roles get the S3 file
        systems; FSx for Lustre file systems admit the apps' groups."""
        user_data = (self.user_data_bucket, self.user_data_prefix) if self.user_data_bucket is not None else None
        sharing = self.notebook_sharing
        collect(
            lambda: (
                check_outside_user_data("notebook_sharing.prefix", sharing.bucket, sharing.prefix, user_data) if sharing else None
            ),
            *(
                lambda i=i, fs=fs: check_outside_user_data(f"custom_file_systems[{i}].prefix", fs.bucket, fs.prefix, user_data)
                for i, fs in enumerate(self.custom_file_systems)
                if isinstance(fs, S3FileSystem)
            ),
        )
        if sharing is not None:
            sharing.grant(self.execution_role)
        for role in {id(r): r for r in (self.execution_role, self.shared_space_execution_role)}.values():
            grant_custom_file_systems(role, self.custom_file_systems)
        allow_lustre_from([self.security_group, self.file_system_client_group], self.custom_file_systems)

    def _grant_user_data(self) -> None:
        """Per-user data privacy on the execution role (see ``user_data_bucket``). A role given as
        ``execution_role`` gets the statements too; an imported one must trust
        ``sts:SetSourceIdentity`` already."""
        from .execution_options import allow_source_identity, grant_user_data

        if self.user_data_bucket is None:
            return
        if isinstance(self.execution_role, iam.Role):
            allow_source_identity(self.execution_role)
        grant_user_data(self.execution_role, self.user_data_bucket, self.user_data_prefix)

    @classmethod
    def from_domain_attributes(
        cls,
        scope: Construct,
        construct_id: str,
        *,
        domain_id: str,
        auth_mode: AuthMode = AuthMode.IAM,
        vpc: ec2.IVpc | None = None,
        ebs: EbsStorage | None = None,
        idle_shutdown: IdleShutdown | None = None,
        security_group_per_user: bool = False,
    ) -> StudioDomainBase:
        """A domain made elsewhere, to add user profiles and spaces to.

        :param domain_id: the domain's id (``d-...``).
        :param auth_mode: the domain's auth mode, which decides how profiles are declared.
        :param vpc: the domain's VPC; required with ``security_group_per_user``.
        :param ebs: the domain's EBS sizes, to check spaces against. Default: not checked.
        :param idle_shutdown: the domain's idle bounds, to check spaces against. Default: not checked.
        :param security_group_per_user: give each new profile a security group of its own.
        """
        if security_group_per_user and vpc is None:
            raise StudioConfigError("vpc", None, "the domain's VPC, required with security_group_per_user")
        return _ImportedDomain(
            scope,
            construct_id,
            domain_id=domain_id,
            auth_mode=auth_mode,
            vpc=vpc,
            ebs=ebs,
            idle_shutdown=idle_shutdown,
            security_group_per_user=security_group_per_user,
        )


class _ImportedDomain(StudioDomainBase):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain_id: str,
        auth_mode: AuthMode,
        vpc: ec2.IVpc | None,
        ebs: EbsStorage | None,
        idle_shutdown: IdleShutdown | None,
        security_group_per_user: bool,
    ) -> None:
        super().__init__(scope, construct_id)
        if not limits.is_token(domain_id):
            limits.check_pattern("domain_id", domain_id, "DomainId")
        if ebs is not None:
            ebs.validate("ebs")
        if idle_shutdown is not None:
            idle_shutdown.validate("idle_shutdown")
        stack = Stack.of(self)
        self.domain_id = domain_id
        self.domain_arn = stack.format_arn(service="sagemaker", resource="domain", resource_name=domain_id)
        self.auth_mode = auth_mode
        self.vpc = vpc
        self.ebs = ebs
        self.idle_shutdown = idle_shutdown
        self.security_group_per_user = security_group_per_user


_USER_DATA_DOMAINS: weakref.WeakKeyDictionary[Any, list[StudioDomain]] = weakref.WeakKeyDictionary()
"""The domains of each construct tree (by its root) that use a ``user_data_bucket``."""


def _same(a: Any, b: Any, literal: Callable[[Any], str]) -> bool:
    """The same object, or the same name or ARN written out (an imported one)."""
    return a is b or (not limits.is_token(literal(a)) and literal(a) == literal(b))


def _claim_user_data(domain: StudioDomain) -> None:
    """Refuse a second domain of the app whose users would reach a first one's user data.

    Studio's source identity is the bare profile name, and ``alice`` can be a profile of two
    domains: so two domains with user data must not share an execution role (each role's
    ``<prefix>/${aws:SourceIdentity}/`` grant would serve the other domain's ``alice``), nor
    overlapping prefixes of one bucket.
    """
    if domain.user_data_bucket is None:
        return
    others = _USER_DATA_DOMAINS.setdefault(domain.node.root, [])
    roles = {id(r): r for r in (domain.execution_role, domain.shared_space_execution_role)}.values()
    prefix = domain.user_data_prefix.strip("/") + "/"
    for other in others:
        theirs = (other.execution_role, other.shared_space_execution_role)
        if any(_same(mine, their, lambda r: str(r.role_arn)) for mine in roles for their in theirs):
            raise StudioConfigError(
                "execution_role",
                domain.node.path,
                f"an execution role of this domain alone: domain {other.domain_name} ({other.node.path}) also keeps "
                "user data with it, and a session's source identity is the bare profile name, so its user of the "
                "same name would reach this domain's user's data (and the other way round)",
            )
        other_prefix = other.user_data_prefix.strip("/") + "/"
        bucket = domain.user_data_bucket
        if _same(bucket, other.user_data_bucket, lambda b: str(b.bucket_name)) and (
            prefix.startswith(other_prefix) or other_prefix.startswith(prefix)
        ):
            raise StudioConfigError(
                "user_data_prefix",
                domain.user_data_prefix,
                f"a prefix of its own in this bucket: domain {other.domain_name} ({other.node.path}) keeps its users' "
                f"data under {other.user_data_prefix!r} there, and a profile name is per domain, so the same-named "
                "users of both domains would share a folder (give each domain its own prefix, such as its name)",
            )
    others.append(domain)


def _check_identity(identity: ExecutionRoleIdentity | None, user_data_bucket: s3.IBucket | None) -> None:
    """``user_data_bucket`` needs ``USER_PROFILE_NAME``: it keys each user's folder on the source identity."""
    if identity is None:
        return
    limits.check_enum("execution_role_identity", identity, ExecutionRoleIdentity)
    if identity is ExecutionRoleIdentity.DISABLED and user_data_bucket is not None:
        raise StudioConfigError(
            "execution_role_identity",
            identity.value,
            "USER_PROFILE_NAME (or leave it out): user_data_bucket gives each user the folder of their source identity, "
            "which DISABLED turns off",
        )


def _check_file_system_count(field: str, count: int) -> None:
    if count > MAX_DOMAIN_FILE_SYSTEMS:
        raise StudioConfigError(field, f"{count} file systems", f"at most {MAX_DOMAIN_FILE_SYSTEMS} at domain level")


def _validate(
    domain_name: str,
    app_defaults: AppDefaults,
    ebs: EbsStorage,
    idle_shutdown: IdleShutdown,
    posix_user: PosixUser | None,
    tags: Mapping[str, str] | None,
) -> None:
    collect(
        lambda: limits.check_name("domain_name", domain_name, "DomainName"),
        lambda: app_defaults.validate("app_defaults"),
        lambda: ebs.validate("ebs"),
        lambda: idle_shutdown.validate("idle_shutdown"),
        lambda: posix_user.validate("posix_user") if posix_user is not None else None,
        lambda: limits.check_tags("tags", tags, "AWS::SageMaker::Domain"),
    )


def select_subnets(field: str, vpc: ec2.IVpc, subnets: ec2.SubnetSelection | None) -> ec2.SelectedSubnets:
    """The subnets of ``vpc`` that ``subnets`` selects: at least one, else a :class:`StudioConfigError`
    (CDK's own error for a selection that matches nothing is a RuntimeError from jsii)."""
    try:
        selected = vpc.select_subnets(**subnet_selection_kwargs(subnets))
    except RuntimeError as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise StudioConfigError(field, _describe(subnets), f"a selection that matches subnets of vpc ({reason})") from None
    if not selected.subnet_ids:
        raise StudioConfigError(field, _describe(subnets), "a selection that matches at least one subnet of vpc")
    return selected


def _describe(subnets: ec2.SubnetSelection | None) -> object:
    return "the VPC's private subnets" if subnets is None else {k: str(v) for k, v in subnets._values.items()}


def subnet_selection_kwargs(subnets: ec2.SubnetSelection | None) -> dict[str, Any]:
    """``select_subnets`` takes the selection's fields as keywords in Python."""
    if subnets is None:
        return {}
    return {k: v for k, v in subnets._values.items() if v is not None}
