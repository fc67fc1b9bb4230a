"""The domain spec (``studio.yaml``): typed, validated, with a JSON Schema export for editors.

Every field maps to a construct prop; ranges and patterns are checked by the same code the
constructs use (``limits.py`` and the value types of ``constructs/settings.py``), and every error
names the field's location in the file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from . import limits
from .constructs.image import Processor, StudioImage
from .constructs.settings import (
    AppDefaults,
    AppNetworkAccess,
    AppType,
    AuthMode,
    EbsStorage,
    IdleShutdown,
    PosixUser,
    SpaceSharing,
)
from .constructs.space import check_ownership
from .errors import StudioConfigError

DEFAULT_GROUP = "users"
"""The user stack a user goes to when the spec names no ``group``."""

_DISTRIBUTION = {f"sagemaker-distribution-{p.value}": p for p in Processor}

ImageRef = Annotated[
    str,
    Field(
        description="`sagemaker-distribution-cpu`, `sagemaker-distribution-gpu`, or a SageMaker image ARN",
        examples=["sagemaker-distribution-cpu"],
    ),
]
Tags = Annotated[dict[str, str], Field(description="tags, updated in place")]


def to_image(value: str) -> StudioImage:
    """The :class:`StudioImage` an image reference of the spec names."""
    processor = _DISTRIBUTION.get(value)
    return StudioImage.sagemaker_distribution(processor) if processor else StudioImage.from_image_arn(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


def _check_settings(value: Any) -> Any:
    """A settings value type (EbsStorage, IdleShutdown, ...) checks itself."""
    if value is not None:
        value.validate("value")
    return value


def _check_image(value: str | None) -> str | None:
    if value is not None:
        to_image(value)
    return value


def _check_tags(value: dict[str, str]) -> dict[str, str]:
    limits.check_tags("value", value)
    return value


class DomainSpec(_Model):
    """The domain: one per spec."""

    name: str = Field(description="the domain's name; it cannot change after the first deploy")
    auth_mode: AuthMode = Field(AuthMode.IAM, description="IAM or SSO")
    app_network_access: AppNetworkAccess = Field(AppNetworkAccess.VPC_ONLY, description="VpcOnly or PublicInternetOnly")
    security_group_per_user: bool = Field(False, description="one security group per user profile (AWS's recommendation)")
    app_defaults: AppDefaults = Field(default_factory=AppDefaults, description="default instance types")
    ebs: EbsStorage = Field(default_factory=EbsStorage, description="default and maximum EBS size of spaces, GB")
    idle_shutdown: IdleShutdown = Field(default_factory=IdleShutdown, description="idle shutdown timeout and bounds, minutes")
    default_image: ImageRef = "sagemaker-distribution-cpu"
    posix_user: PosixUser | None = Field(None, description="the POSIX identity apps run as")
    tags: Tags = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "DomainName")
        return value

    _settings = field_validator("app_defaults", "ebs", "idle_shutdown", "posix_user")(_check_settings)
    _image = field_validator("default_image")(_check_image)
    _tags = field_validator("tags")(_check_tags)


class UserSpec(_Model):
    """A user profile; settings left out are the domain's."""

    name: str = Field(description="the profile's name; it cannot change")
    group: str = Field(
        DEFAULT_GROUP,
        description="the nested user stack this user lives in; set once, never changed (at most 200 users a group)",
    )
    sso_user_name: str | None = Field(None, description="IAM Identity Center user name (SSO domains only)")
    app_defaults: AppDefaults | None = None
    ebs: EbsStorage | None = None
    idle_shutdown: IdleShutdown | None = None
    default_image: ImageRef | None = None
    posix_user: PosixUser | None = None
    tags: Tags = Field(default_factory=dict)

    @field_validator("name", "group")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "UserProfileName")
        return value

    _settings = field_validator("app_defaults", "ebs", "idle_shutdown", "posix_user")(_check_settings)
    _image = field_validator("default_image")(_check_image)
    _tags = field_validator("tags")(_check_tags)


class SpaceSpec(_Model):
    """A space: private to its owner, or shared by every user."""

    name: str = Field(description="the space's name, unique in the domain; it cannot change")
    sharing: SpaceSharing = Field(SpaceSharing.SHARED, description="Private or Shared; it cannot change")
    owner: str | None = Field(None, description="the owner of a private space (a user's name); it cannot change")
    app_type: AppType = Field(AppType.JUPYTER_LAB, description="JupyterLab or CodeEditor")
    ebs_gb: int | None = Field(None, description="the space's EBS size, GB; at most the domain's (or owner's) maximum")
    instance_type: str | None = Field(None, description="the app's default instance type")
    image: ImageRef | None = None
    idle_timeout_minutes: int | None = Field(None, description="within the idle bounds of the domain (or owner)")
    display_name: str | None = None
    tags: Tags = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_name("value", value, "SpaceName")
        return value

    @field_validator("ebs_gb")
    @classmethod
    def _ebs(cls, value: int | None) -> int | None:
        limits.check_in_range("value", value, limits.ebs_range(), "GB")
        return value

    @field_validator("idle_timeout_minutes")
    @classmethod
    def _idle(cls, value: int | None) -> int | None:
        limits.check_in_range("value", value, limits.idle_range(), "minutes")
        return value

    @field_validator("instance_type")
    @classmethod
    def _instance(cls, value: str | None) -> str | None:
        limits.check_instance_type("value", value)
        return value

    _image = field_validator("image")(_check_image)
    _tags = field_validator("tags")(_check_tags)


class StudioSpec(_Model):
    """A whole Studio domain: the domain, its users and their spaces."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="sagemaker-studio-cdk domain spec")

    region: str | None = Field(None, description="the region to deploy to; none makes an environment-agnostic stack")
    domain: DomainSpec
    users: list[UserSpec] = Field(default_factory=list)
    spaces: list[SpaceSpec] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self) -> StudioSpec:
        limits.check_unique("users[].name", (u.name for u in self.users))
        limits.check_unique("spaces[].name", (s.name for s in self.spaces))
        users = {u.name: u for u in self.users}
        for i, space in enumerate(self.spaces):
            field = f"spaces[{i}] ({space.name})"
            check_ownership(field, space.sharing, space.owner, users.keys())
            bounds = users[space.owner] if space.owner in users else None
            ebs = (bounds.ebs if bounds else None) or self.domain.ebs
            limits.check_not_above(f"{field}.ebs_gb", space.ebs_gb, "the maximum EBS size (ebs.max_gb)", ebs.max_gb, "GB")
            idle = (bounds.idle_shutdown if bounds else None) or self.domain.idle_shutdown
            idle.check_timeout(f"{field}.idle_timeout_minutes", space.idle_timeout_minutes)
        return self


def load_spec(path: str | Path) -> StudioSpec:
    """Read and validate a YAML or JSON spec; any problem is one :class:`StudioConfigError`."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text())
    except OSError as err:
        raise StudioConfigError(str(path), None, f"a readable spec file ({err.strerror})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise StudioConfigError(where, getattr(err, "problem", "?"), "valid YAML") from None
    return parse_spec(raw, source=str(path))


def parse_spec(raw: Any, source: str = "spec") -> StudioSpec:
    """Validate an already parsed spec (a mapping)."""
    try:
        return StudioSpec.model_validate(raw)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            location = ".".join(str(p) for p in e["loc"])
            cause = e.get("ctx", {}).get("error")
            if isinstance(cause, StudioConfigError):
                # Validators name the value they check "value"; put the file's location in its place.
                for part in cause.parts:
                    field = part.field.removeprefix("value") if location else part.field
                    allowed = part.allowed.replace("value.", f"{location}.") if location else part.allowed
                    problems.append(StudioConfigError(f"{source}: {location}{field}", part.value, allowed))
            else:
                problems.append(StudioConfigError(f"{source}: {location or '(top level)'}", e.get("input"), e["msg"]))
        raise StudioConfigError.combine(problems) from None


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the spec, for editors (``# yaml-language-server: $schema=...``)."""
    return StudioSpec.model_json_schema()


def write_json_schema(path: str | Path) -> None:
    """Write :func:`json_schema` to ``path``."""
    Path(path).write_text(json.dumps(json_schema(), indent=2) + "\n")


__all__ = [
    "DEFAULT_GROUP",
    "DomainSpec",
    "SpaceSpec",
    "StudioSpec",
    "UserSpec",
    "json_schema",
    "load_spec",
    "parse_spec",
    "to_image",
]
