"""How ``check`` reports: a table for people, SARIF 2.1.0 for code scanning, JUnit XML for CI."""

from __future__ import annotations

import hashlib
import textwrap
from importlib import metadata
from itertools import groupby
from typing import Any
from xml.etree import ElementTree as ET

from .check import CFN_LINT, CheckResult, Finding

TOOLS = (CFN_LINT, "AwsSolutions", "StudioChecks")
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _version() -> str:
    try:
        return metadata.version("sagemaker-studio-cdk")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _wrap(text: str, indent: str, width: int = 110) -> str:
    """Wrapped at spaces only: a path, URL or id longer than the line stays whole, for copy and paste."""
    return textwrap.fill(
        text, width=width, initial_indent=indent, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def summary_line(result: CheckResult) -> str:
    """One line: what was checked and what was found."""
    errors, warnings = len(result.errors), len(result.warnings)
    stacks = len({f.stack for f in result.findings})
    found = (
        f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)} in {stacks} of "
        f"{len(result.templates)} templates"
        if result.findings
        else f"no findings in {len(result.templates)} templates"
    )
    return (
        f"check: {found} ({result.resource_count} resources; {', '.join(TOOLS)}; "
        f"{result.acknowledged} acknowledgements honoured; {result.seconds:.1f} s)"
    )


def table(result: CheckResult) -> str:
    """The findings grouped by stack, then by resource: path, rule, level, message, how to fix."""
    out: list[str] = []
    for stack, in_stack in groupby(result.findings, key=lambda f: f.stack):
        findings = list(in_stack)
        out.append(f"{stack}  ({findings[0].file})")
        for (path, logical_id, line), on_resource in groupby(findings, key=lambda f: (f.path, f.logical_id, f.line)):
            where = ", ".join(p for p in (logical_id, f"line {line}" if line else None) if p)
            out.append(f"  {path}" + (f"  [{where}]" if where else ""))
            shown_fixes: set[str] = set()
            for f in on_resource:
                out.append(f"    {f.level.upper():7}  {f.rule_id}  ({f.tool})")
                out.append(_wrap(f.message, " " * 13))
                if f.fix and f.fix not in shown_fixes:
                    shown_fixes.add(f.fix)
                    out.append(_wrap(f"how to fix: {f.fix}", " " * 13))
        out.append("")
    out.append(summary_line(result))
    return "\n".join(out)


def _fingerprint(finding: Finding) -> str:
    key = "\0".join((finding.tool, finding.rule_id, finding.stack, finding.logical_id or "", finding.message))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def sarif(result: CheckResult) -> dict[str, Any]:
    """The findings as a SARIF 2.1.0 log (one run; one rule per finding id)."""
    rule_ids = sorted(result.rules)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    first_message: dict[str, str] = {}
    for finding in result.findings:
        first_message.setdefault(finding.rule_id, finding.message)
    rules = []
    for rule_id in rule_ids:
        tool, level, fix = result.rules[rule_id]
        rules.append(
            {
                "id": rule_id,
                "shortDescription": {"text": first_message.get(rule_id, rule_id)},
                "help": {"text": fix or first_message.get(rule_id, rule_id)},
                "defaultConfiguration": {"level": "error" if level == "error" else "warning"},
                "properties": {"tool": tool},
            }
        )
    results = []
    for finding in result.findings:
        location: dict[str, Any] = {
            "logicalLocations": [
                {"name": finding.logical_id or finding.stack, "fullyQualifiedName": finding.path, "kind": "resource"}
            ]
        }
        if finding.file:
            physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file}}
            if finding.line:
                physical["region"] = {"startLine": finding.line}
            location["physicalLocation"] = physical
        results.append(
            {
                "ruleId": finding.rule_id,
                "ruleIndex": index[finding.rule_id],
                "level": "error" if finding.is_error else "warning",
                "message": {"text": f"{finding.message} ({finding.path})"},
                "locations": [location],
                "partialFingerprints": {"findingId/v1": _fingerprint(finding)},
                "properties": {"tool": finding.tool, "stack": finding.stack},
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sagemaker-studio-cdk check",
                        "version": _version(),
                        "rules": rules,
                    }
                },
                "results": results,
                "invocations": [{"executionSuccessful": True}],
            }
        ],
    }


def junit(result: CheckResult) -> str:
    """The findings as JUnit XML: a test suite per stack; a failing test case per error finding, a
    passing one per warning (its text in ``system-out``), and a passing one per tool that found
    nothing in the stack."""
    root = ET.Element("testsuites", name="sagemaker-studio-cdk check")
    total = failures = 0
    by_stack: dict[str, list[Finding]] = {t.label: [] for t in result.templates}
    for finding in result.findings:
        by_stack.setdefault(finding.stack, []).append(finding)
    for stack, findings in by_stack.items():
        suite = ET.SubElement(root, "testsuite", name=stack)
        cases = 0
        suite_failures = 0
        for tool in TOOLS:
            if not any(f.tool == tool for f in findings):
                ET.SubElement(suite, "testcase", classname=stack, name=f"{tool}: no findings")
                cases += 1
        for finding in findings:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"{stack}.{finding.logical_id or 'template'}",
                name=f"{finding.tool} {finding.rule_id}",
            )
            body = f"{finding.path}\n{finding.message}\nhow to fix: {finding.fix}"
            if finding.is_error:
                failure = ET.SubElement(case, "failure", message=finding.message, type=finding.rule_id)
                failure.text = body
                suite_failures += 1
            else:
                ET.SubElement(case, "system-out").text = f"warning: {body}"
            cases += 1
        suite.set("tests", str(cases))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += cases
        failures += suite_failures
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("time", f"{result.seconds:.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
