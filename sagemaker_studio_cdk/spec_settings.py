"""The spec's keys for the Studio settings CloudFormation lacks (``studio.yaml``).

The domain, users and spaces of the spec take these keys beside their others; each maps to a
construct prop of :mod:`sagemaker_studio_cdk.constructs.studio_settings` or
:mod:`~sagemaker_studio_cdk.constructs.canvas` and is checked by the same code (botocore's model).
Roles, keys and secrets are given by ARN here; a Canvas role left out is made by the library.
A key on a level that has no such setting (``tensorboard`` on a space) is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import limits
from .constructs.canvas import CanvasDataSource, CanvasOAuthSource, CanvasSettings, _workspace
from .constructs.image import StudioImage
from .constructs.settings import AppNetworkAccess, AuthMode
from .constructs.studio_settings import (
    AmazonQ,
    AppResourceDefaults,
    DockerAccess,
    EmrRoles,
    check_jupyter_server_repositories,
    check_role_arn,
)
from .errors import StudioConfigError, collect


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _role(value: str | None) -> str | None:
    check_role_arn("value", value)
    return value


def _validated(value: Any) -> Any:
    if value is not None:
        value.validate("value")
    return value


class OAuthSourceSpec(_Section):
    """OAuth sign-in to a data source from Canvas."""

    data_source: CanvasDataSource = Field(description="SalesforceGenie or Snowflake")
    secret_arn: str = Field(description="the Secrets Manager secret with the OAuth client's credentials")
    enabled: bool = True

    @field_validator("secret_arn")
    @classmethod
    def _secret(cls, value: str) -> str:
        limits.check_pattern("value", value, "SecretArn", "a Secrets Manager secret ARN")
        return value


class CanvasSpec(_Section):
    """SageMaker Canvas (API only: the settings resource applies it). Left out: Studio's."""

    time_series_forecasting: bool | None = Field(None, description="time-series forecasting")
    forecast_role_arn: str | None = Field(None, description="the Amazon Forecast role; default: made by the library")
    model_registration: bool | None = Field(None, description="registering models in the Model Registry")
    model_registration_role_arn: str | None = Field(None, description="the Model Registry account's role (cross-account)")
    workspace_s3_uri: str | None = Field(None, description="where Canvas keeps artifacts, s3://bucket/prefix")
    workspace_key_arn: str | None = Field(None, description="the KMS key of the workspace")
    direct_deploy: bool | None = Field(None, description="deploying models to endpoints from Canvas")
    kendra: bool | None = Field(None, description="querying Amazon Kendra from Canvas")
    generative_ai: bool = Field(False, description="generative AI with Amazon Bedrock")
    bedrock_role_arn: str | None = Field(None, description="the Amazon Bedrock role; default: made by the library")
    emr_serverless: bool | None = Field(None, description="large jobs on EMR Serverless")
    emr_serverless_role_arn: str | None = Field(None, description="the EMR Serverless job role; default: made by the library")
    oauth_sources: list[OAuthSourceSpec] = Field(default_factory=list, description="OAuth data sources (at most 20)")

    _roles = field_validator("forecast_role_arn", "model_registration_role_arn", "bedrock_role_arn", "emr_serverless_role_arn")(
        _role
    )

    @field_validator("workspace_s3_uri")
    @classmethod
    def _workspace(cls, value: str | None) -> str | None:
        _workspace("value", value)
        return value

    @field_validator("workspace_key_arn")
    @classmethod
    def _key(cls, value: str | None) -> str | None:
        limits.check_pattern("value", value, "KmsKeyId", "a KMS key ARN")
        return value

    @model_validator(mode="after")
    def _whole(self) -> CanvasSpec:
        maximum = int(limits._shape("IdentityProviderOAuthSettings").metadata["max"])
        if len(self.oauth_sources) > maximum:
            raise StudioConfigError("value.oauth_sources", f"{len(self.oauth_sources)} data sources", f"at most {maximum}")
        limits.check_unique("value.oauth_sources[].data_source", (s.data_source.value for s in self.oauth_sources))
        return self

    def to_props(self, scope: Construct, prefix: str) -> CanvasSettings:
        """The :class:`CanvasSettings`; roles, key and secrets imported in ``scope`` (ids start with ``prefix``)."""

        def role(name: str, arn: str | None) -> iam.IRole | None:
            return iam.Role.from_role_arn(scope, f"{prefix}{name}", arn, mutable=False) if arn else None

        return CanvasSettings(
            time_series_forecasting=self.time_series_forecasting,
            forecast_role=role("CanvasForecastRole", self.forecast_role_arn),
            model_registration=self.model_registration,
            model_registration_role_arn=self.model_registration_role_arn,
            workspace_s3_uri=self.workspace_s3_uri,
            workspace_key=kms.Key.from_key_arn(scope, f"{prefix}CanvasKey", self.workspace_key_arn)
            if self.workspace_key_arn
            else None,
            direct_deploy=self.direct_deploy,
            kendra=self.kendra,
            generative_ai=self.generative_ai,
            bedrock_role=role("CanvasBedrockRole", self.bedrock_role_arn),
            emr_serverless=self.emr_serverless,
            emr_serverless_role=role("CanvasEmrServerlessRole", self.emr_serverless_role_arn),
            oauth_sources=[
                CanvasOAuthSource(
                    data_source=s.data_source,
                    secret=secretsmanager.Secret.from_secret_complete_arn(
                        scope, f"{prefix}CanvasOAuth{s.data_source.value}", s.secret_arn
                    ),
                    enabled=s.enabled,
                )
                for s in self.oauth_sources
            ],
        )


class ResourceDefaultsSpec(_Section):
    """An app's default instance and image (``DefaultResourceSpec``)."""

    instance_type: str | None = Field(None, description="the app's default instance type")
    image_arn: str | None = Field(None, description="the app's default SageMaker image ARN")

    @field_validator("instance_type")
    @classmethod
    def _instance(cls, value: str | None) -> str | None:
        limits.check_instance_type("value", value)
        return value

    @field_validator("image_arn")
    @classmethod
    def _image(cls, value: str | None) -> str | None:
        if value is not None:
            StudioImage.from_image_arn(value)
        return value

    def to_props(self) -> AppResourceDefaults:
        """The :class:`AppResourceDefaults`."""
        image = StudioImage.from_image_arn(self.image_arn) if self.image_arn else None
        return AppResourceDefaults(instance_type=self.instance_type, image=image)


def _alias(value: str | None) -> str | None:
    if value is not None:
        StudioImage.sagemaker_distribution().with_version_alias(value)
    return value


def _repositories(value: list[str]) -> list[str]:
    check_jupyter_server_repositories("value", value)
    return value


_ALIAS_DESCRIPTION = "the default image's version alias, such as 2.1 for SageMaker Distribution (API only)"
_REPOSITORIES_DESCRIPTION = "https:// Git URLs Studio Classic's Jupyter Server offers (API only)"


def _refuse(level: str, reasons: dict[str, str]) -> Callable[[Any], Any]:
    def check(data: Any) -> Any:
        if isinstance(data, dict):
            for key, reason in reasons.items():
                if key in data:
                    raise StudioConfigError(f"value.{key}", data[key], f"nothing on {level}: {reason}")
        return data

    return check


_DOMAIN_ONLY = "a domain setting (DomainSettings); set it on the domain"
_PROFILE_ONLY = "{what} are user settings; SpaceSettings has none (API and CloudFormation)"


class DomainApiSettings(_Section):
    """The domain's settings CloudFormation lacks (or carries only in part)."""

    canvas: CanvasSpec | None = Field(None, description="SageMaker Canvas for every user (API only)")
    emr: EmrRoles | None = Field(None, description="JupyterLab's EMR roles for every user (API only at domain level)")
    shared_space_emr: EmrRoles | None = Field(None, description="JupyterLab's EMR roles in shared spaces (API only)")
    tensorboard: ResourceDefaultsSpec | None = Field(None, description="TensorBoard's default instance and image (API only)")
    amazon_q: AmazonQ | None = Field(None, description="Amazon Q in Studio (API only; SSO domains only)")
    trusted_identity_propagation: bool | None = Field(
        None, description="propagate IAM Identity Center identities (API only; SSO domains only)"
    )
    docker: DockerAccess | None = Field(None, description="Docker in spaces; rootless is API only")
    jupyter_server_code_repositories: list[str] = Field(default_factory=list, description=_REPOSITORIES_DESCRIPTION)
    default_image_version_alias: str | None = Field(None, description=_ALIAS_DESCRIPTION)

    _checked = field_validator("emr", "shared_space_emr", "amazon_q")(_validated)
    _aliased = field_validator("default_image_version_alias")(_alias)
    _repos = field_validator("jupyter_server_code_repositories")(_repositories)

    @model_validator(mode="after")
    def _domain_wide(self) -> DomainApiSettings:
        auth_mode, network = getattr(self, "auth_mode", None), getattr(self, "app_network_access", None)
        collect(
            lambda: _sso_only("value.amazon_q", self.amazon_q, auth_mode),
            lambda: _sso_only("value.trusted_identity_propagation", self.trusted_identity_propagation, auth_mode),
            lambda: self.docker.validate("value.docker", vpc_only=network is AppNetworkAccess.VPC_ONLY) if self.docker else None,
        )
        return self


def _sso_only(field: str, value: object, auth_mode: object) -> None:
    if value is not None and auth_mode is not AuthMode.SSO:
        raise StudioConfigError(field, value, "nothing in an IAM domain: it needs auth_mode SSO (IAM Identity Center)")


class UserApiSettings(_Section):
    """A user's settings CloudFormation lacks (or carries only in part)."""

    canvas: CanvasSpec | None = Field(None, description="SageMaker Canvas for this user (API only)")
    emr: EmrRoles | None = Field(None, description="JupyterLab's EMR roles for this user (CloudFormation)")
    tensorboard: ResourceDefaultsSpec | None = Field(None, description="TensorBoard's default instance and image (API only)")
    rsession: ResourceDefaultsSpec | None = Field(None, description="RStudio sessions' default instance and image (API only)")
    jupyter_server_code_repositories: list[str] = Field(default_factory=list, description=_REPOSITORIES_DESCRIPTION)
    default_image_version_alias: str | None = Field(None, description=_ALIAS_DESCRIPTION)

    _checked = field_validator("emr")(_validated)
    _aliased = field_validator("default_image_version_alias")(_alias)
    _repos = field_validator("jupyter_server_code_repositories")(_repositories)
    _wrong_level = model_validator(mode="before")(
        _refuse(
            "a user",
            {
                "amazon_q": _DOMAIN_ONLY,
                "trusted_identity_propagation": _DOMAIN_ONLY,
                "docker": _DOMAIN_ONLY,
                "shared_space_emr": "shared spaces take the domain's defaults; set it on the domain",
            },
        )
    )


class SpaceApiSettings(_Section):
    """A space's settings CloudFormation lacks."""

    image_version_alias: str | None = Field(None, description="the image's version alias, such as 2.1 (API only)")

    _aliased = field_validator("image_version_alias")(_alias)
    _wrong_level = model_validator(mode="before")(
        _refuse(
            "a space",
            {
                "tensorboard": _PROFILE_ONLY.format(what="TensorBoard settings"),
                "rsession": _PROFILE_ONLY.format(what="RSession settings"),
                "canvas": _PROFILE_ONLY.format(what="Canvas settings"),
                "emr": "JupyterLab EMR roles are user or domain settings; SpaceSettings has none",
                "amazon_q": _DOMAIN_ONLY,
                "docker": _DOMAIN_ONLY,
                "code_editor_emr": "Code Editor has no EMR settings anywhere",
            },
        )
    )


def _aliased_image(image: StudioImage | None, alias: str | None) -> StudioImage | None:
    if alias is None:
        return image
    return (image or StudioImage.sagemaker_distribution()).with_version_alias(alias)


def domain_kwargs(scope: Construct, spec: DomainApiSettings, image: StudioImage) -> dict[str, Any]:
    """The :class:`StudioDomain` keyword arguments of ``spec``'s settings (``default_image``
    with its alias when one is given)."""
    return {
        "canvas": spec.canvas.to_props(scope, "Domain") if spec.canvas else None,
        "emr": spec.emr,
        "shared_space_emr": spec.shared_space_emr,
        "tensorboard": spec.tensorboard.to_props() if spec.tensorboard else None,
        "amazon_q": spec.amazon_q,
        "trusted_identity_propagation": spec.trusted_identity_propagation,
        "docker": spec.docker,
        "jupyter_server_code_repositories": spec.jupyter_server_code_repositories,
        "default_image": _aliased_image(image, spec.default_image_version_alias),
    }


def user_kwargs(scope: Construct, name: str, spec: UserApiSettings, image: StudioImage | None) -> dict[str, Any]:
    """The :class:`UserProfile` keyword arguments of ``spec``'s settings."""
    return {
        "canvas": spec.canvas.to_props(scope, f"User{name}") if spec.canvas else None,
        "emr": spec.emr,
        "tensorboard": spec.tensorboard.to_props() if spec.tensorboard else None,
        "rsession": spec.rsession.to_props() if spec.rsession else None,
        "jupyter_server_code_repositories": spec.jupyter_server_code_repositories,
        "default_image": _aliased_image(image, spec.default_image_version_alias),
    }


def space_image(spec: SpaceApiSettings, image: StudioImage | None) -> StudioImage | None:
    """A space's image with its alias when one is given."""
    return _aliased_image(image, spec.image_version_alias)
