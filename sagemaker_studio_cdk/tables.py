"""Plain-text tables, nested-dict lookups and template values for what the commands print and draw."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def dig(node: Any, *keys: str) -> Any:
    """``node[k1][k2]...``, or ``None`` as soon as a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Columns padded to their widest cell, a rule under the headers, no trailing spaces."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    return "\n".join(indent + line for line in lines)


def show(value: Any) -> str:
    """A template value for people: literals as they are, intrinsics in a short readable form."""
    if value is None:
        return "-"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return {"AWS::Partition": "aws", "AWS::Region": "<region>", "AWS::AccountId": "<account>"}.get(arg, f"<{arg}>")
        if fn == "Fn::Join":
            return str(arg[0]).join(show(part) for part in arg[1])
        if fn == "Fn::GetAtt":
            return f"<{arg[0]}.{arg[1]}>"
        if fn == "Fn::FindInMap":
            return f"<{arg[0]}[{show(arg[1])}]>"
    return "<computed>"


def refs(node: Any) -> set[str]:
    """Logical ids that ``node`` points at with Ref or Fn::GetAtt."""
    if isinstance(node, dict):
        if set(node) == {"Ref"}:
            return {str(node["Ref"])}
        if set(node) == {"Fn::GetAtt"}:
            return {str(node["Fn::GetAtt"][0])}
        return set().union(*(refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(refs(v) for v in node)) if node else set()
    return set()
