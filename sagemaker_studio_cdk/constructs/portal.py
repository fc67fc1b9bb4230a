"""Portal guardrails: what the Studio web portal shows a domain's users (``StudioWebPortalSettings``).

Hiding is not enforcement: a hidden app, tool, instance type or image version is left out of the
Studio UI only, and the API still accepts it. Each guardrail has an IAM condition that enforces it
(``docs/security.md``): instance types ``sagemaker:InstanceTypes`` (``allowed_instance_types``),
images ``sagemaker:ImageArns`` / ``sagemaker:ImageVersionArns`` (the approved image set).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatchcase
from typing import Any, ClassVar

import regex as re
from pydantic import ConfigDict

from .. import limits
from ..cfn_schema import cfn_enum
from ..errors import StudioConfigError
from .studio_settings import SessionNameMode

_LAG_REASON = (
    "the SageMaker API accepts it but CloudFormation's schema for {resource} does not, and a deploy with it fails "
    "(cloudformation-coverage-roadmap #2129)"
)
_VERSION_ALIAS = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)")
DISTRIBUTION_IMAGE_NAME = "sagemaker_distribution"
"""The one image whose version aliases Studio can hide (``HiddenSageMakerImage.SageMakerImageName``)."""


class StudioWebPortal(Enum):
    """Whether users get the Studio web portal."""

    ENABLED = "ENABLED"
    DISABLED = "DISABLED"
    """No Studio UI (for example, users who only use Canvas or an IDE through other means)."""


@dataclass(frozen=True)
class PortalSettings:
    """What the Studio web portal shows, on a domain (everyone) or a profile (overrides the domain).

    Hiding is not enforcement (see the module docs): pair each guardrail with its IAM condition.

    :param studio_web_portal: ``ENABLED`` or ``DISABLED``. Default: Studio's (enabled).
    :param default_landing_uri: where users land: ``studio::`` (Studio) or ``app:JupyterServer:``
        (Studio Classic), the two values the API documents. ``studio::`` needs the portal enabled.
        Default: Studio's.
    :param hidden_app_types: apps left out of the navigation pane (API ``AppType`` values such as
        ``Canvas``, ``RStudioServerPro``). ``KernelGateway`` and ``RSessionGateway`` are in the API
        but not in CloudFormation's schema: with either, the whole list goes to the settings
        resource (``api_only_settings``). Default: none.
    :param hidden_ml_tools: tools left out of the navigation pane (API ``MlTools`` values such as
        ``DataWrangler``, ``JumpStart``). With a value CloudFormation's schema lacks
        (``RunningInstances``...), the whole list goes to the settings resource. Default: none.
    :param hidden_instance_types: instance types (or patterns such as ``ml.p4d.*``) left out of
        the instance pickers; only types both CloudFormation's schema and the API know. Default: none.
    :param hide_disallowed_instance_types: also hide every type the domain's
        ``allowed_instance_types`` does not allow (within the types both CloudFormation's schema
        and the API know; ``system`` is never hidden). Needs ``allowed_instance_types`` on the
        domain. Default: off.
    :param hidden_distribution_versions: SageMaker Distribution versions (``major.minor`` such as
        ``1.9``) left out of the image picker, at most 20. Default: none.
    :param execution_role_session_name_mode: how Studio names the execution role's sessions
        (``ExecutionRoleSessionNameMode``, API only: the settings resource applies it).
        Default: Studio's (``STATIC``).
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    studio_web_portal: StudioWebPortal | None = None
    default_landing_uri: str | None = None
    hidden_app_types: tuple[str, ...] = ()
    hidden_ml_tools: tuple[str, ...] = ()
    hidden_instance_types: tuple[str, ...] = ()
    hide_disallowed_instance_types: bool = False
    hidden_distribution_versions: tuple[str, ...] = ()
    execution_role_session_name_mode: SessionNameMode | None = None

    def api_only(self, field: str, resource_type: str) -> dict[str, Any]:
        """The API-only part of ``StudioWebPortalSettings`` (API names): a hidden list with a value
        CloudFormation's schema lacks (the whole list), and the session name mode; ``{}`` when none."""
        out: dict[str, Any] = {}
        for values, shape, key in (
            (self.hidden_app_types, "AppType", "HiddenAppTypes"),
            (self.hidden_ml_tools, "MlTools", "HiddenMlTools"),
        ):
            if _api_only_values(values, shape, resource_type):
                out[key] = list(dict.fromkeys(values))
        if self.execution_role_session_name_mode is not None:
            limits.check_enum(f"{field}.execution_role_session_name_mode", self.execution_role_session_name_mode, SessionNameMode)
            out["ExecutionRoleSessionNameMode"] = self.execution_role_session_name_mode.value
        return {"StudioWebPortalSettings": out} if out else {}

    def render(self, field: str, resource_type: str, allowed_instance_types: Sequence[str] | None) -> dict[str, Any]:
        """The ``StudioWebPortal``, ``DefaultLandingUri`` and ``StudioWebPortalSettings`` user-settings keys
        (L1 names), after checking every value; ``allowed_instance_types`` is the domain's."""
        problems: list[StudioConfigError] = []

        def check(fn: Any, *args: Any) -> Any:
            try:
                return fn(*args)
            except StudioConfigError as err:
                problems.append(err)
                return []

        check(self._check_landing, field)
        app_types = check(_enum_values, f"{field}.hidden_app_types", self.hidden_app_types, "AppType", resource_type)
        tools = check(_enum_values, f"{field}.hidden_ml_tools", self.hidden_ml_tools, "MlTools", resource_type)
        hidden = check(_instance_types, f"{field}.hidden_instance_types", self.hidden_instance_types, resource_type)
        if self.hide_disallowed_instance_types:
            hidden = hidden + check(_disallowed, field, allowed_instance_types, resource_type)
        versions = check(self._check_versions, f"{field}.hidden_distribution_versions")
        if problems:
            raise StudioConfigError.combine(problems)
        out: dict[str, Any] = {}
        if self.studio_web_portal is not None:
            out["studioWebPortal"] = self.studio_web_portal.value
        if self.default_landing_uri is not None:
            out["defaultLandingUri"] = self.default_landing_uri
        portal: dict[str, Any] = {}
        if app_types and not _api_only_values(app_types, "AppType", resource_type):
            portal["hiddenAppTypes"] = app_types
        if tools and not _api_only_values(tools, "MlTools", resource_type):
            portal["hiddenMlTools"] = tools
        if hidden:
            portal["hiddenInstanceTypes"] = sorted(set(hidden))
        if versions:
            portal["hiddenSageMakerImageVersionAliases"] = [
                {"sageMakerImageName": DISTRIBUTION_IMAGE_NAME, "versionAliases": versions}
            ]
        if portal:
            out["studioWebPortalSettings"] = portal
        return out

    def _check_landing(self, field: str) -> None:
        uri = self.default_landing_uri
        if uri is None or limits.is_token(uri):
            return
        limits.check_pattern(f"{field}.default_landing_uri", uri, "LandingUri", "a landing URI")
        if uri not in ("studio::", "app:JupyterServer:"):
            raise StudioConfigError(
                f"{field}.default_landing_uri", uri, "studio:: (Studio) or app:JupyterServer: (Studio Classic)"
            )
        if uri == "studio::" and self.studio_web_portal is StudioWebPortal.DISABLED:
            raise StudioConfigError(
                f"{field}.default_landing_uri", uri, "app:JupyterServer:, or studio_web_portal ENABLED: studio:: needs the portal"
            )

    def _check_versions(self, field: str) -> list[str]:
        versions = list(self.hidden_distribution_versions)
        maximum = int(limits._shape("VersionAliasesList").metadata["max"])
        if len(versions) > maximum:
            raise StudioConfigError(field, versions, f"at most {maximum} versions")
        for i, version in enumerate(versions):
            if not limits.is_token(version) and not (isinstance(version, str) and _VERSION_ALIAS.fullmatch(version)):
                raise StudioConfigError(f"{field}[{i}]", version, "a SageMaker Distribution version major.minor, such as 1.9")
        return versions


def _enum_values(field: str, values: Sequence[str], shape: str, resource_type: str) -> list[str]:
    api = tuple(limits._shape(shape).enum)
    problems: list[StudioConfigError] = []
    for i, value in enumerate(values):
        if value not in api:
            problems.append(StudioConfigError(f"{field}[{i}]", value, f"one of {', '.join(api)}"))
    if problems:
        raise StudioConfigError.combine(problems)
    return list(dict.fromkeys(values))


def _api_only_values(values: Sequence[str], shape: str, resource_type: str) -> list[str]:
    """The values of ``values`` the API knows and CloudFormation's schema for ``resource_type`` does not."""
    api = tuple(limits._shape(shape).enum)
    cfn = cfn_enum(resource_type, shape)
    return [v for v in values if v in api and v not in cfn]


def known_instance_types(resource_type: str) -> list[str]:
    """App instance types both CloudFormation's schema (for ``resource_type``) and the API know,
    ``system`` excluded."""
    cfn = set(cfn_enum(resource_type, "AppInstanceType"))
    return [t for t in limits.instance_types() if t in cfn]


def _instance_types(field: str, values: Sequence[str], resource_type: str) -> list[str]:
    known = known_instance_types(resource_type)
    api = limits.instance_types()
    found: list[str] = []
    for i, value in enumerate(values):
        matches = [t for t in known if fnmatchcase(t, value)]
        if matches:
            found += matches
        elif value in api:
            raise StudioConfigError(f"{field}[{i}]", value, _LAG_REASON.format(resource=resource_type))
        else:
            raise StudioConfigError(f"{field}[{i}]", value, "an app instance type, or a pattern matching some (ml.p4d.*)")
    return found


def _disallowed(field: str, allowed: Sequence[str] | None, resource_type: str) -> list[str]:
    if allowed is None:
        raise StudioConfigError(
            f"{field}.hide_disallowed_instance_types",
            True,
            "a domain with allowed_instance_types: there is nothing to follow",
        )
    concrete = [a for a in allowed if not limits.is_token(a)]
    return [t for t in known_instance_types(resource_type) if not any(fnmatchcase(t, a) for a in concrete)]
