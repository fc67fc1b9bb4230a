"""The constructs: one per file, each usable on its own inside any stack."""

from .admin_role import DomainAdminRole
from .api_settings import ApiSettingsProvider, DeployedSettings, StudioApiSettings
from .canvas import CanvasDataSource, CanvasOAuthSource, CanvasSettings
from .cleanup import CleanupOptions, DomainCleanup, HomeEfsRetention
from .custom_image import CustomImage, ImageAppType, ImageFileSystem, ImageVersionMetadata, KernelSpec
from .domain import StudioDomain, StudioDomainBase
from .efs_mount import EfsMount, MountedFileSystem
from .emr import CrossAccountEmrRole
from .feature_store import grant_data_wrangler, grant_feature_store
from .image import SAGEMAKER_DISTRIBUTION_ACCOUNTS, Processor, StudioImage
from .lifecycle_config import LifecycleConfig
from .mlflow import MlflowApp, MlflowTrackingServer, TrackingServerSize
from .portal import PortalSettings, StudioWebPortal
from .rstudio import RStudioAccess, RStudioSettings, RStudioUser, RStudioUserGroup
from .settings import (
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
)
from .space import Space
from .studio_options import (  # settings CloudFormation carries (issue 14)
    ClassicAppDefaults,
    ExecutionRoleIdentity,
    FsxLustreFileSystem,
    IpAddressType,
    NotebookOutputOption,
    NotebookSharing,
    S3FileSystem,
    SharedSpaceDefaults,
    SpaceManagedResources,
    UnifiedStudio,
)
from .studio_settings import AmazonQ, AppResourceDefaults, DockerAccess, EmrRoles, SessionNameMode
from .user_access import UserAccessPolicy
from .user_profile import UserProfile

__all__ = [
    "SAGEMAKER_DISTRIBUTION_ACCOUNTS",
    "ApiSettingsProvider",
    "AppDefaults",
    "AppNetworkAccess",
    "AppSecurityGroupManagement",
    "AppType",
    "AuthMode",
    "CleanupOptions",
    "CustomImage",
    "DomainAdminRole",
    "DomainCleanup",
    "DeployedSettings",
    "HomeEfsRetention",
    "EbsStorage",
    "EfsMount",
    "IdleShutdown",
    "LifecycleConfig",
    "MlflowApp",
    "MlflowTrackingServer",
    "MountedFileSystem",
    "ImageAppType",
    "ImageFileSystem",
    "KernelSpec",
    "PortalSettings",
    "PosixUser",
    "Processor",
    "RemoteAccess",
    "RStudioAccess",
    "RStudioSettings",
    "RStudioUser",
    "RStudioUserGroup",
    "Space",
    "SpaceSharing",
    "StudioApiSettings",
    "StudioDomain",
    "StudioDomainBase",
    "StudioImage",
    "StudioWebPortal",
    "TrackingServerSize",
    "UserAccessPolicy",
    "UserProfile",
    "grant_data_wrangler",
    "grant_feature_store",
    # settings CloudFormation lacks
    "AmazonQ",
    "AppResourceDefaults",
    "CanvasDataSource",
    "CanvasOAuthSource",
    "CanvasSettings",
    "CrossAccountEmrRole",
    "DockerAccess",
    "EmrRoles",
    "SessionNameMode",
    "ClassicAppDefaults",
    "ImageVersionMetadata",
    "ExecutionRoleIdentity",
    "FsxLustreFileSystem",
    "IpAddressType",
    "NotebookOutputOption",
    "NotebookSharing",
    "S3FileSystem",
    "SharedSpaceDefaults",
    "SpaceManagedResources",
    "UnifiedStudio",
]
