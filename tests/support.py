"""The one way tests synthesize: every template passes cfn-lint before a test sees it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from sagemaker_studio_cdk.assembly import load_templates
from sagemaker_studio_cdk.lint import lint_template

ROOT = Path(__file__).resolve().parent.parent
ENV = Environment(account="111122223333", region="us-east-1")


def cdk_context() -> dict[str, Any]:
    """cdk.json's context, so what tests synthesize is what ``cdk synth`` produces."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


CLI_CONTEXT = {"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True}
"""What the cdk CLI adds to an app's context: construct paths and asset (nested stack) metadata."""


def new_app(**context: Any) -> App:
    """An App with cdk.json's context and the CLI's, plus overrides."""
    return App(context={**cdk_context(), **CLI_CONTEXT, **context})


def new_stack(env: Environment | None = ENV) -> tuple[Stack, ec2.IVpc]:
    """A stack in a new app, and an existing VPC with private subnets in two zones."""
    stack = Stack(new_app(), "Test", env=env)
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
    )
    return stack, vpc


def assert_lint_clean(template: dict[str, Any], name: str = "template") -> None:
    """cfn-lint reports nothing on ``template`` beyond the reviewed gaps in ``lint.py``."""
    findings = lint_template(template)
    assert not findings, f"cfn-lint on {name}:\n" + "\n".join(str(f) for f in findings)


def assert_assembly_lint_clean(directory: str | Path) -> None:
    """Every template of a cloud assembly, nested stacks included, passes cfn-lint."""
    for stack in load_templates(directory):
        assert_lint_clean(stack.template, stack.label)


def template_of(stack: Stack) -> Template:
    """The stack's template; conftest.py lints it and every other template of its app."""
    return Template.from_stack(stack)


def resources_of(template: Template, resource_type: str) -> dict[str, Any]:
    """Logical id -> resource, for one type."""
    found: dict[str, Any] = template.find_resources(resource_type)
    return found
