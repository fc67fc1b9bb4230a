"""Updates and deletion of the example app in moto's CloudFormation, with the extension's engine:
what must survive an update survives with its physical id, what is retained stays, and an update
CloudFormation refuses changes nothing."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from sagemaker_studio_cdk.testing import Deployer, DeploymentFailed, mock_studio

from .helpers import DOMAIN_STACK, NETWORK_STACK, deploy, physical_ids, snapshot, variant


@pytest.fixture
def deployer() -> Iterator[Deployer]:
    """A fresh moto with the example (base variant) deployed."""
    with mock_studio() as moto:
        deployer = moto.deployer()
        deployer.bootstrap()
        deploy(deployer, "base")
        yield deployer


def _domain_id(deployer: Deployer) -> str:
    return deployer.outputs(DOMAIN_STACK)["DomainId"]


def _unchanged(before: dict[str, str], after: dict[str, str], gone: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Every resource that existed and was not meant to go keeps its physical id."""
    for key, physical in before.items():
        if any(g in key for g in gone):
            continue
        assert after.get(key) == physical, key


def _key(ids: dict[str, str], physical: str) -> str:
    return next(k for k, v in ids.items() if v == physical)


def test_add_user_keeps_everything_else(deployer: Deployer) -> None:
    before_ids, before = physical_ids(deployer), snapshot(deployer)
    domain_id = _domain_id(deployer)
    deploy(deployer, "add-user")
    after_ids, after = physical_ids(deployer), snapshot(deployer)
    assert _domain_id(deployer) == domain_id
    _unchanged(before_ids, after_ids)
    assert set(after["profiles"]) == set(before["profiles"]) | {"dave"}
    assert after["spaces"]["dave-lab"]["OwnershipSettings"] == {"OwnerUserProfileName": "dave"}
    assert after["spaces"]["dave-lab"]["SpaceSettings"]["SpaceStorageSettings"]["EbsStorageSettings"]["EbsVolumeSizeInGb"] == 30
    for name in before["profiles"]:
        assert after["profiles"][name] == before["profiles"][name]
    for name in before["spaces"]:
        assert after["spaces"][name] == before["spaces"][name]
    assert after["domains"] == before["domains"]


def test_remove_user_deletes_its_profile_and_space_only(deployer: Deployer) -> None:
    before_ids, before = physical_ids(deployer), snapshot(deployer)
    carol = {_key(before_ids, f"carol|{_domain_id(deployer)}"), _key(before_ids, f"{_domain_id(deployer)}|carol-lab")}
    deploy(deployer, "remove-user")
    after_ids, after = physical_ids(deployer), snapshot(deployer)
    _unchanged(before_ids, after_ids, gone=carol)
    assert not carol & set(after_ids)
    assert set(after["profiles"]) == set(before["profiles"]) - {"carol"}
    assert set(after["spaces"]) == set(before["spaces"]) - {"carol-lab"}
    for name in after["spaces"]:
        assert after["spaces"][name] == before["spaces"][name]


def test_raise_ebs_maximum_updates_the_domain_in_place(deployer: Deployer) -> None:
    before_ids, before = physical_ids(deployer), snapshot(deployer)
    deploy(deployer, "raise-ebs")
    after_ids, after = physical_ids(deployer), snapshot(deployer)
    _unchanged(before_ids, after_ids)
    (domain,) = after["domains"].values()
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        assert domain[settings]["SpaceStorageSettings"]["DefaultEbsStorageSettings"]["MaximumEbsVolumeSizeInGb"] == 200
    assert after["profiles"] == before["profiles"] and after["spaces"] == before["spaces"]


def test_new_lifecycle_script_makes_a_new_config_references_follow_old_retained(deployer: Deployer) -> None:
    before_ids, before = physical_ids(deployer), snapshot(deployer)
    (old_name,) = before["configs"]
    deploy(deployer, "new-script")
    after_ids, after = physical_ids(deployer), snapshot(deployer)
    _, spec = variant("new-script")
    (new_name,) = set(after["configs"]) - {old_name}
    assert old_name in after["configs"]  # superseded, retained (UpdateReplacePolicy: Retain)
    new = after["configs"][new_name]
    assert base64.b64decode(new["StudioLifecycleConfigContent"]).decode() == spec.lifecycle_configs[0].content
    (domain,) = after["domains"].values()
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        lab = domain[settings]["JupyterLabAppSettings"]
        assert lab["DefaultResourceSpec"]["LifecycleConfigArn"] == new["StudioLifecycleConfigArn"]
        assert lab["LifecycleConfigArns"] == [new["StudioLifecycleConfigArn"]]
    config_key = _key(before_ids, old_name)
    _unchanged(before_ids, after_ids, gone={config_key})
    assert after_ids[config_key] == new_name
    assert after["profiles"] == before["profiles"] and after["spaces"] == before["spaces"]


def test_new_default_image_reaches_every_default(deployer: Deployer) -> None:
    before_ids = physical_ids(deployer)
    deploy(deployer, "new-image")
    _unchanged(before_ids, physical_ids(deployer))
    (domain,) = snapshot(deployer)["domains"].values()
    gpu = "arn:aws:sagemaker:us-east-1:885854791233:image/sagemaker-distribution-gpu"
    assert domain["DefaultUserSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]["SageMakerImageArn"] == gpu
    assert domain["DefaultUserSettings"]["CodeEditorAppSettings"]["DefaultResourceSpec"]["SageMakerImageArn"] == gpu
    assert domain["DefaultSpaceSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]["SageMakerImageArn"] == gpu


def test_new_space_owner_fails_with_cloudformations_error_and_changes_nothing(deployer: Deployer) -> None:
    before_ids, before = physical_ids(deployer), snapshot(deployer)
    directory, _ = variant("new-owner")  # also raises the EBS maximum and adds a user: all undone
    with pytest.raises(DeploymentFailed) as failed:
        deployer.deploy(directory)
    assert failed.value.stack == DOMAIN_STACK and failed.value.status == "UPDATE_ROLLBACK_COMPLETE"
    message = (
        "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
        "Rename alice-lab and update the stack again."
    )
    assert any(message in reason for reason in failed.value.reasons)
    nested = [v for k, v in before_ids.items() if k.count("/") == 1 and "UserGroup" in k]
    (child,) = nested
    assert deployer.describe(child)["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert any(message in r for r in deployer.failure_reasons(child))
    assert physical_ids(deployer) == before_ids
    assert snapshot(deployer) == before


def test_delete_keeps_what_is_retained_and_nothing_else(deployer: Deployer) -> None:
    deploy(deployer, "new-script")  # a superseded lifecycle config to retain
    ids = physical_ids(deployer)
    configs = snapshot(deployer)["configs"]
    directory, _ = variant("new-script")
    key = next(v for k, v in ids.items() if k.startswith(f"{DOMAIN_STACK}/DomainKey"))
    file_system = next(v for k, v in ids.items() if "FileSystemsteamdataFileSystem" in k and "Mount" not in k)
    bucket = next(v for k, v in ids.items() if k.startswith(f"{DOMAIN_STACK}/UserData") and "Policy" not in k)
    deployer.destroy(directory)
    assert not deployer.exists(DOMAIN_STACK) and not deployer.exists(NETWORK_STACK)

    sm = deployer.client("sagemaker")
    assert sm.list_domains()["Domains"] == []
    assert sm.list_user_profiles()["UserProfiles"] == [] and sm.list_spaces()["Spaces"] == []
    remaining = {c["StudioLifecycleConfigName"] for c in sm.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]}
    current = ids[next(k for k in ids if k.startswith(f"{DOMAIN_STACK}/LifecycleConfigs"))]
    assert remaining == set(configs) - {current}  # the superseded one stays, the current one goes

    kms = deployer.client("kms")
    assert kms.describe_key(KeyId=key)["KeyMetadata"]["KeyState"] == "Enabled"
    efs = deployer.client("efs")
    assert efs.describe_file_systems(FileSystemId=file_system)["FileSystems"]
    assert efs.describe_mount_targets(FileSystemId=file_system)["MountTargets"] == []
    assert bucket in {b["Name"] for b in deployer.client("s3").list_buckets()["Buckets"]}

    ec2 = deployer.client("ec2")
    vpc = next(v for k, v in ids.items() if k == f"{NETWORK_STACK}/Vpc8378EB38")
    assert vpc not in {v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]}
    groups = {g["GroupId"] for g in ec2.describe_security_groups()["SecurityGroups"]}
    assert not {v for v in ids.values() if v.startswith("sg-")} & groups
    iam = deployer.client("iam")
    roles = {r["RoleName"] for r in iam.list_roles()["Roles"]}
    stack_roles = {v for k, v in ids.items() if "Role" in k and not v.startswith("arn:")}
    assert not stack_roles & roles
