"""Create-only properties of CloudFormation resource types (CloudFormation's own schema, as
cfn-lint ships it), and which of them a change touches. Plain data: no jsii, no aws_cdk."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

__all__ = ["changed_create_only", "create_only_properties"]


@cache
def create_only_properties(resource_type: str) -> tuple[str, ...]:
    """The create-only property paths (``A/B``, below ``Properties``) of a resource type."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    return tuple(p.removeprefix("/properties/") for p in schema.get("createOnlyProperties", []))


def _at(properties: Mapping[str, Any], path: str) -> Any:
    node: Any = properties
    for key in path.split("/"):
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def changed_create_only(
    resource_type: str, old: Mapping[str, Any], new: Mapping[str, Any], old_parameters: frozenset[str] = frozenset()
) -> list[str]:
    """The create-only properties whose value differs between ``old`` and ``new``.

    A value the old template took from a parameter (how a nested stack receives its parent's
    values) cannot be compared from the template alone and is skipped.
    """
    changed = []
    for path in create_only_properties(resource_type):
        before = _at(old, path)
        if isinstance(before, Mapping) and before.get("Ref") in old_parameters:
            continue
        if before != _at(new, path):
            changed.append(path)
    return changed
