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
from collections.abc import Callable, Mapping, Sequence
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


@lru_cache(maxsize=512)
def _lint_cached(_digest: str, body: str, regions: tuple[str, ...]) -> tuple[LintFinding, ...]:
    from cfnlint.api import ManualArgs, lint

    template = json.loads(body)
    findings = []
    for match in lint(body, config=ManualArgs(regions=list(regions))):
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
