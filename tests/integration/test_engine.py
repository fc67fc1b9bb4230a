"""The extension's CloudFormation engine on small templates: unmodelled types refused, policies
honoured for any type, replacement decided by the schema, rollback, nested stacks."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from sagemaker_studio_cdk.testing import StudioMoto, install, uninstall


def _template(resources: dict[str, Any], outputs: dict[str, Any] | None = None) -> str:
    return json.dumps({"Resources": resources, **({"Outputs": outputs} if outputs else {})})


def _status(moto: StudioMoto, stack: str) -> str:
    return str(moto.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"])


def _reasons(moto: StudioMoto, stack: str) -> list[str]:
    events = moto.client("cloudformation").describe_stack_events(StackName=stack)["StackEvents"]
    return [e.get("ResourceStatusReason") or "" for e in events if e["ResourceStatus"].endswith("FAILED")]


def _buckets(moto: StudioMoto) -> set[str]:
    return {b["Name"] for b in moto.client("s3").list_buckets()["Buckets"]}


UNMODELLED = {
    "Pipeline": {
        "Type": "AWS::SageMaker::Pipeline",
        "Properties": {"PipelineName": "p", "RoleArn": "arn:aws:iam::123456789012:role/r"},
    }
}


def test_a_template_with_an_unmodelled_type_fails_instead_of_passing(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")
    resources = {"Bucket": {"Type": "AWS::S3::Bucket"}, **UNMODELLED}
    with pytest.raises(ClientError) as refused:
        cloudformation.create_stack(StackName="unmodelled", TemplateBody=_template(resources))
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert "AWS::SageMaker::Pipeline" in refused.value.response["Error"]["Message"]
    assert cloudformation.list_stacks()["StackSummaries"] == []
    assert _buckets(studio_moto) == set()


def test_without_the_extension_moto_reports_success_for_the_same_template(studio_moto: StudioMoto) -> None:
    """The false pass the extension exists to prevent."""
    uninstall()
    try:
        cloudformation = studio_moto.client("cloudformation")
        with pytest.warns(UserWarning):
            cloudformation.create_stack(StackName="unmodelled", TemplateBody=_template(dict(UNMODELLED)))
        assert _status(studio_moto, "unmodelled") == "CREATE_COMPLETE"
    finally:
        install()


def test_a_bucket_with_a_long_logical_id_gets_a_name_s3_takes(studio_moto: StudioMoto) -> None:
    """CloudFormation cuts a generated bucket name to S3's 63 characters; moto alone made an invalid
    one for a construct path a few levels deep (examples/full_workbench.py's tracking server bucket)."""
    logical = "MlflowTrackingServerworkbenchserverArtifacts25A5DEBE"
    studio_moto.client("cloudformation").create_stack(
        StackName="Workbench", TemplateBody=_template({logical: {"Type": "AWS::S3::Bucket"}})
    )
    assert _status(studio_moto, "Workbench") == "CREATE_COMPLETE"
    (name,) = _buckets(studio_moto)
    assert len(name) <= 63 and name == name.lower() and name.startswith("workbench-mlflowtrackingserver"), name


def _nested(moto: StudioMoto, child: dict[str, Any], key: str = "child.json") -> str:
    s3 = moto.client("s3")
    if "templates" not in _buckets(moto):
        s3.create_bucket(Bucket="templates")
    s3.put_object(Bucket="templates", Key=key, Body=json.dumps(child).encode())
    return f"https://s3.us-east-1.amazonaws.com/templates/{key}"


def test_an_unmodelled_type_in_a_nested_stack_rolls_the_parent_back(studio_moto: StudioMoto) -> None:
    url = _nested(studio_moto, {"Resources": dict(UNMODELLED)})
    parent = {
        "Kept": {"Type": "AWS::S3::Bucket"},
        "Child": {"Type": "AWS::CloudFormation::Stack", "DependsOn": "Kept", "Properties": {"TemplateURL": url}},
    }
    studio_moto.client("cloudformation").create_stack(StackName="parent", TemplateBody=_template(parent))
    assert _status(studio_moto, "parent") == "ROLLBACK_COMPLETE"
    assert any("AWS::SageMaker::Pipeline" in r for r in _reasons(studio_moto, "parent"))
    assert _buckets(studio_moto) == {"templates"}  # the bucket created first was rolled back


def test_nested_stack_outputs_and_in_place_update(studio_moto: StudioMoto) -> None:
    child = {
        "Parameters": {"Prefix": {"Type": "String"}},
        "Resources": {
            "Data": {"Type": "AWS::S3::Bucket"},
            "Param": {
                "Type": "AWS::SSM::Parameter",
                "Properties": {"Name": "/studio/prefix", "Type": "String", "Value": {"Ref": "Prefix"}},
            },
        },
        "Outputs": {"BucketName": {"Value": {"Ref": "Data"}}, "Prefix": {"Value": {"Ref": "Prefix"}}},
    }
    url = _nested(studio_moto, child)

    def parent(prefix: str) -> str:
        return _template(
            {
                "Child": {
                    "Type": "AWS::CloudFormation::Stack",
                    "Properties": {"TemplateURL": url, "Parameters": {"Prefix": prefix}},
                }
            },
            {
                "FromChild": {"Value": {"Fn::GetAtt": ["Child", "Outputs.BucketName"]}},
                "Prefix": {"Value": {"Fn::GetAtt": ["Child", "Outputs.Prefix"]}},
            },
        )

    cloudformation = studio_moto.client("cloudformation")
    cloudformation.create_stack(StackName="parent", TemplateBody=parent("one"))
    outputs = {
        o["OutputKey"]: o["OutputValue"] for o in cloudformation.describe_stacks(StackName="parent")["Stacks"][0]["Outputs"]
    }
    (child_id,) = [
        r["PhysicalResourceId"] for r in cloudformation.list_stack_resources(StackName="parent")["StackResourceSummaries"]
    ]
    bucket = outputs["FromChild"]
    assert bucket in _buckets(studio_moto) and outputs["Prefix"] == "one"

    cloudformation.update_stack(StackName="parent", TemplateBody=parent("two"))
    assert _status(studio_moto, "parent") == "UPDATE_COMPLETE"
    (after_id,) = [
        r["PhysicalResourceId"] for r in cloudformation.list_stack_resources(StackName="parent")["StackResourceSummaries"]
    ]
    assert after_id == child_id  # updated in place, not deleted and recreated
    outputs = {
        o["OutputKey"]: o["OutputValue"] for o in cloudformation.describe_stacks(StackName="parent")["Stacks"][0]["Outputs"]
    }
    assert outputs == {"FromChild": bucket, "Prefix": "two"}  # the child's bucket kept its physical id
    assert studio_moto.client("ssm").get_parameter(Name="/studio/prefix")["Parameter"]["Value"] == "two"


def test_a_later_failure_rolls_back_an_updated_nested_stack(studio_moto: StudioMoto) -> None:
    child = {
        "Parameters": {"Value": {"Type": "String"}},
        "Resources": {
            "P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/child", "Type": "String", "Value": {"Ref": "Value"}}}
        },
    }
    url = _nested(studio_moto, child)

    def parent(value: str, fail: bool) -> str:
        resources: dict[str, Any] = {
            "Child": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": url, "Parameters": {"Value": value}}}
        }
        if fail:
            resources["Bad"] = {
                "Type": "AWS::SageMaker::UserProfile",
                "DependsOn": "Child",
                "Properties": {"DomainId": "d-doesnotexist", "UserProfileName": "nobody"},
            }
        return _template(resources)

    cloudformation = studio_moto.client("cloudformation")
    cloudformation.create_stack(StackName="parent", TemplateBody=parent("one", fail=False))
    cloudformation.update_stack(StackName="parent", TemplateBody=parent("two", fail=True))
    assert _status(studio_moto, "parent") == "UPDATE_ROLLBACK_COMPLETE"
    assert any("Domain d-doesnotexist not found" in r for r in _reasons(studio_moto, "parent"))
    (child_id,) = [
        r["PhysicalResourceId"] for r in cloudformation.list_stack_resources(StackName="parent")["StackResourceSummaries"]
    ]
    assert _status(studio_moto, child_id) == "UPDATE_ROLLBACK_COMPLETE"
    assert studio_moto.client("ssm").get_parameter(Name="/child")["Parameter"]["Value"] == "one"
    with pytest.raises(ClientError) as unchanged:
        cloudformation.update_stack(StackName="parent", TemplateBody=parent("one", fail=False))
    assert unchanged.value.response["Error"]["Message"] == "No updates are to be performed."


def test_deletion_policy_retain_on_removal_and_delete(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")
    resources = {
        "Kept": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": {"BucketName": "kept"}},
        "KeptExceptOnCreate": {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "RetainExceptOnCreate",
            "Properties": {"BucketName": "kept-too"},
        },
        "Gone": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "gone"}},
        "Other": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain", "Properties": {"BucketName": "other"}},
        "OtherGone": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "other-gone"}},
    }
    cloudformation.create_stack(StackName="policies", TemplateBody=_template(resources))
    kept = {k: resources[k] for k in ("Other", "OtherGone")}
    cloudformation.update_stack(StackName="policies", TemplateBody=_template(kept))
    assert _status(studio_moto, "policies") == "UPDATE_COMPLETE"
    assert _buckets(studio_moto) == {"kept", "kept-too", "other", "other-gone"}
    cloudformation.delete_stack(StackName="policies")
    assert _buckets(studio_moto) == {"kept", "kept-too", "other"}


def test_replacement_honours_update_replace_policy(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")

    def template(name: str, other: str) -> str:
        return _template(
            {
                "Kept": {"Type": "AWS::S3::Bucket", "UpdateReplacePolicy": "Retain", "Properties": {"BucketName": name}},
                "Gone": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": other}},
            }
        )

    cloudformation.create_stack(StackName="replace", TemplateBody=template("first", "other-first"))
    cloudformation.update_stack(StackName="replace", TemplateBody=template("second", "other-second"))
    assert _status(studio_moto, "replace") == "UPDATE_COMPLETE"
    assert _buckets(studio_moto) == {"first", "second", "other-second"}


def test_a_failed_update_restores_the_previous_state(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")
    ssm = studio_moto.client("ssm")
    before = {
        "Value": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/a", "Type": "String", "Value": "1"}},
        "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "bucket"}},
    }
    cloudformation.create_stack(StackName="rollback", TemplateBody=_template(before))
    after = {
        "Value": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/a", "Type": "String", "Value": "2"}},
        "New": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "new"}},
        "Bad": {
            "Type": "AWS::SageMaker::StudioLifecycleConfig",
            "DependsOn": ["Value", "New"],
            "Properties": {
                "StudioLifecycleConfigName": "bad name",
                "StudioLifecycleConfigAppType": "JupyterLab",
                "StudioLifecycleConfigContent": "ZWNobw==",
            },
        },
    }
    cloudformation.update_stack(StackName="rollback", TemplateBody=_template(after))
    assert _status(studio_moto, "rollback") == "UPDATE_ROLLBACK_COMPLETE"
    assert any("ValidationException" in r and "studioLifecycleConfigName" in r for r in _reasons(studio_moto, "rollback"))
    assert ssm.get_parameter(Name="/a")["Parameter"]["Value"] == "1"
    assert _buckets(studio_moto) == {"bucket"}
    template = cloudformation.get_template(StackName="rollback")["TemplateBody"]
    template = json.loads(template) if isinstance(template, str) else template
    assert template == json.loads(_template(before))


def test_an_output_that_cannot_resolve_fails_the_stack(studio_moto: StudioMoto) -> None:
    """moto's SSM parameter model has no ``Fn::GetAtt Value``: the stack fails instead of losing the output."""
    template = _template(
        {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/o", "Type": "String", "Value": "v"}}},
        {"Value": {"Value": {"Fn::GetAtt": ["P", "Value"]}}},
    )
    studio_moto.client("cloudformation").create_stack(StackName="outputs", TemplateBody=template)
    assert _status(studio_moto, "outputs") == "ROLLBACK_COMPLETE"
    with pytest.raises(ClientError):
        studio_moto.client("ssm").get_parameter(Name="/o")


def test_an_export_in_use_cannot_be_deleted(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")
    exporter = _template(
        {"B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "exported"}}},
        {"Name": {"Value": {"Ref": "B"}, "Export": {"Name": "bucket-name"}}},
    )
    cloudformation.create_stack(StackName="exporter", TemplateBody=exporter)
    importer = _template(
        {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": {"Fn::ImportValue": "bucket-name"}}}}
    )
    cloudformation.create_stack(StackName="importer", TemplateBody=importer)
    with pytest.raises(ClientError) as refused:
        cloudformation.delete_stack(StackName="exporter")
    assert "in use by importer" in refused.value.response["Error"]["Message"]
    cloudformation.delete_stack(StackName="importer")
    cloudformation.delete_stack(StackName="exporter")
    assert "exported" not in _buckets(studio_moto)


def test_image_version_app_image_config_and_tracking_server_models(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")
    role = "arn:aws:iam::123456789012:role/images"

    def template(description: str) -> str:
        return _template(
            {
                "Image": {
                    "Type": "AWS::SageMaker::Image",
                    "Properties": {"ImageName": "team", "ImageRoleArn": role, "ImageDescription": description},
                },
                "Version": {
                    "Type": "AWS::SageMaker::ImageVersion",
                    "Properties": {
                        "ImageName": {"Fn::Select": [1, {"Fn::Split": ["/", {"Fn::GetAtt": ["Image", "ImageArn"]}]}]},
                        "BaseImage": "123456789012.dkr.ecr.us-east-1.amazonaws.com/team:1",
                    },
                },
                "Config": {
                    "Type": "AWS::SageMaker::AppImageConfig",
                    "Properties": {"AppImageConfigName": "team", "JupyterLabAppImageConfig": {}},
                },
                "Tracking": {
                    "Type": "AWS::SageMaker::MlflowTrackingServer",
                    "Properties": {"TrackingServerName": "team", "ArtifactStoreUri": "s3://artifacts/mlflow", "RoleArn": role},
                },
            },
            {
                "ImageArn": {"Value": {"Fn::GetAtt": ["Image", "ImageArn"]}},
                "VersionRef": {"Value": {"Ref": "Version"}},
                "Version": {"Value": {"Fn::GetAtt": ["Version", "Version"]}},
                "ConfigArn": {"Value": {"Fn::GetAtt": ["Config", "AppImageConfigArn"]}},
                "ConfigRef": {"Value": {"Ref": "Config"}},
                "TrackingArn": {"Value": {"Fn::GetAtt": ["Tracking", "TrackingServerArn"]}},
            },
        )

    cloudformation.create_stack(StackName="images", TemplateBody=template("first"))
    assert _status(studio_moto, "images") == "CREATE_COMPLETE", _reasons(studio_moto, "images")
    outputs = {
        o["OutputKey"]: o["OutputValue"] for o in cloudformation.describe_stacks(StackName="images")["Stacks"][0]["Outputs"]
    }
    arn = "arn:aws:sagemaker:us-east-1:123456789012"
    assert outputs == {
        "ImageArn": f"{arn}:image/team",
        "VersionRef": f"{arn}:image-version/team/1",
        "Version": "1",
        "ConfigArn": f"{arn}:app-image-config/team",
        "ConfigRef": "team",
        "TrackingArn": f"{arn}:mlflow-tracking-server/team",
    }
    sm = studio_moto.client("sagemaker")
    cloudformation.update_stack(StackName="images", TemplateBody=template("second"))
    assert _status(studio_moto, "images") == "UPDATE_COMPLETE"
    assert sm.describe_image(ImageName="team")["Description"] == "second"
    assert sm.describe_image_version(ImageName="team")["Version"] == 1  # not replaced
    cloudformation.delete_stack(StackName="images")
    assert sm.list_images()["Images"] == [] and sm.list_app_image_configs()["AppImageConfigs"] == []
    assert sm.list_mlflow_tracking_servers()["TrackingServerSummaries"] == []


def test_change_sets_create_and_update_through_the_engine(studio_moto: StudioMoto) -> None:
    cloudformation = studio_moto.client("cloudformation")

    def template(value: str) -> str:
        return _template(
            {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Name": "/cs", "Type": "String", "Value": value}}},
            {"Value": {"Value": {"Fn::Join": ["", [{"Ref": "P"}, "=", value]]}}},
        )

    for kind, value in (("CREATE", "one"), ("UPDATE", "two")):
        cloudformation.create_change_set(
            StackName="cs", ChangeSetName=f"cs-{value}", TemplateBody=template(value), ChangeSetType=kind
        )
        cloudformation.execute_change_set(StackName="cs", ChangeSetName=f"cs-{value}")
        assert _status(studio_moto, "cs") == f"{kind}_COMPLETE"
        stack = cloudformation.describe_stacks(StackName="cs")["Stacks"][0]
        assert stack["Outputs"] == [{"OutputKey": "Value", "OutputValue": f"/cs={value}"}]
        assert studio_moto.client("ssm").get_parameter(Name="/cs")["Parameter"]["Value"] == value


def test_a_json_template_is_read_as_json(studio_moto: StudioMoto) -> None:
    """moto's YAML parser would read ``1e3`` as the string "1e3"; CloudFormation (and the
    extension) read a JSON template as JSON: the number 1000.0."""
    body = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"MessageRetentionPeriod": 1e3}}}}'
    cfn = studio_moto.client("cloudformation")
    cfn.create_stack(StackName="json", TemplateBody=body)
    assert _status(studio_moto, "json") == "CREATE_COMPLETE"
    summary = cfn.get_template_summary(StackName="json")
    assert summary["ResourceTypes"] == ["AWS::SQS::Queue"]
    from moto.cloudformation.models import Stack

    assert Stack.parse_template(body)["Resources"]["Q"]["Properties"]["MessageRetentionPeriod"] == 1000.0


def test_moto_public_amis_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Studio needs no AMI, so new EC2 backends skip moto's catalogue; the user's
    MOTO_EC2_LOAD_DEFAULT_AMIS=true brings it back."""
    from sagemaker_studio_cdk.testing import mock_studio

    with mock_studio() as moto:
        assert moto.client("ec2").describe_images(Owners=["amazon"])["Images"] == []
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "true")
    with mock_studio() as moto:
        assert moto.client("ec2").describe_images(Owners=["amazon"])["Images"]
