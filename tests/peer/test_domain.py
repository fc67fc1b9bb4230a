"""PEER-SCENARIOS.md, "Domain": each CloudFormation row through the public API, named after its row.

Rows marked "update" are deployed to moto and updated in place (``updated``: one deploy, one
update for all of them); the others are asserted on the shared synth (``synth``). API-only rows
and the Docker and RStudio rows are other modules' (see test_table.py)."""

from __future__ import annotations

from typing import Any

import pytest

from sagemaker_studio_cdk import (
    AppType,
    DomainCleanup,
    ExecutionRoleIdentity,
    HomeEfsRetention,
    LifecycleConfig,
    NotebookOutputOption,
    NotebookSharing,
    SharedSpaceDefaults,
    StudioConfigError,
    StudioDomain,
    parse_spec,
)
from sagemaker_studio_cdk.constructs.cleanup import HOME_EFS_REFUSAL
from sagemaker_studio_cdk.spec import HOME_EFS_DELETE_NEEDS_CLEANUP, HOME_EFS_RETENTION_REFUSAL
from tests.home_efs import Destroyed
from tests.peer.conftest import FSX_ID, KG_VERSION_ARN, Synth
from tests.peer.deployed import TRAINING_PLAN, Updated
from tests.peer.helpers import in_place
from tests.support import new_stack

DOMAIN = "AWS::SageMaker::Domain"


def _full(synth: Synth) -> dict[str, Any]:
    return synth.resource(DOMAIN, DomainName="full")


def _arn(synth: Synth, config: LifecycleConfig) -> Any:
    return synth.resolve(config.lifecycle_config_arn)


def test_basic_iam_domain_in_a_vpc(synth: Synth) -> None:
    basic = synth.resource(DOMAIN, DomainName="basic")
    assert basic["AuthMode"] == "IAM"
    assert basic["VpcId"] == "vpc-0123456789abcdef0"
    assert basic["SubnetIds"] == ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]
    assert basic["DefaultUserSettings"]["ExecutionRole"] == synth.resolve(synth.basic.execution_role.role_arn)


def test_execution_role_identity(synth: Synth, updated: Updated) -> None:
    assert _full(synth)["DomainSettings"]["ExecutionRoleIdentityConfig"] == "USER_PROFILE_NAME"
    assert "ExecutionRoleIdentityConfig" not in synth.resource(DOMAIN, DomainName="basic")["DomainSettings"]
    assert updated.before["domain"]["DomainSettings"]["ExecutionRoleIdentityConfig"] == "DISABLED"
    assert in_place(updated, "domain")["DomainSettings"]["ExecutionRoleIdentityConfig"] == "USER_PROFILE_NAME"


def test_execution_role_identity_lets_the_role_set_source_identity(synth: Synth) -> None:
    trust = synth.template.find_resources("AWS::IAM::Role")
    role = trust[synth.stack.get_logical_id(synth.full.execution_role.node.default_child)]  # type: ignore[arg-type]
    statements = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert any("sts:SetSourceIdentity" in s["Action"] for s in statements)
    basic = trust[synth.stack.get_logical_id(synth.basic.execution_role.node.default_child)]  # type: ignore[arg-type]
    assert not any("sts:SetSourceIdentity" in s["Action"] for s in basic["Properties"]["AssumeRolePolicyDocument"]["Statement"])


def test_fails_when_execution_role_identity_contradicts_user_data_bucket() -> None:
    from aws_cdk import aws_s3 as s3

    stack, vpc = new_stack()
    bucket = s3.Bucket.from_bucket_name(stack, "Data", "team-data")
    with pytest.raises(StudioConfigError, match=r"execution_role_identity: got 'DISABLED'; USER_PROFILE_NAME"):
        StudioDomain(
            stack,
            "D",
            vpc=vpc,
            domain_name="d",
            user_data_bucket=bucket,
            execution_role_identity=ExecutionRoleIdentity.DISABLED,
        )


def test_kms_key(synth: Synth) -> None:
    assert _full(synth)["KmsKeyId"] == synth.resolve(synth.parts["key"].key_arn)


def test_tags(updated: Updated) -> None:
    assert updated.before["domain_tags"] == {"team": "ml"}
    in_place(updated, "domain")
    assert updated.after["domain_tags"] == {"team": "ml", "cost-center": "42"}


def test_security_groups(synth: Synth, updated: Updated) -> None:
    full = _full(synth)
    own = synth.resolve(synth.full.security_group.security_group_id)
    extra = [g.security_group_id for g in synth.parts["extra"]]
    assert full["DefaultUserSettings"]["SecurityGroups"] == [own, *extra]
    assert full["DefaultSpaceSettings"]["SecurityGroups"] == [own, extra[0]]
    before = updated.before["domain"]["DefaultUserSettings"]["SecurityGroups"]
    after = in_place(updated, "domain")["DefaultUserSettings"]["SecurityGroups"]
    assert before[1:] == updated.groups[:1] and after[1:] == updated.groups[:2]  # 1 -> 2 besides the library's


def test_fails_when_more_security_groups_than_the_api_allows() -> None:
    from aws_cdk import aws_ec2 as ec2

    stack, vpc = new_stack()
    groups = [ec2.SecurityGroup.from_security_group_id(stack, f"G{i}", f"sg-0{i}23456789abcdef0") for i in range(5)]
    with pytest.raises(StudioConfigError, match=r"security_groups: got '5 security groups'; at most 4"):
        StudioDomain(stack, "D", vpc=vpc, domain_name="d", security_groups=groups)


def test_notebook_sharing(synth: Synth) -> None:
    assert _full(synth)["DefaultUserSettings"]["SharingSettings"] == {
        "NotebookOutputOption": "Allowed",
        "S3OutputPath": "s3://team-notebook-sharing/shared",
        "S3KmsKeyId": synth.parts["sharing_key"].key_arn,
    }


@pytest.mark.parametrize(
    ("sharing", "message"),
    [
        (NotebookSharing(), r"notebook_sharing.bucket: got None; the bucket shared snapshots go to"),
        (
            NotebookSharing(output_option=NotebookOutputOption.DISABLED, prefix="x", bucket=None, encryption_key=None),
            None,
        ),
    ],
)
def test_notebook_sharing_needs_a_bucket_only_when_output_is_allowed(sharing: NotebookSharing, message: str | None) -> None:
    stack, vpc = new_stack()
    if message is None:
        domain = StudioDomain(stack, "D", vpc=vpc, domain_name="d", notebook_sharing=sharing)
        assert stack.resolve(domain.resource.default_user_settings)["sharingSettings"] == {"notebookOutputOption": "Disabled"}
    else:
        with pytest.raises(StudioConfigError, match=message):
            StudioDomain(stack, "D", vpc=vpc, domain_name="d", notebook_sharing=sharing)


def test_switch_to_vpconly(updated: Updated) -> None:
    assert updated.before["domain"]["AppNetworkAccessType"] == "PublicInternetOnly"
    assert in_place(updated, "domain")["AppNetworkAccessType"] == "VpcOnly"


def test_kernel_gateway_code_editor_jupyterlab_jupyter_server_default_instance(synth: Synth) -> None:
    settings = _full(synth)["DefaultUserSettings"]
    instances = {app: settings[f"{app}AppSettings"]["DefaultResourceSpec"]["InstanceType"] for app in _APPS}
    assert instances == {
        "JupyterLab": "ml.t3.large",
        "CodeEditor": "ml.m5.large",
        "KernelGateway": "ml.t3.medium",
        "JupyterServer": "system",
    }


_APPS = ("JupyterLab", "CodeEditor", "KernelGateway", "JupyterServer")


def test_custom_images_code_editor_kernel_gateway(synth: Synth) -> None:
    settings = _full(synth)["DefaultUserSettings"]
    assert settings["CodeEditorAppSettings"]["CustomImages"] == [
        {"AppImageConfigName": "team-editor", "ImageName": "team-editor"}
    ]
    kernels = settings["KernelGatewayAppSettings"]
    assert kernels["CustomImages"] == [{"AppImageConfigName": "team-kernels", "ImageName": "team-kernels"}]
    assert kernels["DefaultResourceSpec"]["SageMakerImageVersionArn"] == KG_VERSION_ARN
    assert kernels["DefaultResourceSpec"]["SageMakerImageArn"] == KG_VERSION_ARN.replace(
        "image-version/team-kernels/3", "image/team-kernels"
    )


def test_jupyterlab_idle_shutdown(synth: Synth) -> None:
    full = _full(synth)
    idle = full["DefaultUserSettings"]["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"]
    assert idle == {
        "LifecycleManagement": "ENABLED",
        "IdleTimeoutInMinutes": 90,
        "MinIdleTimeoutInMinutes": 60,
        "MaxIdleTimeoutInMinutes": 240,
    }
    shared = full["DefaultSpaceSettings"]["JupyterLabAppSettings"]["AppLifecycleManagement"]["IdleSettings"]
    assert shared["IdleTimeoutInMinutes"] == 120


def test_built_in_and_allowed_lifecycle_configs(synth: Synth) -> None:
    settings = _full(synth)["DefaultUserSettings"]
    lab = settings["JupyterLabAppSettings"]
    assert lab["BuiltInLifecycleConfigArn"] == _arn(synth, synth.parts["lab_builtin"])
    shared = _full(synth)["DefaultSpaceSettings"]["JupyterLabAppSettings"]
    assert shared["BuiltInLifecycleConfigArn"] == _arn(synth, synth.parts["lab"])  # SharedSpaceDefaults' own
    assert lab["LifecycleConfigArns"] == [_arn(synth, synth.parts["lab"])]
    kernels = settings["KernelGatewayAppSettings"]
    assert kernels["DefaultResourceSpec"]["LifecycleConfigArn"] == _arn(synth, synth.parts["kernels"])
    assert kernels["LifecycleConfigArns"] == [_arn(synth, synth.parts["kernels"])]
    server = settings["JupyterServerAppSettings"]
    assert server["DefaultResourceSpec"]["LifecycleConfigArn"] == _arn(synth, synth.parts["server"])


def test_fails_when_built_in_lifecycle_config_is_on_the_wrong_app() -> None:
    stack, vpc = new_stack()
    kernels = LifecycleConfig(stack, "K", app_type=AppType.KERNEL_GATEWAY, script="echo k")
    with pytest.raises(StudioConfigError, match=r"built_in_lifecycle_configs\[0\].*JupyterLab or Code Editor"):
        StudioDomain(stack, "D", vpc=vpc, domain_name="d", built_in_lifecycle_configs=[kernels])


def test_jupyter_server_code_repository(synth: Synth) -> None:
    """The row names JupyterLab's CodeRepositories: covered here, at domain and shared-space level.
    The Jupyter Server code repository is API only (tests/peer/test_api_only.py)."""
    full = _full(synth)
    repos = [{"RepositoryUrl": "https://github.com/example-org/notebooks.git"}]
    assert full["DefaultUserSettings"]["JupyterLabAppSettings"]["CodeRepositories"] == repos
    shared = [{"RepositoryUrl": "https://github.com/example-org/shared.git"}]  # SharedSpaceDefaults' own
    assert full["DefaultSpaceSettings"]["JupyterLabAppSettings"]["CodeRepositories"] == shared


def test_shared_space_defaults(synth: Synth, updated: Updated) -> None:
    shared = _full(synth)["DefaultSpaceSettings"]
    assert shared["ExecutionRole"] == "arn:aws:iam::111122223333:role/studio-shared"
    assert shared["JupyterLabAppSettings"]["DefaultResourceSpec"]["InstanceType"] == "ml.m5.xlarge"
    assert shared["KernelGatewayAppSettings"]["DefaultResourceSpec"]["InstanceType"] == "ml.t3.medium"
    assert "CodeEditorAppSettings" not in shared
    assert shared["SpaceStorageSettings"]["DefaultEbsStorageSettings"] == {
        "DefaultEbsVolumeSizeInGb": 20,
        "MaximumEbsVolumeSizeInGb": 200,
    }
    after = in_place(updated, "domain")["DefaultSpaceSettings"]
    before = updated.before["domain"]["DefaultSpaceSettings"]
    assert before["JupyterLabAppSettings"]["DefaultResourceSpec"]["InstanceType"] == "ml.t3.medium"
    assert after["JupyterLabAppSettings"]["DefaultResourceSpec"]["InstanceType"] == "ml.t3.large"
    assert after["KernelGatewayAppSettings"]["DefaultResourceSpec"]["InstanceType"] == "ml.t3.large"


def test_fails_when_code_editor_settings_are_in_shared_space_defaults() -> None:
    stack, vpc = new_stack()
    editor = LifecycleConfig(stack, "E", app_type=AppType.CODE_EDITOR, script="echo e")
    with pytest.raises(StudioConfigError, match=r"shared_space_defaults.default_lifecycle_configs\[0\].*no Code Editor"):
        StudioDomain(
            stack, "D", vpc=vpc, domain_name="d", shared_space_defaults=SharedSpaceDefaults(default_lifecycle_configs=[editor])
        )
    with pytest.raises(StudioConfigError, match=r"domain.shared_space_defaults.code_editor_instance_type.*no Code Editor"):
        parse_spec({"domain": {"name": "d", "shared_space_defaults": {"code_editor_instance_type": "ml.t3.large"}}})


def test_posix_user(synth: Synth, updated: Updated) -> None:
    full = _full(synth)
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        assert full[settings]["CustomPosixUserConfig"] == {"Uid": 10001, "Gid": 1001}
    after = in_place(updated, "domain")
    assert updated.before["domain"]["DefaultUserSettings"]["CustomPosixUserConfig"]["Uid"] == 10001
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        assert after[settings]["CustomPosixUserConfig"] == {"Uid": 10002, "Gid": 1001}


def test_ebs_default_and_maximum(updated: Updated) -> None:
    before = updated.before["domain"]
    after = in_place(updated, "domain")
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        assert before[settings]["SpaceStorageSettings"]["DefaultEbsStorageSettings"]["MaximumEbsVolumeSizeInGb"] == 100
        assert after[settings]["SpaceStorageSettings"]["DefaultEbsStorageSettings"] == {
            "DefaultEbsVolumeSizeInGb": 5,
            "MaximumEbsVolumeSizeInGb": 150,
        }


def test_efs_mount(synth: Synth, updated: Updated) -> None:
    full = _full(synth)
    efs = synth.resolve(synth.parts["efs"].file_system_id)
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        configs = full[settings]["CustomFileSystemConfigs"]
        assert {"EFSFileSystemConfig": {"FileSystemId": efs, "FileSystemPath": "/team"}} in configs
    assert "CustomFileSystemConfigs" not in updated.before["domain"]["DefaultUserSettings"]
    after = in_place(updated, "domain")
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        assert after[settings]["CustomFileSystemConfigs"] == [
            {"EFSFileSystemConfig": {"FileSystemId": updated.efs[0][0], "FileSystemPath": "/"}}
        ]


def test_s3_and_fsx_file_systems_beside_efs(synth: Synth) -> None:
    full = _full(synth)
    for settings in ("DefaultUserSettings", "DefaultSpaceSettings"):
        assert {"S3FileSystemConfig": {"S3Uri": "s3://team-datasets/curated", "MountPath": "/mnt/curated"}} in full[settings][
            "CustomFileSystemConfigs"
        ]
    profile = synth.resource("AWS::SageMaker::UserProfile", UserProfileName="alice")
    assert {"FSxLustreFileSystemConfig": {"FileSystemId": FSX_ID, "FileSystemPath": "/scratch"}} in profile["UserSettings"][
        "CustomFileSystemConfigs"
    ]


def test_fails_when_domain_file_systems_exceed_cloudformations_limit(synth: Synth) -> None:
    from aws_cdk import aws_s3 as s3

    from sagemaker_studio_cdk import S3FileSystem

    stack, vpc = new_stack()
    bucket = s3.Bucket.from_bucket_name(stack, "B", "team-data")
    with pytest.raises(StudioConfigError, match=r"custom_file_systems: got '3 file systems'; at most 2"):
        StudioDomain(
            stack, "D", vpc=vpc, domain_name="d", custom_file_systems=[S3FileSystem(bucket=bucket, prefix=p) for p in "abc"]
        )


def test_tag_propagation_and_ip_address_type(synth: Synth) -> None:
    full = _full(synth)
    assert full["TagPropagation"] == "ENABLED"
    assert full["DomainSettings"]["IpAddressType"] == "DUALSTACK"
    basic = synth.resource(DOMAIN, DomainName="basic")
    assert "TagPropagation" not in basic and "IpAddressType" not in basic["DomainSettings"]


def test_unified_studio_and_training_plan_deploy(updated: Updated) -> None:
    assert updated.before["domain"]["DomainSettings"]["UnifiedStudioSettings"] == {
        "DomainId": "dzd_abc123def456",
        "StudioWebPortalAccess": "ENABLED",
    }
    for app in ("JupyterLabAppSettings", "CodeEditorAppSettings"):
        spec = updated.before["domain"]["DefaultUserSettings"][app]["DefaultResourceSpec"]
        assert spec["TrainingPlanArn"] == TRAINING_PLAN
    assert updated.before["space"]["SpaceSettings"]["SpaceManagedResources"] == "ENABLED"


def test_dualstack_deploys_in_the_apis_spelling(updated: Updated) -> None:
    # the template says DUALSTACK (CloudFormation's schema); CreateDomain and UpdateDomain take dualstack
    assert updated.before["domain"]["DomainSettings"]["IpAddressType"] == "dualstack"
    assert in_place(updated, "domain")["DomainSettings"]["IpAddressType"] == "dualstack"


def test_hidden_apps_instance_types_ml_tools(updated: Updated) -> None:
    before = updated.before["domain"]["DefaultUserSettings"]["StudioWebPortalSettings"]
    after = in_place(updated, "domain")["DefaultUserSettings"]["StudioWebPortalSettings"]
    assert before == {"HiddenAppTypes": ["Canvas"], "HiddenInstanceTypes": ["ml.p3.2xlarge"]}
    assert after == {"HiddenAppTypes": ["Canvas", "CodeEditor"], "HiddenInstanceTypes": ["ml.p3.8xlarge"]}
    profile = in_place(updated, "profile")["UserSettings"]["StudioWebPortalSettings"]
    assert updated.before["profile"]["UserSettings"]["StudioWebPortalSettings"] == {"HiddenMlTools": ["DataWrangler"]}
    assert profile == {"HiddenMlTools": ["DataWrangler", "Models"]}


def test_home_efs_retention_on_delete(home_efs_destroyed: Destroyed) -> None:
    """Refused on purpose where there is no home EFS (a domain without rstudio: HomeEfsFileSystemCreation
    Disabled), and Delete without the cleanup; with rstudio, the cleanup deletes the domain with
    RetentionPolicy.HomeEfsFileSystem Delete, or CloudFormation keeps the file system (Retain)."""
    with pytest.raises(StudioConfigError) as refused:
        parse_spec({"domain": {"name": "d", "home_efs_retention": "Retain"}})
    assert "domain.home_efs_retention" in str(refused.value)
    assert HOME_EFS_RETENTION_REFUSAL in str(refused.value)
    with pytest.raises(StudioConfigError) as no_cleanup:
        parse_spec({"domain": {"name": "d", "rstudio": {}, "home_efs_retention": "Delete"}})
    assert HOME_EFS_DELETE_NEEDS_CLEANUP in str(no_cleanup.value)
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "D", vpc=vpc, domain_name="d")
    assert stack.resolve(domain.resource.home_efs_file_system_creation) == "Disabled"
    with pytest.raises(StudioConfigError) as construct:
        DomainCleanup(stack, "Cleanup", domain=domain, home_efs_retention=HomeEfsRetention.DELETE)
    assert HOME_EFS_REFUSAL in str(construct.value)
    deleted, kept = home_efs_destroyed.after["Delete"], home_efs_destroyed.after["Retain"]
    assert home_efs_destroyed.before["Delete"]["file systems"] and not deleted["file systems"]
    assert kept["file systems"] == home_efs_destroyed.before["Retain"]["file systems"] != set()
