import base64

from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk import AppType
from sagemaker_studio_cdk.constructs.lifecycle_config import LifecycleConfig
from sagemaker_studio_cdk.policies.rules.lifecycle_config_within_limits import RULE, max_content_length
from tests.rules.support import assert_flags, assert_passes, stack


def test_a_lifecycle_config_construct_passes() -> None:
    scope = stack()
    LifecycleConfig(scope, "Autosave", app_type=AppType.JUPYTER_LAB, script="#!/bin/bash\necho hello\n")
    assert_passes(scope, RULE)


def test_fails_when_the_content_is_not_base64() -> None:
    scope = stack()
    sm.CfnStudioLifecycleConfig(
        scope,
        "Raw",
        studio_lifecycle_config_name="raw",
        studio_lifecycle_config_app_type="JupyterLab",
        studio_lifecycle_config_content="#!/bin/bash\necho not encoded\n",
    )
    assert_flags(scope, RULE, "Test/Raw")


def test_fails_when_the_content_is_too_long() -> None:
    scope = stack()
    script = "#" * (max_content_length() * 3 // 4 + 10)
    sm.CfnStudioLifecycleConfig(
        scope,
        "Big",
        studio_lifecycle_config_name="big",
        studio_lifecycle_config_app_type="JupyterLab",
        studio_lifecycle_config_content=base64.b64encode(script.encode()).decode(),
    )
    assert_flags(scope, RULE, "Test/Big")


def test_fails_on_an_app_type_the_api_does_not_know() -> None:
    scope = stack()
    sm.CfnStudioLifecycleConfig(
        scope,
        "Rstudio",
        studio_lifecycle_config_name="rstudio",
        studio_lifecycle_config_app_type="RStudioServerPro",
        studio_lifecycle_config_content=base64.b64encode(b"echo hi").decode(),
    )
    assert_flags(scope, RULE, "Test/Rstudio")
