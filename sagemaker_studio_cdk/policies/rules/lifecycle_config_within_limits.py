"""Every Studio lifecycle config is base64 within the API's size and names an app type the API knows."""

from __future__ import annotations

import base64
import binascii
from functools import cache

from cdk_nag import NagMessageLevel

from ... import limits
from ._base import Resource, Rule, is_intrinsic


@cache
def max_content_length() -> int:
    """The API's limit on the base64 content (botocore's ``StudioLifecycleConfigContent``)."""
    return int(limits._shape("StudioLifecycleConfigContent").metadata["max"])


@cache
def app_types() -> tuple[str, ...]:
    """The app types a lifecycle config may have (``StudioLifecycleConfigAppType``)."""
    return tuple(limits._shape("StudioLifecycleConfigAppType").enum)


def _content_ok(content: object) -> bool:
    if isinstance(content, dict) and set(content) == {"Fn::Base64"} and isinstance(content["Fn::Base64"], str):
        content = base64.b64encode(content["Fn::Base64"].encode()).decode()
    if is_intrinsic(content):
        return True  # known only at deploy time
    if not isinstance(content, str) or not 0 < len(content) <= max_content_length():
        return False
    try:
        base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def check(config: Resource) -> bool:
    app_type = config.get("StudioLifecycleConfigAppType")
    return _content_ok(config.get("StudioLifecycleConfigContent")) and (is_intrinsic(app_type) or app_type in app_types())


RULE = Rule(
    name="LifecycleConfigWithinLimits",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::SageMaker::StudioLifecycleConfig",),
    info=(
        "The Studio lifecycle config's content is not base64, is longer than the API's 16384 characters, "
        "or its app type is not JupyterLab, CodeEditor, JupyterServer or KernelGateway."
    ),
    explanation=(
        "SageMaker rejects such a config at deploy time, and because every property of a lifecycle config is "
        "create-only the failed update rolls back the whole stack. Encode the script with base64 (LifecycleConfig "
        "does), keep it under about 12 KB of script (move the rest into a file the script downloads), and use one "
        "of the API's app types."
    ),
    check=check,
)
