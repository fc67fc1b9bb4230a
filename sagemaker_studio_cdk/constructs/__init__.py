"""The constructs: one per file, each usable on its own inside any stack."""

from .admin_role import DomainAdminRole
from .custom_image import CustomImage, ImageAppType, ImageFileSystem, KernelSpec
from .domain import StudioDomain, StudioDomainBase
from .image import SAGEMAKER_DISTRIBUTION_ACCOUNTS, Processor, StudioImage
from .portal import PortalSettings, StudioWebPortal
from .settings import AppDefaults, AppNetworkAccess, AppType, AuthMode, EbsStorage, IdleShutdown, PosixUser, SpaceSharing
from .space import Space
from .user_access import UserAccessPolicy
from .user_profile import UserProfile

__all__ = [
    "SAGEMAKER_DISTRIBUTION_ACCOUNTS",
    "AppDefaults",
    "AppNetworkAccess",
    "AppType",
    "AuthMode",
    "CustomImage",
    "DomainAdminRole",
    "EbsStorage",
    "IdleShutdown",
    "ImageAppType",
    "ImageFileSystem",
    "KernelSpec",
    "PortalSettings",
    "PosixUser",
    "Processor",
    "Space",
    "SpaceSharing",
    "StudioDomain",
    "StudioDomainBase",
    "StudioImage",
    "StudioWebPortal",
    "UserAccessPolicy",
    "UserProfile",
]
