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
    file: Path | None = None
    """The template file in the assembly."""
    region: str | None = None
    """The stack's region when the manifest names one (``aws://account/region``), else ``None``."""

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
    if not isinstance(manifest, dict) or not isinstance(manifest.get("artifacts", {}), dict):
        raise AssemblyError(f"{manifest_path}: not a cloud assembly manifest")
    stacks = [
        (name, artifact.get("properties", {}).get("templateFile"), artifact.get("environment"))
        for name, artifact in manifest.get("artifacts", {}).items()
        if isinstance(artifact, dict) and artifact.get("type") == "aws:cloudformation:stack"
    ]
    if not stacks:
        raise AssemblyError(f"{root}: the assembly holds no stacks")
    found: list[StackTemplate] = []
    for name, template_file, environment in stacks:
        if not isinstance(template_file, str):
            raise AssemblyError(f"{manifest_path}: stack {name} names no template file")
        region = _region(environment)
        found.extend(_with_nested(root, (name,), name, root / template_file, region))
    return found


def _region(environment: Any) -> str | None:
    """``us-east-1`` of ``aws://123456789012/us-east-1``; ``None`` for ``unknown-region``."""
    if not isinstance(environment, str) or not environment.startswith("aws://"):
        return None
    region = environment.removeprefix("aws://").partition("/")[2]
    return region if region and region != "unknown-region" else None


def _with_nested(root: Path, path: tuple[str, ...], label: str, file: Path, region: str | None) -> Iterator[StackTemplate]:
    template = _read_json(file)
    if not isinstance(template, dict) or not isinstance(template.get("Resources", {}), dict):
        raise AssemblyError(f"{file}: not a CloudFormation template")
    resources = template.get("Resources", {})
    if not all(isinstance(r, dict) and isinstance(r.get("Type"), str) for r in resources.values()):
        raise AssemblyError(f"{file}: not a CloudFormation template (a resource without a Type)")
    yield StackTemplate(path, template, label, file, region)
    for logical_id, resource in resources.items():
        metadata = resource.get("Metadata", {})
        asset = metadata.get("aws:asset:path") if isinstance(metadata, dict) else None
        if resource.get("Type") == "AWS::CloudFormation::Stack" and isinstance(asset, str):
            cdk_path = metadata.get("aws:cdk:path", "")
            child_label = cdk_path.split(".NestedStack/")[0] if cdk_path else f"{label}/{logical_id}"
            yield from _with_nested(root, (*path, logical_id), child_label, root / asset, region)
