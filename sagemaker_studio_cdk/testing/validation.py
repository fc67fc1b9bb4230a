"""Request validation against botocore's own SageMaker service model, with AWS's error messages.

The SageMaker API checks every request against the constraints of its model (required members,
enums, string lengths and patterns, numeric ranges, list and map sizes) before it does anything,
and answers a violation with ``ValidationException`` and a message such as::

    1 validation error detected: Value 'bad name' at 'spaceName' failed to satisfy constraint:
    Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}

botocore checks only some of this on the client (and not at all with
``parameter_validation=False``), and moto checks none of it. :func:`validate` applies the model's
constraints the way the service does; the model is the one :mod:`sagemaker_studio_cdk.limits`
reads, so the extension and the synth-time checks agree by construction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from functools import cache
from typing import Any

import regex as re
from moto.core.exceptions import ServiceException

from .. import limits


class StudioApiError(ServiceException):
    """An error the SageMaker API answers with; ``code`` is AWS's error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)


class ValidationException(StudioApiError):
    """The request breaks a constraint of the service model or a rule of the service."""

    def __init__(self, message: str) -> None:
        super().__init__("ValidationException", message)


class ResourceNotFound(StudioApiError):
    def __init__(self, message: str) -> None:
        super().__init__("ResourceNotFound", message)


class ResourceInUse(StudioApiError):
    def __init__(self, message: str) -> None:
        super().__init__("ResourceInUse", message)


class ResourceLimitExceeded(StudioApiError):
    def __init__(self, message: str) -> None:
        super().__init__("ResourceLimitExceeded", message)


class ConflictException(StudioApiError):
    def __init__(self, message: str) -> None:
        super().__init__("ConflictException", message)


def service_model() -> Any:
    """botocore's SageMaker service model: the one ``limits.py`` reads."""
    return limits._model()


@cache
def _compiled(pattern: str) -> Any:
    return re.compile(pattern)


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _show(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _check(shape: Any, value: Any, path: str, problems: list[str]) -> None:
    """Collect the constraint violations of ``value`` against ``shape`` in ``problems``."""
    if value is None:
        return
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, Mapping):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a structure")
            return
        for name in shape.required_members:
            if value.get(name) is None:
                problems.append(
                    f"Value null at '{_join(path, _lower_first(name))}' failed to satisfy constraint: Member must not be null"
                )
        for name, member in shape.members.items():
            if name in value:
                _check(member, value[name], _join(path, _lower_first(name)), problems)
        return
    if kind == "list":
        if not isinstance(value, list):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a list")
            return
        _check_size(meta, len(value), value, path, problems)
        for i, item in enumerate(value):
            _check(shape.member, item, f"{path}.{i + 1}.member", problems)
        return
    if kind == "map":
        if not isinstance(value, Mapping):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a map")
            return
        _check_size(meta, len(value), value, path, problems)
        for key, item in value.items():
            _check(shape.key, key, f"{path}.{key}.key", problems)
            _check(shape.value, item, f"{path}.{key}.value", problems)
        return
    if kind == "string":
        if not isinstance(value, str):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a string")
            return
        if shape.enum and value not in shape.enum:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(shape.enum)}]"
            )
        if "min" in meta and len(value) < meta["min"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have length greater than or equal to {meta['min']}"
            )
        if "max" in meta and len(value) > meta["max"]:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have length less than or equal to {meta['max']}"
            )
        pattern = meta.get("pattern")
        if pattern and not _compiled(pattern).fullmatch(value):
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy regular expression pattern: {pattern}"
            )
        return
    if kind in ("integer", "long", "float", "double"):
        numeric = (int,) if kind in ("integer", "long") else (int, float)
        if isinstance(value, bool) or not isinstance(value, numeric):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a number")
            return
        if "min" in meta and value < meta["min"]:
            problems.append(
                f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {meta['min']}"
            )
        if "max" in meta and value > meta["max"]:
            problems.append(
                f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {meta['max']}"
            )
        return
    if kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a boolean")
        return
    if kind == "timestamp":
        if not isinstance(value, (datetime.datetime, int, float, str)):
            problems.append(f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: Member must be a timestamp")


def _check_size(meta: Mapping[str, Any], size: int, value: Any, path: str, problems: list[str]) -> None:
    if "min" in meta and size < meta["min"]:
        problems.append(
            f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: "
            f"Member must have length greater than or equal to {meta['min']}"
        )
    if "max" in meta and size > meta["max"]:
        problems.append(
            f"Value '{_show(value)}' at '{path}' failed to satisfy constraint: "
            f"Member must have length less than or equal to {meta['max']}"
        )


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def problems(operation: str, request: Mapping[str, Any]) -> list[str]:
    """Every constraint of ``operation``'s input shape that ``request`` breaks, as AWS words it."""
    shape = service_model().operation_model(operation).input_shape
    found: list[str] = []
    if shape is not None:
        _check(shape, request, "", found)
    return found


def validate(operation: str, request: Mapping[str, Any]) -> None:
    """Raise AWS's ``ValidationException`` when ``request`` breaks the service model's constraints."""
    found = problems(operation, request)
    if found:
        count = f"{len(found)} validation error{'s' if len(found) > 1 else ''} detected: "
        raise ValidationException(count + "; ".join(found))


def coerce(shape: Any, value: Any) -> Any:
    """A CloudFormation property value in the types of ``shape``: CloudFormation passes numbers
    and booleans given as strings (``"60"``, ``"true"``) to the service as numbers and booleans."""
    if value is None:
        return None
    kind = shape.type_name
    if kind == "structure" and isinstance(value, Mapping):
        return {k: coerce(shape.members[k], v) if k in shape.members else v for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [coerce(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, Mapping):
        return {k: coerce(shape.value, v) for k, v in value.items()}
    if kind in ("integer", "long") and isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return value
    if kind in ("float", "double") and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value
