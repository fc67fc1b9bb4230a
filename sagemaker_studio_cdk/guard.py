"""``sagemaker-studio-cdk guard OLD NEW``: what deploying the assembly ``NEW`` over ``OLD`` (the
assembly of the last deploy) would delete or fail on, from :func:`.replacement.compare_assemblies`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assembly import load_templates
from .replacement import WOULD_DELETE, WOULD_FAIL, Change, compare_assemblies


def allow_names(change: Change) -> set[str]:
    """The names ``--allow`` accepts for a change: the construct path (with or without its
    trailing ``/Resource``), the logical id (alone or as ``stack/logical id``) and the fixed name."""
    names = {change.path, change.path.removesuffix("/Resource"), change.logical_id, f"{change.stack}/{change.logical_id}"}
    if change.name:
        names.add(change.name)
    return names


@dataclass
class GuardResult:
    """The changes between two assemblies and which of them ``--allow`` accepted."""

    changes: list[Change]
    allowed: list[Change] = field(default_factory=list)
    unused_allows: list[str] = field(default_factory=list)
    """``--allow`` names that matched no change with a verdict (a typo, or a stale allowance)."""

    @property
    def blocking(self) -> list[Change]:
        """Changes with a verdict that no ``--allow`` accepted: any makes the exit code 1."""
        return [c for c in self.changes if c.verdict and c not in self.allowed]

    @property
    def exit_code(self) -> int:
        """1 when a change would delete data or fail and was not allowed, else 0."""
        return 1 if self.blocking else 0


def guard(old: str | Path, new: str | Path, allow: Iterable[str] = ()) -> GuardResult:
    """Compare two cloud assemblies (raises :class:`.assembly.AssemblyError` on bad input)."""
    changes = compare_assemblies(load_templates(old), load_templates(new))
    allow = list(allow)
    allowed = [c for c in changes if c.verdict and allow_names(c) & set(allow)]
    used = set().union(*(allow_names(c) for c in allowed)) if allowed else set()
    return GuardResult(changes, allowed, [a for a in allow if a not in used])


def _line(change: Change) -> str:
    name = f" {change.name!r}" if change.name else ""
    return f"  {change.action:<12} {change.resource_type}{name}  {change.path}"


def render_text(result: GuardResult) -> str:
    """The report for people: blocking changes with their reasons, then the allowed, then the rest."""
    lines: list[str] = []
    for verdict in (WOULD_FAIL, WOULD_DELETE):
        found = [c for c in result.blocking if c.verdict == verdict]
        if found:
            lines.append(f"{verdict.upper()} ({len(found)})")
            for change in found:
                lines.append(_line(change))
                lines.extend(f"      - {reason}" for reason in change.reasons)
    if result.allowed:
        lines.append(f"ALLOWED ({len(result.allowed)})")
        for change in result.allowed:
            lines.append(f"{_line(change)}  [{change.verdict}]")
            lines.extend(f"      - {reason}" for reason in change.reasons)
    rest = [c for c in result.changes if not c.verdict]
    if rest:
        lines.append(f"OTHER CHANGES ({len(rest)}; nothing lost)")
        for change in rest:
            lines.append(_line(change))
            lines.extend(f"      - {reason}" for reason in change.reasons)
    fails = sum(c.verdict == WOULD_FAIL for c in result.blocking)
    deletes = sum(c.verdict == WOULD_DELETE for c in result.blocking)
    lines.append(
        f"guard: {fails} would fail, {deletes} would delete data, {len(result.allowed)} allowed, {len(rest)} other changes"
    )
    return "\n".join(lines)


def render_json(result: GuardResult) -> dict[str, Any]:
    """The report as a JSON document: every change, each with ``allowed``, and the counts."""
    return {
        "changes": [{**c.to_json(), "allowed": c in result.allowed} for c in result.changes],
        "wouldFail": sum(c.verdict == WOULD_FAIL for c in result.blocking),
        "wouldDeleteData": sum(c.verdict == WOULD_DELETE for c in result.blocking),
        "allowed": len(result.allowed),
        "unusedAllows": result.unused_allows,
        "exitCode": result.exit_code,
    }


def run(old: str, new: str, allow: Sequence[str], as_json: bool) -> tuple[int, str, list[str]]:
    """Exit code, standard output and notes for stderr of one ``guard`` run."""
    result = guard(old, new, allow)
    output = json.dumps(render_json(result), indent=2) if as_json else render_text(result)
    notes = [f"--allow {name!r} matched no resource that would delete data or fail" for name in result.unused_allows]
    return result.exit_code, output, notes
