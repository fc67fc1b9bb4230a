"""Stacks that compose the constructs: the network and the domain with nested user stacks."""

from .domain_stack import MAX_USERS_PER_GROUP, SharedSpaceStack, StudioDomainStack, UserGroupStack
from .network import STUDIO_INTERFACE_ENDPOINTS, ExistingVpc, StudioNetworkStack

__all__ = [
    "MAX_USERS_PER_GROUP",
    "STUDIO_INTERFACE_ENDPOINTS",
    "ExistingVpc",
    "SharedSpaceStack",
    "StudioDomainStack",
    "StudioNetworkStack",
    "UserGroupStack",
]
