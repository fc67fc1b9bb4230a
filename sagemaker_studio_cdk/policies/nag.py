"""cdk-nag 3 in this library: acknowledging findings where a resource is made, and the packs apps register.

cdk-nag 3 packs are CDK validation plugins. An acknowledgement lives in the construct tree
(``Validations.of(scope).acknowledge``), which a pack in the same app reads; a checker of an
already synthesized assembly (``sagemaker-studio-cdk check``) cannot see the tree, so
:func:`acknowledge` also has the acknowledgement written into the template, as
``Metadata.cdk_nag.rules_to_suppress`` of every resource below ``scope``. Any app that uses the
constructs gets that metadata, whether or not it registers a pack.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from aws_cdk import Acknowledgment, Aspects, Stack, Validations
from aws_cdk import aws_iam as iam
from cdk_nag import WriteNagSuppressionsToCloudFormationAspect
from constructs import Construct, IConstruct

TEMPLATE_METADATA_KEY = "cdk_nag"
"""The template ``Metadata`` key cdk-nag writes acknowledgements under (``rules_to_suppress``)."""

VALIDATION_REPORT_FILE = "validation-report.json"
"""Where aws-cdk-lib writes the validation plugins' report in a cloud assembly."""


def acknowledge(scope: IConstruct, finding_id: str, reason: str) -> None:
    """Acknowledge the cdk-nag finding ``finding_id`` on ``scope`` and everything below it.

    :param finding_id: the precise finding, with its detail where the rule has one
        (``AwsSolutions-IAM5[Resource::*]``), never a whole rule that reports details.
    :param reason: why the finding is acceptable here; shown in reports and the template.
    """
    if not reason.strip():
        raise ValueError(f"acknowledging {finding_id} needs a reason")
    Validations.of(scope).acknowledge(Acknowledgment(id=finding_id, reason=reason))
    _write_to_template(scope)


def _write_to_template(scope: IConstruct) -> None:
    if not any(isinstance(a, WriteNagSuppressionsToCloudFormationAspect) for a in Aspects.of(scope).all):
        Aspects.of(scope).add(WriteNagSuppressionsToCloudFormationAspect())


def flatten_reference(value: Any) -> str:
    """A resolved template value as cdk-nag names it in finding ids (its ``flattenCfnReference``):
    ``{"Ref": "AWS::AccountId"}`` becomes ``<AWS::AccountId>``, ``${var}`` becomes ``<var>``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict):
        if value.get("Fn::Join"):
            delimiter, items = value["Fn::Join"]
            return str(delimiter).join(flatten_reference(item) for item in items)
        if value.get("Fn::Sub"):
            return flatten_reference(value["Fn::Sub"])
        if value.get("Fn::GetAtt"):
            resource, attribute = value["Fn::GetAtt"]
            return f"<{flatten_reference(resource)}.{flatten_reference(attribute)}>"
        if value.get("Fn::ImportValue"):
            return flatten_reference(value["Fn::ImportValue"])
        if value.get("Ref"):
            return f"<{flatten_reference(value['Ref'])}>"
    return json.dumps(value, separators=(",", ":"))


def wildcard_finding_ids(scope: IConstruct, statement: iam.PolicyStatement) -> list[str]:
    """The ``AwsSolutions-IAM5`` findings an Allow ``statement`` raises in ``scope``'s stack."""
    if statement.effect is not iam.Effect.ALLOW:
        return []
    stack = Stack.of(scope)
    found = [f"AwsSolutions-IAM5[Action::{a}]" for a in statement.actions if "*" in a]
    for resource in statement.resources:
        flat = flatten_reference(stack.resolve(resource))
        if "*" in flat:
            found.append(f"AwsSolutions-IAM5[Resource::{flat}]")
    return found


def acknowledge_wildcards(scope: IConstruct, statements: Iterable[iam.PolicyStatement], reasons: Mapping[str, str]) -> None:
    """Acknowledge, on ``scope``, the ``AwsSolutions-IAM5`` findings of ``statements``, each with the
    reason given for its statement's ``Sid``.

    Every statement with a wildcard must have a reason: a new wildcard is a
    :class:`ValueError` until someone writes down why it is needed.
    """
    by_id: dict[str, list[str]] = {}
    for statement in statements:
        ids = wildcard_finding_ids(scope, statement)
        if not ids:
            continue
        sid = statement.sid or ""
        if sid not in reasons:
            raise ValueError(f"statement {sid or statement.to_statement_json()} has wildcards ({', '.join(ids)}) but no reason")
        for finding_id in ids:
            by_id.setdefault(finding_id, [])
            if reasons[sid] not in by_id[finding_id]:
                by_id[finding_id].append(reasons[sid])
    for finding_id, texts in by_id.items():
        acknowledge(scope, finding_id, " ".join(texts))


INLINE_POLICY_REASON = (
    "The role's identity policy is written for this one role and lives and dies with it: AWS recommends an inline "
    "policy exactly where a strict one-to-one relationship between a policy and its identity is wanted, so no "
    "other principal can be given these statements by attaching a managed policy."
)
INLINE_POLICY_FINDINGS = ("NIST.800.53.R5-IAMNoInlinePolicy", "HIPAA.Security-IAMNoInlinePolicy")


def acknowledge_inline_policy(role: IConstruct) -> None:
    """Acknowledge the compliance packs' "no inline policies" findings on ``role`` (and its default
    policy) with :data:`INLINE_POLICY_REASON`."""
    for finding_id in INLINE_POLICY_FINDINGS:
        acknowledge(role, finding_id, INLINE_POLICY_REASON)


def add_packs(scope: Construct, *, compliance: bool = False) -> None:
    """Register the packs as validation plugins of ``scope``'s app (or stage).

    AwsSolutions and :class:`~sagemaker_studio_cdk.policies.rules.StudioChecks` always; with
    ``compliance``, NIST 800-53 rev 5 and HIPAA Security too. Every acknowledgement in the app is
    also written into the template metadata, for ``sagemaker-studio-cdk check``.
    """
    from cdk_nag import AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks

    from .rules import StudioChecks

    packs: list[Any] = [AwsSolutionsChecks(scope, write_suppressions_to_cloud_formation=True), StudioChecks()]
    if compliance:
        packs += [NIST80053R5Checks(), HIPAASecurityChecks()]
    Validations.of(scope).add_plugins(*packs)


def failed_validations(assembly_directory: str | Path) -> list[str]:
    """The errors of the plugins whose validation failed, one line each (``plugin: rule at path``),
    from the report aws-cdk-lib wrote into the assembly.

    With ``CDK_APP_MODE=process`` aws-cdk-lib prints a failed validation and lets the app exit 0;
    an app's entry point calls this after ``synth()`` to exit non-zero itself.
    """
    path = Path(assembly_directory) / VALIDATION_REPORT_FILE
    if not path.is_file():
        return []
    report = json.loads(path.read_text())
    failed: list[str] = []
    for plugin in report.get("pluginReports", []):
        if plugin.get("conclusion") != "failure":
            continue
        name = plugin.get("pluginName", "?")
        errors = [v for v in plugin.get("violations", []) if v.get("severity") in ("error", "fatal")]
        for violation in errors or [{"ruleName": "validation failed"}]:
            paths = [c.get("constructPath", "?") for c in violation.get("violatingConstructs", [])]
            failed.append(f"{name}: {violation.get('ruleName')}" + (f" at {', '.join(paths)}" if paths else ""))
    return failed
