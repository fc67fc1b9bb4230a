"""The one way tests synthesize: every template passes cfn-lint before a test sees it."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk.assertions import Template

from sagemaker_studio_cdk.assembly import load_templates
from sagemaker_studio_cdk.lint import LintFinding, lint_template

ROOT = Path(__file__).resolve().parent.parent
ENV = Environment(account="111122223333", region="us-east-1")


def cdk_context() -> dict[str, Any]:
    """cdk.json's context, so what tests synthesize is what ``cdk synth`` produces."""
    context: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
    return context


CLI_CONTEXT = {"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True}
"""What the cdk CLI adds to an app's context: construct paths and asset (nested stack) metadata."""


def new_app(outdir: str | Path | None = None, **context: Any) -> App:
    """An App with cdk.json's context and the CLI's, plus overrides; its assembly goes to ``outdir``
    (default: a new temporary directory)."""
    return App(outdir=str(outdir) if outdir is not None else None, context={**cdk_context(), **CLI_CONTEXT, **context})


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


LINT_CACHE = Path(os.environ.get("STUDIO_LINT_CACHE") or ROOT / ".pytest_cache" / "studio-lint")
"""cfn-lint results of templates tests synthesized or checked, shared by pytest's worker processes
and later runs.

Linting the example's domain template takes seconds and every worker synthesizes (and ``check``
lints) the same templates: a result is kept under the hash of the template, its regions, the versions of cfn-lint
and botocore, and lint.py (its known gaps), so a changed template, rule set or gap list is linted
again."""


@cache
def _lint_salt() -> str:
    import botocore
    import cfnlint.version

    from sagemaker_studio_cdk import lint

    versions = f"cfn-lint {cfnlint.version.__version__}, botocore {botocore.__version__}"  # gaps read botocore's model
    return hashlib.sha256(f"{versions}\n{Path(lint.__file__).read_text()}".encode()).hexdigest()


def cache_lint_results_in_files() -> None:
    """Every cfn-lint run of this process (the conftest's hook, ``check``, ``lint_template``) reads
    and writes :data:`LINT_CACHE`: ``lint._lint_cached`` (the one place cfn-lint runs, cached by
    content within a process) wrapped once."""
    from sagemaker_studio_cdk import lint

    in_process = lint._lint_cached
    if getattr(in_process, "file_cached", False):
        return

    def file_cached(digest: str, body: str, regions: tuple[str, ...]) -> tuple[LintFinding, ...]:
        key = hashlib.sha256(f"{_lint_salt()}\n{digest}\n{','.join(regions)}".encode()).hexdigest()
        file = LINT_CACHE / f"{key}.json"
        try:
            return tuple(LintFinding(r, level, tuple(path), m) for r, level, path, m in json.loads(file.read_text()))
        except (OSError, ValueError, TypeError):
            pass
        findings = in_process(digest, body, regions)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            partial = file.with_name(f"{file.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps([[f.rule_id, f.level, list(f.path), f.message] for f in findings]))
            os.replace(partial, file)  # atomic: another worker reads all of it or nothing
        except OSError:
            pass  # a read-only checkout lints every time
        return findings

    file_cached.file_cached = True  # type: ignore[attr-defined]
    lint._lint_cached = file_cached  # type: ignore[assignment]


def lint_findings(template: dict[str, Any]) -> list[str]:
    """cfn-lint's findings on ``template`` beyond the known gaps (``lint_template``; the results
    are in :data:`LINT_CACHE` once :func:`cache_lint_results_in_files` ran)."""
    return [str(f) for f in lint_template(template)]


def assert_lint_clean(template: dict[str, Any], name: str = "template") -> None:
    """cfn-lint reports nothing on ``template`` beyond the reviewed gaps in ``lint.py``."""
    findings = lint_findings(template)
    assert not findings, f"cfn-lint on {name}:\n" + "\n".join(findings)


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


def moto_vpc(moto: Any, zones: tuple[str, ...] = ("us-east-1a", "us-east-1b")) -> Any:
    """A VPC with a /24 subnet in each of ``zones``, made in ``moto`` (a ``StudioMoto``), as the
    :class:`~sagemaker_studio_cdk.ExistingVpc` a stack is given."""
    from sagemaker_studio_cdk import ExistingVpc

    ec2_client = moto.client("ec2")
    vpc_id = ec2_client.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = tuple(
        ec2_client.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for i, zone in enumerate(zones)
    )
    return ExistingVpc(vpc_id, tuple(zones), subnets)


RUN_DIR: Path | None = None
"""Under pytest-xdist, a directory every worker of this run shares (conftest.py sets it)."""


def built_once(name: str, build: Callable[[Path], None]) -> Path:
    """A directory ``build`` fills once per test run. Under pytest-xdist the first worker to ask
    builds it and the others wait, then read it: each worker would otherwise synthesize the same
    app again. Run alone: a new temporary directory. A failed build leaves it for the next asker."""
    if RUN_DIR is None:
        folder = Path(tempfile.mkdtemp(prefix=f"studio-{name}-"))
        build(folder)
        return folder
    folder = RUN_DIR / name
    with open(RUN_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (folder / ".built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            build(folder)
            (folder / ".built").touch()
    return folder
