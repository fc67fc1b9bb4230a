"""Two RStudio domains (they have a home EFS), each with a user and a shared space, deployed to moto
in one go and destroyed: one with ``home_efs_retention: Delete``, one with ``Retain``. Shared by
tests/integration/test_home_efs_deployed.py, the peer row and the demo table test (session-scoped and
registered in tests/conftest.py: one deploy per test process)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment

from sagemaker_studio_cdk import StudioDomainStack, parse_spec
from sagemaker_studio_cdk.demo import retained_tables
from sagemaker_studio_cdk.handlers.cleanup import HOME_EFS_TAG
from sagemaker_studio_cdk.testing import Deployer, mock_studio
from tests.support import CLI_CONTEXT, cdk_context, moto_vpc

ZONES = ("us-east-1a", "us-east-1b")
RETENTIONS = ("Delete", "Retain")


def _spec(retention: str) -> dict[str, Any]:
    return {
        "domain": {
            "name": f"r-{retention.lower()}",
            "app_network_access": "PublicInternetOnly",
            "rstudio": {},
            "cleanup": {"enabled": True},
            "home_efs_retention": retention,
        },
        "users": [{"name": "ann"}],
        "spaces": [{"name": "team", "sharing": "Shared"}],
    }


@dataclass
class Destroyed:
    """Per retention: the domain's ARN, and what carried its tag before and after the destroy."""

    domain_arn: dict[str, str]
    before: dict[str, dict[str, set[str]]]
    after: dict[str, dict[str, set[str]]]
    retained_table: str
    """The demo's "Retained after cdk destroy" table."""


def _tagged(moto: Any, arn: str) -> dict[str, set[str]]:
    efs, ec2 = moto.client("efs"), moto.client("ec2")
    tag = {"Key": HOME_EFS_TAG, "Value": arn}
    systems = {f["FileSystemId"] for f in efs.describe_file_systems()["FileSystems"] if tag in f["Tags"]}
    targets = {t["MountTargetId"] for fs in systems for t in efs.describe_mount_targets(FileSystemId=fs)["MountTargets"]}
    groups = ec2.describe_security_groups(Filters=[{"Name": f"tag:{HOME_EFS_TAG}", "Values": [arn]}])["SecurityGroups"]
    return {"file systems": systems, "mount targets": targets, "security groups": {g["GroupName"] for g in groups}}


@pytest.fixture(scope="session")
def home_efs_destroyed() -> Iterator[Destroyed]:
    with mock_studio(region="us-east-1") as moto:
        vpc = moto_vpc(moto, ZONES)
        app = App(context={**cdk_context(), **CLI_CONTEXT}, outdir=tempfile.mkdtemp(prefix="home-efs-"))
        for retention in RETENTIONS:
            StudioDomainStack(
                app,
                f"HomeEfs{retention}",
                spec=parse_spec(_spec(retention)),
                vpc=vpc,
                per_user_data=False,
                env=Environment(region="us-east-1"),
            )
        directory = Path(app.synth().directory)  # linted by tests/conftest.py
        deployer: Deployer = moto.deployer()
        deployer.bootstrap()
        sm = moto.client("sagemaker")
        deployer.deploy(directory)
        arns = {r: sm.describe_domain(DomainId=deployer.outputs(f"HomeEfs{r}")["DomainId"])["DomainArn"] for r in RETENTIONS}
        before = {r: _tagged(moto, arn) for r, arn in arns.items()}
        deployer.destroy(directory)
        assert sm.list_domains()["Domains"] == []
        after = {r: _tagged(moto, arn) for r, arn in arns.items()}
        found = Destroyed(arns, before, after, retained_tables(moto.client, "123456789012", "us-east-1"))
    yield found  # out of moto's mock: other deploy fixtures start their own
