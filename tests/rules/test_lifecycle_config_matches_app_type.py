import base64

from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk import AppType, StudioDomain
from sagemaker_studio_cdk.constructs.lifecycle_config import LifecycleConfig
from sagemaker_studio_cdk.policies.rules.lifecycle_config_matches_app_type import RULE
from tests.rules.support import DOMAIN, assert_flags, assert_passes, raw_domain, stack
from tests.support import new_stack


def code_editor_config(scope: sm.CfnDomain | object, name: str = "editor-setup") -> sm.CfnStudioLifecycleConfig:
    return sm.CfnStudioLifecycleConfig(
        scope,  # type: ignore[arg-type]
        "EditorSetup",
        studio_lifecycle_config_name=name,
        studio_lifecycle_config_app_type="CodeEditor",
        studio_lifecycle_config_content=base64.b64encode(b"echo editor").decode(),
    )


def test_configs_attached_by_the_constructs_match_their_apps() -> None:
    scope, vpc = new_stack()
    lab = LifecycleConfig(scope, "Lab", app_type=AppType.JUPYTER_LAB, script="echo lab")
    editor = LifecycleConfig(scope, "Editor", app_type=AppType.CODE_EDITOR, script="echo editor")
    domain = StudioDomain(scope, "Domain", vpc=vpc, domain_name="research", lifecycle_configs=[lab, editor])
    domain.add_user("alice", default_lifecycle_configs=[lab])
    assert_passes(scope, RULE)


def test_fails_when_a_code_editor_config_sits_in_jupyterlab_settings() -> None:
    scope = stack()
    config = code_editor_config(scope)
    settings = {**DOMAIN["default_user_settings"]}
    settings["jupyterLabAppSettings"] = {
        **settings["jupyterLabAppSettings"],
        "lifecycleConfigArns": [config.attr_studio_lifecycle_config_arn],
    }
    raw_domain(scope, default_user_settings=settings)
    assert_flags(scope, RULE, "Test/Domain")


def test_fails_when_a_space_names_a_config_of_another_app_by_its_arn() -> None:
    scope = stack()
    code_editor_config(scope, "editor-setup")
    domain = raw_domain(scope)
    arn = "arn:aws:sagemaker:us-east-1:111122223333:studio-lifecycle-config/editor-setup"
    sm.CfnSpace(
        scope,
        "Team",
        domain_id=domain.attr_domain_id,
        space_name="team",
        space_settings={"appType": "JupyterLab", "jupyterLabAppSettings": {"defaultResourceSpec": {"lifecycleConfigArn": arn}}},
    )
    assert_flags(scope, RULE, "Test/Team")
