"""The example app, deployed to moto's CloudFormation as ``cdk deploy`` deploys it (real bootstrap
template, assets published to the bootstrap bucket, nested stacks fetched from S3), read back with
boto3: every value studio.yaml declares is what the services hold.

One deployment serves every test of this module; they only read.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from sagemaker_studio_cdk.constructs.image import SAGEMAKER_DISTRIBUTION_ACCOUNTS
from sagemaker_studio_cdk.spec import StudioSpec
from sagemaker_studio_cdk.testing import Deployer, StudioMoto, mock_studio
from sagemaker_studio_cdk.testing.deploy import BOOTSTRAP_STACK

from .helpers import DOMAIN_STACK, NETWORK_STACK, variant


class Deployed:
    """The deployed example: clients, the spec, and the ids CloudFormation reports."""

    def __init__(self, moto: StudioMoto, deployer: Deployer, spec: StudioSpec) -> None:
        self.moto = moto
        self.deployer = deployer
        self.spec = spec
        self.sm = moto.client("sagemaker")
        self.resources = {**deployer.resources(NETWORK_STACK), **deployer.resources(DOMAIN_STACK)}
        self.domain = self.sm.describe_domain(DomainId=deployer.outputs(DOMAIN_STACK)["DomainId"])

    def physical(self, resource_type: str, path_part: str = "") -> list[str]:
        """Physical ids of the example's resources of a type whose ``stack/logical id`` contains ``path_part``."""
        return [
            r["PhysicalResourceId"] for k, r in self.resources.items() if r["ResourceType"] == resource_type and path_part in k
        ]


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployed]:
    directory, spec = variant("base")
    with mock_studio(region="us-east-1") as moto:
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy(directory)
        yield Deployed(moto, deployer, spec)


def test_every_stack_is_complete_and_bootstrapped(deployed: Deployed) -> None:
    for stack in (BOOTSTRAP_STACK, NETWORK_STACK, DOMAIN_STACK):
        assert deployed.deployer.describe(stack)["StackStatus"] == "CREATE_COMPLETE"
    nested = deployed.physical("AWS::CloudFormation::Stack")
    assert len(nested) == len({u.group for u in deployed.spec.users})
    for stack_id in nested:
        assert deployed.deployer.describe(stack_id)["StackStatus"] == "CREATE_COMPLETE"


def test_domain_settings_are_the_spec(deployed: Deployed) -> None:
    d, spec = deployed.domain, deployed.spec.domain
    assert d["DomainName"] == spec.name
    assert d["AuthMode"] == spec.auth_mode.value
    assert d["AppNetworkAccessType"] == spec.app_network_access.value
    assert d["HomeEfsFileSystemCreation"] == "Disabled" and "HomeEfsFileSystemId" not in d
    assert d["VpcId"] == deployed.physical("AWS::EC2::VPC")[0]
    assert sorted(d["SubnetIds"]) == sorted(deployed.physical("AWS::EC2::Subnet"))
    key_id = deployed.physical("AWS::KMS::Key", DOMAIN_STACK)[0]
    key = deployed.moto.client("kms").describe_key(KeyId=key_id)["KeyMetadata"]
    assert d["KmsKeyId"] == key["Arn"]
    assert deployed.moto.client("kms").get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    tags = deployed.sm.list_tags(ResourceArn=d["DomainArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == spec.tags

    user = d["DefaultUserSettings"]
    storage = user["SpaceStorageSettings"]["DefaultEbsStorageSettings"]
    assert (storage["DefaultEbsVolumeSizeInGb"], storage["MaximumEbsVolumeSizeInGb"]) == (spec.ebs.default_gb, spec.ebs.max_gb)
    image = f"arn:aws:sagemaker:us-east-1:{SAGEMAKER_DISTRIBUTION_ACCOUNTS['us-east-1']}:image/{spec.default_image}"
    for app, instance in (
        ("JupyterLabAppSettings", spec.app_defaults.jupyter_lab_instance_type),
        ("CodeEditorAppSettings", spec.app_defaults.code_editor_instance_type),
    ):
        settings = user[app]
        assert settings["DefaultResourceSpec"]["InstanceType"] == instance
        assert settings["DefaultResourceSpec"]["SageMakerImageArn"] == image
        idle = settings["AppLifecycleManagement"]["IdleSettings"]
        assert idle == {
            "LifecycleManagement": "ENABLED",
            "IdleTimeoutInMinutes": spec.idle_shutdown.timeout_minutes,
            "MinIdleTimeoutInMinutes": spec.idle_shutdown.min_timeout_minutes,
            "MaxIdleTimeoutInMinutes": spec.idle_shutdown.max_timeout_minutes,
        }
    assert spec.posix_user is not None
    assert user["CustomPosixUserConfig"] == {"Uid": spec.posix_user.uid, "Gid": spec.posix_user.gid}
    assert user["AutoMountHomeEFS"] == "Disabled"
    domain_group = deployed.physical("AWS::EC2::SecurityGroup", "DomainSecurityGroup")
    assert user["SecurityGroups"] == domain_group
    assert d["DomainSettings"]["SecurityGroupIds"] == domain_group

    shared = d["DefaultSpaceSettings"]
    assert shared["ExecutionRole"] == user["ExecutionRole"]
    assert shared["SpaceStorageSettings"]["DefaultEbsStorageSettings"] == storage
    assert shared["JupyterLabAppSettings"] == user["JupyterLabAppSettings"]
    assert shared["CustomPosixUserConfig"] == user["CustomPosixUserConfig"]


def test_every_user_is_the_spec(deployed: Deployed) -> None:
    domain_id = deployed.domain["DomainId"]
    profiles = deployed.sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]
    assert sorted(p["UserProfileName"] for p in profiles) == sorted(u.name for u in deployed.spec.users)
    for user in deployed.spec.users:
        profile = deployed.sm.describe_user_profile(DomainId=domain_id, UserProfileName=user.name)
        assert profile["Status"] == "InService"
        settings = profile.get("UserSettings", {})
        if user.ebs is None:
            assert "SpaceStorageSettings" not in settings  # the domain's sizes apply
        else:
            assert settings["SpaceStorageSettings"]["DefaultEbsStorageSettings"] == {
                "DefaultEbsVolumeSizeInGb": user.ebs.default_gb,
                "MaximumEbsVolumeSizeInGb": user.ebs.max_gb,
            }
        # each user lives in the nested stack of its group, never in the domain's stack
        lid = next(k for k, r in deployed.resources.items() if r["PhysicalResourceId"] == f"{user.name}|{domain_id}")
        assert lid.count("/") == 2 and f"UserGroup{user.group}" in lid


def test_every_space_is_the_spec(deployed: Deployed) -> None:
    domain_id = deployed.domain["DomainId"]
    spaces = deployed.sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]
    assert sorted(s["SpaceName"] for s in spaces) == sorted(s.name for s in deployed.spec.spaces)
    for spec in deployed.spec.spaces:
        space = deployed.sm.describe_space(DomainId=domain_id, SpaceName=spec.name)
        assert space["SpaceSharingSettings"] == {"SharingType": spec.sharing.value}
        assert space.get("OwnershipSettings", {}).get("OwnerUserProfileName") == spec.owner
        settings = space["SpaceSettings"]
        assert settings["AppType"] == spec.app_type.value
        ebs = settings.get("SpaceStorageSettings", {}).get("EbsStorageSettings", {}).get("EbsVolumeSizeInGb")
        assert ebs == spec.ebs_gb
        app = settings.get("JupyterLabAppSettings", {})
        assert (
            app.get("AppLifecycleManagement", {}).get("IdleSettings", {}).get("IdleTimeoutInMinutes") == spec.idle_timeout_minutes
        )
        assert app.get("DefaultResourceSpec", {}).get("SageMakerImageArn") == spec.image
        assert space.get("SpaceDisplayName") == spec.display_name


def test_lifecycle_configs_and_where_they_are_attached(deployed: Deployed) -> None:
    configs = deployed.sm.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]
    assert len(configs) == len(deployed.spec.lifecycle_configs)
    for spec in deployed.spec.lifecycle_configs:
        (summary,) = [c for c in configs if c["StudioLifecycleConfigName"].startswith(f"{spec.name}-")]
        config = deployed.sm.describe_studio_lifecycle_config(StudioLifecycleConfigName=summary["StudioLifecycleConfigName"])
        assert config["StudioLifecycleConfigAppType"] == spec.app_type.value
        assert base64.b64decode(config["StudioLifecycleConfigContent"]).decode() == spec.content
        arn = config["StudioLifecycleConfigArn"]
        if spec.name in deployed.spec.domain.default_lifecycle_configs:
            for settings in (deployed.domain["DefaultUserSettings"], deployed.domain["DefaultSpaceSettings"]):
                assert settings["JupyterLabAppSettings"]["DefaultResourceSpec"]["LifecycleConfigArn"] == arn
                assert arn in settings["JupyterLabAppSettings"]["LifecycleConfigArns"]


def test_file_systems_mount_targets_and_security_groups(deployed: Deployed) -> None:
    efs = deployed.moto.client("efs")
    ec2 = deployed.moto.client("ec2")
    (fs_id,) = deployed.physical("AWS::EFS::FileSystem")
    file_system = efs.describe_file_systems(FileSystemId=fs_id)["FileSystems"][0]
    assert file_system["Encrypted"] is True
    assert file_system["KmsKeyId"] == deployed.domain["KmsKeyId"]
    assert deployed.domain["DefaultUserSettings"]["CustomFileSystemConfigs"] == [
        {"EFSFileSystemConfig": {"FileSystemId": fs_id, "FileSystemPath": m.path}} for m in deployed.spec.domain.file_systems
    ]
    targets = efs.describe_mount_targets(FileSystemId=fs_id)["MountTargets"]
    subnets = ec2.describe_subnets(SubnetIds=deployed.domain["SubnetIds"])["Subnets"]
    assert sorted(t["SubnetId"] for t in targets) == sorted(deployed.domain["SubnetIds"])
    assert len({s["AvailabilityZone"] for s in subnets}) == len(targets)  # one per zone
    (efs_group,) = deployed.physical("AWS::EC2::SecurityGroup", "FileSystemsteamdata")
    for target in targets:
        assert efs.describe_mount_target_security_groups(MountTargetId=target["MountTargetId"])["SecurityGroups"] == [efs_group]

    domain_group = deployed.domain["DomainSettings"]["SecurityGroupIds"][0]
    group = ec2.describe_security_groups(GroupIds=[efs_group])["SecurityGroups"][0]
    assert _rules(group["IpPermissions"]) == [("tcp", 2049, 2049, domain_group, "NFS from Studio apps")]
    assert _rules(group["IpPermissionsEgress"]) == [("icmp", 252, 86, "255.255.255.255/32", "Disallow all traffic")]
    studio = ec2.describe_security_groups(GroupIds=[domain_group])["SecurityGroups"][0]
    assert _rules(studio["IpPermissions"]) == [
        ("tcp", 2049, 2049, domain_group, "Studio: 2049 within the group"),
        ("tcp", 8192, 65535, domain_group, "Studio: 8192-65535 within the group"),
    ]
    assert _rules(studio["IpPermissionsEgress"]) == [("-1", None, None, "0.0.0.0/0", "Allow all outbound traffic by default")]


def _pseudo(value: Any, account: str) -> Any:
    """A template value with its pseudo parameters and joins resolved (what a trust policy uses)."""
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return {"AWS::AccountId": account, "AWS::Partition": "aws", "AWS::Region": "us-east-1"}[value["Ref"]]
        if set(value) == {"Fn::Join"}:
            return value["Fn::Join"][0].join(_pseudo(v, account) for v in value["Fn::Join"][1])
        return {k: _pseudo(v, account) for k, v in value.items()}
    if isinstance(value, list):
        return [_pseudo(v, account) for v in value]
    return value


def _rules(permissions: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    found = []
    for p in permissions:
        for pair in p.get("UserIdGroupPairs", []):
            found.append((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), pair["GroupId"], pair.get("Description")))
        for cidr in p.get("IpRanges", []):
            found.append((p["IpProtocol"], p.get("FromPort"), p.get("ToPort"), cidr["CidrIp"], cidr.get("Description")))
    return sorted(found, key=str)


def test_roles_and_their_policies_are_the_templates(deployed: Deployed) -> None:
    iam = deployed.moto.client("iam")
    account = deployed.moto.client("sts").get_caller_identity()["Account"]
    directory, _ = variant("base")
    from sagemaker_studio_cdk.assembly import load_templates

    roles = {}
    for stack in load_templates(directory):
        for lid, resource in stack.resources("AWS::IAM::Role").items():
            (name,) = [r["PhysicalResourceId"] for k, r in deployed.resources.items() if k.endswith(f"/{lid}")]
            role = iam.get_role(RoleName=name)["Role"]
            declared = resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]
            assert [(s["Effect"], s["Action"], s["Principal"]) for s in role["AssumeRolePolicyDocument"]["Statement"]] == [
                (s["Effect"], s["Action"], _pseudo(s["Principal"], account)) for s in declared
            ]
            declared_tags = {t["Key"]: t["Value"] for t in resource["Properties"].get("Tags", [])}
            assert {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]} == declared_tags
            attached = {p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]}
            managed = [
                m for m in stack.resources("AWS::IAM::ManagedPolicy").values() if {"Ref": lid} in m["Properties"].get("Roles", [])
            ]
            assert len(attached) == len(resource["Properties"].get("ManagedPolicyArns", [])) + len(managed)
            roles[lid] = name
        for resource in stack.resources("AWS::IAM::Policy").values():
            props = resource["Properties"]
            for role_ref in props["Roles"]:
                name = roles[role_ref["Ref"]]
                document = iam.get_role_policy(RoleName=name, PolicyName=props["PolicyName"])["PolicyDocument"]
                document = json.loads(document) if isinstance(document, str) else document
                declared = props["PolicyDocument"]["Statement"]
                assert [(s.get("Sid"), s["Effect"], s["Action"]) for s in document["Statement"]] == [
                    (s.get("Sid"), s["Effect"], s["Action"]) for s in declared
                ]
                for statement in document["Statement"]:
                    resources = statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                    assert all("Fn::" not in json.dumps(r) and "Ref" not in json.dumps(r) for r in resources)
                    assert all(r == "*" or f":{account}:" in r or r.startswith("arn:aws:s3:::") for r in resources)
    execution = next(n for lid, n in roles.items() if lid.startswith("DomainExecutionRole"))
    assert deployed.domain["DefaultUserSettings"]["ExecutionRole"] == iam.get_role(RoleName=execution)["Role"]["Arn"]
