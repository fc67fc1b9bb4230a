"""Idle shutdown is on for JupyterLab and Code Editor, and users cannot raise it past a bound."""

from __future__ import annotations

from typing import Any

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule, dig

MAX_IDLE_TIMEOUT_MINUTES = 1440
"""The longest idle timeout users may choose: one day (the API allows up to a year)."""

APPS = ("JupyterLabAppSettings", "CodeEditorAppSettings")
"""The apps with idle shutdown (``AppLifecycleManagement``)."""


def _within_bound(value: Any) -> bool:
    # An intrinsic (a parameter) cannot be judged before deploy time and is let through.
    return not isinstance(value, (int, float)) or isinstance(value, bool) or value <= MAX_IDLE_TIMEOUT_MINUTES


def _block_ok(block: Any, *, required: bool) -> bool:
    """One app's settings: idle shutdown enabled with a bounded maximum (``required``), or at least
    not turned off or unbounded where it is overridden."""
    idle = dig(block, "AppLifecycleManagement", "IdleSettings")
    if not isinstance(idle, dict):
        return not required
    if idle.get("LifecycleManagement", "ENABLED" if not required else None) != "ENABLED":
        return False
    if required and idle.get("MaxIdleTimeoutInMinutes") is None:
        return False
    return _within_bound(idle.get("MaxIdleTimeoutInMinutes")) and _within_bound(idle.get("IdleTimeoutInMinutes"))


def check(resource: Resource) -> bool:
    if resource.type == "AWS::SageMaker::Domain":
        defaults = resource.get("DefaultUserSettings")
        shared = resource.get("DefaultSpaceSettings")
        return all(_block_ok(dig(defaults, app), required=True) for app in APPS) and all(
            _block_ok(dig(shared, app), required=False) for app in APPS
        )
    settings = resource.get("UserSettings")
    return all(_block_ok(dig(settings, app), required=False) for app in APPS)


RULE = Rule(
    name="IdleShutdownBounded",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::SageMaker::Domain", "AWS::SageMaker::UserProfile"),
    info=(
        "Idle shutdown of JupyterLab or Code Editor is off, has no maximum, or allows more than "
        f"{MAX_IDLE_TIMEOUT_MINUTES} minutes."
    ),
    explanation=(
        "Without idle shutdown, or with a maximum users may raise to a year, forgotten apps run (and bill) around "
        "the clock. In the domain's DefaultUserSettings give both JupyterLabAppSettings and CodeEditorAppSettings "
        "AppLifecycleManagement.IdleSettings with LifecycleManagement ENABLED and a MaxIdleTimeoutInMinutes of at "
        f"most {MAX_IDLE_TIMEOUT_MINUTES} (IdleShutdown's default is 480); profiles and shared-space defaults that "
        "override it must not turn it off or raise it past the bound."
    ),
    check=check,
)
