"""Settings CloudFormation lacks: typed props render into ``api_only_settings`` (API-shaped, by
request member); a block holding one of them leaves the template and the settings resource writes it
whole (one writer per block); bad input is a StudioConfigError naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk.assertions import Template

from sagemaker_studio_cdk import (
    AmazonQ,
    AppResourceDefaults,
    AppType,
    AuthMode,
    CanvasDataSource,
    CanvasOAuthSource,
    CanvasSettings,
    CrossAccountEmrRole,
    DockerAccess,
    EmrRoles,
    PortalSettings,
    SessionNameMode,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    StudioImage,
    UserProfile,
)
from sagemaker_studio_cdk.constructs.space import Space
from tests.support import new_stack

OTHER = "444455556666"
ASSUMABLE = f"arn:aws:iam::{OTHER}:role/studio-emr-access"
RUNTIME = f"arn:aws:iam::{OTHER}:role/emr-runtime"
REGISTRY_ROLE = f"arn:aws:iam::{OTHER}:role/canvas-model-registry"
SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:snowflake-oauth-AbCdEf"
Q_PROFILE = "arn:aws:codewhisperer:us-east-1:111122223333:profile/ABCDEFGHIJ"
WORKSPACE = "s3://team-canvas/workspace"


class Synth:
    def __init__(self) -> None:
        stack, vpc = new_stack()
        secret = secretsmanager.Secret.from_secret_complete_arn(stack, "Snowflake", SECRET)
        self.domain = StudioDomain(
            stack,
            "Domain",
            vpc=vpc,
            domain_name="research",
            auth_mode=AuthMode.SSO,
            default_image=StudioImage.sagemaker_distribution().with_version_alias("2.1"),
            canvas=CanvasSettings(
                time_series_forecasting=True,
                model_registration=True,
                model_registration_role_arn=REGISTRY_ROLE,
                workspace_s3_uri=WORKSPACE,
                direct_deploy=True,
                kendra=False,
                generative_ai=True,
                emr_serverless=True,
                oauth_sources=(CanvasOAuthSource(data_source=CanvasDataSource.SNOWFLAKE, secret=secret),),
            ),
            emr=EmrRoles(assumable_role_arns=(ASSUMABLE,), execution_role_arns=(RUNTIME,)),
            shared_space_emr=EmrRoles(execution_role_arns=(RUNTIME,)),
            tensorboard=AppResourceDefaults(instance_type="ml.t3.large"),
            amazon_q=AmazonQ(q_profile_arn=Q_PROFILE),
            trusted_identity_propagation=True,
            docker=DockerAccess(trusted_accounts=(OTHER,), rootless=True),
            jupyter_server_code_repositories=("https://github.com/example/notebooks.git",),
            portal=PortalSettings(
                hidden_app_types=("Canvas", "KernelGateway"),
                hidden_ml_tools=("DataWrangler",),
                execution_role_session_name_mode=SessionNameMode.USER_IDENTITY,
            ),
        )
        self.alice: UserProfile = self.domain.add_user(
            "alice",
            sso_user_name="alice",
            canvas=CanvasSettings(time_series_forecasting=False, kendra=True),
            emr=EmrRoles(assumable_role_arns=(ASSUMABLE,)),
            tensorboard=AppResourceDefaults(instance_type="ml.t3.medium"),
            rsession=AppResourceDefaults(instance_type="ml.t3.xlarge"),
            jupyter_server_code_repositories=("https://github.com/example/alice.git",),
        )
        self.lab: Space = self.domain.add_space("team-lab", image=StudioImage.sagemaker_distribution().with_version_alias("2.0"))
        self.editor: Space = self.domain.add_space(
            "editor",
            app_type=AppType.CODE_EDITOR,
            sharing=SpaceSharing.SHARED,
            image=StudioImage.sagemaker_distribution().with_version_alias("2.1"),
        )
        self.stack = stack
        self.template = Template.from_stack(stack)

    def resolved(self, value: Any) -> Any:
        return self.stack.resolve(value)

    def properties(self, resource_type: str) -> dict[str, Any]:
        (resource,) = self.template.find_resources(resource_type).values()
        found: dict[str, Any] = resource["Properties"]
        return found


@pytest.fixture(scope="module")
def synth() -> Synth:
    return Synth()


def test_canvas_settings_render_the_whole_block_with_made_roles(synth: Synth) -> None:
    canvas = synth.resolved(synth.domain.api_only_settings)["DefaultUserSettings"]["CanvasAppSettings"]
    assert canvas["TimeSeriesForecastingSettings"]["Status"] == "ENABLED"
    assert "Fn::GetAtt" in canvas["TimeSeriesForecastingSettings"]["AmazonForecastRoleArn"]
    assert canvas["ModelRegisterSettings"] == {"Status": "ENABLED", "CrossAccountModelRegisterRoleArn": REGISTRY_ROLE}
    assert canvas["WorkspaceSettings"] == {"S3ArtifactPath": WORKSPACE}
    assert canvas["DirectDeploySettings"] == {"Status": "ENABLED"}
    assert canvas["KendraSettings"] == {"Status": "DISABLED"}
    assert "Fn::GetAtt" in canvas["GenerativeAiSettings"]["AmazonBedrockRoleArn"]
    assert canvas["EmrServerlessSettings"]["Status"] == "ENABLED"
    assert "Fn::GetAtt" in canvas["EmrServerlessSettings"]["ExecutionRoleArn"]
    assert canvas["IdentityProviderOAuthSettings"] == [{"DataSourceName": "Snowflake", "Status": "ENABLED", "SecretArn": SECRET}]
    assert "CanvasAppSettings" not in synth.properties("AWS::SageMaker::Domain")["DefaultUserSettings"]


def _role_and_policy(template: Template, persona: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    for logical_id, role in template.find_resources("AWS::IAM::Role").items():
        tags = {t["Key"]: t["Value"] for t in role["Properties"].get("Tags", [])}
        if tags.get("studio:persona") == persona:
            statements = [
                s
                for p in template.find_resources("AWS::IAM::Policy").values()
                if {"Ref": logical_id} in p["Properties"]["Roles"]
                for s in p["Properties"]["PolicyDocument"]["Statement"]
            ]
            return role["Properties"], statements
    raise AssertionError(f"no role of persona {persona}")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


@pytest.mark.parametrize(
    ("persona", "service"),
    [
        ("canvas-forecast", "forecast.amazonaws.com"),
        ("canvas-bedrock", "bedrock.amazonaws.com"),
        ("canvas-emr-serverless", "emr-serverless.amazonaws.com"),
    ],
)
def test_made_canvas_roles_trust_one_service_and_reach_only_the_workspace(synth: Synth, persona: str, service: str) -> None:
    role, policy = _role_and_policy(synth.template, persona)
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"Service": service}
    assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "111122223333"}}
    resources = {r for s in policy for r in _listed(s["Resource"])}
    assert resources == {"arn:aws:s3:::team-canvas/workspace/*", "arn:aws:s3:::team-canvas"}
    assert all(a.startswith("s3:") for s in policy for a in _listed(s["Action"]))


def _logical_id(template: Template, prefix: str) -> str:
    (found,) = [i for i in template.find_resources("AWS::IAM::Role") if i.startswith(prefix)]
    return found


def test_execution_role_passes_each_canvas_role_to_its_service_only(synth: Synth) -> None:
    statements = [
        s
        for p in synth.template.find_resources("AWS::IAM::Policy").values()
        if {"Ref": _logical_id(synth.template, "DomainExecutionRole")} in p["Properties"]["Roles"]
        for s in p["Properties"]["PolicyDocument"]["Statement"]
    ]
    passes = {s["Condition"]["StringEquals"]["iam:PassedToService"] for s in statements if s["Action"] == "iam:PassRole"}
    assert passes == {"forecast.amazonaws.com", "bedrock.amazonaws.com", "emr-serverless.amazonaws.com"}
    assert any(s["Action"] == "sts:AssumeRole" and s["Resource"] == ASSUMABLE for s in statements)


def test_domain_api_only_settings_hold_only_api_members_at_their_depth(synth: Synth) -> None:
    api = synth.resolved(synth.domain.api_only_settings)
    users, spaces, domain = api["DefaultUserSettings"], api["DefaultSpaceSettings"], api["DomainSettings"]
    assert users["JupyterLabAppSettings"] == {
        "EmrSettings": {"AssumableRoleArns": [ASSUMABLE], "ExecutionRoleArns": [RUNTIME]},
        "DefaultResourceSpec": {"SageMakerImageVersionAlias": "2.1"},
    }
    assert users["CodeEditorAppSettings"] == {"DefaultResourceSpec": {"SageMakerImageVersionAlias": "2.1"}}
    assert users["TensorBoardAppSettings"] == {"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}}
    assert users["JupyterServerAppSettings"] == {
        "CodeRepositories": [{"RepositoryUrl": "https://github.com/example/notebooks.git"}]
    }
    assert users["StudioWebPortalSettings"] == {
        "HiddenAppTypes": ["Canvas", "KernelGateway"],
        "ExecutionRoleSessionNameMode": "USER_IDENTITY",
    }
    assert spaces["JupyterLabAppSettings"] == {
        "EmrSettings": {"ExecutionRoleArns": [RUNTIME]},
        "DefaultResourceSpec": {"SageMakerImageVersionAlias": "2.1"},
    }
    assert spaces["JupyterServerAppSettings"] == users["JupyterServerAppSettings"]
    assert domain == {
        "AmazonQSettings": {"Status": "ENABLED", "QProfileArn": Q_PROFILE},
        "TrustedIdentityPropagationSettings": {"Status": "ENABLED"},
        "DockerSettings": {"RootlessDocker": "ENABLED"},
    }


def test_a_block_with_an_api_only_member_has_one_writer(synth: Synth) -> None:
    """A block holding an API-only member leaves the template; the settings resource writes it whole:
    the members CloudFormation would have written (API-shaped) with the API-only ones."""
    props = synth.properties("AWS::SageMaker::Domain")
    assert "DockerSettings" not in props["DomainSettings"]
    assert "StudioWebPortalSettings" not in props["DefaultUserSettings"]
    assert "JupyterLabAppSettings" not in props["DefaultUserSettings"]
    (settings,) = [
        r["Properties"]["Blocks"]
        for r in synth.template.find_resources("Custom::StudioApiSettings").values()
        if r["Properties"]["Kind"] == "Domain"
    ]
    assert settings["DomainSettings.DockerSettings"] == {
        "EnableDockerAccess": "ENABLED",
        "VpcOnlyTrustedAccounts": [OTHER],
        "RootlessDocker": "ENABLED",
    }
    portal = settings["DefaultUserSettings.StudioWebPortalSettings"]
    # HiddenAppTypes has a value CloudFormation's enum lacks: the whole list, by the settings resource
    assert portal == {
        "HiddenMlTools": ["DataWrangler"],
        "HiddenAppTypes": ["Canvas", "KernelGateway"],
        "ExecutionRoleSessionNameMode": "USER_IDENTITY",
    }
    lab = settings["DefaultUserSettings.JupyterLabAppSettings"]
    assert "SageMakerImageArn" in lab["DefaultResourceSpec"]
    assert lab["DefaultResourceSpec"]["SageMakerImageVersionAlias"] == "2.1"


def test_profile_renders_emr_to_cloudformation_and_the_rest_to_the_api(synth: Synth) -> None:
    user = synth.properties("AWS::SageMaker::UserProfile")["UserSettings"]
    assert user["JupyterLabAppSettings"]["EmrSettings"] == {"AssumableRoleArns": [ASSUMABLE]}
    api = synth.resolved(synth.alice.api_only_settings)
    assert api == {
        "UserSettings": {
            "CanvasAppSettings": {
                "TimeSeriesForecastingSettings": {"Status": "DISABLED"},
                "KendraSettings": {"Status": "ENABLED"},
            },
            "TensorBoardAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.medium"}},
            "RSessionAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.xlarge"}},
            "JupyterServerAppSettings": {"CodeRepositories": [{"RepositoryUrl": "https://github.com/example/alice.git"}]},
        }
    }


def test_space_image_version_alias_is_api_only(synth: Synth) -> None:
    assert synth.lab.api_only_settings == {
        "SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"SageMakerImageVersionAlias": "2.0"}}}
    }


def test_settings_left_out_render_nothing() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="plain")
    profile = domain.add_user("bob")
    assert domain.api_only_settings == {} and profile.api_only_settings == {}


def test_cross_account_emr_role_trusts_the_studio_execution_role_only() -> None:
    stack = Stack(None, "EmrAccount")
    execution = "arn:aws:iam::111122223333:role/studio-execution"
    made = CrossAccountEmrRole(
        stack, "Access", role_name="studio-emr-access", studio_execution_role_arn=execution, runtime_role_arns=(RUNTIME,)
    )
    template = Template.from_stack(stack)
    (role,) = template.find_resources("AWS::IAM::Role").values()
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Principal"] == {"AWS": execution}
    (policy,) = template.find_resources("AWS::IAM::Policy").values()
    runtime = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if "Condition" in s]
    assert runtime == [
        {
            "Action": "elasticmapreduce:GetClusterSessionCredentials",
            "Condition": {"StringEquals": {"elasticmapreduce:ExecutionRoleArn": [RUNTIME]}},
            "Effect": "Allow",
            "Resource": runtime[0]["Resource"],
            "Sid": "EmrRuntimeRoles",
        }
    ]
    assert stack.resolve(made.role_arn) == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":role/studio-emr-access"]]
    }


# -- bad input ---------------------------------------------------------------------------------


def _domain(**props: Any) -> StudioDomain:
    stack, vpc = new_stack()
    return StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", **props)


@pytest.mark.parametrize(
    ("props", "field"),
    [
        ({"canvas": CanvasSettings(workspace_s3_uri="team-canvas/workspace")}, "canvas.workspace_s3_uri"),
        ({"canvas": CanvasSettings(workspace_s3_uri="https://team-canvas.s3.amazonaws.com/x")}, "canvas.workspace_s3_uri"),
        (
            {"canvas": CanvasSettings(model_registration=True, model_registration_role_arn="canvas-registry")},
            "canvas.model_registration_role_arn",
        ),
        ({"canvas": CanvasSettings(time_series_forecasting=True)}, "canvas.workspace_s3_uri"),
        ({"canvas": CanvasSettings(kendra="yes")}, "canvas.kendra"),  # type: ignore[arg-type]
        ({"amazon_q": AmazonQ()}, "amazon_q"),
        ({"trusted_identity_propagation": True}, "trusted_identity_propagation"),
        ({"emr": EmrRoles(assumable_role_arns=tuple(f"{ASSUMABLE}-{i}" for i in range(6)))}, "emr.assumable_role_arns"),
        ({"shared_space_emr": EmrRoles(execution_role_arns=("not-a-role",))}, "shared_space_emr.execution_role_arns[0]"),
        ({"docker": DockerAccess(trusted_accounts=tuple(f"{i:012d}" for i in range(21)))}, "docker.trusted_accounts"),
        ({"docker": DockerAccess(enabled=False, rootless=True)}, "docker.rootless"),
        ({"docker": DockerAccess(trusted_accounts=("1234",))}, "docker.trusted_accounts[0]"),
        ({"jupyter_server_code_repositories": ("git@github.com:x/y.git",)}, "jupyter_server_code_repositories[0]"),
        ({"tensorboard": AppResourceDefaults(instance_type="ml.nope")}, "tensorboard.instance_type"),
        ({"portal": PortalSettings(hidden_app_types=("Notebook",))}, "portal.hidden_app_types[0]"),
    ],
)
def test_bad_settings_name_the_field(props: dict[str, Any], field: str) -> None:
    with pytest.raises(StudioConfigError) as err:
        _domain(**props)
    assert field in [p.field for p in err.value.parts]


def test_a_canvas_role_that_is_not_a_role_arn_is_refused() -> None:
    stack, vpc = new_stack()
    bad = iam.Role.from_role_name(stack, "Bad", "x")
    with pytest.raises(StudioConfigError, match="forecast_role"):
        StudioDomain(
            stack, "D", vpc=vpc, domain_name="d", canvas=CanvasSettings(time_series_forecasting=False, forecast_role=bad)
        )


def test_profile_settings_on_the_wrong_level_or_bad_are_refused() -> None:
    domain = _domain()
    with pytest.raises(StudioConfigError) as err:
        domain.add_user("carol", emr=EmrRoles(execution_role_arns=tuple(f"{RUNTIME}-{i}" for i in range(6))))
    assert err.value.field == "user_profiles[carol].emr.execution_role_arns"
    with pytest.raises(StudioConfigError, match=r"user_profiles\[dan\].canvas.oauth_sources"):
        domain.add_user(
            "dan",
            canvas=CanvasSettings(
                oauth_sources=[CanvasOAuthSource(CanvasDataSource.SNOWFLAKE, secret=None)]  # type: ignore[arg-type]
            ),
        )


def test_an_image_version_alias_must_match_the_api_pattern() -> None:
    with pytest.raises(StudioConfigError, match="version_alias"):
        StudioImage.sagemaker_distribution().with_version_alias("latest")


def test_a_code_editor_space_gets_its_alias_under_its_own_app(synth: Synth) -> None:
    assert synth.editor.api_only_settings == {
        "SpaceSettings": {"CodeEditorAppSettings": {"DefaultResourceSpec": {"SageMakerImageVersionAlias": "2.1"}}}
    }


PEER_API_ONLY_ROWS = {
    # ../shared/PEER-SCENARIOS.md, Domain rows marked "API only": each is expressible with the props above
    "Canvas: time series": ("CanvasAppSettings", "TimeSeriesForecastingSettings"),
    "Canvas: model registration": ("CanvasAppSettings", "ModelRegisterSettings"),
    "Canvas: generative AI": ("CanvasAppSettings", "GenerativeAiSettings"),
    "Canvas: Kendra": ("CanvasAppSettings", "KendraSettings"),
    "Canvas: direct deploy": ("CanvasAppSettings", "DirectDeploySettings"),
    "Canvas: EMR Serverless": ("CanvasAppSettings", "EmrServerlessSettings"),
    "Canvas: OAuth": ("CanvasAppSettings", "IdentityProviderOAuthSettings"),
    "Canvas: workspace S3": ("CanvasAppSettings", "WorkspaceSettings"),
    "TensorBoard": ("TensorBoardAppSettings", "DefaultResourceSpec"),
    "JupyterLab EMR roles": ("JupyterLabAppSettings", "EmrSettings"),
    "Jupyter Server code repository": ("JupyterServerAppSettings", "CodeRepositories"),
}


@pytest.mark.parametrize("row", sorted(PEER_API_ONLY_ROWS))
def test_peer_api_only_rows_are_rendered_for_the_settings_resource(synth: Synth, row: str) -> None:
    block, member = PEER_API_ONLY_ROWS[row]
    assert synth.resolved(synth.domain.api_only_settings)["DefaultUserSettings"][block][member]


def test_peer_row_19_jupyterlab_code_repositories_stay_in_cloudformation() -> None:
    """Row 19 names JupyterLab's CodeRepositories (CloudFormation); the peer's test sets Jupyter
    Server's (API only, above): both are expressible."""
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", code_repositories=["https://github.com/example/lab.git"])
    lab = stack.resolve(domain.resource.default_user_settings)["jupyterLabAppSettings"]
    assert lab["codeRepositories"] == [{"repositoryUrl": "https://github.com/example/lab.git"}]
    assert domain.api_only_settings == {}
