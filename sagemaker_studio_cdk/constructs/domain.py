"""``StudioDomain``: a SageMaker Studio domain with EBS-backed spaces and secure defaults."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import Aspects, RemovalPolicy, Stack, Tags, Token
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
from .api_settings import ApiSettingsHook, DeployedSettings, StudioApiSettings
from .app_settings import check_built_in, check_code_repositories
from .custom_image import CustomImage, ImageAppType, check_custom_images, check_listed, lists_of
from .image import StudioImage
from .portal import PortalSettings
from .rendering import cfn_tags, file_system_configs, lazy_any, user_settings
from .security_group import studio_security_group
from .settings import AppDefaults, AppNetworkAccess, AuthMode, EbsStorage, IdleShutdown, PosixUser

if TYPE_CHECKING:
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

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._users: dict[str, UserProfile] = {}
        self._spaces: dict[str, Space] = {}
        self._lifecycle_configs: dict[str, LifecycleConfig] = {}
        self._images: dict[str, StudioImage] = {}
        self._file_systems: list[MountedFileSystem] = []
        self._on_register: list[Callable[[UserProfile | Space], None]] = []
        self.api_only_settings: dict[str, dict[str, Any]] = {}
        """The settings CloudFormation lacks, applied by a :class:`StudioApiSettings`: per
        ``CreateDomain`` member (``DefaultUserSettings``, ``DefaultSpaceSettings``,
        ``DomainSettings``), only the API-only members, API-shaped, at their real depth. Default:
        none (no settings resource)."""
        self.deployed_settings: DeployedSettings | None = None
        """What the roster records of the deployed domain (blocks CloudFormation writes, creation
        values of create-only settings); ``None``: not deployed, or not known."""
        self._api_settings: list[StudioApiSettings] = []
        Aspects.of(self).add(ApiSettingsHook(self))

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
            same = [t for t in taken if t.lower() == name.lower()]
            if same:
                raise StudioConfigError(
                    field, name, f"a {kind} name not yet used in this domain; {same[0]!r} is the same name (not case sensitive)"
                )
        if name in taken:
            raise StudioConfigError(field, name, f"a {kind} name not yet used in this domain (it is declared twice)")

    def _register(self, item: UserProfile | Space) -> None:
        from .user_profile import UserProfile

        if isinstance(item, UserProfile):
            self._users[item.user_profile_name] = item
        else:
            self._spaces[item.space_name] = item
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
    :param tags: tags on the domain (updated in place).

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
        tags: Mapping[str, str] | None = None,
    ) -> None:
        from .execution_options import check_execution_options
        from .lifecycle_config import LifecycleConfig, check_allowed_count, check_defaults

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
        )
        self.custom_image_lists = lists_of(custom_images)
        check_listed(
            "default_image", default_image.custom_image, app_type=None, listed=self.custom_image_lists, where="the domain"
        )
        self.allowed_instance_types = list(allowed_instance_types) if allowed_instance_types is not None else None
        self.user_data_bucket = user_data_bucket
        self.user_data_prefix = user_data_prefix
        self._approve(
            lifecycle_configs=[*default_lifecycle_configs, *lifecycle_configs, *built_in_lifecycle_configs],
            images=[default_image, *(StudioImage.custom(i) for i in custom_images)],
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
        self._grant_user_data()
        self.shared_space_execution_role: iam.IRole = shared_space_execution_role or self.execution_role

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
        file_systems = lazy_any(lambda: file_system_configs(self._file_systems) or None, omit_empty_array=True)
        default_settings = user_settings(
            self,
            "default_user_settings",
            execution_role=self.execution_role,
            security_groups=[self.security_group],
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
        )
        default_settings.update(portal_settings)
        default_settings["customFileSystemConfigs"] = file_systems
        space_settings = {
            "executionRole": self.shared_space_execution_role.role_arn,
            "securityGroups": [self.security_group.security_group_id],
            "jupyterLabAppSettings": default_settings["jupyterLabAppSettings"],
            "spaceStorageSettings": default_settings["spaceStorageSettings"],
            "customFileSystemConfigs": file_systems,
        }
        if posix_user is not None:
            space_settings["customPosixUserConfig"] = default_settings["customPosixUserConfig"]
        if "kernelGatewayAppSettings" in default_settings:
            space_settings["kernelGatewayAppSettings"] = default_settings["kernelGatewayAppSettings"]

        self.resource = sm.CfnDomain(
            self,
            "Resource",
            domain_name=domain_name,
            auth_mode=auth_mode.value,
            app_network_access_type=app_network_access.value,
            vpc_id=vpc.vpc_id,
            subnet_ids=selected.subnet_ids,
            kms_key_id=self.encryption_key.key_arn,
            home_efs_file_system_creation="Disabled",
            default_user_settings={**default_settings, "autoMountHomeEfs": "Disabled"},
            default_space_settings=space_settings,
            domain_settings={
                "securityGroupIds": [self.security_group.security_group_id],
                **({"executionRoleIdentityConfig": "USER_PROFILE_NAME"} if user_data_bucket is not None else {}),
            },
            tags=cfn_tags(tags),
        )
        acknowledge_known_gaps(self.resource)
        self.domain_id: str = self.resource.attr_domain_id
        self.domain_arn: str = self.resource.attr_domain_arn
        self.url: str = self.resource.attr_url
        """The Studio URL of the domain."""

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
        if len(self._file_systems) >= MAX_DOMAIN_FILE_SYSTEMS:
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
        if not Token.is_unresolved(domain_id):
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
