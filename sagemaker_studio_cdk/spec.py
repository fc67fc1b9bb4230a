"""The domain spec (``studio.yaml``): typed, validated, with a JSON Schema export for editors.

Every field maps to a construct prop; ranges and patterns are checked by the same code the
constructs use (``limits.py`` and the value types of ``constructs/settings.py``), and every error
names the field's location in the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import regex as re
import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from . import limits
from .constructs.app_settings import check_code_repositories
from .constructs.cleanup import CleanupOptions, HomeEfsRetention
from .constructs.custom_image import ImageAppType, ImageFileSystem, ImageVersionMetadata, KernelSpec, parse_reference
from .constructs.execution_options import check_allowed_instance_types
from .constructs.image import Processor, StudioImage
from .constructs.lifecycle_config import check_script, read_script
from .constructs.portal import PortalSettings
from .constructs.rstudio import RStudioUser
from .constructs.settings import (
    AppDefaults,
    AppNetworkAccess,
    AppSecurityGroupManagement,
    AppType,
    AuthMode,
    EbsStorage,
    IdleShutdown,
    PosixUser,
    RemoteAccess,
    SpaceSharing,
    check_training_plan,
)
from .constructs.space import check_ownership
from .constructs.studio_options import (
    ExecutionRoleIdentity,
    IpAddressType,
    NotebookOutputOption,
    SpaceManagedResources,
    UnifiedStudio,
)
from .errors import StudioConfigError
from .spec_rstudio import RStudioSpec
from .spec_settings import DomainApiSettings, SpaceApiSettings, UserApiSettings
from .spec_workbench import FeatureStoreSpec, MlflowSpec

Path_ = tuple[str | int, ...]
"""A location in the spec: keys and list indexes from the top."""

DEFAULT_GROUP = "users"
"""The group of users without a ``group`` in release 0.1.0, and the first the library fills."""

_DISTRIBUTION = {f"sagemaker-distribution-{p.value}": p for p in Processor}

ImageRef = Annotated[
    str,
    Field(
        description="`sagemaker-distribution-cpu`, `sagemaker-distribution-gpu`, the name of one of custom_images, "
        "a SageMaker image ARN, or an image version ARN (`...:image-version/<name>/<version>`)",
        examples=["sagemaker-distribution-cpu"],
    ),
]
Tags = Annotated[dict[str, str], Field(description="tags, updated in place")]


def to_image(value: str) -> StudioImage:
    """The :class:`StudioImage` an image reference of the spec names."""
    processor = _DISTRIBUTION.get(value)
    if processor:
        return StudioImage.sagemaker_distribution(processor)
    if ":image-version/" in value:
        return StudioImage.from_image_version_arn(value)
    return StudioImage.from_image_arn(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _check_settings(value: Any) -> Any:
    """A settings value type (EbsStorage, IdleShutdown, ...) checks itself."""
    if value is not None:
        value.validate("value")
    return value


def _check_image(value: str | None) -> str | None:
    if value is None:
        return value
    if value in _DISTRIBUTION or value.startswith("arn:"):
        to_image(value)
    else:
        limits.check_pattern(
            "value", value, "ImageName", "a SageMaker Distribution name, a custom image's name or a SageMaker image ARN"
        )
    return value


def is_custom_image_ref(value: str) -> bool:
    """True when an image reference names one of the spec's ``custom_images``."""
    return value not in _DISTRIBUTION and not value.startswith("arn:")


def _check_tags(resource_type: str) -> Callable[[dict[str, str]], dict[str, str]]:
    """A validator of tags for ``resource_type`` (API and CloudFormation limits)."""

    def check(value: dict[str, str]) -> dict[str, str]:
        limits.check_tags("value", value, resource_type)
        return value

    return check


class LifecycleConfigSpec(_Model):
    """A lifecycle script, referred to by name from the domain, users and spaces."""

    name: str = Field(description="the config's name in this file; the readable prefix of its content-addressed name")
    app_type: AppType = Field(description="JupyterLab or CodeEditor")
    script: str | None = Field(None, description="the script's text")
    script_file: str | None = Field(None, description="a file with the script, relative to this spec file")
    tags: Tags = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "StudioLifecycleConfigName")
        return value

    @model_validator(mode="after")
    def _script(self) -> LifecycleConfigSpec:
        check_script("value", read_script("value", self.script, self.script_file))
        return self

    @property
    def content(self) -> str:
        """The script, read from ``script_file`` when given."""
        return read_script("script", self.script, self.script_file)

    _tags = field_validator("tags")(_check_tags("AWS::SageMaker::StudioLifecycleConfig"))


class CustomImageSpec(_Model):
    """A container image in ECR made into a SageMaker image (see :class:`CustomImage`)."""

    name: str = Field(description="the SageMaker image's name, unique in the account; it cannot change")
    repository: str = Field(description="the ECR repository: a name in this account and region, or an ARN")
    tag_or_digest: str = Field(description="sha256:<64 hex> (recommended: a tag can be re-pushed) or a tag")
    app_type: ImageAppType = Field(ImageAppType.JUPYTER_LAB, description="JupyterLab, CodeEditor, KernelGateway, RSessionGateway")
    entrypoint: list[str] = Field(default_factory=list, description="JupyterLab/CodeEditor: the container's entrypoint")
    arguments: list[str] = Field(default_factory=list, description="JupyterLab/CodeEditor: arguments to the entrypoint")
    environment: dict[str, str] = Field(default_factory=dict, description="JupyterLab/CodeEditor: environment variables")
    kernel_specs: list[KernelSpec] = Field(default_factory=list, description="KernelGateway: the image's kernels (1-5)")
    file_system: ImageFileSystem | None = Field(None, description="KernelGateway: home mount path, uid and gid")
    display_name: str | None = None
    description: str | None = None
    version_metadata: ImageVersionMetadata | None = Field(
        None, description="the version's aliases, release notes, vendor guidance and the like (updated in place)"
    )
    tags: Tags = Field(default_factory=dict)

    @field_validator("version_metadata")
    @classmethod
    def _metadata(cls, value: ImageVersionMetadata | None) -> ImageVersionMetadata | None:
        if value is not None:
            value.render("value")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_pattern("value", value, "ImageName", "an image name")
        return value

    @field_validator("tag_or_digest")
    @classmethod
    def _reference(cls, value: str) -> str:
        parse_reference("value", value)
        return value

    @field_validator("repository")
    @classmethod
    def _repository(cls, value: str) -> str:
        if not (value.startswith("arn:") or _REPOSITORY_NAME.fullmatch(value)):
            raise StudioConfigError("value", value, "an ECR repository name (lowercase, digits, . _ - /) or ARN")
        return value

    _tags = field_validator("tags")(_check_tags("AWS::SageMaker::Image"))


_REPOSITORY_NAME = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*")


class FileSystemSpec(_Model):
    """An EFS file system for the domain's spaces: new, or existing by id."""

    name: str = Field(description="the file system's name in this file")
    file_system_id: str | None = Field(None, description="an existing file system; none makes a new one, retained")
    security_group_id: str | None = Field(None, description="the security group of an existing file system's mount targets")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "SpaceName")
        return value

    @field_validator("file_system_id")
    @classmethod
    def _id(cls, value: str | None) -> str | None:
        limits.check_pattern("value", value, "FileSystemId", "an EFS file system id such as fs-0123456789abcdef0")
        limits.check_cfn(
            "value",
            value,
            "AWS::SageMaker::Space",
            "SpaceSettings/CustomFileSystems/*/EFSFileSystem/FileSystemId",
            "an EFS file system id such as fs-0123456789abcdef0",
        )
        return value

    @field_validator("security_group_id")
    @classmethod
    def _group(cls, value: str | None) -> str | None:
        limits.check_cfn("value", value, "AWS::EC2::SecurityGroupIngress", "GroupId", "a security group id such as sg-0123abcd")
        return value

    @model_validator(mode="after")
    def _existing(self) -> FileSystemSpec:
        if (self.file_system_id is None) != (self.security_group_id is None):
            raise StudioConfigError(
                "value.security_group_id" if self.file_system_id else "value.file_system_id",
                None,
                "file_system_id and security_group_id together (an existing file system), or neither (a new one)",
            )
        return self


class MountSpec(_Model):
    """A file system of ``file_systems`` mounted at a directory of it."""

    name: str = Field(description="a name from file_systems")
    path: str = Field("/", description="the directory of the file system to mount, from its root")

    @field_validator("path")
    @classmethod
    def _path(cls, value: str) -> str:
        limits.check_pattern("value", value, "FileSystemPath", "an absolute path such as /team")
        return value


class NotebookSharingSpec(_Model):
    """Notebook sharing (``SharingSettings``); see :class:`NotebookSharing`."""

    output_option: NotebookOutputOption = Field(NotebookOutputOption.ALLOWED, description="Allowed or Disabled")
    bucket: str | None = Field(None, description="the existing bucket (name) shared snapshots go to; required with Allowed")
    prefix: str = Field("shared-notebooks", description="the key prefix in the bucket")
    kms_key_arn: str | None = Field(None, description="the KMS key (ARN) that encrypts the snapshots")

    @model_validator(mode="after")
    def _consistent(self) -> NotebookSharingSpec:
        if self.output_option is NotebookOutputOption.ALLOWED and self.bucket is None:
            raise StudioConfigError("value.bucket", None, "the bucket shared snapshots go to: output_option is Allowed")
        if self.output_option is NotebookOutputOption.DISABLED and (self.bucket or self.kms_key_arn):
            raise StudioConfigError("value.bucket", self.bucket, "no bucket or key with output_option Disabled")
        limits.check_pattern("value.bucket", self.bucket, "BucketName", "an S3 bucket name")
        limits.check_pattern("value.kms_key_arn", self.kms_key_arn, "KmsKeyId", "a KMS key ARN")
        return self


class ClassicAppSpec(_Model):
    """Studio Classic Kernel Gateway or Jupyter Server defaults; see :class:`ClassicAppDefaults`."""

    instance_type: str | None = Field(None, description="the app's default instance type")
    image: ImageRef | None = None

    _image = field_validator("image")(_check_image)

    @field_validator("instance_type")
    @classmethod
    def _instance(cls, value: str | None) -> str | None:
        limits.check_instance_type("value", value)
        return value


class CustomFileSystemSpec(_Model):
    """An S3 prefix (``s3_bucket``) or FSx for Lustre file system (``fsx_file_system_id``) mounted in spaces."""

    s3_bucket: str | None = Field(None, description="an existing bucket's name")
    s3_prefix: str = Field("", description="the key prefix mounted")
    mount_path: str | None = Field(None, description="S3, domain and user level: where it appears in the space")
    read_only: bool = Field(False, description="S3: grant the execution role read only, so writes to the mount fail")
    fsx_file_system_id: str | None = Field(None, description="an FSx for Lustre file system id (fs-...)")
    path: str | None = Field(None, description="FSx, domain and user level: the directory mounted")

    @model_validator(mode="after")
    def _one(self) -> CustomFileSystemSpec:
        if (self.s3_bucket is None) == (self.fsx_file_system_id is None):
            raise StudioConfigError("value", self.model_dump(exclude_none=True), "exactly one of s3_bucket or fsx_file_system_id")
        if self.read_only and self.fsx_file_system_id is not None:
            raise StudioConfigError(
                "value.read_only", True, "false: read_only is an S3 setting (FSx access is POSIX permissions)"
            )
        limits.check_pattern("value.s3_bucket", self.s3_bucket, "BucketName", "an S3 bucket name")
        limits.check_pattern("value.fsx_file_system_id", self.fsx_file_system_id, "FileSystemId", "an FSx file system id")
        limits.check_pattern("value.path", self.path, "FileSystemPath", "an absolute path such as /team")
        return self


SecurityGroupIds = Annotated[
    list[str], Field(description="ids of existing security groups apps carry besides the library's (at most 5 in all)")
]


def _check_group_ids(value: list[str]) -> list[str]:
    for i, group in enumerate(value):
        limits.check_cfn(
            f"value.{i}", group, "AWS::EC2::SecurityGroupIngress", "GroupId", "a security group id such as sg-0123abcd"
        )
    return value


class SharedSpaceDefaultsSpec(_Model):
    """What shared spaces start with where it differs from the domain (``DefaultSpaceSettings``):
    JupyterLab, Kernel Gateway and Jupyter Server only; Studio has no Code Editor settings there."""

    security_group_ids: SecurityGroupIds = Field(default_factory=list)
    jupyter_lab_instance_type: str | None = Field(None, description="JupyterLab's default instance type in shared spaces")
    idle_shutdown: IdleShutdown | None = Field(None, description="JupyterLab's idle shutdown in shared spaces")
    code_repositories: list[str] = Field(
        default_factory=list, description="https:// Git URLs JupyterLab offers in shared spaces (instead of the domain's)"
    )
    built_in_lifecycle_config: str | None = Field(
        None, description="the name of a JupyterLab lifecycle config run before the default one in shared spaces"
    )
    ebs: EbsStorage | None = Field(None, description="shared spaces' default and maximum EBS size, GB")
    posix_user: PosixUser | None = Field(None, description="the POSIX identity shared spaces' apps run as")
    default_lifecycle_configs: list[str] = Field(
        default_factory=list, description="names of lifecycle configs run by default in shared spaces (no Code Editor)"
    )
    training_plan_arn: str | None = Field(
        None, description="the training plan JupyterLab launches on in shared spaces (instead of the domain's)"
    )

    _groups = field_validator("security_group_ids")(_check_group_ids)

    @field_validator("training_plan_arn")
    @classmethod
    def _training_plan(cls, value: str | None) -> str | None:
        check_training_plan("value", value)
        return value

    _settings = field_validator("idle_shutdown", "ebs", "posix_user")(_check_settings)

    @field_validator("code_repositories")
    @classmethod
    def _repositories(cls, value: list[str]) -> list[str]:
        check_code_repositories("value", value)
        return value

    @model_validator(mode="before")
    @classmethod
    def _no_code_editor(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            for key in value:
                if isinstance(key, str) and key.startswith("code_editor"):
                    raise StudioConfigError(
                        f"value.{key}",
                        value[key],
                        "nothing: shared-space defaults have no Code Editor settings (Studio's DefaultSpaceSettings has "
                        "none, in the API and CloudFormation alike); a Code Editor shared space takes the space's own "
                        "instance_type and image",
                    )
        return value

    @field_validator("jupyter_lab_instance_type")
    @classmethod
    def _instance(cls, value: str | None) -> str | None:
        limits.check_instance_type("value", value)
        return value


HOME_EFS_RETENTION_REFUSAL = (
    "nothing without rstudio: RetentionPolicy.HomeEfsFileSystem is a DeleteDomain parameter that decides the fate of "
    "the domain's home EFS, and only a domain with rstudio has one (otherwise HomeEfsFileSystemCreation: Disabled): "
    "files live on each space's EBS volume and on the file_systems you declare, which the library retains"
)
"""Why ``domain.home_efs_retention`` is refused on a domain without ``rstudio`` (docs/operations.md)."""

HOME_EFS_DELETE_NEEDS_CLEANUP = (
    "Retain, or domain.cleanup.enabled: true: the cleanup deletes the domain with its home EFS after the profiles "
    "and spaces (CloudFormation's own delete keeps it)"
)
"""Why ``domain.home_efs_retention: Delete`` needs the cleanup."""


class _SettingsSpec(_Model):
    """Settings a domain sets for everyone and a user may override (left out: the domain's)."""

    app_defaults: AppDefaults | None = Field(None, description="default instance types")
    ebs: EbsStorage | None = Field(None, description="default and maximum EBS size of spaces, GB")
    idle_shutdown: IdleShutdown | None = Field(None, description="idle shutdown timeout and bounds, minutes")
    default_image: ImageRef | None = None
    posix_user: PosixUser | None = Field(None, description="the POSIX identity apps run as")
    lifecycle_configs: list[str] = Field(default_factory=list, description="names of lifecycle configs users may choose")
    default_lifecycle_configs: list[str] = Field(
        default_factory=list, description="names of lifecycle configs run by default (at most one per app type)"
    )
    file_systems: list[MountSpec] = Field(default_factory=list, description="file systems mounted in spaces")
    custom_images: list[str] = Field(
        default_factory=list, description="names of custom_images users may start (each in its app's list)"
    )
    built_in_lifecycle_configs: list[str] = Field(
        default_factory=list, description="names of lifecycle configs run before the default one (at most one per app type)"
    )
    code_repositories: list[str] = Field(default_factory=list, description="https:// Git URLs JupyterLab offers")
    portal: PortalSettings | None = Field(None, description="what the Studio web portal shows (hiding is not enforcement)")
    notebook_sharing: NotebookSharingSpec | None = Field(None, description="notebook sharing: output option, S3 path, key")
    security_group_ids: SecurityGroupIds = Field(default_factory=list)
    kernel_gateway: ClassicAppSpec | None = Field(None, description="Studio Classic Kernel Gateway defaults")
    jupyter_server: ClassicAppSpec | None = Field(None, description="Studio Classic Jupyter Server defaults")
    custom_file_systems: list[CustomFileSystemSpec] = Field(
        default_factory=list, description="S3 prefixes and FSx for Lustre file systems mounted in spaces"
    )
    tags: Tags = Field(default_factory=dict)

    _settings = field_validator("app_defaults", "ebs", "idle_shutdown", "posix_user")(_check_settings)
    _groups = field_validator("security_group_ids")(_check_group_ids)
    _image = field_validator("default_image")(_check_image)
    _tags = field_validator("tags")(_check_tags("AWS::SageMaker::UserProfile"))

    @field_validator("code_repositories")
    @classmethod
    def _repositories(cls, value: list[str]) -> list[str]:
        check_code_repositories("value", value)
        return value

    def _check_portal(self, resource_type: str) -> None:
        """Every portal value CloudFormation accepts (following ``allowed_instance_types`` is
        checked against the domain in :class:`StudioSpec`)."""
        if self.portal is not None:
            replace(self.portal, hide_disallowed_instance_types=False).render("value.portal", resource_type, None)


class DomainSpec(_SettingsSpec, DomainApiSettings):
    """The domain: one per spec."""

    name: str = Field(description="the domain's name; it cannot change after the first deploy")
    auth_mode: AuthMode = Field(AuthMode.IAM, description="IAM or SSO")
    app_network_access: AppNetworkAccess = Field(AppNetworkAccess.VPC_ONLY, description="VpcOnly or PublicInternetOnly")
    security_group_per_user: bool = Field(False, description="one security group per user profile (AWS's recommendation)")
    app_defaults: AppDefaults = Field(default_factory=AppDefaults, description="default instance types")
    ebs: EbsStorage = Field(default_factory=EbsStorage, description="default and maximum EBS size of spaces, GB")
    idle_shutdown: IdleShutdown = Field(default_factory=IdleShutdown, description="idle shutdown timeout and bounds, minutes")
    default_image: ImageRef = "sagemaker-distribution-cpu"
    file_systems: list[MountSpec] = Field(default_factory=list, description="file systems every space mounts (at most 2)")
    cleanup: CleanupOptions = Field(
        default_factory=CleanupOptions,
        description="delete users' apps (and, when allowed, spaces the stack did not make) so the domain and retired "
        "users can be deleted; see docs/operations.md",
    )
    allowed_instance_types: list[str] | None = Field(
        None,
        description="instance types or patterns (ml.t3.*) apps may use, enforced with sagemaker:InstanceTypes; "
        "portal.hide_disallowed_instance_types follows it",
    )
    execution_role_identity: ExecutionRoleIdentity | None = Field(
        None, description="USER_PROFILE_NAME or DISABLED; default: USER_PROFILE_NAME with a user data bucket, else not set"
    )
    shared_space_defaults: SharedSpaceDefaultsSpec | None = Field(
        None, description="shared spaces' own security groups, JupyterLab instance type, idle shutdown, lifecycle configs"
    )
    tag_propagation: bool | None = Field(None, description="propagate tags to the SageMaker resources Studio makes")
    ip_address_type: IpAddressType | None = Field(None, description="IPV4 or DUALSTACK")
    unified_studio: UnifiedStudio | None = Field(
        None, description="the domain's link to SageMaker Unified Studio (DomainSettings.UnifiedStudioSettings)"
    )

    @field_validator("unified_studio")
    @classmethod
    def _unified_studio(cls, value: UnifiedStudio | None) -> UnifiedStudio | None:
        if value is not None:
            value.render("value")
        return value

    home_efs_retention: HomeEfsRetention | None = Field(
        None,
        description="Retain or Delete: what deleting the stack does with the home EFS (only with rstudio; Delete needs "
        "cleanup.enabled). Default: Retain",
    )

    rstudio: RStudioSpec | None = Field(None, description="RStudio on SageMaker (needs a Posit license; see README)")
    app_security_group_management: AppSecurityGroupManagement | None = Field(
        None, description="Service or Customer: who makes the security groups between apps (Service with rstudio)"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "DomainName")
        return value

    _cleanup = field_validator("cleanup")(_check_settings)

    @model_validator(mode="after")
    def _home_efs(self) -> DomainSpec:
        if self.home_efs_retention is not None and self.rstudio is None:
            raise StudioConfigError("value.home_efs_retention", self.home_efs_retention.value, HOME_EFS_RETENTION_REFUSAL)
        if self.home_efs_retention is HomeEfsRetention.DELETE and not self.cleanup.enabled:
            raise StudioConfigError("value.home_efs_retention", self.home_efs_retention.value, HOME_EFS_DELETE_NEEDS_CLEANUP)
        return self

    @model_validator(mode="after")
    def _portal(self) -> DomainSpec:
        check_allowed_instance_types("value.allowed_instance_types", self.allowed_instance_types, self.app_defaults)
        self._check_portal("AWS::SageMaker::Domain")
        return self


class UserSpec(_SettingsSpec, UserApiSettings):
    """A user profile; settings left out are the domain's (a list given replaces the domain's)."""

    name: str = Field(description="the profile's name; it cannot change")
    group: str | None = Field(
        None,
        description="the nested user stack this user lives in; set once, never changed. Left out: the library "
        "places the user and the roster remembers where (see README, The roster)",
    )
    sso_user_name: str | None = Field(None, description="IAM Identity Center user name (SSO domains only)")
    file_systems: list[MountSpec] = Field(default_factory=list, description="file systems of this user's spaces (at most 10)")
    rstudio: RStudioUser | None = Field(None, description="this user's RStudio access and group; set at creation only")

    @field_validator("name", "group")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is not None:
            limits.check_name("value", value, "UserProfileName")
        return value

    @model_validator(mode="after")
    def _portal(self) -> UserSpec:
        self._check_portal("AWS::SageMaker::UserProfile")
        return self


class SpaceSpec(_Model, SpaceApiSettings):
    """A space: private to its owner, or shared by every user."""

    name: str = Field(description="the space's name, unique in the domain; it cannot change")
    sharing: SpaceSharing = Field(SpaceSharing.SHARED, description="Private or Shared; it cannot change")
    owner: str | None = Field(None, description="the owner of a private space (a user's name); it cannot change")
    app_type: AppType = Field(AppType.JUPYTER_LAB, description="JupyterLab or CodeEditor")
    ebs_gb: int | None = Field(None, description="the space's EBS size, GB; at most the domain's (or owner's) maximum")
    instance_type: str | None = Field(None, description="the app's default instance type")
    image: ImageRef | None = None
    idle_timeout_minutes: int | None = Field(None, description="within the idle bounds of the domain (or owner)")
    display_name: str | None = None
    lifecycle_config: str | None = Field(None, description="the name of the lifecycle config the app runs by default")
    file_systems: list[str | MountSpec] = Field(
        default_factory=list, description="names of file systems mounted whole (a space takes no path)"
    )
    code_repositories: list[str] = Field(default_factory=list, description="JupyterLab only: https:// Git URLs")
    remote_access: RemoteAccess | None = Field(
        None, description="ENABLED lets a local IDE connect to the space; default: not set (disabled)"
    )
    custom_file_systems: list[CustomFileSystemSpec] = Field(
        default_factory=list, description="an S3 prefix or FSx for Lustre file system mounted whole (no mount_path/path)"
    )
    managed_resources: SpaceManagedResources | None = Field(
        None, description="ENABLED: SageMaker creates the owning profile and the space's app; default: not set"
    )
    training_plan_arn: str | None = Field(
        None, description="a training plan whose reserved capacity the app launches on (applied through the API)"
    )
    tags: Tags = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "SpaceName")
        return value

    @field_validator("training_plan_arn")
    @classmethod
    def _training_plan(cls, value: str | None) -> str | None:
        check_training_plan("value", value)
        return value

    @field_validator("ebs_gb")
    @classmethod
    def _ebs(cls, value: int | None) -> int | None:
        limits.check_in_range("value", value, limits.ebs_range(), "GB")
        return value

    @field_validator("idle_timeout_minutes")
    @classmethod
    def _idle(cls, value: int | None) -> int | None:
        limits.check_in_range("value", value, limits.idle_range(), "minutes")
        return value

    @field_validator("instance_type")
    @classmethod
    def _instance(cls, value: str | None) -> str | None:
        limits.check_instance_type("value", value)
        return value

    _image = field_validator("image")(_check_image)

    @field_validator("display_name")
    @classmethod
    def _display_name(cls, value: str | None) -> str | None:
        limits.check_pattern("value", value, "NonEmptyString64", "a display name")
        limits.check_cfn("value", value, "AWS::SageMaker::Space", "SpaceDisplayName", "a display name")
        return value

    @field_validator("file_systems")
    @classmethod
    def _whole_file_systems(cls, value: list[str | MountSpec]) -> list[str | MountSpec]:
        for i, item in enumerate(value):
            if isinstance(item, MountSpec):
                raise StudioConfigError(
                    f"value.{i}", item.model_dump(), "a file system's name only: a space mounts the whole file system, no path"
                )
        return value

    @property
    def file_system_names(self) -> list[str]:
        """The names of :attr:`file_systems` (all plain names once validated)."""
        return [f if isinstance(f, str) else f.name for f in self.file_systems]

    _tags = field_validator("tags")(_check_tags("AWS::SageMaker::Space"))


class StudioSpec(_Model):
    """A whole Studio domain: the domain, its users and their spaces."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="sagemaker-studio-cdk domain spec")

    region: str | None = Field(None, description="the region to deploy to; none makes an environment-agnostic stack")
    domain: DomainSpec
    lifecycle_configs: list[LifecycleConfigSpec] = Field(default_factory=list)
    file_systems: list[FileSystemSpec] = Field(default_factory=list)
    custom_images: list[CustomImageSpec] = Field(default_factory=list, description="custom images from ECR")
    users: list[UserSpec] = Field(default_factory=list)
    users_file: str | None = Field(
        None,
        description="a CSV file of more users, relative to this spec file: a header naming the columns name "
        "(required), sso_user_name and group, then one user a line; # comments and blank lines are skipped. "
        "Read by load_spec and load_specs, which add its users to users",
    )
    spaces: list[SpaceSpec] = Field(default_factory=list)
    mlflow: MlflowSpec = Field(default_factory=MlflowSpec, description="MLflow Apps and tracking servers of the domain")
    feature_store: FeatureStoreSpec | None = Field(None, description="feature groups the execution role may use, by prefix")

    _source: str = PrivateAttr("spec")
    _lines: dict[Path_, int] = PrivateAttr(default_factory=dict)
    _elsewhere: dict[Path_, str] = PrivateAttr(default_factory=dict)
    _stack_id: str | None = PrivateAttr(None)

    def location(self, *path: str | int) -> str:
        """Where ``path`` (keys and list indexes) is in the spec: ``file:line`` when the spec was
        read by :func:`load_spec` (a user of ``users_file``: that file's line), else the source's name."""
        if path[:2] in self._elsewhere:
            return self._elsewhere[path[:2]]
        line = _line_of(self._lines, path)
        return f"{self._source}:{line}" if line else self._source

    @model_validator(mode="after")
    def _references(self) -> StudioSpec:
        limits.check_unique("users[].name", (u.name for u in self.users))
        if limits.case_insensitive("CreateUserProfile", "UserProfileName"):
            limits.check_unique("users[].name (not case sensitive)", (u.name.lower() for u in self.users))
        limits.check_unique(
            "users[].sso_user_name (one profile per IAM Identity Center user)",
            (u.sso_user_name for u in self.users if u.sso_user_name is not None),
        )
        limits.check_unique("spaces[].name", (s.name for s in self.spaces))
        limits.check_unique("lifecycle_configs[].name", (c.name for c in self.lifecycle_configs))
        limits.check_unique("file_systems[].name", (f.name for f in self.file_systems))
        limits.check_unique("custom_images[].name", (c.name for c in self.custom_images))
        images = {c.name for c in self.custom_images}
        configs = {c.name for c in self.lifecycle_configs}
        file_systems = {f.name for f in self.file_systems}
        owners: list[tuple[str, DomainSpec | UserSpec]] = [("domain", self.domain)]
        owners += [(f"users[{i}] ({u.name})", u) for i, u in enumerate(self.users)]
        for where, item in owners:
            for key in ("lifecycle_configs", "default_lifecycle_configs", "built_in_lifecycle_configs"):
                for name in getattr(item, key):
                    _check_known(f"{where}.{key}", name, configs, "lifecycle_configs")
            for key in ("kernel_gateway", "jupyter_server"):
                classic = getattr(item, key)
                if classic is not None and classic.image is not None and is_custom_image_ref(classic.image):
                    _check_known(f"{where}.{key}.image", classic.image, images, "custom_images")
            for name in item.custom_images:
                _check_known(f"{where}.custom_images", name, images, "custom_images")
            if item.default_image is not None and is_custom_image_ref(item.default_image):
                _check_known(f"{where}.default_image", item.default_image, images, "custom_images")
            if item.portal is not None and item.portal.hide_disallowed_instance_types and not self.domain.allowed_instance_types:
                raise StudioConfigError(
                    f"{where}.portal.hide_disallowed_instance_types", True, "domain.allowed_instance_types to follow"
                )
            for mount in item.file_systems:
                _check_known(f"{where}.file_systems", mount.name, file_systems, "file_systems")
        if self.domain.shared_space_defaults is not None:
            shared = self.domain.shared_space_defaults
            for name in shared.default_lifecycle_configs:
                _check_known("domain.shared_space_defaults.default_lifecycle_configs", name, configs, "lifecycle_configs")
            if shared.built_in_lifecycle_config is not None:
                _check_known(
                    "domain.shared_space_defaults.built_in_lifecycle_config",
                    shared.built_in_lifecycle_config,
                    configs,
                    "lifecycle_configs",
                )
        users = {u.name: u for u in self.users}
        for i, space in enumerate(self.spaces):
            field = f"spaces[{i}] ({space.name})"
            check_ownership(field, space.sharing, space.owner, users.keys())
            bounds = users[space.owner] if space.owner in users else None
            ebs = (bounds.ebs if bounds else None) or self.domain.ebs
            limits.check_not_above(f"{field}.ebs_gb", space.ebs_gb, "the maximum EBS size (ebs.max_gb)", ebs.max_gb, "GB")
            idle = (bounds.idle_shutdown if bounds else None) or self.domain.idle_shutdown
            idle.check_timeout(f"{field}.idle_timeout_minutes", space.idle_timeout_minutes)
            if space.image is not None and is_custom_image_ref(space.image):
                _check_known(f"{field}.image", space.image, images, "custom_images")
            if space.lifecycle_config is not None:
                _check_known(f"{field}.lifecycle_config", space.lifecycle_config, configs, "lifecycle_configs")
            for name in space.file_system_names:
                _check_known(f"{field}.file_systems", name, file_systems, "file_systems")
        return self


def _check_known(field: str, name: str, known: set[str], section: str) -> None:
    if name not in known:
        raise StudioConfigError(field, name, f"a name declared in {section} ({', '.join(sorted(known)) or 'none declared'})")


MAX_EXPANDED_NODES = 100_000
"""The most YAML nodes a spec may expand to once aliases are followed: a real spec has a few
thousand; a "billion laughs" file of nested aliases has billions."""


class _DuplicateKey(yaml.MarkedYAMLError):
    def __init__(self, key: object, first: yaml.Mark, second: yaml.Mark) -> None:
        super().__init__(problem=f"duplicate key {key!r}", problem_mark=second)
        self.key, self.first, self.second = key, first, second


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a key given twice in one mapping (PyYAML keeps the last one
    silently). Keys a merge (``<<``) brings in may be overridden by the mapping's own keys, as
    YAML's merge defines; the mapping's own keys are checked once the merge is done."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        own: dict[Any, yaml.Mark] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = own.get(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is not None:
                raise _DuplicateKey(key, first, key_node.start_mark)
            own[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes ``node`` stands for with every alias expanded (counted once per node)."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = 1  # a recursive alias counts once rather than forever
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    size = min(size, MAX_EXPANDED_NODES + 1)
    memo[id(node)] = size
    return size


def _lines(node: yaml.Node, path: Path_, found: dict[Path_, int]) -> None:
    """The 1-based line of every key and list item below ``node`` (merges already applied)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                found[(*path, key_node.value)] = key_node.start_mark.line + 1
                _lines(value, (*path, key_node.value), found)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            found[(*path, i)] = item.start_mark.line + 1
            _lines(item, (*path, i), found)


def _parse_yaml(text: str, source: str) -> tuple[Any, dict[Path_, int]]:
    """The document of ``text`` and the line of each location in it."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise StudioConfigError(
                source, "aliases expanding past the limit", f"at most {MAX_EXPANDED_NODES} YAML nodes with aliases expanded"
            )
        data = loader.construct_document(node)
        lines: dict[Path_, int] = {}
        _lines(node, (), lines)
        return data, lines
    except _DuplicateKey as err:
        raise StudioConfigError(
            f"{source}:{err.second.line + 1}",
            err.key,
            f"each key once in a mapping: {err.key!r} is on lines {err.first.line + 1} and {err.second.line + 1} "
            "(YAML would keep only the last)",
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{source}:{mark.line + 1}:{mark.column + 1}" if mark else source
        raise StudioConfigError(where, getattr(err, "problem", None) or str(err), "valid YAML") from None
    finally:
        loader.dispose()


def read_document(path: str | Path) -> tuple[Any, dict[Path_, int]]:
    """The parsed YAML or JSON document of ``path`` and the line of each location in it (see
    :func:`load_spec` for what is refused)."""
    path = Path(path)
    source = str(path)
    if path.is_dir():
        raise StudioConfigError(source, "a directory", "a spec file (YAML or JSON), not a directory")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise StudioConfigError(source, None, f"a readable spec file ({err.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise StudioConfigError(f"{source}:{line}", data[err.start : err.start + 4], "a UTF-8 text file") from None
    raw, lines = _parse_yaml(text, source)
    if raw is None:
        raise StudioConfigError(source, "an empty file", "a spec with at least a domain (see studio.yaml)")
    return raw, lines


def load_spec(path: str | Path) -> StudioSpec:
    """Read and validate a YAML or JSON spec of one domain; any problem is one :class:`StudioConfigError`.

    The file must be UTF-8. A key given twice in one mapping is an error naming both lines;
    merge keys (``<<``) are allowed; aliases may not expand past :data:`MAX_EXPANDED_NODES`.
    Errors name the file and line of the value concerned. A file of several domains
    (``domains:``) is read by :func:`~sagemaker_studio_cdk.spec_domains.load_specs`.
    """
    raw, lines = read_document(path)
    if isinstance(raw, dict) and "domains" in raw:
        raise StudioConfigError(
            f"{path}:{lines.get(('domains',), 1)}: domains",
            "several domains",
            "one domain for load_spec; read a file of several domains with load_specs",
        )
    return spec_of_document(raw, lines, str(path), Path(path).parent)


def spec_of_document(raw: Any, lines: Mapping[Path_, int], source: str, base: Path) -> StudioSpec:
    """Validate one domain's document read by :func:`read_document`; ``script_file`` and
    ``users_file`` are relative to ``base``."""
    elsewhere: dict[Path_, str] = {}
    if isinstance(raw, dict):
        for config in raw.get("lifecycle_configs") or []:
            if isinstance(config, dict) and isinstance(config.get("script_file"), str):
                config["script_file"] = str(base / config["script_file"])
        if "users_file" in raw:
            from .spec_users import read_users_file

            where = f"{source}:{lines.get(('users_file',), 1)}: users_file"
            if not isinstance(raw["users_file"], str):
                raise StudioConfigError(where, raw["users_file"], "the path of a CSV file, relative to the spec")
            raw, elsewhere = read_users_file(raw, base / raw["users_file"], where, lambda *p: _located(source, lines, p))
            raw = {k: v for k, v in raw.items() if k != "users_file"}
    spec = parse_spec(raw, source=source, lines=lines)
    spec._elsewhere = elsewhere
    return spec


def _located(source: str, lines: Mapping[Path_, int], path: Sequence[str | int]) -> str:
    line = _line_of(lines, path)
    return f"{source}:{line}" if line else source


def _line_of(lines: Mapping[Path_, int], location: Sequence[str | int]) -> int | None:
    """The line of the longest known prefix of ``location``."""
    for end in range(len(location), 0, -1):
        line = lines.get(tuple(location[:end]))
        if line is not None:
            return line
    return None


def _where_of_field(source: str, lines: Mapping[Path_, int], field: str) -> str:
    """``file:line`` of a whole-spec check's field such as ``spaces[1] (lab).ebs_gb``."""
    found = re.match(r"(\w+)\[(\d+)\]", field)
    line = lines.get((found[1], int(found[2]))) if found else None
    return f"{source}:{line}" if line else source


def parse_spec(raw: Any, source: str = "spec", *, lines: Mapping[Path_, int] | None = None) -> StudioSpec:
    """Validate an already parsed spec (a mapping).

    :param source: the file's name in messages.
    :param lines: the line of each location (as :func:`load_spec` reads them), so messages say
        ``file:line``.
    """
    lines = lines or {}
    if isinstance(raw, dict) and "users_file" in raw:
        raise StudioConfigError(
            f"{source}: users_file", raw["users_file"], "a spec read by load_spec or load_specs (parse_spec reads no files)"
        )
    try:
        spec = StudioSpec.model_validate(raw)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            location = ".".join(str(p) for p in e["loc"])
            line = _line_of(lines, e["loc"])
            where = f"{source}:{line}" if line else source
            cause = e.get("ctx", {}).get("error")
            if isinstance(cause, StudioConfigError):
                # Validators name the value they check "value"; put the file's location in its place.
                for part in cause.parts:
                    field = part.field.removeprefix("value") if location else part.field
                    allowed = part.allowed.replace("value.", f"{location}.") if location else part.allowed
                    at = where if location else _where_of_field(source, lines, part.field)
                    problems.append(StudioConfigError(f"{at}: {location}{field}", part.value, allowed))
            else:
                problems.append(StudioConfigError(f"{where}: {location or '(top level)'}", e.get("input"), e["msg"]))
        raise StudioConfigError.combine(problems) from None
    spec._source = source
    spec._lines = dict(lines)
    return spec


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the spec, for editors (``# yaml-language-server: $schema=...``): one
    domain's document, or several domains' (``domains:``)."""
    from .spec_domains import document_schema

    return document_schema()


def write_json_schema(path: str | Path) -> None:
    """Write :func:`json_schema` to ``path``."""
    Path(path).write_text(json.dumps(json_schema(), indent=2) + "\n")


__all__ = [
    "DEFAULT_GROUP",
    "CustomImageSpec",
    "DomainSpec",
    "SpaceSpec",
    "StudioSpec",
    "UserSpec",
    "is_custom_image_ref",
    "json_schema",
    "load_spec",
    "parse_spec",
    "to_image",
]
