"""``LifecycleConfig``: a script Studio runs when an app starts, content-addressed and immutable."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from aws_cdk import CfnDeletionPolicy, RemovalPolicy, Stack
from aws_cdk import aws_sagemaker as sm
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError, collect
from .rendering import cfn_tags
from .settings import AppType

MAX_NAME_LENGTH = 63
_HASH_LENGTH = 12


def _prefix(construct_id: str) -> str:
    """Letters, digits and single hyphens of ``construct_id``, short enough for the hash."""
    kept = "".join(c if c.isalnum() else "-" for c in construct_id)
    parts = [p for p in kept.split("-") if p]
    return "-".join(parts)[: MAX_NAME_LENGTH - _HASH_LENGTH - 1].strip("-") or "lcc"


class LifecycleConfig(Construct):
    """A Studio lifecycle configuration: a shell script run when an app starts (JupyterLab, Code Editor,
    Kernel Gateway, Jupyter Server).

    Studio lifecycle configurations are immutable (every property is create-only), so the name
    is content-addressed: ``<prefix>-<hash>``, the hash covering the script, the app type, the
    tags and the stack's identity. A changed script makes a new configuration under a new name
    and every reference follows. The superseded one is **retained** (``UpdateReplacePolicy:
    Retain``), so an app or space that still points at it never breaks; deleting the stack deletes
    the current one.

    :param app_type: the app the script runs in: ``JUPYTER_LAB``, ``CODE_EDITOR``, or Studio Classic's
        ``KERNEL_GATEWAY`` / ``JUPYTER_SERVER``.
    :param script: the script's text. Give ``script`` or ``script_file``, not both.
    :param script_file: a file holding the script, read at synth time.
    :param name_prefix: the readable part of the name. Default: the construct id.
    :param tags: tags on the configuration (a change makes a new one, as for the script).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        app_type: AppType,
        script: str | None = None,
        script_file: str | Path | None = None,
        name_prefix: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        field = f"lifecycle_configs[{construct_id}]"
        collect(
            lambda: _check_app_type(f"{field}.app_type", app_type),
            lambda: limits.check_optional_type(f"{field}.name_prefix", name_prefix, str, "a name prefix (str)"),
        )
        content = read_script(field, script, script_file)
        encoded = base64.b64encode(content.encode()).decode()
        prefix = _prefix(name_prefix or construct_id)
        collect(
            lambda: check_script(field, content),
            lambda: limits.check_tags(f"{field}.tags", tags, "AWS::SageMaker::StudioLifecycleConfig"),
            lambda: _check_app_type(f"{field}.app_type", app_type),
        )
        super().__init__(scope, construct_id)
        self.app_type = app_type
        self.content = content
        stack = Stack.of(self)
        identity = [stack.stack_name, self.node.path]
        identity += [v for v in (stack.account, stack.region) if not limits.is_token(v)]
        digest = hashlib.sha256(
            "\0".join([encoded, app_type.value, repr(sorted((tags or {}).items())), *identity]).encode()
        ).hexdigest()[:_HASH_LENGTH]
        self.lifecycle_config_name = f"{prefix}-{digest}"
        """The content-addressed name (at most 63 characters)."""
        limits.check_name(f"{field}.name_prefix", self.lifecycle_config_name, "StudioLifecycleConfigName")

        self.resource = sm.CfnStudioLifecycleConfig(
            self,
            "Resource",
            studio_lifecycle_config_app_type=app_type.value,
            studio_lifecycle_config_content=encoded,
            studio_lifecycle_config_name=self.lifecycle_config_name,
            tags=cfn_tags(tags),
        )
        # Superseded versions stay for whatever still points at them; the current one goes with the stack.
        self.resource.apply_removal_policy(RemovalPolicy.DESTROY)
        self.resource.cfn_options.update_replace_policy = CfnDeletionPolicy.RETAIN
        self.lifecycle_config_arn: str = self.resource.attr_studio_lifecycle_config_arn


def check_attachable(field: str, config: LifecycleConfig, app_type: AppType) -> None:
    """``config`` runs in apps of ``app_type``: a config runs only where its app type matches."""
    if config.app_type is not app_type:
        raise StudioConfigError(
            field, f"{config.node.id} ({config.app_type.value})", f"a lifecycle config of app type {app_type.value}"
        )


def read_script(field: str, script: str | None, script_file: str | Path | None) -> str:
    """The script's text, from ``script`` or the file ``script_file`` (exactly one)."""
    if (script is None) == (script_file is None):
        raise StudioConfigError(field, "script and script_file" if script else None, "exactly one of script or script_file")
    if script_file is not None:
        limits.check_type(f"{field}.script_file", script_file, (str, Path), "a path (str or Path)")
        path = Path(script_file)
        if path.is_dir():
            raise StudioConfigError(f"{field}.script_file", str(script_file), "a file, not a directory")
        try:
            return path.read_text(encoding="utf-8")
        except OSError as err:
            raise StudioConfigError(f"{field}.script_file", str(script_file), f"a readable file ({err.strerror})") from None
        except UnicodeDecodeError as err:
            raise StudioConfigError(
                f"{field}.script_file", str(script_file), f"a UTF-8 text file (byte {err.start} is not UTF-8)"
            ) from None
    limits.check_type(f"{field}.script", script, str, "the script's text (str)")
    assert script is not None
    if not script.strip():
        raise StudioConfigError(f"{field}.script", script, "a non-empty script")
    return script


def check_script(field: str, content: str) -> None:
    """The script fits the API once base64-encoded, as CloudFormation sends it."""
    encoded = base64.b64encode(content.encode()).decode()
    maximum = int(limits._shape("StudioLifecycleConfigContent").metadata["max"])
    if len(encoded) > maximum:
        raise StudioConfigError(
            f"{field}.script",
            f"{len(encoded)} characters once base64-encoded",
            f"at most {maximum} base64 characters (about {maximum * 3 // 4} bytes of script)",
        )


def _check_app_type(field: str, app_type: AppType) -> None:
    if not isinstance(app_type, AppType):
        raise StudioConfigError(field, app_type, "an AppType: " + ", ".join(f"AppType.{a.name}" for a in AppType))


def check_defaults(field: str, defaults: Sequence[LifecycleConfig]) -> None:
    """At most one default lifecycle config per app type."""
    for app in AppType:
        of_app = [c.node.id for c in defaults if c.app_type is app]
        if len(of_app) > 1:
            raise StudioConfigError(field, of_app, f"at most one default lifecycle config for {app.value}")


def check_allowed_count(
    field: str, resource_type: str, settings: str, configs: Sequence[LifecycleConfig], defaults: Sequence[LifecycleConfig]
) -> None:
    """The configs users may choose, per app, fit ``LifecycleConfigArns`` of ``settings`` (the
    user settings of ``resource_type``) in CloudFormation's schema."""
    for app in AppType:
        of_app = {c.node.path for c in [*defaults, *configs] if isinstance(c, LifecycleConfig) and c.app_type is app}
        path = f"{settings}/{app.value}AppSettings/LifecycleConfigArns"
        limits.check_cfn_count(field, len(of_app), resource_type, path, f"{app.value} lifecycle configs")
