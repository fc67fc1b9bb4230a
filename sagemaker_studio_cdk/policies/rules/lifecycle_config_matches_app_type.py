"""A lifecycle config is attached only to settings of its own app type."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule, as_list, dig, flat

APP_SETTINGS = {
    "JupyterLabAppSettings": "JupyterLab",
    "CodeEditorAppSettings": "CodeEditor",
    "JupyterServerAppSettings": "JupyterServer",
    "KernelGatewayAppSettings": "KernelGateway",
}
"""Settings block -> the app type its lifecycle configs must have."""

SETTINGS_OF = {
    "AWS::SageMaker::Domain": ("DefaultUserSettings", "DefaultSpaceSettings"),
    "AWS::SageMaker::UserProfile": ("UserSettings",),
    "AWS::SageMaker::Space": ("SpaceSettings",),
}

_NAME = re.compile(r":studio-lifecycle-config/([A-Za-z0-9-]+)$")


def attached_configs(resource: Resource) -> Iterator[tuple[str, Any]]:
    """(expected app type, ARN value) for every lifecycle config the resource attaches."""
    for settings_key in SETTINGS_OF[resource.type]:
        settings = resource.get(settings_key)
        for block_key, app_type in APP_SETTINGS.items():
            block = dig(settings, block_key)
            for arn in as_list(dig(block, "LifecycleConfigArns")):
                yield app_type, arn
            default = dig(block, "DefaultResourceSpec", "LifecycleConfigArn")
            if default is not None:
                yield app_type, default


def config_of(resource: Resource, arn: Any) -> Resource | None:
    """The app's lifecycle config that ``arn`` refers to, by reference or by name in a literal ARN."""
    target = resource.index.referenced(resource, arn)
    if target is not None:
        return target if target.type == "AWS::SageMaker::StudioLifecycleConfig" else None
    match = _NAME.search(flat(arn))
    if match is None:
        return None
    return resource.index.named("AWS::SageMaker::StudioLifecycleConfig", "StudioLifecycleConfigName", match.group(1))


def check(resource: Resource) -> bool:
    for app_type, arn in attached_configs(resource):
        config = config_of(resource, arn)
        if config is not None and config.get("StudioLifecycleConfigAppType") not in (app_type, None):
            return False
    return True


RULE = Rule(
    name="LifecycleConfigMatchesAppType",
    level=NagMessageLevel.ERROR,
    resource_types=tuple(SETTINGS_OF),
    info="A lifecycle config is attached to the settings of another app type than its own StudioLifecycleConfigAppType.",
    explanation=(
        "SageMaker refuses a lifecycle config in the settings of an app of another type (a Code Editor config in "
        "JupyterLabAppSettings), and the stack update fails. Attach each config under the settings of its own app "
        "type; LifecycleConfig with StudioDomain, UserProfile and Space does this by itself."
    ),
    check=check,
)
