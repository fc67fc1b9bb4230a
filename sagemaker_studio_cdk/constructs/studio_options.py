"""Studio settings CloudFormation carries beyond the basics: notebook sharing, the execution role
identity, extra security groups, Kernel Gateway and Jupyter Server defaults, S3 and FSx for Lustre
file systems, tag propagation, IP address type, and shared-space defaults.

Each value type checks itself against botocore's model and CloudFormation's schema when a
construct binds it, with the field path of the prop that received it; each ``render`` returns the
L1 (jsii camelCase) shape that the domain, profile or space emits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_fsx as fsx
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from pydantic import ConfigDict

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.file_access import s3_file_system_statements, shared_notebook_statements
from .grants import grant_statements
from .image import StudioImage
from .settings import AppType, EbsStorage, IdleShutdown, PosixUser, check_training_plan

if TYPE_CHECKING:
    from .lifecycle_config import LifecycleConfig

MAX_SECURITY_GROUPS = int(limits._shape("SecurityGroupIds").metadata["max"])
"""Security groups in one ``UserSettings`` / ``DefaultSpaceSettings`` (the API's limit, 5)."""


class NotebookOutputOption(Enum):
    """Whether a shared notebook snapshot keeps its cells' output (``SharingSettings.NotebookOutputOption``)."""

    ALLOWED = "Allowed"
    """Snapshots include cell output, stored at the sharing S3 path."""
    DISABLED = "Disabled"
    """Snapshots leave cell output out (Studio's default)."""


class ExecutionRoleIdentity(Enum):
    """What Studio sets as the source identity of the execution role's sessions
    (``DomainSettings.ExecutionRoleIdentityConfig``)."""

    USER_PROFILE_NAME = "USER_PROFILE_NAME"
    """The profile's name, so CloudTrail and ``aws:SourceIdentity`` conditions tell users apart."""
    DISABLED = "DISABLED"
    """No source identity."""


class IpAddressType(Enum):
    """IP addressing of the domain's apps (``DomainSettings.IpAddressType``; CloudFormation's values)."""

    IPV4 = "IPV4"
    DUALSTACK = "DUALSTACK"
    """IPv6 alongside IPv4; the subnets need IPv6 CIDR blocks."""


class SpaceManagedResources(Enum):
    """Whether SageMaker makes a space's owning profile and its app for you when the space is
    created (``SpaceSettings.SpaceManagedResources``)."""

    ENABLED = "ENABLED"
    """SageMaker creates the user profile that owns the space and the space's app."""
    DISABLED = "DISABLED"
    """SageMaker creates neither (the library declares profiles itself)."""


_UNIFIED_STUDIO_MEMBERS = (
    # (prop, CloudFormation/L1 member, botocore shape of the member)
    ("domain_account_id", "domainAccountId", "DomainAccountId", "AccountId"),
    ("domain_region", "domainRegion", "DomainRegion", "RegionName"),
    ("domain_id", "domainId", "DomainId", "UnifiedStudioDomainId"),
    ("project_id", "projectId", "ProjectId", "UnifiedStudioProjectId"),
    ("environment_id", "environmentId", "EnvironmentId", "UnifiedStudioEnvironmentId"),
    ("project_s3_path", "projectS3Path", "ProjectS3Path", "S3Uri"),
)


@dataclass(frozen=True)
class UnifiedStudio:
    """The domain's link to Amazon SageMaker Unified Studio (``DomainSettings.UnifiedStudioSettings``).

    The API's ``SingleSignOnApplicationArn`` member is left out: CloudFormation has no property for
    it and SageMaker Unified Studio sets it when it manages the domain.

    :param studio_web_portal_access: ``True`` keeps the domain reachable in SageMaker Studio as
        well as Unified Studio; ``False`` makes it reachable in Unified Studio only. Default: not set (Studio's).
    :param domain_id: the Unified Studio domain (``dzd_...``). Default: none.
    :param domain_account_id: the account of the Unified Studio domain (12 digits). Default: this domain's account.
    :param domain_region: the Region of the Unified Studio domain. Default: this domain's Region.
    :param project_id: the Unified Studio project that corresponds to this domain. Default: none.
    :param environment_id: the Unified Studio environment associated with this domain. Default: none.
    :param project_s3_path: where S3 keeps the project's temporary execution data and artifacts. Default: none.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    studio_web_portal_access: bool | None = None
    domain_id: str | None = None
    domain_account_id: str | None = None
    domain_region: str | None = None
    project_id: str | None = None
    environment_id: str | None = None
    project_s3_path: str | None = None

    def render(self, field_: str) -> dict[str, Any]:
        """The checked ``UnifiedStudioSettings`` (L1 shape): each member against botocore's shape and
        CloudFormation's schema."""
        checks: list[Callable[[], object]] = [
            lambda: limits.check_optional_type(
                f"{field_}.studio_web_portal_access", self.studio_web_portal_access, bool, "True or False"
            )
        ]
        checks.extend(partial(self._check, field_, prop, cfn_name, shape) for prop, _, cfn_name, shape in _UNIFIED_STUDIO_MEMBERS)
        collect(*checks)
        rendered: dict[str, Any] = {
            l1: getattr(self, prop) for prop, l1, _, _ in _UNIFIED_STUDIO_MEMBERS if getattr(self, prop) is not None
        }
        if self.studio_web_portal_access is not None:
            rendered["studioWebPortalAccess"] = "ENABLED" if self.studio_web_portal_access else "DISABLED"
        return rendered

    def _check(self, field_: str, prop: str, cfn_name: str, shape: str) -> None:
        value, where = getattr(self, prop), f"{field_}.{prop}"
        limits.check_optional_type(where, value, str, "a string")
        limits.check_pattern(where, value, shape)
        limits.check_cfn(where, value, "AWS::SageMaker::Domain", f"DomainSettings/UnifiedStudioSettings/{cfn_name}")


@dataclass(frozen=True)
class NotebookSharing:
    """Notebook sharing from Studio (``SharingSettings``).

    :param output_option: ``ALLOWED`` keeps cell output in shared snapshots (needs ``bucket``);
        ``DISABLED`` leaves it out (then give no bucket or key). Default: ``ALLOWED``.
    :param bucket: the bucket snapshots go to. The execution role that applies (the domain's for
        domain-level sharing, the profile's for a profile's) is granted read and write on ``prefix``
        only, and use of ``encryption_key`` (else the bucket's key). Default: none.
    :param prefix: the key prefix in ``bucket``. Default: ``shared-notebooks``.
    :param encryption_key: the KMS key that encrypts the snapshots. Default: the bucket's own encryption.
    """

    output_option: NotebookOutputOption = NotebookOutputOption.ALLOWED
    bucket: s3.IBucket | None = None
    prefix: str = "shared-notebooks"
    encryption_key: kms.IKey | None = None

    def render(self, field_: str, resource_type: str, settings: str) -> dict[str, Any]:
        """The checked ``SharingSettings`` of ``settings`` (``DefaultUserSettings`` or ``UserSettings``)."""
        collect(
            lambda: limits.check_enum(f"{field_}.output_option", self.output_option, NotebookOutputOption),
            lambda: limits.check_optional_type(f"{field_}.bucket", self.bucket, s3.IBucket, "an s3.IBucket"),
            lambda: limits.check_optional_type(f"{field_}.encryption_key", self.encryption_key, kms.IKey, "a kms.IKey"),
            lambda: limits.check_type(f"{field_}.prefix", self.prefix, str, "a key prefix (str)"),
        )
        if self.output_option is NotebookOutputOption.ALLOWED and self.bucket is None:
            raise StudioConfigError(f"{field_}.bucket", None, "the bucket shared snapshots go to: output_option is ALLOWED")
        if self.output_option is NotebookOutputOption.DISABLED and (self.bucket or self.encryption_key):
            raise StudioConfigError(
                f"{field_}.bucket" if self.bucket else f"{field_}.encryption_key",
                "given",
                "no bucket or key: with output_option DISABLED Studio stores no snapshot output (use ALLOWED to share output)",
            )
        if self.prefix.startswith("/") or "//" in self.prefix:
            raise StudioConfigError(f"{field_}.prefix", self.prefix, "a key prefix without a leading or double slash")
        rendered: dict[str, Any] = {"notebookOutputOption": self.output_option.value}
        if self.bucket is not None:
            path = f"s3://{self.bucket.bucket_name}/{self.prefix}" if self.prefix else f"s3://{self.bucket.bucket_name}"
            limits.check_cfn(f"{field_}.prefix", path, resource_type, f"{settings}/SharingSettings/S3OutputPath", "an S3 URI")
            rendered["s3OutputPath"] = path
        if self.encryption_key is not None:
            rendered["s3KmsKeyId"] = self.encryption_key.key_arn
        return rendered

    def grant(self, role: iam.IRole) -> None:
        """``role`` reads and writes the snapshots under ``prefix`` (nothing else in the bucket) and
        uses the key that encrypts them."""
        if self.bucket is None:
            return
        grant_statements(role, shared_notebook_statements(bucket_arn=self.bucket.bucket_arn, prefix=self.prefix))
        key = self.encryption_key or self.bucket.encryption_key
        if key is not None:
            key.grant_encrypt_decrypt(role)


@dataclass(frozen=True)
class ClassicAppDefaults:
    """Defaults of a Kernel Gateway or Jupyter Server app (Studio Classic), for teams still on it.

    Lifecycle configs of these apps go in the same ``lifecycle_configs`` /
    ``default_lifecycle_configs`` props as JupyterLab's (made with ``AppType.KERNEL_GATEWAY`` or
    ``AppType.JUPYTER_SERVER``); Kernel Gateway custom images in ``custom_images``.

    :param instance_type: the app's default instance type (Jupyter Server runs on ``system``). Default: Studio's.
    :param image: the image the app starts (``StudioImage.from_image_arn``, ``from_image_version_arn``
        or, for Kernel Gateway, ``StudioImage.custom`` of a listed Kernel Gateway image). Default: Studio's.
    """

    instance_type: str | None = None
    image: StudioImage | None = None

    def validate(self, field_: str) -> None:
        """A known instance type and a :class:`StudioImage`."""
        collect(
            lambda: (
                None
                if self.instance_type == "system"
                else limits.check_instance_type(f"{field_}.instance_type", self.instance_type)
            ),
            lambda: limits.check_optional_type(f"{field_}.image", self.image, StudioImage, "a StudioImage"),
        )


@dataclass(frozen=True)
class S3FileSystem:
    """An S3 prefix mounted in spaces (``S3FileSystemConfig`` / a space's ``S3FileSystem``).

    The execution role of each space that mounts it (the domain's, a profile's, the shared-space
    role) is granted read on ``prefix`` only, and write too unless ``read_only``; with the bucket's
    key, decrypt (and encrypt). The API has no read-only mount: Studio mounts the prefix and the
    role's permissions decide what succeeds.

    :param bucket: the bucket.
    :param prefix: the key prefix mounted. Default: the whole bucket.
    :param mount_path: where it appears in the space, for domain and profile defaults
        (a space's own S3 file system takes no mount path). Default: Studio's.
    :param read_only: grant read only, so writes to the mount fail. Default: ``False`` (read and write).
    """

    bucket: s3.IBucket
    prefix: str = ""
    mount_path: str | None = None
    read_only: bool = False

    def grant(self, role: iam.IRole, source_identity: str | None = None) -> None:
        """``role`` lists and reads (and, unless ``read_only``, writes) the keys under ``prefix`` only;
        with ``source_identity``, only that user's sessions of it."""
        statements = s3_file_system_statements(
            bucket_arn=self.bucket.bucket_arn, prefix=self.prefix, write=not self.read_only, source_identity=source_identity
        )
        grant_statements(role, statements)
        key = self.bucket.encryption_key
        if key is not None:
            (key.grant_decrypt if self.read_only else key.grant_encrypt_decrypt)(role)

    def uri(self) -> str:
        """``s3://bucket/prefix``."""
        return f"s3://{self.bucket.bucket_name}/{self.prefix}"


@dataclass(frozen=True)
class FsxLustreFileSystem:
    """An FSx for Lustre file system mounted in spaces (``FSxLustreFileSystemConfig``).

    Made with :meth:`of` from an ``fsx.IFileSystem`` (``fsx.LustreFileSystem`` or an imported one
    with its security groups), the file system admits the domain's security group (and, with
    ``security_group_per_user``, the file-system client group every profile's apps carry) on the
    Lustre ports, TCP 988 and 1018-1023 (:data:`LUSTRE_PORTS`). Given only ``file_system_id``,
    the library cannot reach the file system's security group: open those ports to the domain's
    group yourself.

    :param file_system_id: the file system's id (``fs-...``).
    :param path: the directory mounted, for domain and profile defaults (a space mounts the whole
        file system). Default: Studio's (the root).
    """

    file_system_id: str
    path: str | None = None
    connections: ec2.Connections | None = field(default=None, compare=False)
    """The file system's connections (from :meth:`of`): where the Lustre rules go."""

    @classmethod
    def of(cls, file_system: fsx.IFileSystem, path: str | None = None) -> FsxLustreFileSystem:
        """The FSx for Lustre file system ``file_system``, mounted at ``path``."""
        limits.check_type("file_system", file_system, fsx.IFileSystem, "an fsx.IFileSystem")
        return cls(file_system_id=file_system.file_system_id, path=path, connections=file_system.connections)

    def allow_from(self, group: ec2.ISecurityGroup) -> None:
        """The file system admits ``group`` on the Lustre ports (nothing without :attr:`connections`)."""
        if self.connections is None:
            return
        for port in LUSTRE_PORTS:
            self.connections.allow_from(group, port, "Studio apps mount FSx for Lustre")


LUSTRE_PORTS = (ec2.Port.tcp(988), ec2.Port.tcp_range(1018, 1023))
"""What Lustre clients open to an FSx for Lustre file system (the FSx user guide's security group rules)."""


def grant_custom_file_systems(
    role: iam.IRole, file_systems: Sequence[CustomFileSystem], source_identity: str | None = None
) -> None:
    """``role`` (with ``source_identity``: that user's sessions of it) gets what each S3 file system grants."""
    for fs in file_systems:
        if isinstance(fs, S3FileSystem):
            fs.grant(role, source_identity)


def allow_lustre_from(groups: Sequence[ec2.ISecurityGroup | None], file_systems: Sequence[CustomFileSystem]) -> None:
    """Each FSx for Lustre file system made with :meth:`FsxLustreFileSystem.of` admits ``groups``
    (the domain's group and, with ``security_group_per_user``, its file-system client group)."""
    for fs in file_systems:
        if isinstance(fs, FsxLustreFileSystem):
            for group in groups:
                if group is not None:
                    fs.allow_from(group)


def user_scope(domain: object, role: iam.IRole, user: str) -> str | None:
    """The source identity that keeps a grant of ``user``'s own setting to that user's sessions:
    ``user`` when ``role`` is one the domain shares among users (its execution or shared-space role)
    and Studio sets the profile name as source identity (``USER_PROFILE_NAME``); else ``None``
    (a role of the user's own, or no identity to tell users apart)."""
    shared = role is getattr(domain, "execution_role", None) or role is getattr(domain, "shared_space_execution_role", None)
    identity = getattr(domain, "execution_role_identity", None)
    return user if shared and identity is ExecutionRoleIdentity.USER_PROFILE_NAME else None


def check_outside_user_data(
    field_: str, bucket: s3.IBucket | None, prefix: str, user_data: tuple[s3.IBucket, str] | None
) -> None:
    """A grant on ``prefix`` of ``bucket`` must not cover the users' private folders of the
    user-data bucket (``user_data``: the bucket and its prefix): one execution role serves every user."""
    if bucket is None or user_data is None:
        return
    data_bucket, data_prefix = user_data
    same = bucket is data_bucket or (not limits.is_token(bucket.bucket_name) and bucket.bucket_name == data_bucket.bucket_name)
    granted, private = prefix.strip("/"), data_prefix.strip("/")
    if same and (not granted or private == granted or private.startswith(granted + "/") or granted.startswith(private + "/")):
        raise StudioConfigError(
            field_,
            f"s3://{bucket.bucket_name}/{granted}" if not limits.is_token(bucket.bucket_name) else granted or "(whole bucket)",
            f"a prefix outside {data_prefix}/ of the user-data bucket: the execution role would be granted every "
            "user's private folder",
        )


CustomFileSystem = S3FileSystem | FsxLustreFileSystem
"""A file system beside EFS (EFS mounts are :class:`EfsMount` s)."""


def check_custom_file_systems(field_: str, file_systems: Sequence[CustomFileSystem], *, in_space: bool) -> None:
    """Each item an S3 or FSx for Lustre file system with valid paths; a space's take no path."""
    if isinstance(file_systems, (str, S3FileSystem, FsxLustreFileSystem)):
        raise StudioConfigError(field_, file_systems, "a list of S3FileSystem / FsxLustreFileSystem")
    for i, fs in enumerate(file_systems):
        where = f"{field_}[{i}]"
        if isinstance(fs, S3FileSystem):
            limits.check_type(f"{where}.bucket", fs.bucket, s3.IBucket, "an s3.IBucket")
            limits.check_type(f"{where}.prefix", fs.prefix, str, "a key prefix (str)")
            limits.check_optional_type(f"{where}.mount_path", fs.mount_path, str, "a path (str)")
            limits.check_pattern(f"{where}.prefix", fs.uri(), "S3SchemaUri", "an S3 URI")
            if fs.prefix.startswith("/"):
                raise StudioConfigError(f"{where}.prefix", fs.prefix, "a key prefix without a leading slash")
            if fs.mount_path is not None:
                if in_space:
                    raise StudioConfigError(
                        f"{where}.mount_path", fs.mount_path, "no mount path: a space's S3FileSystem takes only the URI"
                    )
                if not fs.mount_path.startswith("/"):
                    raise StudioConfigError(f"{where}.mount_path", fs.mount_path, "an absolute path such as /mnt/data")
                limits.check_pattern(f"{where}.mount_path", fs.mount_path, "String1024", "a path")
        elif isinstance(fs, FsxLustreFileSystem):
            limits.check_type(f"{where}.file_system_id", fs.file_system_id, str, "an FSx file system id (str)")
            if fs.path is not None and in_space:
                raise StudioConfigError(f"{where}.path", fs.path, "no path: a space mounts the whole file system")
            limits.check_pattern(f"{where}.path", fs.path, "FileSystemPath", "an absolute path such as /team")
            limits.check_pattern(
                f"{where}.file_system_id", fs.file_system_id, "FileSystemId", "an FSx file system id such as fs-0123456789abcdef0"
            )
        else:
            raise StudioConfigError(where, fs, "an S3FileSystem or FsxLustreFileSystem")


def custom_file_system_configs(file_systems: Sequence[CustomFileSystem]) -> list[dict[str, Any]]:
    """``CustomFileSystemConfigs`` entries of domain or profile settings."""
    configs: list[dict[str, Any]] = []
    for fs in file_systems:
        if isinstance(fs, S3FileSystem):
            s3_config = {"s3Uri": fs.uri(), **({"mountPath": fs.mount_path} if fs.mount_path else {})}
            configs.append({"s3FileSystemConfig": s3_config})
        else:
            fsx_config = {"fileSystemId": fs.file_system_id, **({"fileSystemPath": fs.path} if fs.path else {})}
            configs.append({"fSxLustreFileSystemConfig": fsx_config})
    return configs


def space_custom_file_systems(file_systems: Sequence[CustomFileSystem]) -> list[dict[str, Any]]:
    """A space's ``CustomFileSystems`` entries."""
    return [
        {"s3FileSystem": {"s3Uri": fs.uri()}}
        if isinstance(fs, S3FileSystem)
        else {"fSxLustreFileSystem": {"fileSystemId": fs.file_system_id}}
        for fs in file_systems
    ]


def check_security_groups(field_: str, groups: Sequence[ec2.ISecurityGroup], *, library_groups: int) -> None:
    """Extra security groups: ``ec2.ISecurityGroup`` s, at most :data:`MAX_SECURITY_GROUPS` with
    the ``library_groups`` the library adds itself."""
    limits.check_items(field_, groups, ec2.ISecurityGroup, "ec2.ISecurityGroup")
    if library_groups + len(groups) > MAX_SECURITY_GROUPS:
        raise StudioConfigError(
            field_,
            f"{len(groups)} security groups",
            f"at most {MAX_SECURITY_GROUPS - library_groups}: the API allows {MAX_SECURITY_GROUPS} per settings block "
            f"and the library adds {library_groups} of its own",
        )


@dataclass(frozen=True)
class SharedSpaceDefaults:
    """What shared spaces start with where it differs from the domain's defaults
    (``DefaultSpaceSettings``). Studio's ``DefaultSpaceSettings`` has JupyterLab, Kernel Gateway
    and Jupyter Server settings and no Code Editor settings: a Code Editor value here is refused.

    :param security_groups: security groups shared spaces' apps carry besides the domain's.
        Default: none.
    :param jupyter_lab_instance_type: JupyterLab's default instance type in shared spaces.
        Default: the domain's ``app_defaults``.
    :param idle_shutdown: JupyterLab's idle shutdown in shared spaces. Default: the domain's.
    :param default_lifecycle_configs: at most one per app type (JupyterLab, Kernel Gateway,
        Jupyter Server), run by default in shared spaces instead of the domain's. Default: the domain's.
    :param code_repositories: Git URLs JupyterLab offers in shared spaces, instead of the domain's.
        Default: the domain's.
    :param built_in_lifecycle_config: a JupyterLab lifecycle config run before the default one in
        shared spaces (``BuiltInLifecycleConfigArn``), instead of the domain's. Default: the domain's.
    :param ebs: shared spaces' default and maximum EBS sizes. Default: the domain's ``ebs``.
    :param posix_user: the POSIX identity shared spaces' apps run as. Default: the domain's.
    :param training_plan_arn: the training plan whose reserved capacity JupyterLab launches on in
        shared spaces (``DefaultSpaceSettings``' ``DefaultResourceSpec.TrainingPlanArn``). Default:
        the domain's ``app_defaults.training_plan_arn``.
    """

    security_groups: Sequence[ec2.ISecurityGroup] = field(default_factory=tuple)
    jupyter_lab_instance_type: str | None = None
    idle_shutdown: IdleShutdown | None = None
    default_lifecycle_configs: Sequence[LifecycleConfig] = field(default_factory=tuple)
    code_repositories: Sequence[str] = field(default_factory=tuple)
    built_in_lifecycle_config: LifecycleConfig | None = None
    ebs: EbsStorage | None = None
    posix_user: PosixUser | None = None
    training_plan_arn: str | None = None

    def validate(self, field_: str, *, library_groups: int) -> None:
        """Each value valid at this level; a Code Editor lifecycle config is on the wrong level (the
        domain checks the configs' types and one default per app)."""
        collect(
            lambda: check_security_groups(f"{field_}.security_groups", self.security_groups, library_groups=library_groups),
            lambda: limits.check_instance_type(f"{field_}.jupyter_lab_instance_type", self.jupyter_lab_instance_type),
            lambda: limits.check_optional_type(f"{field_}.idle_shutdown", self.idle_shutdown, IdleShutdown, "an IdleShutdown"),
            lambda: check_training_plan(
                f"{field_}.training_plan_arn",
                self.training_plan_arn,
                "AWS::SageMaker::Domain",
                "DefaultSpaceSettings/JupyterLabAppSettings/DefaultResourceSpec/TrainingPlanArn",
            ),
        )
        collect(
            lambda: limits.check_optional_type(f"{field_}.ebs", self.ebs, EbsStorage, "an EbsStorage"),
            lambda: limits.check_optional_type(f"{field_}.posix_user", self.posix_user, PosixUser, "a PosixUser"),
        )
        collect(
            lambda: self.idle_shutdown.validate(f"{field_}.idle_shutdown") if self.idle_shutdown else None,
            lambda: self.ebs.validate(f"{field_}.ebs") if self.ebs else None,
            lambda: self.posix_user.validate(f"{field_}.posix_user") if self.posix_user else None,
        )
        if self.built_in_lifecycle_config is not None and self.built_in_lifecycle_config.app_type is not AppType.JUPYTER_LAB:
            raise StudioConfigError(
                f"{field_}.built_in_lifecycle_config",
                f"{self.built_in_lifecycle_config.node.id} ({self.built_in_lifecycle_config.app_type.value})",
                "a JupyterLab config: shared-space defaults have built-in lifecycle configs for JupyterLab only",
            )
        for i, config in enumerate(self.default_lifecycle_configs):
            if config.app_type is AppType.CODE_EDITOR:
                raise StudioConfigError(
                    f"{field_}.default_lifecycle_configs[{i}]",
                    f"{config.node.id} (CodeEditor)",
                    "a JupyterLab, KernelGateway or JupyterServer config: shared-space defaults have no Code Editor "
                    "settings (Studio's DefaultSpaceSettings has none, in the API and CloudFormation alike)",
                )


def check_built_in_level(field_: str, configs: Sequence[LifecycleConfig]) -> None:
    """Built-in lifecycle configs exist for JupyterLab and Code Editor only (``BuiltInLifecycleConfigArn``)."""
    for i, config in enumerate(configs):
        if config.app_type not in (AppType.JUPYTER_LAB, AppType.CODE_EDITOR):
            raise StudioConfigError(
                f"{field_}[{i}]",
                f"{config.node.id} ({config.app_type.value})",
                "a JupyterLab or Code Editor config: Studio has BuiltInLifecycleConfigArn for those apps only",
            )
