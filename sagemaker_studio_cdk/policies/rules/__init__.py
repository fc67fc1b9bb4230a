"""StudioChecks: cdk-nag rules for SageMaker Studio, one rule per module, named after what it asserts.

``docs/RULES.md`` lists them with id, level and explanation; ``tests/policies/rules`` has a
compliant and a non-compliant case for each.
"""

from __future__ import annotations

from . import (
    default_image_is_trusted,
    docker_access_needs_trusted_accounts,
    domain_is_vpc_only,
    domain_uses_customer_key,
    efs_is_encrypted,
    efs_is_retained,
    execution_role_not_full_access,
    idle_shutdown_is_bounded,
    lifecycle_config_matches_app_type,
    lifecycle_config_within_limits,
    profile_and_space_in_app_domain,
    roles_keep_private_spaces_private,
    security_group_has_no_open_ingress,
)
from ._base import PACK_NAME, AppIndex, LoadedTemplates, Resource, Rule
from .pack import StudioChecks

RULES: tuple[Rule, ...] = (
    domain_is_vpc_only.RULE,
    domain_uses_customer_key.RULE,
    idle_shutdown_is_bounded.RULE,
    execution_role_not_full_access.RULE,
    roles_keep_private_spaces_private.RULE,
    lifecycle_config_within_limits.RULE,
    lifecycle_config_matches_app_type.RULE,
    default_image_is_trusted.RULE,
    efs_is_encrypted.RULE,
    efs_is_retained.RULE,
    security_group_has_no_open_ingress.RULE,
    docker_access_needs_trusted_accounts.RULE,
    profile_and_space_in_app_domain.RULE,
)
"""Every StudioChecks rule, in the order docs/RULES.md lists them."""

__all__ = ["PACK_NAME", "RULES", "AppIndex", "LoadedTemplates", "Resource", "Rule", "StudioChecks"]
