"""API limits, read from botocore's own SageMaker service model, and the checks that use them.

Every range, pattern and enum checked at synth time comes from the same model the AWS SDK
validates requests against, so a limit AWS changes is picked up with a newer botocore instead of
being edited here by hand. Each check skips values that are unresolved CDK tokens: a number token
encodes as a huge negative float and a string token as ``${Token[...]}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import botocore.session
import regex as re

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


def shape_range(shape: str) -> Range:
    """The ``min``/``max`` of a numeric shape of the SageMaker service model."""
    meta = _shape(shape).metadata
    return Range(int(meta["min"]), int(meta["max"]))


def ebs_range() -> Range:
    """EBS volume sizes in GB for spaces and their defaults and maximums."""
    return shape_range("SpaceEbsVolumeSizeInGb")


def idle_range() -> Range:
    """Idle-shutdown timeouts in minutes."""
    return shape_range("IdleTimeoutInMinutes")


def instance_types() -> tuple[str, ...]:
    """Instance types a Studio app accepts (``AppInstanceType``), ``system`` excluded."""
    return tuple(t for t in _shape("AppInstanceType").enum if t != "system")


def is_token(value: object) -> bool:
    """True for a CDK token, which cannot be checked before deploy time."""
    from aws_cdk import Token  # on first use: importing the moto extension (it checks limits) must not start jsii

    return Token.is_unresolved(value)


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
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise StudioConfigError(field, value, f"a whole number of {unit}, {allowed}")
    if not allowed.minimum <= value <= allowed.maximum:
        raise StudioConfigError(field, value, f"{allowed} {unit}")


def check_not_above(field: str, value: int | float | None, ceiling_field: str, ceiling: int | float | None, unit: str) -> None:
    """``value <= ceiling`` when both are known numbers."""
    if value is None or ceiling is None or is_token(value) or is_token(ceiling):
        return
    if value > ceiling:
        raise StudioConfigError(field, value, f"at most {ceiling_field} ({ceiling} {unit})")


def check_instance_type(field: str, value: str | None) -> None:
    """An instance type Studio apps accept, per the service model."""
    if value is None or is_token(value):
        return
    allowed = instance_types()
    if value not in allowed:
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
    collect(
        lambda: check_in_range(f"{field}.uid", uid, shape_range("Uid"), "(uid)"),
        lambda: check_in_range(f"{field}.gid", gid, shape_range("Gid"), "(gid)"),
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


def check_tags(field: str, tags: Mapping[str, str] | None) -> None:
    """At most 50 tags, keys 1-128 and values 0-256 characters, no ``aws:`` prefix."""
    if not tags:
        return
    maximum = int(_shape("TagList").metadata["max"])
    if len(tags) > maximum:
        raise StudioConfigError(field, f"{len(tags)} tags", f"at most {maximum} tags")
    for key, value in tags.items():
        if is_token(key) or is_token(value):
            continue
        check_pattern(f"{field}[{key!r}]", key, "TagKey", "a tag key")
        check_pattern(f"{field}[{key!r}]", value, "TagValue", "a tag value")
        if key.lower().startswith("aws:"):
            raise StudioConfigError(f"{field}[{key!r}]", key, "a key that does not start with 'aws:' (reserved by AWS)")
