"""cfn-lint over synthesized templates, with the one reviewed list of places cfn-lint is wrong.

cfn-lint validates against CloudFormation's registry schemas, which lag the service for Studio
(FACTS.md). Each :class:`LintGap` names a rule, the property path it fires on, and why the finding
is false; ``tests/unit/test_lint.py`` proves each gap is real from botocore's service model and the
L1 classes. Nothing else is ever filtered: a gap is matched by rule, resource type, exact
property path and, where it says so, the offending value.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aws_cdk import Acknowledgment, CfnResource, Validations

from . import limits


@dataclass(frozen=True)
class LintFinding:
    """One cfn-lint match that is not a known gap."""

    rule_id: str
    level: str
    path: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.rule_id} {'/'.join(self.path)}: {self.message}"


@dataclass(frozen=True)
class LintGap:
    """A cfn-lint finding that is known to be false, with the reason.

    :param rule_id: the cfn-lint rule.
    :param resource_type: the resource type it fires on.
    :param property_path: the path below ``Properties``.
    :param reason: why the property is real.
    :param value_allowed: when set, the gap covers only values it accepts.
    """

    rule_id: str
    resource_type: str
    property_path: tuple[str, ...]
    reason: str
    value_allowed: Callable[[Any], bool] | None = None

    @property
    def cdk_validation_ids(self) -> tuple[str, ...]:
        """The ids under which aws-cdk-lib's own synth-time template validation may report it
        (it grades the same rule ``F`` or ``W``)."""
        return tuple(f"CloudFormation-Validate::{grade}{self.rule_id[1:]}" for grade in ("F", "W"))

    def covers(self, rule_id: str, resource_type: str, path: Sequence[str | int], value: Any) -> bool:
        """True when a finding at ``path`` (from the template root) is this gap."""
        if rule_id != self.rule_id or resource_type != self.resource_type:
            return False
        below = tuple(str(p) for p in path[3:]) if len(path) > 3 and path[2] == "Properties" else None
        if below != self.property_path:
            return False
        return self.value_allowed is None or self.value_allowed(value)


def _is_app_instance_type(value: Any) -> bool:
    return isinstance(value, str) and value in limits.instance_types()


_IDLE_REASON = (
    "AppLifecycleManagement is part of the Space and UserProfile app settings in the SageMaker API "
    "(botocore's SpaceJupyterLabAppSettings, SpaceCodeEditorAppSettings, JupyterLabAppSettings, "
    "CodeEditorAppSettings) and in the CDK L1 classes generated from CloudFormation's specification; "
    "cfn-lint's bundled schema lacks it."
)
_INSTANCE_REASON = (
    "cfn-lint's instance-type enum lags the service; the value is an AppInstanceType of botocore's "
    "SageMaker service model, which the API accepts."
)

KNOWN_GAPS: tuple[LintGap, ...] = (
    *(
        LintGap("E3002", "AWS::SageMaker::Space", ("SpaceSettings", app, "AppLifecycleManagement"), _IDLE_REASON)
        for app in ("JupyterLabAppSettings", "CodeEditorAppSettings")
    ),
    *(
        LintGap("E3002", "AWS::SageMaker::UserProfile", ("UserSettings", app, "AppLifecycleManagement"), _IDLE_REASON)
        for app in ("JupyterLabAppSettings", "CodeEditorAppSettings")
    ),
    *(
        LintGap(
            "E3030",
            "AWS::SageMaker::Space",
            ("SpaceSettings", app, "DefaultResourceSpec", "InstanceType"),
            _INSTANCE_REASON,
            _is_app_instance_type,
        )
        for app in ("JupyterLabAppSettings", "CodeEditorAppSettings")
    ),
)


def _value_at(template: Mapping[str, Any], path: Sequence[str | int]) -> Any:
    node: Any = template
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def lint_template(template: Mapping[str, Any], regions: Sequence[str] = ("us-east-1",)) -> list[LintFinding]:
    """cfn-lint errors and warnings of ``template``, less the known gaps. Cached by content."""
    body = json.dumps(template, sort_keys=True)
    return list(_lint_cached(hashlib.sha256(body.encode()).hexdigest(), body, tuple(regions)))


@lru_cache(maxsize=8)
def _runner(regions: tuple[str, ...]) -> Any:
    """cfn-lint's runner for ``regions``, made once a process: making one loads every rule (about a
    second), which ``cfnlint.api.lint`` would do again for each template. cfn-lint's own command
    line lints many templates with one runner the same way."""
    from cfnlint.config import ConfigMixIn
    from cfnlint.runner import Runner

    return Runner(ConfigMixIn(regions=list(regions)))


@lru_cache(maxsize=512)
def _lint_cached(_digest: str, body: str, regions: tuple[str, ...]) -> tuple[LintFinding, ...]:
    from cfnlint.decode.decode import decode_str

    template = json.loads(body)
    decoded, errors = decode_str(body)
    matches = errors or (list(_runner(regions).validate_template(decoded)) if decoded is not None else [])
    findings = []
    for match in matches:
        path = list(getattr(match, "path", None) or [])  # a template-level finding (E0000) has none
        resource_type = _value_at(template, ["Resources", path[1], "Type"]) if len(path) > 1 and path[0] == "Resources" else None
        if any(gap.covers(match.rule.id, str(resource_type), path, _value_at(template, path)) for gap in KNOWN_GAPS):
            continue
        level = {"E": "error", "W": "warning", "I": "info"}.get(match.rule.id[:1], "error")
        if level == "info":
            continue
        findings.append(LintFinding(match.rule.id, level, tuple(str(p) for p in path), match.message))
    return tuple(findings)


def acknowledge_known_gaps(
    resource: CfnResource, resource_type: str | None = None, properties: Mapping[str, Any] | None = None
) -> None:
    """Acknowledge, on ``resource``, aws-cdk-lib's synth-time warnings that are known gaps.

    aws-cdk-lib validates templates with the same schemas as cfn-lint and would print these
    findings on every synth; the constructs that emit such properties acknowledge them here,
    with the reason from :data:`KNOWN_GAPS`, on their own resource only.

    :param resource_type: the resource's CloudFormation type, when the caller knows it (saves a
        call into Node). Default: read from ``resource``.
    :param properties: the properties the construct gave the L1 class, by CloudFormation name
        (``{"SpaceSettings": {...}}``, nested keys as the L1 takes them). When given, only the gaps
        whose property path they carry are acknowledged, and a resource without any costs no call
        into Node. Default: every gap of the type.
    """
    kind = resource_type if resource_type is not None else resource.cfn_resource_type
    gaps = [
        gap
        for gap in KNOWN_GAPS
        if gap.resource_type == kind and (properties is None or _may_carry(properties, gap.property_path))
    ]
    reasons = {finding_id: gap.reason for gap in gaps for finding_id in gap.cdk_validation_ids}
    if reasons:
        Validations.of(resource).acknowledge(*(Acknowledgment(id=i, reason=r) for i, r in reasons.items()))


def _may_carry(properties: Mapping[str, Any], path: Sequence[str]) -> bool:
    """True when ``properties`` hold a value at ``path`` (CloudFormation names; the L1 classes take
    nested keys in camelCase), or when something on the way is not plain data (a token, a struct),
    which Python cannot look into: then the gap may apply."""
    node: Any = properties
    for key in path:
        if not isinstance(node, Mapping):
            return True
        camel = key[:1].lower() + key[1:]
        node = node.get(camel, node.get(key))
        if node is None:
            return False
    return True


# --- one lint per shape -----------------------------------------------------------------------
# A domain of thousands of users has many nested stacks built the same way (a group of profiles and
# spaces each): they differ only in names. cfn-lint costs about 2.6 s per 400 resources, so
# ``check`` lints one template per shape and gives every other template of that shape the same
# findings, on its own resources.


@dataclass(frozen=True)
class Shape:
    """A template read as a shape: its logical ids by position, and the template with every logical
    id replaced by its position (``R0``, ``R1`` ...), so two templates built the same way compare equal
    where they differ only in logical ids and names."""

    logical_ids: tuple[str, ...]
    canonical: Any
    key: str
    """The canonical template with every string reduced to its character classes: a grouping key."""


def template_shape(template: Mapping[str, Any]) -> Shape:
    """``template`` as a :class:`Shape`."""
    import re

    logical_ids = tuple(template.get("Resources", {}))
    body = json.dumps(template)
    if logical_ids:
        by_id = {logical_id: f"R{i}" for i, logical_id in enumerate(logical_ids)}
        pattern = re.compile("|".join(re.escape(i) for i in sorted(logical_ids, key=len, reverse=True)))
        body = pattern.sub(lambda m: by_id[m.group(0)], body)
    canonical = json.loads(body)
    return Shape(logical_ids, canonical, json.dumps(_classes(canonical), sort_keys=True))


def _classes(node: Any) -> Any:
    if isinstance(node, str):
        return "".join("a" if c.islower() else "A" if c.isupper() else "0" if c.isdigit() else c for c in node)
    if isinstance(node, dict):
        return {k: _classes(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_classes(v) for v in node]
    return node


_DESCRIPTION_MAX = 1024
"""CloudFormation's limit on a template's ``Description`` (cfn-lint's E1003)."""


def same_findings(representative: Shape, other: Shape, resource_types: Mapping[str, str]) -> bool:
    """True when cfn-lint must report on ``other`` what it reports on ``representative`` (same key),
    position for position: every string where they differ is a property value that the registry
    schema checks by pattern and length only, both values pass or both fail those checks, and the
    differences are one consistent renaming (a name always becomes the same other name). Anything
    else (an enum, a property the snapshot lacks, a difference outside ``Properties`` other than
    ``Metadata``) means the template is linted on its own.

    :param resource_types: logical id -> type, of ``representative``.
    """
    renamed: dict[Any, Any] = {}
    back: dict[Any, Any] = {}
    for path, mine, theirs in differences(representative.canonical, other.canonical, ()):
        if renamed.setdefault(_hashable(mine), theirs) != theirs or back.setdefault(_hashable(theirs), mine) != mine:
            return False  # not one consistent renaming: a cross-resource rule could judge them apart
        if len(path) >= 3 and path[0] == "Resources" and path[2] == "Metadata":
            continue  # cfn-lint does not check resource metadata
        if path == ("Description",) and isinstance(mine, str) and isinstance(theirs, str):
            if (len(mine) <= _DESCRIPTION_MAX) == (len(theirs) <= _DESCRIPTION_MAX):
                continue  # a template description is checked for its length only
            return False
        if len(path) < 4 or path[0] != "Resources" or path[2] != "Properties":
            return False
        resource_type = resource_types.get(representative.logical_ids[int(path[1][1:])], "")
        if not _same_verdict(resource_type, path[3:], mine, theirs):
            return False
    return True


def _hashable(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else value


def differences(a: Any, b: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any, Any]]:
    """Every place where ``a`` and ``b`` differ: (its path, ``a``'s value, ``b``'s value); a dict with
    other keys or a list of another length differs as a whole."""
    if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
        for key in a:
            yield from differences(a[key], b[key], (*path, key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from differences(x, y, (*path, str(i)))
    elif a != b:
        yield path, a, b


def _same_verdict(resource_type: str, path: Sequence[str], mine: Any, theirs: Any) -> bool:
    import regex

    from . import cfn_schema

    if not isinstance(mine, str) or not isinstance(theirs, str):
        return False
    try:
        schema = cfn_schema.property_schema(resource_type, "/".join("*" if p.isdigit() else p for p in path))
    except (KeyError, OSError, ValueError, TypeError):
        return False
    if schema.get("type") != "string" or set(schema) - {"type", "pattern", "minLength", "maxLength", "description"}:
        return False

    def verdict(value: str) -> tuple[bool, ...]:
        pattern = schema.get("pattern")
        return (
            pattern is None or regex.search(pattern, value) is not None,
            len(value) >= schema.get("minLength", 0),
            len(value) <= schema.get("maxLength", len(value)),
        )

    return verdict(mine) == verdict(theirs)


def findings_for(findings: Sequence[LintFinding], representative: Shape, other: Shape) -> list[LintFinding]:
    """The representative's findings, each moved to the resource at the same position of ``other``."""
    position = {logical_id: i for i, logical_id in enumerate(representative.logical_ids)}
    moved = []
    for finding in findings:
        path = finding.path
        if len(path) > 1 and path[0] == "Resources" and path[1] in position:
            path = (path[0], other.logical_ids[position[path[1]]], *path[2:])
        moved.append(LintFinding(finding.rule_id, finding.level, path, finding.message))
    return moved
