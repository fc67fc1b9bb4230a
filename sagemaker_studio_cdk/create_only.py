"""Create-only properties of CloudFormation resource types, and which of them a change touches.
Plain data: no jsii, no aws_cdk.

The schemas are the vendored snapshot of :mod:`sagemaker_studio_cdk.cfn_schema` for every type the
library emits, so what counts as a replacement does not change with the cfn-lint a user resolves;
other types (in users' own stacks) fall back to the schemas of the installed cfn-lint."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from . import cfn_schema

__all__ = ["changed_create_only", "create_only_properties", "known_create_only", "value_at"]


@cache
def create_only_properties(resource_type: str, *, conditional: bool = False) -> tuple[str, ...]:
    """The create-only property paths (``A/B``, below ``Properties``) of a resource type, from
    CloudFormation's schema; with ``conditional``, the conditionally create-only ones instead."""
    try:
        schema = cfn_schema.resource_schema(resource_type)
    except KeyError:
        from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    key = "conditionalCreateOnlyProperties" if conditional else "createOnlyProperties"
    return tuple(p.removeprefix("/properties/") for p in schema.get(key, []))


def known_create_only(resource_type: str, conditional: bool = False) -> tuple[str, ...]:
    """:func:`create_only_properties`, or none for a type without a schema."""
    try:
        return create_only_properties(resource_type, conditional=conditional)
    except Exception:  # no schema: Custom::*, AWS::CDK::Metadata, a type newer than cfn-lint
        return ()


def _is_intrinsic(node: Any) -> bool:
    return (
        isinstance(node, Mapping)
        and len(node) == 1
        and (next(iter(node)) in ("Ref", "Condition") or next(iter(node)).startswith("Fn::"))
    )


def _conditional(node: Any) -> bool:
    """Whether ``node`` holds a value chosen by a condition."""
    if isinstance(node, Mapping):
        return "Fn::If" in node or any(_conditional(v) for v in node.values())
    if isinstance(node, list):
        return any(_conditional(v) for v in node)
    return False


def value_at(properties: Mapping[str, Any], path: str) -> tuple[Any, bool]:
    """The value at ``path`` (JSON pointer segments below ``Properties``), and whether it is
    uncertain: an intrinsic function on the way (``Fn::If`` choosing a whole block) or inside."""
    node: Any = properties
    for raw in path.split("/"):
        if _is_intrinsic(node):
            return node, True
        if raw == "*" and isinstance(node, list):
            return node, _conditional(node)
        if not isinstance(node, Mapping):
            return None, False
        node = node.get(raw.replace("~1", "/").replace("~0", "~"))
    return node, _conditional(node)


def changed_create_only(
    resource_type: str, old: Mapping[str, Any], new: Mapping[str, Any], old_parameters: frozenset[str] = frozenset()
) -> list[str]:
    """The create-only properties whose value differs between ``old`` and ``new`` (both resolved
    property maps of one resource).

    A value the old template took from a parameter (how a nested stack receives its parent's
    values) cannot be compared from the template alone and is skipped.
    """
    changed = []
    for path in known_create_only(resource_type):
        before, _ = value_at(old, path)
        if isinstance(before, Mapping) and before.get("Ref") in old_parameters:
            continue
        if before != value_at(new, path)[0]:
            changed.append(path)
    return changed
