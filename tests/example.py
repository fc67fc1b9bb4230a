"""The example app (app.py + studio.yaml), synthesized once per test session."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

from aws_cdk import App

from sagemaker_studio_cdk.assembly import StackTemplate, load_templates

from .support import ROOT, built_once, new_app

STATEFUL_TYPES = (
    "AWS::SageMaker::Domain",
    "AWS::SageMaker::UserProfile",
    "AWS::SageMaker::Space",
    "AWS::KMS::Key",
    "AWS::EFS::FileSystem",
    "AWS::EFS::MountTarget",
    "AWS::S3::Bucket",
    "AWS::CloudFormation::Stack",
    "AWS::SageMaker::Image",
    "AWS::SageMaker::ImageVersion",
)
"""Resource types whose logical ids are pinned: replacing one loses data or users' access."""


def app_module() -> ModuleType:
    """``app.py`` imported as a module."""
    spec = importlib.util.spec_from_file_location("example_app", ROOT / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synth_example(spec_path: Path | None = None, *, packs: bool = False, **context: Any) -> tuple[App, list[StackTemplate]]:
    """Synthesize the example app with cdk.json's context (and cfn-lint it, as every synth in tests).

    :param packs: register the cdk-nag packs as ``cdk synth`` does (``app.register_packs``): an
        unacknowledged error then fails the synth.
    """
    app = new_app(**{"studio:spec": str(spec_path or ROOT / "studio.yaml"), **context})
    module = app_module()
    module.build(app)
    if packs:
        module.register_packs(app)
    assembly = app.synth()  # linted by conftest.py
    return app, load_templates(assembly.directory)


@lru_cache(maxsize=1)
def example_assembly() -> tuple[str, list[StackTemplate]]:
    """The example app's cloud assembly directory and templates, synthesized once per test run
    (``built_once``) with the cdk-nag packs registered as ``cdk synth`` registers them (so a finding
    fails every test)."""
    directory = built_once("example-assembly", lambda folder: synth_example(packs=True, outdir=folder))
    return str(directory), load_templates(directory)


def example() -> list[StackTemplate]:
    """The example app's templates (shared by every test that only reads them)."""
    return example_assembly()[1]


EXAMPLE_STACK = "StudioDomain"
"""The example app's root stack; golden entries of other stacks belong to stack tests."""


def pinned_logical_ids(golden: dict[str, str], stack: str = EXAMPLE_STACK) -> dict[str, str]:
    """The golden entries of resources below ``stack`` (construct paths start with its id)."""
    return {k: v for k, v in golden.items() if k.split(" ", 1)[1].startswith(f"{stack}/")}


def stateful_logical_ids(templates: list[StackTemplate]) -> dict[str, str]:
    """``stack label`` + ``construct path`` -> logical id, for the stateful resources."""
    found = {}
    for stack in templates:
        for logical_id, resource in stack.template.get("Resources", {}).items():
            if resource["Type"] in STATEFUL_TYPES:
                path = resource.get("Metadata", {}).get("aws:cdk:path", logical_id)
                found[f"{resource['Type']} {path}"] = f"{stack.name}::{logical_id}"
    return found
