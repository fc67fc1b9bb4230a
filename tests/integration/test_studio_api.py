"""The Studio APIs of the extension answer bad requests as AWS does: one test per validation
class of botocore's model, and one per rule across resources, each with AWS's error code."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sagemaker_studio_cdk.testing import StudioMoto


class Studio:
    """A domain with one user, made through the API, and a client that skips botocore's own checks
    (so the server's validation is what answers)."""

    def __init__(self, moto: StudioMoto) -> None:
        import boto3

        self.moto = moto
        self.sm = boto3.client(
            "sagemaker", region_name=moto.region, endpoint_url=moto.endpoint_url, config=Config(parameter_validation=False)
        )
        ec2 = moto.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone=f"{moto.region}a")["Subnet"]["SubnetId"]
        self.script = base64.b64encode(b"#!/bin/bash\necho hi\n").decode()
        self.jupyter_config = self.sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName="lab-start",
            StudioLifecycleConfigContent=self.script,
            StudioLifecycleConfigAppType="JupyterLab",
        )["StudioLifecycleConfigArn"]
        self.editor_config = self.sm.create_studio_lifecycle_config(
            StudioLifecycleConfigName="editor-start",
            StudioLifecycleConfigContent=self.script,
            StudioLifecycleConfigAppType="CodeEditor",
        )["StudioLifecycleConfigArn"]
        settings = {
            "ExecutionRole": "arn:aws:iam::123456789012:role/execution",
            "SpaceStorageSettings": {
                "DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": 5, "MaximumEbsVolumeSizeInGb": 100}
            },
            "JupyterLabAppSettings": {"LifecycleConfigArns": [self.jupyter_config]},
        }
        self.sm.create_domain(DomainName="api", AuthMode="IAM", VpcId=vpc, SubnetIds=[subnet], DefaultUserSettings=settings)
        self.domain_id = self.sm.list_domains()["Domains"][0]["DomainId"]
        self.sm.create_user_profile(DomainId=self.domain_id, UserProfileName="alice")

    def space(self, name: str, **request: Any) -> Any:
        return self.sm.create_space(DomainId=self.domain_id, SpaceName=name, **request)


@pytest.fixture
def studio(studio_moto: StudioMoto) -> Iterator[Studio]:
    yield Studio(studio_moto)


def _error(call: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


# -- classes of botocore's model constraints ----------------------------------------------------------


def test_required_member_missing(studio: Studio) -> None:
    code, message = _error(lambda: studio.sm.create_user_profile(DomainId=studio.domain_id))
    assert code == "ValidationException"
    assert (
        message
        == "1 validation error detected: Value null at 'userProfileName' failed to satisfy constraint: Member must not be null"
    )


def test_enum_value_outside_the_set(studio: Studio) -> None:
    code, message = _error(
        lambda: studio.space(
            "s", SpaceSharingSettings={"SharingType": "Public"}, OwnershipSettings={"OwnerUserProfileName": "alice"}
        )
    )
    assert code == "ValidationException"
    assert (
        "at 'spaceSharingSettings.sharingType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [Private, Shared]" in message
    )


def test_string_too_long(studio: Studio) -> None:
    code, message = _error(lambda: studio.space("s", SpaceDisplayName="x" * 65))
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 64" in message


def test_string_breaks_the_pattern(studio: Studio) -> None:
    code, message = _error(lambda: studio.space("not a name"))
    assert code == "ValidationException"
    assert "at 'spaceName' failed to satisfy constraint: Member must satisfy regular expression pattern" in message


def test_number_out_of_range(studio: Studio) -> None:
    settings = {"AppType": "JupyterLab", "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 16385}}}
    code, message = _error(lambda: studio.space("s", SpaceSettings=settings))
    assert code == "ValidationException"
    assert "at 'spaceSettings.spaceStorageSettings.ebsStorageSettings.ebsVolumeSizeInGb'" in message
    assert "Member must have value less than or equal to 16384" in message


def test_list_too_long(studio: Studio) -> None:
    tags = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    code, message = _error(lambda: studio.space("s", Tags=tags))
    assert code == "ValidationException"
    assert "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50" in message


def test_several_problems_are_reported_together(studio: Studio) -> None:
    code, message = _error(lambda: studio.sm.create_space(DomainId="not-a-domain", SpaceName="x" * 64))
    assert code == "ValidationException"
    assert message.startswith("3 validation errors detected: ")  # two on spaceName, one on domainId


# -- rules across resources ---------------------------------------------------------------------------


def test_private_space_needs_an_owner(studio: Studio) -> None:
    code, message = _error(lambda: studio.space("s", SpaceSharingSettings={"SharingType": "Private"}))
    assert (code, message) == ("ValidationException", "A private space needs OwnershipSettings.OwnerUserProfileName.")


def test_space_owner_must_exist(studio: Studio) -> None:
    code, message = _error(
        lambda: studio.space(
            "s", SpaceSharingSettings={"SharingType": "Private"}, OwnershipSettings={"OwnerUserProfileName": "bob"}
        )
    )
    assert code == "ValidationException" and "bob" in message


def test_profile_with_spaces_cannot_be_deleted(studio: Studio) -> None:
    studio.space(
        "alice-lab", SpaceSharingSettings={"SharingType": "Private"}, OwnershipSettings={"OwnerUserProfileName": "alice"}
    )
    code, message = _error(lambda: studio.sm.delete_user_profile(DomainId=studio.domain_id, UserProfileName="alice"))
    assert code == "ResourceInUse" and "alice-lab" in message
    studio.sm.delete_space(DomainId=studio.domain_id, SpaceName="alice-lab")
    studio.sm.delete_user_profile(DomainId=studio.domain_id, UserProfileName="alice")


def test_domain_with_profiles_cannot_be_deleted(studio: Studio) -> None:
    code, message = _error(lambda: studio.sm.delete_domain(DomainId=studio.domain_id))
    assert code == "ResourceInUse" and "alice" in message


def test_lifecycle_config_app_type_must_match_where_attached(studio: Studio) -> None:
    settings = {"JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": studio.editor_config}}}
    code, message = _error(
        lambda: studio.sm.create_user_profile(DomainId=studio.domain_id, UserProfileName="bob", UserSettings=settings)
    )
    assert code == "ValidationException" and "does not match app type JupyterLab" in message
    space_settings = {
        "AppType": "JupyterLab",
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": studio.editor_config}},
    }
    code, _ = _error(lambda: studio.space("s", SpaceSettings=space_settings))
    assert code == "ValidationException"


def test_attached_lifecycle_config_cannot_be_deleted(studio: Studio) -> None:
    code, message = _error(lambda: studio.sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="lab-start"))
    assert code == "ResourceInUse" and f"domain {studio.domain_id}" in message
    studio.sm.delete_studio_lifecycle_config(StudioLifecycleConfigName="editor-start")


def test_space_ebs_size_at_most_the_maximum_that_applies(studio: Studio) -> None:
    settings = {"AppType": "JupyterLab", "SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 150}}}
    code, message = _error(lambda: studio.space("s", SpaceSettings=settings, SpaceSharingSettings={"SharingType": "Shared"}))
    assert code == "ValidationException" and "maximum EBS volume size of 100 GB" in message
    bigger = {
        "SpaceStorageSettings": {"DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": 5, "MaximumEbsVolumeSizeInGb": 200}}
    }
    studio.sm.create_user_profile(DomainId=studio.domain_id, UserProfileName="bob", UserSettings=bigger)
    studio.space(
        "bob-lab",
        SpaceSettings=settings,
        SpaceSharingSettings={"SharingType": "Private"},
        OwnershipSettings={"OwnerUserProfileName": "bob"},
    )


def test_space_with_apps_cannot_be_deleted_and_apps_list_describe_delete(studio: Studio) -> None:
    studio.space("team", SpaceSettings={"AppType": "JupyterLab"}, SpaceSharingSettings={"SharingType": "Shared"})
    studio.sm.create_app(DomainId=studio.domain_id, SpaceName="team", AppType="JupyterLab", AppName="default")
    code, _ = _error(lambda: studio.sm.delete_space(DomainId=studio.domain_id, SpaceName="team"))
    assert code == "ResourceInUse"
    apps = studio.sm.list_apps(DomainIdEquals=studio.domain_id)["Apps"]
    assert [(a["SpaceName"], a["AppType"], a["AppName"], a["Status"]) for a in apps] == [
        ("team", "JupyterLab", "default", "InService")
    ]
    app = dict(DomainId=studio.domain_id, SpaceName="team", AppType="JupyterLab", AppName="default")
    assert studio.sm.describe_app(**app)["Status"] == "InService"
    studio.sm.delete_app(**app)
    assert studio.sm.describe_app(**app)["Status"] == "Deleting"  # AWS takes minutes: callers must wait
    code, _ = _error(lambda: studio.sm.delete_space(DomainId=studio.domain_id, SpaceName="team"))
    assert code == "ResourceInUse"
    assert studio.sm.describe_app(**app)["Status"] == "Deleted"
    studio.sm.delete_space(DomainId=studio.domain_id, SpaceName="team")


def test_missing_and_duplicate_resources(studio: Studio) -> None:
    code, _ = _error(lambda: studio.sm.describe_user_profile(DomainId=studio.domain_id, UserProfileName="nobody"))
    assert code == "ResourceNotFound"
    code, _ = _error(lambda: studio.sm.create_user_profile(DomainId=studio.domain_id, UserProfileName="alice"))
    assert code == "ResourceInUse"


def test_update_domain_and_profile_merge_settings(studio: Studio) -> None:
    update = {
        "SpaceStorageSettings": {"DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": 5, "MaximumEbsVolumeSizeInGb": 300}}
    }
    studio.sm.update_domain(DomainId=studio.domain_id, DefaultUserSettings=update)
    settings = studio.sm.describe_domain(DomainId=studio.domain_id)["DefaultUserSettings"]
    assert settings["SpaceStorageSettings"] == update["SpaceStorageSettings"]
    assert settings["ExecutionRole"] == "arn:aws:iam::123456789012:role/execution"  # untouched members stay
    code, _ = _error(lambda: studio.sm.update_domain(DomainId=studio.domain_id, VpcId="vpc-00000000000000000"))
    assert code == "ValidationException"


def test_images_versions_app_image_configs_and_tracking_servers(studio: Studio) -> None:
    sm = studio.sm
    image_arn = sm.create_image(ImageName="team-image", RoleArn="arn:aws:iam::123456789012:role/r")["ImageArn"]
    version_arn = sm.create_image_version(
        ImageName="team-image", BaseImage="123456789012.dkr.ecr.us-east-1.amazonaws.com/img:1", ClientToken="t1"
    )["ImageVersionArn"]
    assert sm.describe_image_version(ImageName="team-image")["ImageVersionArn"] == version_arn
    assert [v["Version"] for v in sm.list_image_versions(ImageName="team-image")["ImageVersions"]] == [1]
    config = sm.create_app_image_config(AppImageConfigName="team", JupyterLabAppImageConfig={})["AppImageConfigArn"]
    assert sm.describe_app_image_config(AppImageConfigName="team")["AppImageConfigArn"] == config
    server = sm.create_mlflow_tracking_server(
        TrackingServerName="mlflow", ArtifactStoreUri="s3://bucket/mlflow", RoleArn="arn:aws:iam::123456789012:role/r"
    )
    assert sm.describe_mlflow_tracking_server(TrackingServerName="mlflow")["TrackingServerArn"] == server["TrackingServerArn"]
    space = {
        "AppType": "JupyterLab",
        "JupyterLabAppSettings": {"DefaultResourceSpec": {"SageMakerImageArn": image_arn.replace("team-image", "nope")}},
    }
    code, _ = _error(lambda: studio.space("s", SpaceSettings=space))
    assert code == "ValidationException"  # an image of this account must exist
    sm.add_tags(ResourceArn=image_arn, Tags=[{"Key": "team", "Value": "ml"}])
    assert sm.list_tags(ResourceArn=image_arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    sm.delete_image(ImageName="team-image")
    code, _ = _error(lambda: sm.describe_image(ImageName="team-image"))
    assert code == "ResourceNotFound"
