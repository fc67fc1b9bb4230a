"""One deploy of a studio.yaml to moto (the Studio extension), then one update that changes every
"update" row of PEER-SCENARIOS.md at once; what the API describes before and after, and every
resource's physical id, for the section modules to assert on."""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aws_cdk import App, Environment

from sagemaker_studio_cdk import StudioDomainStack, parse_spec
from sagemaker_studio_cdk.stacks import ExistingVpc
from sagemaker_studio_cdk.testing import Deployer, mock_studio
from tests.support import CLI_CONTEXT, cdk_context, moto_vpc

STACK = "PeerStudio"
DIGEST = "sha256:" + "0f" * 32
ZONES = ("us-east-1a", "us-east-1b")
TRAINING_PLAN = "arn:aws:sagemaker:us-east-1:111122223333:training-plan/peer-gpu"


def base_spec(groups: list[str], efs: list[tuple[str, str]]) -> dict[str, Any]:
    """The first deploy: a PublicInternetOnly domain (no EFS: Studio mounts EFS in VpcOnly only) with one
    extra security group, a user and a shared space."""
    return {
        "domain": {
            "name": "peer",
            "app_network_access": "PublicInternetOnly",
            "execution_role_identity": "DISABLED",
            "ip_address_type": "DUALSTACK",  # CloudFormation's spelling; the moto model passes the API's
            "unified_studio": {"domain_id": "dzd_abc123def456", "studio_web_portal_access": True},
            "app_defaults": {"training_plan_arn": TRAINING_PLAN},
            "security_group_ids": groups[:1],
            "ebs": {"default_gb": 5, "max_gb": 100},
            "posix_user": {"uid": 10001, "gid": 1001},
            "portal": {"hidden_app_types": ["Canvas"], "hidden_instance_types": ["ml.p3.2xlarge"]},
            "shared_space_defaults": {"jupyter_lab_instance_type": "ml.t3.medium"},
            "kernel_gateway": {"instance_type": "ml.t3.medium"},
            "custom_images": ["team-lab", "team-kernels"],
            "cleanup": {"enabled": False},
            "tags": {"team": "ml"},
        },
        "custom_images": [
            {
                "name": "team-lab",
                "repository": "team/images",
                "tag_or_digest": DIGEST,
                "environment": {"TEAM": "ml"},
                "arguments": ["--debug"],
                "display_name": "Team lab",
                "description": "the team's JupyterLab image",
                "version_metadata": {
                    "aliases": ["1.0"],
                    "release_notes": "first release",
                    "vendor_guidance": "STABLE",
                    "job_type": "NOTEBOOK_KERNEL",
                    "processor": "CPU",
                    "ml_framework": "PyTorch 2.3",
                    "programming_lang": "Python 3.11",
                },
            },
            {
                "name": "team-kernels",
                "repository": "team/images",
                "tag_or_digest": DIGEST,
                "app_type": "KernelGateway",
                "kernel_specs": [{"name": "python3", "display_name": "Python 3"}],
                "file_system": {"mount_path": "/home/sagemaker-user", "uid": 1000, "gid": 100},
            },
        ],
        "mlflow": {"tracking_servers": [{"name": "peer-tracking", "mlflow_version": "3.0"}]},
        "users": [{"name": "alice", "portal": {"hidden_ml_tools": ["DataWrangler"]}, "tags": {"owner": "alice"}}],
        "spaces": [{"name": "team-lab", "display_name": "Team lab", "managed_resources": "ENABLED", "tags": {"team": "ml"}}],
    }


def update(raw: dict[str, Any], groups: list[str], efs: list[tuple[str, str]]) -> dict[str, Any]:
    """Every "update" row changed at once (the Docker and RStudio rows are other modules')."""
    raw = copy.deepcopy(raw)
    d = raw["domain"]
    d["app_network_access"] = "VpcOnly"  # switch to VpcOnly
    d["execution_role_identity"] = "USER_PROFILE_NAME"  # execution role identity
    d["tags"] = {"team": "ml", "cost-center": "42"}  # tags
    d["security_group_ids"] = groups[:2]  # security groups 1 -> 2
    d["shared_space_defaults"] = {"jupyter_lab_instance_type": "ml.t3.large"}  # shared-space defaults
    d["kernel_gateway"] = {"instance_type": "ml.t3.large"}  # shared-space defaults (Kernel Gateway)
    d["posix_user"] = {"uid": 10002, "gid": 1001}  # POSIX user
    d["ebs"]["max_gb"] = 150  # EBS default and maximum
    raw["file_systems"] = [{"name": "team", "file_system_id": efs[0][0], "security_group_id": efs[0][1]}]
    d["file_systems"] = [{"name": "team"}]  # EFS mount: a new file system (Studio mounts EFS in VpcOnly only)
    d["portal"] = {"hidden_app_types": ["Canvas", "CodeEditor"], "hidden_instance_types": ["ml.p3.8xlarge"]}
    user = raw["users"][0]
    user["portal"] = {"hidden_ml_tools": ["DataWrangler", "Models"]}  # profile: hidden apps and ML tools
    user["tags"] = {"owner": "alice", "project": "churn"}  # profile tags
    space = raw["spaces"][0]
    space["tags"] = {"team": "ml", "project": "churn"}  # space tags
    space["display_name"] = "Team lab (churn)"
    image = raw["custom_images"][0]
    image["environment"] = {"TEAM": "ml", "STAGE": "prod"}  # AppImageConfig container config
    image["display_name"] = "Team lab (prod)"  # Image display name and description
    image["description"] = "the team's JupyterLab image, production"
    image["version_metadata"] = {**image["version_metadata"], "aliases": ["1.0", "stable"], "release_notes": "second"}
    raw["mlflow"]["tracking_servers"][0].update(size="Medium", model_registration=True, maintenance_window="Tue:03:30")
    return raw


@dataclass
class Updated:
    """What the API describes after the first deploy (``before``) and after the update (``after``)."""

    before: dict[str, Any]
    after: dict[str, Any]
    ids_before: dict[str, str]
    ids_after: dict[str, str]
    groups: list[str]
    efs: list[tuple[str, str]]

    def kept(self, resource_type_prefix: str) -> list[str]:
        """The logical ids (``stack/id``) of the deployed resources whose id starts with the prefix."""
        return [k for k in self.ids_before if resource_type_prefix in k]


def _synth(raw: dict[str, Any], vpc: ExistingVpc) -> Path:
    folder = tempfile.mkdtemp(prefix="studio-peer-")
    app = App(context={**cdk_context(), **CLI_CONTEXT}, outdir=str(Path(folder) / "cdk.out"))
    StudioDomainStack(app, STACK, spec=parse_spec(raw), vpc=vpc, per_user_data=False, env=Environment(region="us-east-1"))
    return Path(app.synth().directory)  # linted by tests/conftest.py


def _state(deployer: Deployer) -> dict[str, Any]:
    sm = deployer.client("sagemaker")
    domain_id = deployer.outputs(STACK)["DomainId"]
    domain = sm.describe_domain(DomainId=domain_id)
    arn = domain["DomainArn"]
    profile = sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    space = sm.describe_space(DomainId=domain_id, SpaceName="team-lab")
    return {
        "image": sm.describe_image(ImageName="team-lab"),
        "image_version": sm.describe_image_version(ImageName="team-lab"),
        "aliases": [alias for alias in ("1.0", "stable") if _version_of(sm, alias) == 1],
        "app_image_config": sm.describe_app_image_config(AppImageConfigName="team-lab"),
        "kernel_config": sm.describe_app_image_config(AppImageConfigName="team-kernels"),
        "tracking_server": sm.describe_mlflow_tracking_server(TrackingServerName="peer-tracking"),
        "domain": domain,
        "domain_tags": {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]},
        "profile": profile,
        "profile_tags": {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=profile["UserProfileArn"])["Tags"]},
        "space": space,
        "space_tags": {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=space["SpaceArn"])["Tags"]},
    }


def _version_of(sm: Any, alias: str) -> int | None:
    """The version of team-lab an alias names (DescribeImageVersion by alias), or None."""
    try:
        version: int = sm.describe_image_version(ImageName="team-lab", Alias=alias)["Version"]
    except sm.exceptions.ResourceNotFound:
        return None
    return version


def _ids(deployer: Deployer) -> dict[str, str]:
    return {k: v["PhysicalResourceId"] for k, v in deployer.resources(STACK).items()}


def deploy_and_update() -> Iterator[Updated]:
    """Deploy the base spec, read it back, deploy the update, read it back."""
    with mock_studio(region="us-east-1") as moto:
        ec2 = moto.client("ec2")
        vpc = moto_vpc(moto, ZONES)
        vpc_id = vpc.vpc_id
        groups = [
            ec2.create_security_group(GroupName=f"extra-{i}", Description="extra", VpcId=vpc_id)["GroupId"] for i in range(3)
        ]
        efs_client = moto.client("efs")
        efs = [
            (
                efs_client.create_file_system(CreationToken=f"peer-{i}")["FileSystemId"],
                ec2.create_security_group(GroupName=f"efs-{i}", Description="efs", VpcId=vpc_id)["GroupId"],
            )
            for i in range(1)
        ]
        raw = base_spec(groups, efs)
        base_dir, updated_dir = _synth(raw, vpc), _synth(update(raw, groups, efs), vpc)
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy(base_dir)
        before, ids_before = _state(deployer), _ids(deployer)
        deployer.deploy(updated_dir)
        updated = Updated(before, _state(deployer), ids_before, _ids(deployer), groups, efs)
    # yielded outside the mock: a session fixture must not leave moto's state to later tests
    yield updated
