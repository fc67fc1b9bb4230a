"""API limits, read from botocore's own SageMaker service model, and the checks that use them.

Every range, pattern and enum checked at synth time comes from the same model the AWS SDK
validates requests against, so a limit AWS changes is picked up with a newer botocore instead of
being edited here by hand. Each check skips values that are unresolved CDK tokens: a number token
encodes as a huge negative float and a string token as ``${Token[...]}``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import botocore.session
import regex as re

from . import cfn_schema
from .errors import StudioConfigError, collect


@lru_cache(maxsize=1)
def _model() -> Any:
    return botocore.session.get_session().get_service_model("sagemaker")


@cache
def _shape(name: str) -> Any:
    return _model().shape_for(name)


@dataclass(frozen=True)
class Range:
    """An inclusive integer range, as the service model states it."""

    minimum: int
    maximum: int

    def __str__(self) -> str:
        return f"{self.minimum}-{self.maximum}"


def shape_range(shape: str, *cfn: tuple[str, str]) -> Range:
    """The ``min``/``max`` of a numeric shape of the SageMaker service model, narrowed to the
    ``minimum``/``maximum`` of each ``(resource type, property path)`` of CloudFormation's schema
    given: the stricter wins."""
    meta = _shape(shape).metadata
    low, high = int(meta["min"]), int(meta["max"])
    for resource_type, path in cfn:
        node = cfn_schema.property_schema(resource_type, path)
        low, high = max(low, int(node.get("minimum", low))), min(high, int(node.get("maximum", high)))
    return Range(low, high)


_USER_SETTINGS = ("AWS::SageMaker::Domain", "DefaultUserSettings")


@cache
def ebs_range() -> Range:
    """EBS volume sizes in GB for spaces and their defaults and maximums."""
    storage = f"{_USER_SETTINGS[1]}/SpaceStorageSettings/DefaultEbsStorageSettings"
    return shape_range(
        "SpaceEbsVolumeSizeInGb",
        (_USER_SETTINGS[0], f"{storage}/DefaultEbsVolumeSizeInGb"),
        (_USER_SETTINGS[0], f"{storage}/MaximumEbsVolumeSizeInGb"),
        ("AWS::SageMaker::Space", "SpaceSettings/SpaceStorageSettings/EbsStorageSettings/EbsVolumeSizeInGb"),
    )


@cache
def idle_range() -> Range:
    """Idle-shutdown timeouts in minutes."""
    idle = f"{_USER_SETTINGS[1]}/JupyterLabAppSettings/AppLifecycleManagement/IdleSettings"
    return shape_range(
        "IdleTimeoutInMinutes",
        *(
            (_USER_SETTINGS[0], f"{idle}/{key}")
            for key in ("IdleTimeoutInMinutes", "MinIdleTimeoutInMinutes", "MaxIdleTimeoutInMinutes")
        ),
    )


def instance_types() -> tuple[str, ...]:
    """Instance types a Studio app accepts (``AppInstanceType``), ``system`` excluded."""
    return tuple(t for t in _shape("AppInstanceType").enum if t != "system")


_NUMBER_TOKEN_BELOW = -1e289
"""CDK encodes a number token as about -1.9e289; no real prop comes near it."""


def is_token(value: object) -> bool:
    """True for a CDK token, which cannot be checked before deploy time.

    Strings, numbers and lists are recognised by their encoded form in Python: asking Node costs a
    call, and a NaN or infinity sent to the jsii kernel kills it for the rest of the process.
    """
    if isinstance(value, str):
        return "${Token[" in value or "#{Token[" in value
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value) and value < _NUMBER_TOKEN_BELOW
    if isinstance(value, (list, tuple)):
        return any(is_token(v) for v in value)
    if isinstance(value, (dict, set, frozenset, bytes)):
        return False
    from aws_cdk import Token  # on first use: importing the moto extension (it checks limits) must not start jsii

    return bool(Token.is_unresolved(value))


_PLAIN = (str, bytes, int, float, bool, list, tuple, dict, set, frozenset, type(None))


def _is_instance(value: object, expected: type) -> bool:
    if getattr(expected, "_is_protocol", False):
        # A CDK interface (ec2.IVpc, iam.IRole...) cannot be checked with isinstance, and imported
        # objects are proxies: refuse what is plainly not an object of a construct library.
        return not isinstance(value, _PLAIN)
    return isinstance(value, expected)


def check_type(field: str, value: object, expected: type | tuple[type, ...], what: str) -> None:
    """``value`` is an instance of ``expected`` (``bool`` is not taken for a number)."""
    wanted = expected if isinstance(expected, tuple) else (expected,)
    if isinstance(value, bool) and bool not in wanted:
        raise StudioConfigError(field, value, f"{what} (got a bool)")
    if not any(_is_instance(value, t) for t in wanted):
        raise StudioConfigError(field, value, f"{what} (got {type(value).__name__})")


def check_optional_type(field: str, value: object, expected: type | tuple[type, ...], what: str) -> None:
    """``None``, or an instance of ``expected``."""
    if value is not None:
        check_type(field, value, expected, what)


def check_items(field: str, values: object, expected: type | tuple[type, ...], what: str) -> None:
    """A list or tuple whose items are all instances of ``expected``."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise StudioConfigError(field, values, f"a list of {what} (got {type(values).__name__})")
    for i, item in enumerate(values):
        check_type(f"{field}[{i}]", item, expected, what)


def check_enum(field: str, value: object, enum: type) -> None:
    """A member of ``enum`` (not its string value: a string would fail later inside CDK)."""
    if not isinstance(value, enum):
        members = ", ".join(f"{enum.__name__}.{m.name}" for m in enum)  # type: ignore[attr-defined]
        raise StudioConfigError(field, value, f"one of {members}")


def check_finite(field: str, value: object) -> None:
    """A real number: not NaN or infinity, which CloudFormation cannot take and the jsii kernel dies on."""
    if isinstance(value, float) and not math.isfinite(value):
        raise StudioConfigError(field, value, "a finite number (NaN and infinity are not numbers CloudFormation takes)")


@cache
def case_insensitive(operation: str, member: str) -> bool:
    """True when the service model documents a name as not case sensitive (``UserProfileName``
    of ``CreateUserProfile``: ``Alice`` and ``alice`` are one profile)."""
    documentation = _model().operation_model(operation).input_shape.members[member].documentation or ""
    return "not case sensitive" in documentation.lower()


def check_name(field: str, value: str, shape: str = "SpaceName") -> None:
    """Domain, user profile and space names share the model's name pattern and length."""
    if is_token(value):
        return
    meta = _shape(shape).metadata
    pattern, maximum = meta["pattern"], int(meta["max"])
    if not isinstance(value, str) or not value or len(value) > maximum or not re.fullmatch(pattern, value):
        raise StudioConfigError(
            field,
            value,
            f"1-{maximum} letters and digits, with single or repeated hyphens only between them (pattern {pattern})",
        )


def check_in_range(field: str, value: int | float | None, allowed: Range, unit: str) -> None:
    """A number within ``allowed``; ``None`` and tokens pass."""
    if value is None or is_token(value):
        return
    check_finite(field, value)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise StudioConfigError(field, value, f"a whole number of {unit}, {allowed}")
    if not allowed.minimum <= value <= allowed.maximum:
        raise StudioConfigError(field, value, f"{allowed} {unit}")


def check_not_above(field: str, value: int | float | None, ceiling_field: str, ceiling: int | float | None, unit: str) -> None:
    """``value <= ceiling`` when both are known numbers."""
    if value is None or ceiling is None or is_token(value) or is_token(ceiling):
        return
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (value, ceiling)):
        return  # check_in_range reports it
    if value > ceiling:
        raise StudioConfigError(field, value, f"at most {ceiling_field} ({ceiling} {unit})")


def check_instance_type(field: str, value: str | None) -> None:
    """An instance type Studio apps accept, per the service model."""
    if value is None or is_token(value):
        return
    allowed = instance_types()
    if not isinstance(value, str) or value not in allowed:
        families = sorted({t.rsplit(".", 1)[0] for t in allowed})
        raise StudioConfigError(field, value, f"an app instance type such as ml.t3.medium; families: {', '.join(families)}")


def check_unique(field: str, names: Iterable[str]) -> None:
    """No name appears twice."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise StudioConfigError(field, name, "each name once; this one is declared twice")
        seen.add(name)


def check_posix(field: str, uid: int | None, gid: int | None) -> None:
    """A custom POSIX identity within the model's Uid and Gid ranges."""
    posix = "DefaultUserSettings/CustomPosixUserConfig"
    collect(
        lambda: check_in_range(f"{field}.uid", uid, shape_range("Uid", ("AWS::SageMaker::Domain", f"{posix}/Uid")), "(uid)"),
        lambda: check_in_range(f"{field}.gid", gid, shape_range("Gid", ("AWS::SageMaker::Domain", f"{posix}/Gid")), "(gid)"),
    )


def check_pattern(field: str, value: str | None, shape: str, what: str | None = None) -> None:
    """A string within a shape's length and pattern; ``None`` and tokens pass."""
    if value is None or is_token(value):
        return
    meta = _shape(shape).metadata
    pattern, maximum = meta.get("pattern"), int(meta.get("max", 1 << 31))
    if not isinstance(value, str) or len(value) > maximum or (pattern and not re.fullmatch(pattern, value)):
        detail = f" matching {pattern}" if pattern else ""
        raise StudioConfigError(field, value, f"{what or shape}: at most {maximum} characters{detail}")


def check_tags(field: str, tags: Mapping[str, str] | None, resource_type: str | None = None) -> None:
    """Tags within the API's limits (``TagList``, ``TagKey``, ``TagValue``, no ``aws:`` prefix) and,
    given ``resource_type``, its CloudFormation schema's (``Tags``: count, key and value lengths
    and patterns), whichever is stricter."""
    if not tags:
        return
    if not isinstance(tags, Mapping):
        raise StudioConfigError(field, tags, f"a mapping of tag keys to values (got {type(tags).__name__})")
    maximum = int(_shape("TagList").metadata["max"])
    if resource_type is not None:
        maximum = min(maximum, int(cfn_schema.property_schema(resource_type, "Tags").get("maxItems", maximum)))
    if len(tags) > maximum:
        raise StudioConfigError(field, f"{len(tags)} tags", f"at most {maximum} tags")
    for key, value in tags.items():
        if is_token(key) or is_token(value):
            continue
        where = f"{field}[{key!r}]"
        check_pattern(where, key, "TagKey", "a tag key")
        check_pattern(where, value, "TagValue", "a tag value")
        if resource_type is not None:
            check_cfn(where, key, resource_type, "Tags/*/Key", "a tag key")
            check_cfn(where, value, resource_type, "Tags/*/Value", "a tag value")
        if key.lower().startswith("aws:"):
            raise StudioConfigError(where, key, "a key that does not start with 'aws:' (reserved by AWS)")


def _known_gap(resource_type: str, path: str, value: Any) -> bool:
    """True where lint.py's reviewed list says the CloudFormation schema is stale for this value."""
    from .lint import KNOWN_GAPS  # lint.py reads limits.py for its gaps' values

    parts = tuple(path.split("/"))
    return any(
        g.resource_type == resource_type and g.property_path == parts and (g.value_allowed is None or g.value_allowed(value))
        for g in KNOWN_GAPS
    )


def check_cfn(field: str, value: Any, resource_type: str, path: str, what: str | None = None) -> None:
    """``value`` within the CloudFormation schema of ``resource_type`` at ``path`` (``A/B``, ``*``
    for a list's items), from the vendored snapshot (:mod:`cfn_schema`): lengths, pattern, format,
    enum, numeric bounds, list sizes and, for a list, each item. ``None``, tokens and the
    reviewed gaps of ``lint.py`` pass."""
    if value is None or is_token(value) or _known_gap(resource_type, path, value):
        return
    node = cfn_schema.property_schema(resource_type, path)
    name = what or f"{resource_type.split('::')[-1]} {path.replace('/*', '[]').replace('/', '.')}"
    if isinstance(value, str):
        _check_cfn_string(field, value, node, name)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_cfn_number(field, value, node, name)
    elif isinstance(value, (list, tuple)):
        low, high = node.get("minItems"), node.get("maxItems")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            bounds = f"{low or 0}-{high}" if high is not None else f"at least {low}"
            raise StudioConfigError(field, f"{len(value)} items", f"{name}: {bounds} items (CloudFormation's schema)")
        if "items" in node:
            for i, item in enumerate(value):
                check_cfn(f"{field}[{i}]", item, resource_type, f"{path}/*", what)


_CONTROL = re.compile(r"[^\P{Cc}\t\n\r]")
"""Control characters other than tab and line breaks: JSON escapes them as ``\\u0001`` and
CloudFormation's template parsers (and cfn-lint's) refuse the template."""


def _check_cfn_string(field: str, value: str, node: Mapping[str, Any], name: str) -> None:
    low, high = node.get("minLength", 0), node.get("maxLength")
    pattern, fmt = node.get("pattern"), node.get("format")
    format_pattern = cfn_schema.format_patterns().get(fmt) if isinstance(fmt, str) else None
    problems = []
    if _CONTROL.search(value):
        problems.append("no control characters (template parsers refuse them)")
    if len(value) < low or (high is not None and len(value) > high):
        problems.append(f"{low}-{high} characters" if high is not None else f"at least {low} characters")
    if pattern and not re.search(pattern, value):
        problems.append(f"matching {pattern}")
    if format_pattern and not re.match(format_pattern, value):
        problems.append(f"a {fmt} ({format_pattern})")
    if "enum" in node and value not in node["enum"]:
        values = [str(v) for v in node["enum"]]
        listed = ", ".join(values) if len(values) <= 12 else f"{', '.join(values[:8])}, ... ({len(values)} values)"
        problems.append(f"one of {listed}")
    if problems:
        raise StudioConfigError(field, value, f"{name}: {'; '.join(problems)} (CloudFormation's schema)")


def _check_cfn_number(field: str, value: float, node: Mapping[str, Any], name: str) -> None:
    check_finite(field, value)
    low, high = node.get("minimum"), node.get("maximum")
    if node.get("type") == "integer" and int(value) != value:
        raise StudioConfigError(field, value, f"{name}: a whole number (CloudFormation's schema)")
    if (low is not None and value < low) or (high is not None and value > high):
        raise StudioConfigError(field, value, f"{name}: {low}-{high} (CloudFormation's schema)")


def check_cfn_count(field: str, count: int, resource_type: str, path: str, what: str) -> None:
    """``count`` items fit the list at ``path`` of ``resource_type``'s CloudFormation schema
    (for lists whose items are tokens, such as ARNs of resources made in the same app)."""
    node = cfn_schema.property_schema(resource_type, path)
    high = node.get("maxItems")
    if high is not None and count > high:
        raise StudioConfigError(field, f"{count} {what}", f"at most {high} {what} (CloudFormation's schema)")
