"""studio.yaml keys for the settings CloudFormation lacks: parsed, checked with the constructs' own
checks, refused on a level that has none, and rendered by the domain stack into the constructs'
``api_only_settings`` (the example domain's Canvas settings among them)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sagemaker_studio_cdk import StudioConfigError, StudioDomainStack, load_spec, parse_spec
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.support import ENV, ROOT, new_app

VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"))
RUNTIME = "arn:aws:iam::444455556666:role/emr-runtime"
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:salesforce-AbCdEf"


def _error(raw: dict[str, Any]) -> StudioConfigError:
    with pytest.raises(StudioConfigError) as err:
        parse_spec(raw, "studio.yaml")
    return err.value


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"domain": {"name": "d", "amazon_q": {}}}, "domain.amazon_q"),
        ({"domain": {"name": "d", "trusted_identity_propagation": True}}, "domain.trusted_identity_propagation"),
        ({"domain": {"name": "d", "canvas": {"workspace_s3_uri": "canvas/workspace"}}}, "domain.canvas.workspace_s3_uri"),
        ({"domain": {"name": "d", "canvas": {"bedrock_role_arn": "bedrock"}}}, "domain.canvas.bedrock_role_arn"),
        ({"domain": {"name": "d", "emr": {"execution_role_arns": [f"{RUNTIME}{i}" for i in range(6)]}}}, "domain.emr"),
        (
            {
                "domain": {
                    "name": "d",
                    "app_network_access": "PublicInternetOnly",
                    "docker": {"trusted_accounts": ["444455556666"]},
                }
            },
            "domain.docker.trusted_accounts",
        ),
        ({"domain": {"name": "d"}, "spaces": [{"name": "s", "tensorboard": {}}]}, "spaces.0.tensorboard"),
        ({"domain": {"name": "d"}, "spaces": [{"name": "s", "canvas": {}}]}, "spaces.0.canvas"),
        ({"domain": {"name": "d"}, "users": [{"name": "u", "amazon_q": {}}]}, "users.0.amazon_q"),
        ({"domain": {"name": "d"}, "users": [{"name": "u", "default_image_version_alias": "newest"}]}, "users.0"),
    ],
)
def test_bad_or_misplaced_settings_name_the_field(raw: dict[str, Any], field: str) -> None:
    err = _error(raw)
    assert any(field in p.field for p in err.parts), err


def test_a_spec_renders_every_api_only_setting_at_its_level() -> None:
    spec = parse_spec(
        {
            "domain": {
                "name": "research",
                "auth_mode": "SSO",
                "default_image_version_alias": "2.1",
                "canvas": {
                    "model_registration": True,
                    "kendra": True,
                    "generative_ai": True,
                    "bedrock_role_arn": "arn:aws:iam::111122223333:role/bedrock",
                    "workspace_s3_uri": "s3://research-canvas/ws",
                    "oauth_sources": [{"data_source": "SalesforceGenie", "secret_arn": SECRET}],
                },
                "shared_space_emr": {"execution_role_arns": [RUNTIME]},
                "amazon_q": {"enabled": True},
                "docker": {"rootless": True},
                "portal": {"execution_role_session_name_mode": "STATIC"},
            },
            "users": [
                {
                    "name": "alice",
                    "sso_user_name": "alice",
                    "emr": {"assumable_role_arns": [RUNTIME]},
                    "rsession": {"instance_type": "ml.t3.large"},
                }
            ],
            "spaces": [{"name": "team", "image_version_alias": "2.0"}],
        }
    )
    stack = StudioDomainStack(new_app(), "Studio", spec=spec, vpc=VPC, env=ENV, per_user_data=False)
    domain = stack.resolve(stack.domain.api_only_settings)
    canvas = domain["DefaultUserSettings"]["CanvasAppSettings"]
    assert canvas["GenerativeAiSettings"] == {"AmazonBedrockRoleArn": "arn:aws:iam::111122223333:role/bedrock"}
    assert canvas["IdentityProviderOAuthSettings"] == [
        {"DataSourceName": "SalesforceGenie", "Status": "ENABLED", "SecretArn": SECRET}
    ]
    assert canvas["ModelRegisterSettings"] == {"Status": "ENABLED"} and canvas["KendraSettings"] == {"Status": "ENABLED"}
    assert domain["DefaultUserSettings"]["StudioWebPortalSettings"] == {"ExecutionRoleSessionNameMode": "STATIC"}
    assert domain["DefaultSpaceSettings"]["JupyterLabAppSettings"]["EmrSettings"] == {"ExecutionRoleArns": [RUNTIME]}
    assert domain["DomainSettings"] == {"AmazonQSettings": {"Status": "ENABLED"}, "DockerSettings": {"RootlessDocker": "ENABLED"}}
    alice = stack.users["alice"]
    assert alice.api_only_settings == {
        "UserSettings": {"RSessionAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}}}
    }
    assert stack.resolve(alice.resource.user_settings)["jupyterLabAppSettings"]["emrSettings"] == {"assumableRoleArns": [RUNTIME]}
    assert stack.spaces["team"].api_only_settings == {
        "SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"SageMakerImageVersionAlias": "2.0"}}}
    }


def test_the_example_domain_declares_canvas_for_the_demo_to_read_back() -> None:
    spec = load_spec(ROOT / "studio.yaml")
    stack = StudioDomainStack(new_app(), "Studio", spec=spec, vpc=VPC, env=ENV)
    canvas = stack.resolve(stack.domain.api_only_settings)["DefaultUserSettings"]["CanvasAppSettings"]
    assert canvas["WorkspaceSettings"] == {"S3ArtifactPath": spec.domain.canvas.workspace_s3_uri}  # type: ignore[union-attr]
    assert {k for k, v in canvas.items() if isinstance(v, dict) and v.get("Status") == "ENABLED"} == {
        "TimeSeriesForecastingSettings",
        "ModelRegisterSettings",
        "DirectDeploySettings",
        "EmrServerlessSettings",
    }
    assert "AmazonBedrockRoleArn" in canvas["GenerativeAiSettings"]


def test_a_users_canvas_roles_and_their_grant_live_in_the_users_nested_stack() -> None:
    """The domain's stack must not reference a user stack's roles: the execution role's Canvas
    grant is a policy of its own beside them."""
    spec = parse_spec(
        {
            "domain": {"name": "d"},
            "users": [{"name": "alice", "canvas": {"time_series_forecasting": True, "workspace_s3_uri": "s3://alice-canvas/ws"}}],
        }
    )
    app = new_app()
    StudioDomainStack(app, "Studio", spec=spec, vpc=VPC, env=ENV, per_user_data=False)
    assembly = app.synth()  # linted by conftest.py
    (parent,) = assembly.stacks
    assert not [k for k in parent.template["Resources"] if "Canvas" in k]
    (nested,) = (ROOT / assembly.directory).glob("*.nested.template.json")
    types = {v["Type"] for k, v in json.loads(nested.read_text())["Resources"].items() if "Canvas" in k}
    assert types == {"AWS::IAM::Role", "AWS::IAM::Policy"}
