"""The last CloudFormation settings of issue 14 (Unified Studio, training plans, space-managed
resources) and what the library opens for the file systems it wires, on one shared synth; bad
input is a StudioConfigError naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import aws_s3 as s3

from sagemaker_studio_cdk import (
    AppDefaults,
    NotebookSharing,
    S3FileSystem,
    SharedSpaceDefaults,
    StudioConfigError,
    StudioDomain,
    UnifiedStudio,
    parse_spec,
)
from tests.options_synth import FSX_GROUP, PLAN, SHARED_PLAN, SPACE_PLAN, USER_PLAN, options_synth
from tests.support import new_stack


def _resource(resource_type: str, **match: Any) -> dict[str, Any]:
    found = [
        r["Properties"]
        for r in options_synth().template["Resources"].values()
        if r["Type"] == resource_type and all(r["Properties"].get(k) == v for k, v in match.items())
    ]
    assert len(found) == 1, found
    return found[0]


def test_unified_studio_settings_reach_the_domain() -> None:
    settings = _resource("AWS::SageMaker::Domain")["DomainSettings"]["UnifiedStudioSettings"]
    assert settings == {
        "StudioWebPortalAccess": "DISABLED",
        "DomainId": "dzd_abc123def456",
        "DomainAccountId": "111122223333",
        "DomainRegion": "us-east-1",
        "ProjectId": "prj123",
        "EnvironmentId": "env123",
        "ProjectS3Path": "s3://team-unified/project",
    }


def test_training_plan_is_the_jupyterlab_and_code_editor_default() -> None:
    domain = _resource("AWS::SageMaker::Domain")
    users = domain["DefaultUserSettings"]
    for app in ("JupyterLabAppSettings", "CodeEditorAppSettings"):
        assert users[app]["DefaultResourceSpec"]["TrainingPlanArn"] == PLAN
    assert "TrainingPlanArn" not in users.get("KernelGatewayAppSettings", {}).get("DefaultResourceSpec", {})
    shared = domain["DefaultSpaceSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]
    assert shared["TrainingPlanArn"] == SHARED_PLAN  # SharedSpaceDefaults overrides the domain's plan
    bob = _resource("AWS::SageMaker::UserProfile", UserProfileName="bob")["UserSettings"]
    assert bob["JupyterLabAppSettings"]["DefaultResourceSpec"]["TrainingPlanArn"] == USER_PLAN


def test_space_managed_resources_in_the_template_and_training_plan_through_the_api() -> None:
    space = _resource("AWS::SageMaker::Space", SpaceName="lab")["SpaceSettings"]
    assert space["SpaceManagedResources"] == "ENABLED"
    assert "DefaultResourceSpec" not in space.get("JupyterLabAppSettings", {})  # CloudFormation's Space has no plan
    assert options_synth().space.api_only_settings == {
        "SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"TrainingPlanArn": SPACE_PLAN}}}
    }


def test_lustre_ports_open_from_the_domains_group_only() -> None:
    rules = [
        r["Properties"]
        for r in options_synth().template["Resources"].values()
        if r["Type"] == "AWS::EC2::SecurityGroupIngress" and r["Properties"]["GroupId"] == FSX_GROUP
    ]
    assert sorted((r["FromPort"], r["ToPort"]) for r in rules) == [(988, 988), (1018, 1023)]
    assert {r["IpProtocol"] for r in rules} == {"tcp"}
    assert all(set(r["SourceSecurityGroupId"]["Fn::GetAtt"][0:1]) == {"DSecurityGroup478CB303"} for r in rules)


def _data(stack: Any) -> s3.IBucket:
    found = stack.node.try_find_child("Data")
    return found if found is not None else s3.Bucket.from_bucket_name(stack, "Data", "team-data")


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            lambda st: {"app_defaults": AppDefaults(training_plan_arn="arn:aws:sagemaker:us-east-1:111122223333:plan/x")},
            r"app_defaults.training_plan_arn: got 'arn:aws:sagemaker:us-east-1:111122223333:plan/x'; a training plan ARN",
        ),
        (
            lambda st: {"shared_space_defaults": SharedSpaceDefaults(training_plan_arn="x" * 60)},
            r"shared_space_defaults.training_plan_arn",
        ),
        (lambda st: {"unified_studio": UnifiedStudio(domain_id="dom-1")}, r"unified_studio.domain_id: got 'dom-1'"),
        (lambda st: {"unified_studio": UnifiedStudio(domain_account_id="1234")}, r"unified_studio.domain_account_id"),
        (
            lambda st: {"unified_studio": UnifiedStudio(project_s3_path="team-unified/project")},
            r"unified_studio.project_s3_path: got 'team-unified/project'",
        ),
        (
            lambda st: {"unified_studio": UnifiedStudio(studio_web_portal_access="ENABLED")},  # type: ignore[arg-type]
            r"unified_studio.studio_web_portal_access: got 'ENABLED'; True or False",
        ),
        (
            lambda st: {"user_data_bucket": _data(st), "notebook_sharing": NotebookSharing(bucket=_data(st), prefix="users")},
            r"notebook_sharing.prefix: got 's3://team-data/users'; a prefix outside users/",
        ),
        (
            lambda st: {"user_data_bucket": _data(st), "custom_file_systems": [S3FileSystem(bucket=_data(st))]},
            r"custom_file_systems\[0\].prefix: got 's3://team-data/'; a prefix outside users/",
        ),
    ],
)
def test_fails_when_a_domain_setting_is_invalid(props: Callable[[Any], dict[str, Any]], message: str) -> None:
    stack, vpc = new_stack()
    with pytest.raises(StudioConfigError, match=message):
        StudioDomain(stack, "D", vpc=vpc, domain_name="d", **props(stack))


def test_fails_when_a_space_setting_is_invalid() -> None:
    stack, vpc = new_stack()
    data = _data(stack)
    domain = StudioDomain(stack, "D", vpc=vpc, domain_name="d", user_data_bucket=data)
    with pytest.raises(StudioConfigError, match=r"spaces\[lab\].training_plan_arn: got 'gpu-plan'"):
        domain.add_space("lab", training_plan_arn="gpu-plan")
    with pytest.raises(StudioConfigError, match=r"spaces\[lab\].managed_resources: got 'ENABLED'; one of SpaceManagedResources"):
        domain.add_space("lab", managed_resources="ENABLED")  # type: ignore[arg-type]
    with pytest.raises(StudioConfigError, match=r"spaces\[lab\].custom_file_systems\[0\].prefix: got 's3://team-data/users/bob'"):
        domain.add_space("lab", custom_file_systems=[S3FileSystem(bucket=data, prefix="users/bob")])
    with pytest.raises(StudioConfigError, match=r"user_profiles\[bob\].notebook_sharing.prefix"):
        domain.add_user("bob", notebook_sharing=NotebookSharing(bucket=data, prefix="users/bob"))


def test_spec_keys() -> None:
    spec = parse_spec(
        {
            "domain": {
                "name": "d",
                "app_defaults": {"training_plan_arn": PLAN},
                "unified_studio": {"domain_id": "dzd_abc123def456", "studio_web_portal_access": True},
            },
            "users": [{"name": "bob", "app_defaults": {"training_plan_arn": USER_PLAN}}],
            "spaces": [{"name": "lab", "managed_resources": "ENABLED", "training_plan_arn": SPACE_PLAN}],
        },
        "studio.yaml",
    )
    assert spec.domain.app_defaults.training_plan_arn == PLAN
    assert spec.domain.unified_studio == UnifiedStudio(domain_id="dzd_abc123def456", studio_web_portal_access=True)
    assert spec.users[0].app_defaults is not None and spec.users[0].app_defaults.training_plan_arn == USER_PLAN
    assert spec.spaces[0].managed_resources is not None and spec.spaces[0].managed_resources.value == "ENABLED"
    assert spec.spaces[0].training_plan_arn == SPACE_PLAN


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"domain": {"name": "d", "unified_studio": {"domain_id": "x"}}}, "domain.unified_studio"),
        ({"domain": {"name": "d", "unified_studio": {"sso_application_arn": "x"}}}, "domain.unified_studio"),
        ({"domain": {"name": "d", "app_defaults": {"training_plan_arn": "plan"}}}, "domain.app_defaults"),
        (
            {"domain": {"name": "d", "shared_space_defaults": {"training_plan_arn": "plan"}}},
            "domain.shared_space_defaults.training_plan_arn",
        ),
        ({"domain": {"name": "d"}, "spaces": [{"name": "s", "training_plan_arn": "plan"}]}, "spaces.0.training_plan_arn"),
        ({"domain": {"name": "d"}, "spaces": [{"name": "s", "managed_resources": "on"}]}, "spaces.0.managed_resources"),
        (
            {"domain": {"name": "d", "custom_file_systems": [{"fsx_file_system_id": "fs-0123456789abcdef0", "read_only": True}]}},
            "domain.custom_file_systems.0",
        ),
    ],
)
def test_fails_when_a_spec_key_is_invalid(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(StudioConfigError) as err:
        parse_spec(raw, "studio.yaml")
    assert field in str(err.value)
