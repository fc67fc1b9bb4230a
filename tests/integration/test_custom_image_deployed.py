"""A domain with custom images deployed into moto (the Studio extension) and read back; a new
digest makes a new image version while the old one stays for apps pinned to it."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment

from sagemaker_studio_cdk import StudioDomainStack, parse_spec
from sagemaker_studio_cdk.stacks import ExistingVpc
from sagemaker_studio_cdk.testing import Deployer, StudioMoto, mock_studio
from sagemaker_studio_cdk.workbench_tables import deployed_image_tables
from tests.stacks.test_custom_image_stack import SPEC, STACK
from tests.support import CLI_CONTEXT, cdk_context, moto_vpc

NEW_DIGEST = "sha256:" + "1e" * 32


def _synth(raw: dict[str, Any], vpc: ExistingVpc) -> Path:
    folder = tempfile.mkdtemp(prefix="studio-images-")
    app = App(context={**cdk_context(), **CLI_CONTEXT}, outdir=str(Path(folder) / "cdk.out"))
    StudioDomainStack(app, STACK, spec=parse_spec(raw), vpc=vpc, env=Environment(region="us-east-1"))
    return Path(app.synth().directory)  # linted by tests/conftest.py


class Deployed:
    def __init__(self, moto: StudioMoto, deployer: Deployer, vpc: ExistingVpc) -> None:
        self.moto, self.deployer, self.vpc = moto, deployer, vpc
        self.sm = moto.client("sagemaker")

    def domain(self) -> dict[str, Any]:
        described: dict[str, Any] = self.sm.describe_domain(DomainId=self.deployer.outputs(STACK)["DomainId"])
        return described


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployed]:
    with mock_studio(region="us-east-1") as moto:
        vpc = moto_vpc(moto)
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy(_synth(SPEC, vpc))
        yield Deployed(moto, deployer, vpc)


def test_images_versions_and_configs_exist(deployed: Deployed) -> None:
    image = deployed.sm.describe_image(ImageName="team-lab")
    assert image["RoleArn"].startswith("arn:aws:iam::")
    version = deployed.sm.describe_image_version(ImageName="team-lab")
    assert version["BaseImage"].endswith("@" + SPEC["custom_images"][0]["tag_or_digest"])
    assert version["Version"] == 1
    config = deployed.sm.describe_app_image_config(AppImageConfigName="team-lab")
    env = config["JupyterLabAppImageConfig"]["ContainerConfig"]["ContainerEnvironmentVariables"]
    assert env == {"TEAM": "ml"}
    assert "CodeEditorAppImageConfig" in deployed.sm.describe_app_image_config(AppImageConfigName="team-editor")


def test_domain_lists_the_images_and_starts_the_default(deployed: Deployed) -> None:
    settings = deployed.domain()["DefaultUserSettings"]
    lab = settings["JupyterLabAppSettings"]
    assert [i["ImageName"] for i in lab["CustomImages"]] == ["team-lab"]
    assert lab["DefaultResourceSpec"]["SageMakerImageArn"] == deployed.sm.describe_image(ImageName="team-lab")["ImageArn"]
    assert [i["ImageName"] for i in settings["CodeEditorAppSettings"]["CustomImages"]] == ["team-editor"]
    assert settings["StudioWebPortalSettings"]["HiddenAppTypes"] == ["Canvas"]


def test_image_role_is_tagged_with_its_persona(deployed: Deployed) -> None:
    iam = deployed.moto.client("iam")
    role_name = deployed.sm.describe_image(ImageName="team-lab")["RoleArn"].rsplit("/", 1)[1]
    tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=role_name)["Tags"]}
    assert tags["studio:persona"] == "image"


def test_a_new_digest_adds_a_version_and_keeps_the_old(deployed: Deployed) -> None:
    raw = copy.deepcopy(SPEC)
    raw["custom_images"][0]["tag_or_digest"] = NEW_DIGEST
    deployed.deployer.deploy(_synth(raw, deployed.vpc))
    versions = deployed.sm.list_image_versions(ImageName="team-lab")["ImageVersions"]
    assert sorted(v["Version"] for v in versions) == [1, 2]
    assert deployed.sm.describe_image_version(ImageName="team-lab")["BaseImage"].endswith(NEW_DIGEST)
    assert deployed.sm.describe_image_version(ImageName="team-lab", Version=1)["BaseImage"].endswith(
        SPEC["custom_images"][0]["tag_or_digest"]
    )
    tables = deployed_image_tables(deployed.sm, deployed.domain())
    assert tables is not None
    lab = next(line for line in tables.splitlines() if line.strip().startswith("team-lab"))
    assert "1, 2" in lab and "digest" in lab
