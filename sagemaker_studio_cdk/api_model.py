"""Which Studio settings are API only: botocore's SageMaker model against the vendored CloudFormation
schema. Plain data: no jsii, no aws_cdk (the demo's read-back uses it)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

from . import cfn_schema

LEVELS: Mapping[str, tuple[str, str, tuple[tuple[str, str], ...]]] = {
    "Domain": (
        "AWS::SageMaker::Domain",
        "UpdateDomain",
        (("DefaultUserSettings", "CreateDomain"), ("DefaultSpaceSettings", "CreateDomain"), ("DomainSettings", "CreateDomain")),
    ),
    "UserProfile": ("AWS::SageMaker::UserProfile", "UpdateUserProfile", (("UserSettings", "CreateUserProfile"),)),
    "Space": ("AWS::SageMaker::Space", "UpdateSpace", (("SpaceSettings", "CreateSpace"),)),
}
"""Per kind of parent: its CloudFormation type, its update call, and its settings members with the
create call whose naming ``api_only_settings`` uses."""


@cache
def service_model() -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("sagemaker")


def norm_name(name: str) -> str:
    return name.replace("_", "").lower()


def api_shape(operation: str, path: tuple[str, ...]) -> Any:
    """The botocore shape at ``path`` of ``operation``'s input (``None``: no such member)."""
    shape = service_model().operation_model(operation).input_shape
    for part in path:
        while shape.type_name == "list":
            shape = shape.member
        if shape.type_name != "structure":
            return None
        match = member_name(shape, part) or member_name(shape, f"{part}ForUpdate")  # UpdateDomain's spelling
        if match is None:
            return None
        shape = shape.members[match]
    return shape


def member_name(shape: Any, name: str) -> str | None:
    """The member of ``shape`` named ``name`` (any case; camelCase or snake_case from CDK)."""
    wanted = norm_name(name)
    for member in shape.members:
        if norm_name(member) == wanted:
            return str(member)
    return None


def cfn_path(resource_type: str, path: tuple[str, ...]) -> str | None:
    """The CloudFormation property path (``A/B``) of an API path, or ``None``: CloudFormation has none."""
    found: list[str] = []
    for part in path:
        parent = "/".join(found)
        try:
            node = cfn_schema.property_schema(resource_type, parent) if parent else cfn_schema.resource_schema(resource_type)
        except KeyError:
            return None
        if node.get("type") == "array" or "items" in node:
            found.append("*")
            node = cfn_schema.property_schema(resource_type, "/".join(found))
        names = {norm_name(k): k for k in node.get("properties", {})}
        if norm_name(part) not in names:
            return None
        found.append(names[norm_name(part)])
    return "/".join(found)


def cfn_enum(resource_type: str, path: str) -> tuple[str, ...] | None:
    try:
        node = cfn_schema.property_schema(resource_type, path)
    except KeyError:
        return None
    items = node.get("items", node)
    if "$ref" in items:
        items = cfn_schema.property_schema(resource_type, f"{path}/*")
    enum = items.get("enum")
    return tuple(enum) if enum else None


def api_only_parts(kind: str, member: str, settings: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """The parts of ``settings`` (a Describe* member such as ``DefaultUserSettings``) that
    CloudFormation cannot write: ``(path, value)`` for each shallowest API-only member, and each
    list holding a value CloudFormation's enum lacks (the whole list: the settings resource writes
    it)."""
    resource_type = LEVELS[kind][0]

    def walk(path: tuple[str, ...], value: Any) -> Iterator[tuple[str, Any]]:
        cfn = cfn_path(resource_type, path)
        if cfn is None:
            yield ".".join(path), value
        elif isinstance(value, Mapping):
            for key, item in value.items():
                yield from walk((*path, str(key)), item)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            enum = cfn_enum(resource_type, cfn)
            if enum is not None and any(v not in enum for v in value):
                yield ".".join(path), value

    for key, value in settings.items():
        yield from walk((member, str(key)), value)
