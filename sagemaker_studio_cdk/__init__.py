"""sagemaker-studio-cdk: AWS CDK v2 constructs for Amazon SageMaker Studio domains."""

from .constructs import (
    SAGEMAKER_DISTRIBUTION_ACCOUNTS,
    AppDefaults,
    AppNetworkAccess,
    AppType,
    AuthMode,
    DomainAdminRole,
    DomainCleanup,
    EbsStorage,
    IdleShutdown,
    PosixUser,
    Processor,
    Space,
    SpaceSharing,
    StudioDomain,
    StudioDomainBase,
    StudioImage,
    UserAccessPolicy,
    UserProfile,
)
from .errors import StudioConfigError
from .spec import StudioSpec, load_spec, parse_spec
from .stacks import ExistingVpc, StudioDomainStack, StudioNetworkStack, UserGroupStack

__all__ = [
    "SAGEMAKER_DISTRIBUTION_ACCOUNTS",
    "AppDefaults",
    "AppNetworkAccess",
    "AppType",
    "AuthMode",
    "DomainAdminRole",
    "DomainCleanup",
    "EbsStorage",
    "ExistingVpc",
    "IdleShutdown",
    "PosixUser",
    "Processor",
    "Space",
    "SpaceSharing",
    "StudioConfigError",
    "StudioDomain",
    "StudioDomainBase",
    "StudioDomainStack",
    "StudioImage",
    "StudioNetworkStack",
    "StudioSpec",
    "UserAccessPolicy",
    "UserGroupStack",
    "UserProfile",
    "load_spec",
    "parse_spec",
]
