"""One deploy to moto of a studio.yaml with every API-only row of PEER-SCENARIOS.md and RStudio,
then one update (a deployed user's RStudio group) the way a team runs it: ``roster update`` before
the first synth, ``roster update`` again after it (recording from cdk.out which blocks
CloudFormation writes and the create-only values at creation), then the update's synth. What the
API describes before and after, every resource's physical id, and the synthesized templates, for
tests/peer/test_api_only.py and tests/peer/test_rstudio.py."""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from aws_cdk import App, Environment

from sagemaker_studio_cdk import StudioDomainStack, parse_spec
from sagemaker_studio_cdk.cli import main as cli
from sagemaker_studio_cdk.roster import RosterCheck
from sagemaker_studio_cdk.stacks import ExistingVpc
from sagemaker_studio_cdk.testing import Deployer, mock_studio
from tests.support import CLI_CONTEXT, cdk_context, moto_vpc

STACK = "PeerSettings"
ZONES = ("us-east-1a", "us-east-1b")
OTHER = "444455556666"
ANOTHER = "777788889999"
ASSUMABLE = f"arn:aws:iam::{OTHER}:role/studio-emr-access"
RUNTIME = f"arn:aws:iam::{OTHER}:role/emr-runtime"
REGISTRY_ROLE = f"arn:aws:iam::{OTHER}:role/canvas-model-registry"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:snowflake-oauth-AbCdEf"
WORKSPACE = "s3://peer-canvas/workspace"
REPOSITORY = "https://github.com/example/notebooks.git"
CONNECT = "https://connect.example.com"
PACKAGES = "https://packages.example.com/cran/latest"


def base_spec() -> dict[str, Any]:
    """A VpcOnly domain with every API-only setting of the table and RStudio; alice an RStudio user."""
    return {
        "domain": {
            "name": "peer-settings",
            "app_network_access": "VpcOnly",
            "canvas": {
                "time_series_forecasting": True,
                "model_registration": True,
                "model_registration_role_arn": REGISTRY_ROLE,
                "generative_ai": True,
                "kendra": True,
                "direct_deploy": True,
                "emr_serverless": True,
                "oauth_sources": [{"data_source": "Snowflake", "secret_arn": SECRET}],
                "workspace_s3_uri": WORKSPACE,
            },
            "emr": {"assumable_role_arns": [ASSUMABLE], "execution_role_arns": [RUNTIME]},
            "tensorboard": {"instance_type": "ml.t3.large"},
            "jupyter_server_code_repositories": [REPOSITORY],
            "docker": {"trusted_accounts": [OTHER], "rootless": True},
            "rstudio": {"connect_url": CONNECT, "package_manager_url": PACKAGES, "session_instance_type": "ml.m5.large"},
            "cleanup": {"enabled": False},
        },
        "users": [{"name": "alice", "rstudio": {"group": "R_STUDIO_USER"}}],
    }


def update(raw: dict[str, Any]) -> dict[str, Any]:
    """The "update" rows: alice's RStudio group (create-only on a UserProfile in CloudFormation) and
    the domain's Docker trusted accounts (a block the settings resource writes)."""
    raw = copy.deepcopy(raw)
    raw["users"][0]["rstudio"] = {"group": "R_STUDIO_ADMIN"}
    raw["domain"]["docker"]["trusted_accounts"] = [OTHER, ANOTHER]
    return raw


@dataclass
class Deployed:
    """What the API describes after the first deploy (``before``) and after the update (``after``)."""

    before: dict[str, Any]
    after: dict[str, Any]
    ids_before: dict[str, str]
    ids_after: dict[str, str]
    templates: dict[str, Any]
    """The update's synthesized templates (top-level and nested), by file name."""
    roster: str
    """The roster the update was synthesized with."""

    def resources(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Logical id -> resource, of every template of the update."""
        return {
            k: r for t in self.templates.values() for k, r in (t.get("Resources") or {}).items() if r.get("Type") == resource_type
        }


def _synth(folder: Path, spec: Path, vpc: ExistingVpc, out: str) -> Path:
    app = App(context={**cdk_context(), **CLI_CONTEXT}, outdir=str(folder / out))
    roster = RosterCheck(path=folder / "studio.roster", spec_file=str(spec))
    raw = yaml.safe_load(spec.read_text())
    StudioDomainStack(
        app, STACK, spec=parse_spec(raw), vpc=vpc, per_user_data=False, roster=roster, env=Environment(region="us-east-1")
    )
    return Path(app.synth().directory)  # linted by tests/conftest.py


def _state(deployer: Deployer) -> dict[str, Any]:
    sm = deployer.client("sagemaker")
    domain_id = deployer.outputs(STACK)["DomainId"]
    return {
        "domain": sm.describe_domain(DomainId=domain_id),
        "profile": sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice"),
    }


def _ids(deployer: Deployer) -> dict[str, str]:
    return {k: v["PhysicalResourceId"] for k, v in deployer.resources(STACK).items()}


def deploy_and_update() -> Iterator[Deployed]:
    """Roster, synth, roster (settings recorded), deploy; the update's synth and deploy."""
    folder = Path(tempfile.mkdtemp(prefix="studio-peer-settings-"))
    spec = folder / "studio.yaml"
    raw = base_spec()
    with mock_studio(region="us-east-1") as moto:
        vpc = moto_vpc(moto, ZONES)
        spec.write_text(yaml.safe_dump(raw))
        assert cli(["roster", "update", "--spec", str(spec)]) == 0
        base_dir = _synth(folder, spec, vpc, "cdk.out")
        assert cli(["roster", "update", "--spec", str(spec)]) == 0  # reads cdk.out next to the spec
        spec.write_text(yaml.safe_dump(update(raw)))
        updated_dir = _synth(folder, spec, vpc, "cdk.out.update")
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy(base_dir)
        before, ids_before = _state(deployer), _ids(deployer)
        deployer.deploy(updated_dir)
        after, ids_after = _state(deployer), _ids(deployer)
    templates = {p.name: json.loads(p.read_text()) for p in updated_dir.glob("*.template.json")}
    # yielded outside the mock: a session fixture must not leave moto's state to later tests
    yield Deployed(before, after, ids_before, ids_after, templates, (folder / "studio.roster").read_text())
