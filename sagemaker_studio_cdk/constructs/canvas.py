"""``CanvasSettings``: SageMaker Canvas for a domain's users or one profile (``CanvasAppSettings``).

CloudFormation has no Canvas property at all: every member is API only, so the whole block goes
into the construct's ``api_only_settings`` and the settings custom resource applies it. Roles
Canvas passes to Amazon Forecast, Amazon Bedrock and EMR Serverless are made least-privilege
here when not given (``policies/canvas.py``): scoped to the Canvas workspace path, each tagged
with its persona (``canvas-forecast``, ``canvas-bedrock``, ``canvas-emr-serverless``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import regex as re
from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies import PERSONA_TAG
from ..policies.canvas import (
    BEDROCK_SERVICE,
    EMR_SERVERLESS_SERVICE,
    FORECAST_SERVICE,
    pass_role_statement,
    workspace_statements,
)
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import CANVAS_BEDROCK, CANVAS_EMR_SERVERLESS, CANVAS_FORECAST
from ..policies.wildcards import WILDCARD_REASONS
from .studio_settings import check_role_arn, status

_S3_URI = re.compile(r"s3://(?P<bucket>[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:/(?P<prefix>.*))?")


class CanvasDataSource(Enum):
    """A data source Canvas users sign in to with OAuth (``DataSourceName``)."""

    SALESFORCE_GENIE = "SalesforceGenie"
    SNOWFLAKE = "Snowflake"


@dataclass(frozen=True)
class CanvasOAuthSource:
    """OAuth sign-in to one data source from Canvas (``IdentityProviderOAuthSetting``).

    :param data_source: ``SALESFORCE_GENIE`` or ``SNOWFLAKE``.
    :param secret: the Secrets Manager secret holding the OAuth client's credentials.
    :param enabled: Default: on.
    """

    data_source: CanvasDataSource
    secret: secretsmanager.ISecret
    enabled: bool = True


@dataclass(frozen=True)
class CanvasSettings:
    """SageMaker Canvas for users of a domain (``DefaultUserSettings``) or one profile (``UserSettings``).

    Settings left ``None`` are left to Studio. Roles made here are least-privilege on the
    workspace path, so a role the library makes needs ``workspace_s3_uri``.

    :param time_series_forecasting: time-series forecasting. Default: Studio's.
    :param forecast_role: the role Canvas passes to Amazon Forecast. Default: with forecasting
        on, a new role trusted by ``forecast.amazonaws.com`` (persona ``canvas-forecast``).
    :param model_registration: registering Canvas models in the SageMaker Model Registry.
        Default: Studio's.
    :param model_registration_role_arn: the role in the Model Registry's account, when that is
        another account (``CrossAccountModelRegisterRoleArn``). Default: none (this account).
    :param workspace_s3_uri: where Canvas keeps its artifacts (``s3://bucket/prefix``).
        Default: Studio's (the ``sagemaker-<region>-<account>`` bucket).
    :param workspace_key: the KMS key of the workspace objects. Default: none.
    :param direct_deploy: deploying models to endpoints from Canvas. Default: Studio's.
    :param kendra: querying Amazon Kendra indexes from Canvas. Default: Studio's.
    :param generative_ai: generative AI with Amazon Bedrock (fine-tuning foundation models).
        Default: off (no Bedrock role).
    :param bedrock_role: the role Canvas passes to Amazon Bedrock. Default: with
        ``generative_ai``, a new role trusted by ``bedrock.amazonaws.com`` (``canvas-bedrock``).
    :param emr_serverless: large data-prep and training jobs on EMR Serverless. Default: Studio's.
    :param emr_serverless_role: the role those jobs run as. Default: with ``emr_serverless`` on,
        a new role trusted by ``emr-serverless.amazonaws.com`` (``canvas-emr-serverless``).
    :param oauth_sources: OAuth data sources (:class:`CanvasOAuthSource`), at most 20, each
        source once. Default: none.
    """

    time_series_forecasting: bool | None = None
    forecast_role: iam.IRole | None = None
    model_registration: bool | None = None
    model_registration_role_arn: str | None = None
    workspace_s3_uri: str | None = None
    workspace_key: kms.IKey | None = None
    direct_deploy: bool | None = None
    kendra: bool | None = None
    generative_ai: bool = False
    bedrock_role: iam.IRole | None = None
    emr_serverless: bool | None = None
    emr_serverless_role: iam.IRole | None = None
    oauth_sources: Sequence[CanvasOAuthSource] = ()

    def validate(self, field: str) -> None:
        """Types, ARNs and the S3 URI per the API's model; each role only with its feature; a role
        the library makes only with a workspace path to scope it to."""
        collect(
            *(
                lambda name=name: limits.check_optional_type(f"{field}.{name}", getattr(self, name), bool, "True or False")
                for name in ("time_series_forecasting", "model_registration", "direct_deploy", "kendra", "emr_serverless")
            ),
            lambda: limits.check_type(f"{field}.generative_ai", self.generative_ai, bool, "True or False"),
            *(
                lambda name=name: limits.check_optional_type(f"{field}.{name}", getattr(self, name), iam.IRole, "an iam.IRole")
                for name in ("forecast_role", "bedrock_role", "emr_serverless_role")
            ),
            lambda: limits.check_optional_type(f"{field}.workspace_key", self.workspace_key, kms.IKey, "a kms.IKey"),
        )
        collect(
            lambda: check_role_arn(f"{field}.model_registration_role_arn", self.model_registration_role_arn),
            *(
                lambda name=name: check_role_arn(f"{field}.{name}", _arn(getattr(self, name)))
                for name in ("forecast_role", "bedrock_role", "emr_serverless_role")
            ),
            lambda: _workspace(f"{field}.workspace_s3_uri", self.workspace_s3_uri),
            lambda: limits.check_pattern(
                f"{field}.workspace_key", self.workspace_key.key_arn if self.workspace_key else None, "KmsKeyId", "a KMS key"
            ),
            lambda: _only_with(
                f"{field}.forecast_role", self.forecast_role, "time_series_forecasting", self.time_series_forecasting
            ),
            lambda: _only_with(
                f"{field}.model_registration_role_arn",
                self.model_registration_role_arn,
                "model_registration",
                self.model_registration,
            ),
            lambda: _only_with(f"{field}.bedrock_role", self.bedrock_role, "generative_ai", self.generative_ai),
            lambda: _only_with(f"{field}.emr_serverless_role", self.emr_serverless_role, "emr_serverless", self.emr_serverless),
            lambda: _only_with(
                f"{field}.workspace_key", self.workspace_key, "workspace_s3_uri", self.workspace_s3_uri is not None
            ),
            lambda: self._check_made_roles(field),
            lambda: _check_oauth(f"{field}.oauth_sources", self.oauth_sources),
        )

    def _check_made_roles(self, field: str) -> None:
        if self.workspace_s3_uri is not None:
            return
        for flag, role, name in (
            (self.time_series_forecasting, self.forecast_role, "time_series_forecasting"),
            (self.generative_ai, self.bedrock_role, "generative_ai"),
            (self.emr_serverless, self.emr_serverless_role, "emr_serverless"),
        ):
            if flag and role is None:
                raise StudioConfigError(
                    f"{field}.workspace_s3_uri",
                    None,
                    f"an s3:// URI with {name} on and no role given: the role the library makes is scoped to the "
                    "workspace path (or give the role)",
                )

    def render(self, scope: Construct, field: str, execution_role: iam.IRole) -> dict[str, Any]:
        """The API's ``CanvasAppSettings``; makes the roles not given (in ``scope``) and lets
        ``execution_role`` use the workspace and pass each role to its service only, with a policy
        in ``scope`` (an imported role is left as it is)."""
        self.validate(field)
        stack = Stack.of(scope)
        workspace = _workspace(f"{field}.workspace_s3_uri", self.workspace_s3_uri)
        key_arn = self.workspace_key.key_arn if self.workspace_key else None
        grants: list[iam.PolicyStatement] = []
        if workspace is not None:
            bucket, prefix = workspace
            bucket_arn = f"arn:{stack.partition}:s3:::{bucket}"
            grants += workspace_statements("CanvasWorkspace", bucket_arn=bucket_arn, prefix=prefix, key_arn=key_arn)

        def role(given: iam.IRole | None, wanted: bool | None, construct_id: str, service: str, persona: str) -> str | None:
            if not wanted:
                return None
            if given is None:
                assert workspace is not None  # _check_made_roles
                given = _service_role(scope, construct_id, service, persona, workspace, key_arn)
            grants.append(pass_role_statement(f"CanvasPass{construct_id}", given.role_arn, service))
            return given.role_arn

        out: dict[str, Any] = {}
        forecast = role(self.forecast_role, self.time_series_forecasting, "CanvasForecastRole", FORECAST_SERVICE, CANVAS_FORECAST)
        if self.time_series_forecasting is not None:
            out["TimeSeriesForecastingSettings"] = {
                "Status": status(self.time_series_forecasting),
                **({"AmazonForecastRoleArn": forecast} if forecast else {}),
            }
        if self.model_registration is not None:
            out["ModelRegisterSettings"] = {
                "Status": status(self.model_registration),
                **(
                    {"CrossAccountModelRegisterRoleArn": self.model_registration_role_arn}
                    if self.model_registration_role_arn
                    else {}
                ),
            }
        if self.workspace_s3_uri is not None:
            out["WorkspaceSettings"] = {"S3ArtifactPath": self.workspace_s3_uri, **({"S3KmsKeyId": key_arn} if key_arn else {})}
        if self.oauth_sources:
            out["IdentityProviderOAuthSettings"] = [
                {"DataSourceName": s.data_source.value, "Status": status(s.enabled), "SecretArn": s.secret.secret_arn}
                for s in self.oauth_sources
            ]
        if self.direct_deploy is not None:
            out["DirectDeploySettings"] = {"Status": status(self.direct_deploy)}
        if self.kendra is not None:
            out["KendraSettings"] = {"Status": status(self.kendra)}
        bedrock = role(self.bedrock_role, self.generative_ai, "CanvasBedrockRole", BEDROCK_SERVICE, CANVAS_BEDROCK)
        if bedrock:
            out["GenerativeAiSettings"] = {"AmazonBedrockRoleArn": bedrock}
        emr = role(
            self.emr_serverless_role,
            self.emr_serverless,
            "CanvasEmrServerlessRole",
            EMR_SERVERLESS_SERVICE,
            CANVAS_EMR_SERVERLESS,
        )
        if self.emr_serverless is not None:
            out["EmrServerlessSettings"] = {"Status": status(self.emr_serverless), **({"ExecutionRoleArn": emr} if emr else {})}
        if grants:
            # A policy of its own in ``scope``: a profile's roles live in its (nested) stack, which
            # the execution role's own policy, in the domain's stack, must not reference.
            policy = iam.Policy(scope, "CanvasExecutionPolicy", statements=grants)
            execution_role.attach_inline_policy(policy)
            acknowledge_wildcards(policy, grants, WILDCARD_REASONS)
            acknowledge_inline_policy(policy)
        return out


def _arn(role: iam.IRole | None) -> str | None:
    return role.role_arn if role is not None else None


def _only_with(field: str, value: object, flag_name: str, flag: bool | None) -> None:
    if value is not None and not flag:
        raise StudioConfigError(field, _describe(value), f"nothing unless {flag_name} is on")


def _describe(value: object) -> object:
    arn = getattr(value, "role_arn", None) or getattr(value, "key_arn", None)
    return arn if arn is not None else value


def _workspace(field: str, uri: str | None) -> tuple[str, str] | None:
    """``(bucket, prefix)`` of an ``s3://`` URI within the API's ``S3Uri`` pattern and length."""
    if uri is None:
        return None
    if limits.is_token(uri):
        raise StudioConfigError(field, uri, "a literal s3:// URI (it scopes the Canvas roles' policies)")
    limits.check_type(field, uri, str, "an s3:// URI (str)")
    limits.check_pattern(field, uri, "S3Uri", "an S3 URI such as s3://bucket/canvas")
    match = _S3_URI.fullmatch(uri)
    if match is None:
        raise StudioConfigError(field, uri, "an S3 URI such as s3://bucket/canvas (an s3:// bucket name, then a key prefix)")
    prefix = (match.group("prefix") or "").strip("/")
    if prefix and any(part in ("", ".", "..") for part in prefix.split("/")):
        raise StudioConfigError(field, uri, "a key prefix without empty, '.' or '..' parts")
    return match.group("bucket"), prefix


def _check_oauth(field: str, sources: Sequence[CanvasOAuthSource]) -> None:
    limits.check_items(field, sources, CanvasOAuthSource, "CanvasOAuthSource")
    maximum = int(limits._shape("IdentityProviderOAuthSettings").metadata["max"])
    if len(sources) > maximum:
        raise StudioConfigError(field, f"{len(sources)} data sources", f"at most {maximum} (the API's limit)")
    limits.check_unique(field, [s.data_source.value for s in sources if isinstance(s.data_source, CanvasDataSource)])
    for i, source in enumerate(sources):
        where = f"{field}[{i}]"
        limits.check_enum(f"{where}.data_source", source.data_source, CanvasDataSource)
        limits.check_type(f"{where}.secret", source.secret, secretsmanager.ISecret, "a secretsmanager.ISecret")
        limits.check_type(f"{where}.enabled", source.enabled, bool, "True or False")
        limits.check_pattern(f"{where}.secret", source.secret.secret_arn, "SecretArn", "a Secrets Manager secret ARN")


def _service_role(
    scope: Construct, construct_id: str, service: str, persona: str, workspace: tuple[str, str], key_arn: str | None
) -> iam.Role:
    """A role ``service`` assumes for this account's Canvas, on the workspace path only."""
    stack = Stack.of(scope)
    role = iam.Role(
        scope,
        construct_id,
        assumed_by=iam.ServicePrincipal(service, conditions={"StringEquals": {"aws:SourceAccount": stack.account}}),
        description=f"SageMaker Canvas: {service} works on the Canvas workspace as this role",
    )
    bucket, prefix = workspace
    statements = workspace_statements(
        "CanvasWorkspace", bucket_arn=f"arn:{stack.partition}:s3:::{bucket}", prefix=prefix, key_arn=key_arn
    )
    for statement in statements:
        role.add_to_policy(statement)
    acknowledge_wildcards(role, statements, WILDCARD_REASONS)
    acknowledge_inline_policy(role)
    Tags.of(role).add(PERSONA_TAG, persona)
    return role
