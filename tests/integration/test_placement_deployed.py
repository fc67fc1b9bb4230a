"""A user the library placed and a new shared space deploy in nested stacks (moto and the
project's extension), next to the example's users and the shared space the roster keeps in the
domain's stack."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from aws_cdk import App

from sagemaker_studio_cdk.roster import Roster, update
from sagemaker_studio_cdk.spec import load_spec
from sagemaker_studio_cdk.testing import mock_studio
from tests.example import app_module
from tests.support import CLI_CONTEXT, ROOT, cdk_context

from .helpers import DOMAIN_STACK, base_spec


def _assembly() -> Path:
    raw = base_spec()
    raw["users"].append({"name": "erin"})
    raw["spaces"] += [{"name": "erin-lab", "sharing": "Private", "owner": "erin"}, {"name": "review"}]
    folder = Path(tempfile.mkdtemp(prefix="studio-placed-"))
    spec_path, roster_path = folder / "studio.yaml", folder / "studio.roster"
    spec_path.write_text(yaml.safe_dump(raw))
    update(Roster.parse((ROOT / "studio.roster").read_text()), [load_spec(spec_path)]).write(roster_path)
    paths = {"studio:spec": str(spec_path), "studio:roster": str(roster_path)}
    context = {**cdk_context(), **CLI_CONTEXT, **paths, "studio:baseline": ""}
    app = App(context=context, outdir=str(folder / "cdk.out"))
    app_module().build(app)
    return Path(app.synth().directory)  # linted by tests/conftest.py


def test_placed_user_and_new_shared_space_deploy_in_nested_stacks() -> None:
    directory = _assembly()
    with mock_studio(region="us-east-1") as moto:
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy(directory)
        resources = deployer.resources(DOMAIN_STACK)
        sm = moto.client("sagemaker")
        domain_id = deployer.outputs(DOMAIN_STACK)["DomainId"]
        profiles = {p["UserProfileName"] for p in sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]}
        spaces = {s["SpaceName"] for s in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]}

    def stack_of(resource_type: str, path: str) -> str:
        (key,) = [k for k, r in resources.items() if r["ResourceType"] == resource_type and path in k]
        return key.split("/")[1] if key.count("/") == 2 else "domain"

    assert stack_of("AWS::SageMaker::UserProfile", "Userserin").startswith("UserGroupusers")
    assert stack_of("AWS::SageMaker::Space", "Spaceserinlab").startswith("UserGroupusers")
    assert stack_of("AWS::SageMaker::Space", "Spacesreview").startswith("SharedSpaces1")
    assert stack_of("AWS::SageMaker::Space", "Spacesteam") == "domain"
    assert stack_of("AWS::SageMaker::UserProfile", "Usersalice").startswith("UserGroupresearch")
    assert {"alice", "bob", "carol", "erin"} <= profiles
    assert {"team", "review", "erin-lab"} <= spaces
