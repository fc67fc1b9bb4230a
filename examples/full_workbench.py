#!/usr/bin/env python3
"""Every workbench part in one app: a VPC-only network with the MLflow and Feature Store
endpoints, and a domain with digest-pinned custom images (JupyterLab and Code Editor), portal
guardrails, an MLflow App (the domain's default), the Feature Store and Data Wrangler grants, RStudio
(with the License Manager endpoint and an RSession custom image; alice is an RStudio admin), a
shared team space and a private space per user (alice's Code Editor space open to her local IDE:
remote access), the domain admin role, the user access policy and the domain cleanup.

``python examples/full_workbench.py [OUTDIR]`` synthesizes into ``OUTDIR``, else ``$CDK_OUTDIR``
(what the cdk CLI sets), else ``cdk.out``. Environment:
- ``WORKBENCH_REPOSITORY``: the ECR repository (name in this account and region, or ARN) holding
  the images. Default: ``studio/workbench``.
- ``WORKBENCH_DIGEST``: the image digest the images pin (``sha256:<64 hex>``). Default: a
  placeholder digest, enough to synthesize.
- ``WORKBENCH_TRACKING_SERVER``: ``true`` also makes an MLflow tracking server (billed by the
  hour). Default: no.
- ``CDK_DEFAULT_ACCOUNT``: the account, when known; the region is ``us-east-1``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment

from sagemaker_studio_cdk import StudioDomainStack, StudioNetworkStack, grant_data_wrangler, parse_spec

REGION = "us-east-1"
DEFAULT_REPOSITORY = "studio/workbench"
PLACEHOLDER_DIGEST = "sha256:" + "0" * 64
ROOT = Path(__file__).resolve().parent.parent

Section = Callable[[dict[str, Any]], None]
"""Adds one part of the workbench to the spec (as ``studio.yaml`` data)."""
Extra = Callable[[StudioDomainStack], None]
"""Adds one part of the workbench the spec does not describe to the domain's stack."""


@dataclass(frozen=True)
class Options:
    """What the environment chooses.

    :param repository: the images' ECR repository (name or ARN). Default: ``studio/workbench``.
    :param digest: the digest the images pin. Default: a placeholder.
    :param tracking_server: also make an MLflow tracking server. Default: no.
    """

    repository: str = DEFAULT_REPOSITORY
    digest: str = PLACEHOLDER_DIGEST
    tracking_server: bool = False

    @classmethod
    def from_environment(cls) -> Options:
        """The options of the ``WORKBENCH_*`` variables."""
        return cls(
            repository=os.environ.get("WORKBENCH_REPOSITORY") or DEFAULT_REPOSITORY,
            digest=os.environ.get("WORKBENCH_DIGEST") or PLACEHOLDER_DIGEST,
            tracking_server=os.environ.get("WORKBENCH_TRACKING_SERVER", "").lower() in ("true", "1"),
        )


@dataclass(frozen=True)
class FullWorkbench:
    """The stacks :func:`build` made."""

    network: StudioNetworkStack
    domain: StudioDomainStack


def base(spec: dict[str, Any]) -> None:
    spec["region"] = REGION
    spec["domain"] = {
        "name": "workbench",
        "auth_mode": "IAM",
        "app_network_access": "VpcOnly",
        "app_defaults": {"jupyter_lab_instance_type": "ml.t3.medium", "code_editor_instance_type": "ml.t3.medium"},
        "cleanup": {"enabled": True, "delete_unmanaged_spaces": False},
    }
    spec["users"] = [{"name": "alice"}, {"name": "bob"}]


def custom_images(options: Options) -> Section:
    def add(spec: dict[str, Any]) -> None:
        spec["custom_images"] = [
            {"name": "workbench-lab", "repository": options.repository, "tag_or_digest": options.digest},
            {
                "name": "workbench-editor",
                "repository": options.repository,
                "tag_or_digest": options.digest,
                "app_type": "CodeEditor",
            },
        ]
        spec["domain"]["custom_images"] = ["workbench-lab", "workbench-editor"]
        spec["domain"]["default_image"] = "workbench-lab"

    return add


def rstudio(options: Options) -> Section:
    """RStudio on SageMaker: it needs a Posit Workbench license in License Manager (without one
    the domain's creation fails); alice is an RStudio admin, bob an RStudio user (the default)."""

    def add(spec: dict[str, Any]) -> None:
        spec["custom_images"].append(
            {
                "name": "workbench-r",
                "repository": options.repository,
                "tag_or_digest": options.digest,
                "app_type": "RSessionGateway",
            }
        )
        spec["domain"]["rstudio"] = {
            "session_custom_images": ["workbench-r"],
            "session_image": "workbench-r",
            "session_instance_type": "ml.t3.medium",
        }
        spec["users"][0]["rstudio"] = {"group": "R_STUDIO_ADMIN"}

    return add


def guardrails(spec: dict[str, Any]) -> None:
    spec["domain"]["allowed_instance_types"] = ["ml.t3.*", "ml.m5.large", "ml.m5.xlarge", "ml.g5.xlarge"]
    spec["domain"]["portal"] = {"hide_disallowed_instance_types": True}


def mlflow(options: Options) -> Section:
    def add(spec: dict[str, Any]) -> None:
        spec["mlflow"] = {
            "apps": [{"name": "workbench", "default_for_domain": True}],
            "tracking_servers": [{"name": "workbench-server", "size": "Small"}] if options.tracking_server else [],
        }

    return add


def feature_store(spec: dict[str, Any]) -> None:
    spec["feature_store"] = {"prefix": "workbench"}


def spaces(spec: dict[str, Any]) -> None:
    spec["spaces"] = [
        {"name": "team", "sharing": "Shared", "app_type": "JupyterLab", "image": "workbench-lab", "ebs_gb": 20},
        {
            "name": "alice-code",
            "sharing": "Private",
            "owner": "alice",
            "app_type": "CodeEditor",
            "image": "workbench-editor",
            "remote_access": "ENABLED",
        },
        {"name": "bob-lab", "sharing": "Private", "owner": "bob", "app_type": "JupyterLab", "image": "workbench-lab"},
    ]


def data_wrangler(stack: StudioDomainStack) -> None:
    assert stack.user_data_bucket is not None
    grant_data_wrangler(stack.domain.execution_role, bucket=stack.user_data_bucket, prefix="data-wrangler/")


def sections(options: Options) -> list[Section]:
    """The parts of the workbench the spec describes, in order."""
    return [base, custom_images(options), rstudio(options), guardrails, mlflow(options), feature_store, spaces]


def extras() -> list[Extra]:
    """The parts of the workbench added to the domain's stack after the spec's."""
    return [data_wrangler]


def workbench_spec(options: Options) -> dict[str, Any]:
    """The workbench's spec, as ``studio.yaml`` data."""
    spec: dict[str, Any] = {}
    for section in sections(options):
        section(spec)
    return spec


def build(app: App, options: Options | None = None) -> FullWorkbench:
    """Add the workbench's network and domain stacks to ``app``."""
    options = options or Options()
    spec = parse_spec(workbench_spec(options))
    env = Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=REGION)
    network = StudioNetworkStack(
        app, "WorkbenchNetwork", mlflow_endpoints=True, feature_store_endpoint=True, rstudio_endpoints=True, env=env
    )
    domain = StudioDomainStack(app, "Workbench", spec=spec, vpc=network.vpc, env=env)
    for extra in extras():
        extra(domain)
    return FullWorkbench(network=network, domain=domain)


def cdk_context() -> dict[str, Any]:
    """The repository's cdk.json context (feature flags), when the example runs from a checkout."""
    cdk_json = ROOT / "cdk.json"
    if not cdk_json.is_file():
        return {}
    context: dict[str, Any] = json.loads(cdk_json.read_text()).get("context", {})
    return context


def main(argv: Sequence[str] = ()) -> int:
    """Synthesize into ``argv[0]``, ``$CDK_OUTDIR`` or ``cdk.out``."""
    outdir = argv[0] if argv else os.environ.get("CDK_OUTDIR") or "cdk.out"
    app = App(outdir=outdir, context=cdk_context())
    build(app, Options.from_environment())
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
