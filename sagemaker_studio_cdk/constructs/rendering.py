"""How the constructs' props become L1 properties (jsii struct keys, camelCase).

One place renders user settings for the domain's defaults and for each profile, so the domain
and a profile that overrides it always emit the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import jsii
from aws_cdk import CfnTag, IResolveContext, IStableAnyProducer, IStableListProducer, Lazy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from constructs import Construct

from .image import StudioImage
from .settings import AppDefaults, AppType, EbsStorage, IdleShutdown, PosixUser
from .studio_options import ClassicAppDefaults, CustomFileSystem, SharedSpaceDefaults, custom_file_system_configs

if TYPE_CHECKING:
    from .custom_image import CustomImage
    from .efs_mount import MountedFileSystem
    from .lifecycle_config import LifecycleConfig

APP_SETTINGS_KEYS: Mapping[str, str] = {
    "JupyterLab": "jupyterLabAppSettings",
    "CodeEditor": "codeEditorAppSettings",
    "KernelGateway": "kernelGatewayAppSettings",
    "JupyterServer": "jupyterServerAppSettings",
    "RSessionGateway": "rSessionAppSettings",
}
"""The user-settings key (L1 name) of each app's settings, by app type."""

_CLASSIC_FIELDS = {AppType.KERNEL_GATEWAY: "kernel_gateway", AppType.JUPYTER_SERVER: "jupyter_server"}


def cfn_tags(tags: Mapping[str, str] | None) -> list[CfnTag] | None:
    """``CfnTag`` list for an L1 resource, sorted so templates are stable."""
    return [CfnTag(key=k, value=v) for k, v in sorted(tags.items())] if tags else None


def idle_settings(idle: IdleShutdown) -> dict[str, Any]:
    """The ``IdleSettings`` of an app's ``AppLifecycleManagement``."""
    return {
        "lifecycleManagement": "ENABLED",
        "idleTimeoutInMinutes": idle.timeout_minutes,
        "minIdleTimeoutInMinutes": idle.min_timeout_minutes,
        "maxIdleTimeoutInMinutes": idle.max_timeout_minutes,
    }


def user_settings(
    scope: Construct,
    field: str,
    *,
    execution_role: iam.IRole | None,
    security_groups: Sequence[ec2.ISecurityGroup] | None,
    app_defaults: AppDefaults | None,
    ebs: EbsStorage | None,
    idle_shutdown: IdleShutdown | None,
    image: StudioImage | None,
    posix_user: PosixUser | None,
    lifecycle_configs: Sequence[LifecycleConfig] = (),
    default_lifecycle_configs: Sequence[LifecycleConfig] = (),
    file_systems: Sequence[MountedFileSystem] = (),
    custom_images: Sequence[CustomImage] = (),
    built_in_lifecycle_configs: Sequence[LifecycleConfig] = (),
    code_repositories: Sequence[str] = (),
    kernel_gateway: ClassicAppDefaults | None = None,
    jupyter_server: ClassicAppDefaults | None = None,
    custom_file_systems: Sequence[CustomFileSystem] = (),
) -> dict[str, Any]:
    """``UserSettings`` from the props a domain or profile sets.

    Only what is given is emitted, so a profile inherits everything else from its domain. A
    default lifecycle config is also in the allowed list of its app. A custom default image is the
    default of its own app only; each custom image goes to its app's ``CustomImages`` list.
    """
    settings: dict[str, Any] = {}
    if execution_role is not None:
        settings["executionRole"] = execution_role.role_arn
    if security_groups:
        settings["securityGroups"] = [g.security_group_id for g in security_groups]
    image_spec = image.resource_spec(scope, f"{field}.default_image") if image is not None else {}
    custom_default = image.custom_image if image is not None else None
    default_app = custom_default.app_type.value if custom_default is not None else None
    classic = {AppType.KERNEL_GATEWAY: kernel_gateway, AppType.JUPYTER_SERVER: jupyter_server}
    for app, key in ((a, APP_SETTINGS_KEYS[a.value]) for a in AppType):
        app_settings: dict[str, Any] = {}
        default_config = next((c for c in default_lifecycle_configs if c.app_type is app), None)
        classic_defaults = classic.get(app)
        training_plan = None
        if app is AppType.JUPYTER_LAB:
            instance = app_defaults.jupyter_lab_instance_type if app_defaults else None
        elif app is AppType.CODE_EDITOR:
            instance = app_defaults.code_editor_instance_type if app_defaults else None
        else:
            instance = classic_defaults.instance_type if classic_defaults else None
        if app in (AppType.JUPYTER_LAB, AppType.CODE_EDITOR) and app_defaults is not None:
            training_plan = app_defaults.training_plan_arn
        if app in classic:
            images = (
                classic_defaults.image.resource_spec(scope, f"{field}.{_CLASSIC_FIELDS[app]}.image")
                if classic_defaults and classic_defaults.image
                else {}
            )
        else:
            images = image_spec if default_app in (None, app.value) else {}
        spec = {
            k: v
            for k, v in (
                ("instanceType", instance),
                *images.items(),
                ("lifecycleConfigArn", default_config.lifecycle_config_arn if default_config else None),
                ("trainingPlanArn", training_plan),
            )
            if v is not None
        }
        if spec:
            app_settings["defaultResourceSpec"] = spec
        allowed = _unique([*default_lifecycle_configs, *lifecycle_configs], app)
        if allowed:
            app_settings["lifecycleConfigArns"] = [c.lifecycle_config_arn for c in allowed]
        built_in = next((c for c in built_in_lifecycle_configs if c.app_type is app), None)
        if built_in is not None:
            app_settings["builtInLifecycleConfigArn"] = built_in.lifecycle_config_arn
        if app is AppType.JUPYTER_LAB and code_repositories:
            app_settings["codeRepositories"] = [{"repositoryUrl": url} for url in code_repositories]
        if idle_shutdown is not None and app not in classic:
            app_settings["appLifecycleManagement"] = {"idleSettings": idle_settings(idle_shutdown)}
        if app_settings:
            settings[key] = app_settings
    for custom in custom_images:
        listed = settings.setdefault(APP_SETTINGS_KEYS[custom.app_type.value], {}).setdefault("customImages", [])
        if custom.list_entry() not in listed:
            listed.append(custom.list_entry())
    if ebs is not None:
        settings["spaceStorageSettings"] = {
            "defaultEbsStorageSettings": {
                "defaultEbsVolumeSizeInGb": ebs.default_gb,
                "maximumEbsVolumeSizeInGb": ebs.max_gb,
            }
        }
    if posix_user is not None:
        settings["customPosixUserConfig"] = {"uid": posix_user.uid, "gid": posix_user.gid}
    if file_systems or custom_file_systems:
        settings["customFileSystemConfigs"] = [
            *file_system_configs(file_systems),
            *custom_file_system_configs(custom_file_systems),
        ]
    return settings


def shared_space_app_settings(app_settings: Mapping[str, Any], app: AppType, defaults: SharedSpaceDefaults) -> dict[str, Any]:
    """An app's ``DefaultSpaceSettings`` block: the domain's ``app_settings`` of ``app`` with the
    shared-space overrides of ``defaults`` (JupyterLab instance type and idle shutdown, a default
    lifecycle config per app, which is also allowed)."""
    settings = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in app_settings.items()}
    spec = dict(settings.get("defaultResourceSpec", {}))
    if app is AppType.JUPYTER_LAB and defaults.jupyter_lab_instance_type is not None:
        spec["instanceType"] = defaults.jupyter_lab_instance_type
    if app is AppType.JUPYTER_LAB and defaults.training_plan_arn is not None:
        spec["trainingPlanArn"] = defaults.training_plan_arn
    if app is AppType.JUPYTER_LAB and defaults.idle_shutdown is not None:
        settings["appLifecycleManagement"] = {"idleSettings": idle_settings(defaults.idle_shutdown)}
    if app is AppType.JUPYTER_LAB and defaults.code_repositories:
        settings["codeRepositories"] = [{"repositoryUrl": url} for url in defaults.code_repositories]
    if app is AppType.JUPYTER_LAB and defaults.built_in_lifecycle_config is not None:
        settings["builtInLifecycleConfigArn"] = defaults.built_in_lifecycle_config.lifecycle_config_arn
    config = next((c for c in defaults.default_lifecycle_configs if c.app_type is app), None)
    if config is not None:
        spec["lifecycleConfigArn"] = config.lifecycle_config_arn
        allowed = settings.get("lifecycleConfigArns", [])
        if config.lifecycle_config_arn not in allowed:
            settings["lifecycleConfigArns"] = [config.lifecycle_config_arn, *allowed]
    if spec:
        settings["defaultResourceSpec"] = spec
    return settings


def file_system_configs(file_systems: Sequence[MountedFileSystem]) -> list[dict[str, Any]]:
    """``CustomFileSystemConfigs`` of domain or profile settings: file system and path."""
    return [
        {"efsFileSystemConfig": {"fileSystemId": m.file_system.file_system_id, "fileSystemPath": m.path}} for m in file_systems
    ]


def _unique(configs: Sequence[LifecycleConfig], app: AppType) -> list[LifecycleConfig]:
    found: dict[str, LifecycleConfig] = {}
    for config in configs:
        if config.app_type is app:
            found.setdefault(config.node.path, config)
    return list(found.values())


@jsii.implements(IStableAnyProducer)
class _AnyProducer:
    def __init__(self, produce: Callable[[], Any]) -> None:
        self._produce = produce

    def produce(self, context: IResolveContext | None = None) -> Any:
        return self._produce()


@jsii.implements(IStableListProducer)
class _ListProducer:
    def __init__(self, produce: Callable[[], list[str]]) -> None:
        self._produce = produce

    def produce(self, context: IResolveContext | None = None) -> list[str]:
        return self._produce()


def lazy_any(produce: Callable[[], Any], *, omit_empty_array: bool = False) -> Any:
    """``Lazy.any`` of a Python callable: a value that grows after construction, read once at synth."""
    return Lazy.any(_AnyProducer(produce), omit_empty_array=omit_empty_array)


def lazy_list(produce: Callable[[], list[str]]) -> list[str]:
    """``Lazy.list`` of a Python callable: a list that grows after construction, read once at synth."""
    return Lazy.list(_ListProducer(produce))
