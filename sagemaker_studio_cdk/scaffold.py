"""``sagemaker-studio-cdk init``: a new app in the CDK's own layout, from the templates shipped in
``sagemaker_studio_cdk/templates`` (package data).

``common/`` goes into every app (cdk.json, README.md, requirements.txt, the test, the CI
workflow); ``spec/`` or ``constructs/`` adds ``app.py`` (and ``studio.yaml``). In template file
names ``dot-`` stands for a leading ``.`` and ``.tmpl`` marks Python files (so the package's
linters and type checker leave them alone); ``{{key}}`` in a file is replaced with the value
of :func:`values`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import Enum
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

CDK_CLI_VERSION = "2.1148.1"
"""The CDK CLI the generated README and CI workflow run (the one this project pins in package.json)."""


class Template(Enum):
    """What ``app.py`` is built from."""

    SPEC = "spec"
    """A ``studio.yaml`` read by ``StudioDomainStack``."""
    CONSTRUCTS = "constructs"
    """A stack of ``StudioDomain``, ``add_user`` and ``add_space`` calls."""


APP_NOTES = {
    Template.SPEC: "It builds the network, and the domain of `studio.yaml` with `StudioDomainStack` "
    "(users in nested stacks by `group`); `studio.yaml` is where the domain, users and spaces change.",
    Template.CONSTRUCTS: "Its `StudioStack` builds the domain with `StudioDomain`, `add_user` and `add_space`, "
    "on the VPC of a `StudioNetworkStack`; change the domain there.",
}


class ScaffoldError(Exception):
    """The app cannot be written there."""


def domain_name(directory_name: str) -> str:
    """A Studio domain name made of the directory's name: letters, digits and single hyphens,
    at most 63 characters; ``studio`` when nothing is left."""
    name = re.sub(r"-+", "-", re.sub(r"[^A-Za-z0-9]", "-", directory_name)).strip("-")[:63].rstrip("-")
    return name or "studio"


def values(directory: Path, template: Template) -> dict[str, str]:
    """What ``{{key}}`` stands for in the templates."""
    try:
        requirement = f">={metadata.version('sagemaker-studio-cdk')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        requirement = ""
    return {
        "name": directory.resolve().name,
        "domain_name": domain_name(directory.resolve().name),
        "template": template.value,
        "cdk_cli": CDK_CLI_VERSION,
        "app_note": APP_NOTES[template],
        "version": requirement,
    }


def _walk(node: Traversable, prefix: PurePosixPath) -> Iterator[tuple[PurePosixPath, str]]:
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        if child.name == "__pycache__":
            continue
        name = "." + child.name.removeprefix("dot-") if child.name.startswith("dot-") else child.name
        if child.is_dir():
            yield from _walk(child, prefix / name)
        else:
            yield prefix / name.removesuffix(".tmpl"), child.read_text()


def files(directory: Path, template: Template) -> dict[PurePosixPath, str]:
    """The app's files, by path from ``directory``, with the values filled in."""
    root = resources.files("sagemaker_studio_cdk") / "templates"
    fill = values(directory, template)
    found: dict[PurePosixPath, str] = {}
    for part in ("common", template.value):
        for path, text in _walk(root / part, PurePosixPath()):
            found[path] = re.sub(r"\{\{(\w+)\}\}", lambda m: fill[m.group(1)], text)
    return found


def init(directory: str | Path, template: Template = Template.SPEC) -> list[Path]:
    """Write a new app into ``directory`` (made when missing); the files written.

    :raises ScaffoldError: ``directory`` is a file or a directory that is not empty.
    """
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file; init writes a new app into a new or empty directory")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(f"{target} is not empty; init writes a new app into a new or empty directory, and overwrites nothing")
    written = []
    for path, text in files(target, template).items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_text(text)
        written.append(destination)
    return written
