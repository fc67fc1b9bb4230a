"""sagemaker-studio-cdk: AWS CDK v2 constructs for Amazon SageMaker Studio domains.

Every construct, enum and helper the README names is importable from here::

    from sagemaker_studio_cdk import StudioDomain, LifecycleConfig, EfsMount, AppType

The names load on first use, so importing the package (or running its command line) does not
start jsii's Node process until a construct is needed. The moto extension lives in
``sagemaker_studio_cdk.testing`` (extra ``testing``), the Node helper in ``sagemaker_studio_cdk.node``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .constructs import (
        SAGEMAKER_DISTRIBUTION_ACCOUNTS,
        AmazonQ,
        ApiSettingsProvider,
        AppDefaults,
        AppNetworkAccess,
        AppResourceDefaults,
        AppSecurityGroupManagement,
        AppType,
        AuthMode,
        CanvasDataSource,
        CanvasOAuthSource,
        CanvasSettings,
        ClassicAppDefaults,
        CleanupOptions,
        CrossAccountEmrRole,
        CustomImage,
        DeployedSettings,
        DockerAccess,
        DomainAdminRole,
        DomainCleanup,
        EbsStorage,
        EfsMount,
        EmrRoles,
        ExecutionRoleIdentity,
        FsxLustreFileSystem,
        HomeEfsRetention,
        IdleShutdown,
        ImageAppType,
        ImageFileSystem,
        ImageVersionMetadata,
        IpAddressType,
        KernelSpec,
        LifecycleConfig,
        MlflowApp,
        MlflowTrackingServer,
        MountedFileSystem,
        NotebookOutputOption,
        NotebookSharing,
        PortalSettings,
        PosixUser,
        Processor,
        RemoteAccess,
        RStudioAccess,
        RStudioSettings,
        RStudioUser,
        RStudioUserGroup,
        S3FileSystem,
        SessionNameMode,
        SharedSpaceDefaults,
        Space,
        SpaceManagedResources,
        SpaceSharing,
        StudioApiSettings,
        StudioDomain,
        StudioDomainBase,
        StudioImage,
        StudioWebPortal,
        TrackingServerSize,
        UnifiedStudio,
        UserAccessPolicy,
        UserProfile,
        grant_data_wrangler,
        grant_feature_store,
    )
    from .errors import StudioConfigError
    from .policies.admin import AdminSettingsAccess
    from .policies.rules import StudioChecks
    from .replacement import Baseline, NamedReplacementCheck
    from .roster import RosterCheck
    from .spec import StudioSpec, load_spec, parse_spec
    from .spec_domains import domain_stack_id, load_specs, network_stack_id
    from .stacks import ExistingVpc, SharedSpaceStack, StudioDomainStack, StudioNetworkStack, UserGroupStack

__all__ = [
    "SAGEMAKER_DISTRIBUTION_ACCOUNTS",
    "AdminSettingsAccess",
    "ApiSettingsProvider",
    "AppDefaults",
    "AppNetworkAccess",
    "AppSecurityGroupManagement",
    "AppType",
    "AuthMode",
    "CleanupOptions",
    "Baseline",
    "CustomImage",
    "DomainAdminRole",
    "DeployedSettings",
    "DomainCleanup",
    "EbsStorage",
    "EfsMount",
    "HomeEfsRetention",
    "ExistingVpc",
    "IdleShutdown",
    "LifecycleConfig",
    "MlflowApp",
    "MlflowTrackingServer",
    "MountedFileSystem",
    "NamedReplacementCheck",
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
    "RosterCheck",
    "Space",
    "SpaceSharing",
    "StudioChecks",
    "StudioConfigError",
    "StudioApiSettings",
    "StudioDomain",
    "StudioDomainBase",
    "StudioDomainStack",
    "StudioImage",
    "StudioNetworkStack",
    "StudioSpec",
    "StudioWebPortal",
    "TrackingServerSize",
    "UserAccessPolicy",
    "SharedSpaceStack",
    "UserGroupStack",
    "UserProfile",
    "__version__",
    "grant_data_wrangler",
    "grant_feature_store",
    "domain_stack_id",
    "load_spec",
    "load_specs",
    "network_stack_id",
    "parse_spec",
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

# The modules the names above come from, searched in this order on first use.
_API_MODULES = (
    ".constructs",
    ".errors",
    ".policies.admin",
    ".policies.rules",
    ".replacement",
    ".roster",
    ".spec",
    ".spec_domains",
    ".stacks",
)


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module_name in _API_MODULES:
            module = importlib.import_module(module_name, __name__)
            if hasattr(module, name):
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
