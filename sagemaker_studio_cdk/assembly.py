"""Reading a synthesized cloud assembly (``cdk.out``): its stacks and nested stacks as plain data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class AssemblyError(Exception):
    """The path is not a readable cloud assembly."""


@dataclass(frozen=True)
class StackTemplate:
    """One template of the assembly; ``path`` is the stack name, then nested stack logical ids."""

    path: tuple[str, ...]
    template: dict[str, Any]
    label: str
    """The construct path people know: ``Stack`` or ``Stack/UserGroup-research``."""

    @property
    def name(self) -> str:
        """``Stack`` or ``Stack/NestedLogicalId``: unique, and stable while logical ids are."""
        return "/".join(self.path)

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Logical id -> resource, for one type."""
        return {k: v for k, v in self.template.get("Resources", {}).items() if v.get("Type") == resource_type}


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except OSError as err:
        raise AssemblyError(f"{path}: cannot read ({err.strerror})") from None
    except json.JSONDecodeError as err:
        raise AssemblyError(f"{path}: not valid JSON (line {err.lineno}: {err.msg})") from None


def load_templates(directory: str | Path) -> list[StackTemplate]:
    """Every stack template of the assembly at ``directory``, nested stacks after their parent."""
    root = Path(directory)
    manifest_path = root / "manifest.json"
    if not manifest_path.is_file():
        raise AssemblyError(f"{root}: not a cloud assembly (no manifest.json); run `cdk synth` first")
    manifest = _read_json(manifest_path)
    stacks = [
        (name, artifact["properties"]["templateFile"])
        for name, artifact in manifest.get("artifacts", {}).items()
        if artifact.get("type") == "aws:cloudformation:stack"
    ]
    if not stacks:
        raise AssemblyError(f"{root}: the assembly holds no stacks")
    found: list[StackTemplate] = []
    for name, template_file in stacks:
        found.extend(_with_nested(root, (name,), name, _read_json(root / template_file)))
    return found


def _with_nested(root: Path, path: tuple[str, ...], label: str, template: Any) -> Iterator[StackTemplate]:
    if not isinstance(template, dict) or not isinstance(template.get("Resources", {}), dict):
        raise AssemblyError(f"{'/'.join(path)}: not a CloudFormation template")
    yield StackTemplate(path, template, label)
    for logical_id, resource in template.get("Resources", {}).items():
        metadata = resource.get("Metadata", {})
        asset = metadata.get("aws:asset:path")
        if resource.get("Type") == "AWS::CloudFormation::Stack" and asset:
            cdk_path = metadata.get("aws:cdk:path", "")
            child_label = cdk_path.split(".NestedStack/")[0] if cdk_path else f"{label}/{logical_id}"
            yield from _with_nested(root, (*path, logical_id), child_label, _read_json(root / asset))
