"""MLflow for a Studio domain: ``MlflowApp`` (serverless MLflow) and ``MlflowTrackingServer``.

Both keep artifacts in an S3 bucket encrypted with the domain's key (given, or made here:
SSL-only, versioned, retained), run as an MLflow role that reaches only that bucket's prefix and
key, and give an execution role what it needs through :meth:`grant_use`. Runs, experiments and
registered models live in MLflow's own metadata store, not in the bucket: deleting the app or
server deletes them. Both are deleted with their stack by default (so a destroyed domain leaves
nothing billing); ``removal_policy=RemovalPolicy.RETAIN`` keeps them (and the bill running).

``MlflowApp`` is a custom resource (``handlers/mlflow_app.py`` behind CDK's provider framework):
CloudFormation's ``AWS::SageMaker::MlflowApp`` cannot take the domain's KMS key (``KmsKeyId`` is
API only and settable only at creation) nor make the app a domain's default
(``DefaultDomainIdList``, API only). Lambda's own boto3 lags these members, so the handler's asset
carries boto3/botocore copied from this installation (:func:`handler_asset`), no Docker, no
network.
"""

from __future__ import annotations

import enum
import hashlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import boto3
import botocore
from aws_cdk import CfnResource, CfnTag, CustomResource, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_sagemaker as sm
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.mlflow import USE_APP, USE_TRACKING_SERVER, app_handler_statements, mlflow_role_statements
from ..policies.nag import acknowledge, acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import MLFLOW, MLFLOW_APP_FUNCTION, PERSONA_TAG
from ..policies.wildcards import WILDCARD_REASONS
from ..replacement import declare_replacement, register_custom_type
from .domain import StudioDomain
from .grants import grant_statements
from .provider import acknowledge_provider_findings, drop_redundant_role_dependencies, handler_provider

APP_RESOURCE_TYPE = "Custom::StudioMlflowApp"
APP_CREATE_ONLY: tuple[str, ...] = ("Name", "RoleArn", "KmsKeyId")
"""What the API takes only at creation: a change makes a new app (and the old one is deleted)."""

register_custom_type(APP_RESOURCE_TYPE, create_only=APP_CREATE_ONLY, stateful=True, name_property="Name")

HANDLER_MODULE = Path(__file__).resolve().parent.parent / "handlers" / "mlflow_app.py"
BUNDLED_PACKAGES: tuple[str, ...] = ("boto3", "botocore", "s3transfer")
"""Copied into the handler's asset, at the versions installed here."""
BOTOCORE_SERVICES: tuple[str, ...] = ("sagemaker",)
"""The service models kept in the asset's botocore (the handler calls only SageMaker)."""

_TRACKING_SERVER = "AWS::SageMaker::MlflowTrackingServer"


class TrackingServerSize(enum.Enum):
    """How big a tracking server is (AWS recommends Small for up to 25 users)."""

    SMALL = "Small"
    MEDIUM = "Medium"
    LARGE = "Large"


def _cache_root() -> Path:
    configured = os.environ.get("SAGEMAKER_STUDIO_CDK_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sagemaker-studio-cdk"


def _copy_package(name: str, into: Path) -> None:
    module = __import__(name)
    source = Path(module.__file__ or "").parent
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    if name == "botocore":

        def ignore_data(directory: str, names: list[str]) -> set[str]:
            skipped = set(ignore(directory, names))
            if Path(directory) == source / "data":
                skipped |= {n for n in names if (Path(directory) / n).is_dir() and n not in BOTOCORE_SERVICES}
            return skipped

        shutil.copytree(source, into / name, ignore=ignore_data)
    elif name == "boto3":
        shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "data"))
    else:
        shutil.copytree(source, into / name, ignore=ignore)


def handler_asset(module: Path = HANDLER_MODULE) -> Path:
    """A handler's Lambda asset (default: the MLflow App's): the ``module`` with boto3, botocore
    (SageMaker's model only) and s3transfer copied from this installation. Built once per versions
    and handler source, under ``$SAGEMAKER_STUDIO_CDK_CACHE`` (default ``~/.cache/sagemaker-studio-cdk``)."""
    source = module.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:12]
    stem = "mlflow-app" if module == HANDLER_MODULE else module.stem.replace("_", "-")
    target = _cache_root() / f"{stem}-boto3-{boto3.__version__}-botocore-{botocore.__version__}-{digest}"
    if (target / module.name).exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
    for name in BUNDLED_PACKAGES:
        _copy_package(name, building)
    (building / module.name).write_bytes(source)
    try:
        building.rename(target)
    except OSError:  # another process finished first
        shutil.rmtree(building, ignore_errors=True)
    return target


def artifact_bucket(scope: Construct, construct_id: str, key: kms.IKey) -> s3.Bucket:
    """An artifact bucket: encrypted with ``key``, SSL-only, versioned, no public access, retained
    when the stack is deleted."""
    bucket = s3.Bucket(
        scope,
        construct_id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        encryption=s3.BucketEncryption.KMS,
        encryption_key=key,
        bucket_key_enabled=True,
        enforce_ssl=True,
        versioned=True,
        removal_policy=RemovalPolicy.RETAIN,
    )
    resource = bucket.node.default_child or bucket
    for finding_id in (
        "AwsSolutions-S1",
        "NIST.800.53.R5-S3BucketLoggingEnabled",
        "HIPAA.Security-S3BucketLoggingEnabled",
    ):
        acknowledge(resource, finding_id, _REASONS["access-logs"])
    for finding_id in ("NIST.800.53.R5-S3BucketReplicationEnabled", "HIPAA.Security-S3BucketReplicationEnabled"):
        acknowledge(resource, finding_id, _REASONS["replication"])
    return bucket


def _check_prefix(field: str, prefix: str) -> str:
    if limits.is_token(prefix):
        raise StudioConfigError(field, prefix, "a literal S3 key prefix")
    cleaned = prefix.strip("/")
    if any(part in ("", ".", "..") for part in cleaned.split("/")) and cleaned:
        raise StudioConfigError(field, prefix, "an S3 key prefix without empty, '.' or '..' parts")
    return cleaned


class _MlflowBase(Construct):
    """What an MLflow App and a tracking server share: artifact bucket, MLflow role, grant."""

    arn: str
    _use_actions: tuple[str, ...]

    def _storage(
        self,
        domain: StudioDomain,
        artifact_bucket_: s3.IBucket | None,
        prefix: str,
        model_registration: bool,
    ) -> None:
        self.domain = domain
        self.encryption_key: kms.IKey = domain.encryption_key
        self.artifact_bucket: s3.IBucket = artifact_bucket_ or artifact_bucket(self, "Artifacts", self.encryption_key)
        self.artifact_prefix = prefix
        self.artifact_store_uri = (
            f"s3://{self.artifact_bucket.bucket_name}/{prefix}" if prefix else (f"s3://{self.artifact_bucket.bucket_name}")
        )
        stack = Stack.of(self)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description="MLflow: reads and writes its own artifact prefix"
            + (" and registers models in the SageMaker Model Registry" if model_registration else ""),
        )
        key = artifact_bucket_.encryption_key if artifact_bucket_ is not None else self.encryption_key
        statements, self._artifact_statements = (
            mlflow_role_statements(
                bucket_arn=self.artifact_bucket.bucket_arn,
                prefix=prefix,
                key_arn=key.key_arn if key is not None else None,
                model_registration=registration,
                partition=stack.partition,
                region=stack.region,
                account=stack.account,
            )
            for registration in (model_registration, False)
        )
        for statement in statements:
            self.role.add_to_policy(statement)
        acknowledge_wildcards(self.role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(self.role)
        Tags.of(self.role).add(PERSONA_TAG, MLFLOW)

    def grant_use(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` (an execution role) log to and read this MLflow, and open its UI; and
        read and write its artifact prefix with the key (the MLflow client logs and loads
        artifacts in S3 with its own credentials *(inference from MLflow's S3 artifact store)*).

        Everyone granted may change or delete every experiment, run and registered model in it:
        MLflow has no finer resource IAM could name."""
        grant = iam.Grant.add_to_principal(grantee=grantee, actions=list(self._use_actions), resource_arns=[self.arn])
        grant = grant.combine(grant_statements(grantee, self._artifact_statements))
        wildcards = [a for a in self._use_actions if a.endswith("*")]
        if wildcards and isinstance(grantee, Construct):
            for action in wildcards:
                acknowledge(grantee, f"AwsSolutions-IAM5[Action::{action}]", _REASONS["use-tracking-server"])
        return grant


class MlflowApp(_MlflowBase):
    """A serverless MLflow App, encrypted with the domain's key.

    :param domain: the domain whose key encrypts the app and (by default) its artifact bucket.
    :param name: the app's name (1-256 letters, digits and hyphens). Changing it makes a new app.
    :param default_for_domain: make this the domain's default MLflow (``DefaultDomainIdList``).
        Default: no.
    :param account_default: make this the default MLflow of the whole account and Region
        (``AccountDefaultStatus``, API only; applied in place by the app's custom resource, its one
        writer). Default: no (turning it off sets ``DISABLED``).
    :param artifact_bucket: where artifacts go. Default: a new bucket (domain key, SSL-only,
        versioned, retained).
    :param artifact_prefix: the key prefix for artifacts. Default: ``mlflow/<name>``.
    :param model_registration: register MLflow models in the SageMaker Model Registry
        automatically; adds the Model Registry actions to the app's MLflow role. Default: no.
    :param maintenance_window: the weekly maintenance start (``Tue:03:30``). Default: AWS's.
    :param removal_policy: what a stack delete does to the app. Default: delete it (its runs,
        experiments and registered models with it; artifacts stay in the retained bucket).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomain,
        name: str,
        default_for_domain: bool = False,
        account_default: bool = False,
        artifact_bucket: s3.IBucket | None = None,
        artifact_prefix: str | None = None,
        model_registration: bool = False,
        maintenance_window: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.DESTROY,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        collect(
            lambda: limits.check_type("domain", domain, StudioDomain, "a StudioDomain (its key encrypts the app)"),
            lambda: limits.check_type("account_default", account_default, bool, "True or False"),
            lambda: limits.check_pattern("name", name, "MlflowAppName", "an MLflow app name"),
            lambda: limits.check_pattern(
                "maintenance_window", maintenance_window, "WeeklyMaintenanceWindowStart", "a weekly start like Tue:03:30"
            ),
            lambda: limits.check_optional_type("artifact_bucket", artifact_bucket, s3.IBucket, "an s3.IBucket"),
            lambda: limits.check_tags("tags", tags),
        )
        prefix = _check_prefix("artifact_prefix", artifact_prefix if artifact_prefix is not None else f"mlflow/{name}")
        super().__init__(scope, construct_id)
        self._use_actions = USE_APP
        self.name = name
        self._storage(domain, artifact_bucket, prefix, model_registration)
        stack = Stack.of(self)
        self.log_group = logs.LogGroup(self, "Logs", retention=logs.RetentionDays.ONE_YEAR, removal_policy=RemovalPolicy.RETAIN)
        self.handler_role = iam.Role(
            self,
            "HandlerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="MLflow App custom resource: creates, updates and deletes MLflow apps",
        )
        statements = app_handler_statements(
            partition=stack.partition,
            region=stack.region,
            account=stack.account,
            mlflow_role_arn=self.role.role_arn,
            log_group_arn=self.log_group.log_group_arn,
            key_arn=self.encryption_key.key_arn,
        )
        for statement in statements:
            self.handler_role.add_to_policy(statement)
        acknowledge_wildcards(self.handler_role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(self.handler_role)
        code = lambda_.Code.from_asset(str(handler_asset()))
        self.functions, self.provider = handler_provider(
            self,
            module="mlflow_app",
            code=code,
            role=self.handler_role,
            log_group=self.log_group,
            memory_size=512,
            description="MLflow App custom resource",
            query_interval=Duration.seconds(30),
            total_timeout=Duration.minutes(60),
        )
        properties: dict[str, object] = {
            "Name": name,
            "ArtifactStoreUri": self.artifact_store_uri,
            "RoleArn": self.role.role_arn,
            "KmsKeyId": self.encryption_key.key_arn,
            "ModelRegistrationMode": "AutoModelRegistrationEnabled" if model_registration else "AutoModelRegistrationDisabled",
            "DefaultDomainIdList": [domain.domain_id] if default_for_domain else [],
        }
        if maintenance_window:
            properties["WeeklyMaintenanceWindowStart"] = maintenance_window
        if account_default:
            properties["AccountDefaultStatus"] = "ENABLED"
        if tags:
            properties["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=APP_RESOURCE_TYPE,
            properties=properties,
            removal_policy=removal_policy,
        )
        self.resource.node.add_dependency(self.role.node.find_child("DefaultPolicy"))  # permissions before use
        default = self.resource.node.default_child
        assert isinstance(default, CfnResource)
        # in the template too, for guard and the synth-time check of an app that never imported this module
        declare_replacement(default, create_only=APP_CREATE_ONLY, stateful=True, name_property="Name")
        self.arn: str = self.resource.ref
        """The app's ARN."""
        self.mlflow_version: str = self.resource.get_att_string("MlflowVersion")
        Tags.of(self.handler_role).add(PERSONA_TAG, MLFLOW_APP_FUNCTION)
        for function in self.functions:
            Tags.of(function).add(PERSONA_TAG, MLFLOW_APP_FUNCTION)
        Tags.of(self.provider).add(PERSONA_TAG, MLFLOW_APP_FUNCTION)
        acknowledge_provider_findings(
            self,
            self.provider,
            self.functions,
            what="this MLflow App's custom resource",
            logs_hold="MLflow App ARNs and states",
            calls="SageMaker",
        )
        drop_redundant_role_dependencies(self.provider, self.functions)


class MlflowTrackingServer(_MlflowBase):
    """An MLflow tracking server (``AWS::SageMaker::MlflowTrackingServer``).

    :param domain: the domain whose key encrypts the artifact bucket made here.
    :param name: the server's name (1-256 letters, digits and hyphens). Changing it replaces the
        server, which CloudFormation refuses for a named resource.
    :param size: how big. Default: AWS's (Small).
    :param mlflow_version: the MLflow version. Default: AWS's latest. Changing it (or the role)
        may replace the server: the synth-time check warns.
    :param artifact_bucket, artifact_prefix, model_registration, maintenance_window, removal_policy, tags:
        as for :class:`MlflowApp`.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomain,
        name: str,
        size: TrackingServerSize | None = None,
        mlflow_version: str | None = None,
        artifact_bucket: s3.IBucket | None = None,
        artifact_prefix: str | None = None,
        model_registration: bool = False,
        maintenance_window: str | None = None,
        removal_policy: RemovalPolicy = RemovalPolicy.DESTROY,
        tags: Mapping[str, str] | None = None,
    ) -> None:
        collect(
            lambda: limits.check_type("domain", domain, StudioDomain, "a StudioDomain (its key encrypts the artifacts)"),
            lambda: limits.check_pattern("name", name, "TrackingServerName", "a tracking server name"),
            lambda: limits.check_cfn("name", name, _TRACKING_SERVER, "TrackingServerName", "a tracking server name"),
            lambda: limits.check_optional_type("size", size, TrackingServerSize, "a TrackingServerSize"),
            lambda: limits.check_pattern("mlflow_version", mlflow_version, "MlflowVersion", "an MLflow version"),
            lambda: limits.check_cfn("mlflow_version", mlflow_version, _TRACKING_SERVER, "MlflowVersion", "an MLflow version"),
            lambda: limits.check_pattern(
                "maintenance_window", maintenance_window, "WeeklyMaintenanceWindowStart", "a weekly start like Tue:03:30"
            ),
            lambda: limits.check_cfn("maintenance_window", maintenance_window, _TRACKING_SERVER, "WeeklyMaintenanceWindowStart"),
            lambda: limits.check_optional_type("artifact_bucket", artifact_bucket, s3.IBucket, "an s3.IBucket"),
            lambda: limits.check_tags("tags", tags, _TRACKING_SERVER),
        )
        prefix = _check_prefix("artifact_prefix", artifact_prefix if artifact_prefix is not None else f"mlflow/{name}")
        super().__init__(scope, construct_id)
        self._use_actions = USE_TRACKING_SERVER
        self.name = name
        self._storage(domain, artifact_bucket, prefix, model_registration)
        self.resource = sm.CfnMlflowTrackingServer(
            self,
            "Resource",
            tracking_server_name=name,
            artifact_store_uri=self.artifact_store_uri,
            role_arn=self.role.role_arn,
            tracking_server_size=size.value if size is not None else None,
            mlflow_version=mlflow_version,
            automatic_model_registration=model_registration,
            weekly_maintenance_window_start=maintenance_window,
            tags=[CfnTag(key=k, value=v) for k, v in sorted((tags or {}).items())] or None,
        )
        self.resource.apply_removal_policy(removal_policy)
        self.resource.node.add_dependency(self.role.node.find_child("DefaultPolicy"))  # permissions before use
        self.arn: str = self.resource.attr_tracking_server_arn
        """The tracking server's ARN."""


_REASONS: dict[str, str] = {
    "use-tracking-server": (
        "sagemaker-mlflow:* on one tracking server: MLflow's REST API (experiments, runs, models) has one IAM "
        "action per call and no finer resource; whoever may use a tracking server may use all of it."
    ),
    "access-logs": (
        "MLflow artifacts are written by the MLflow service role only; object-level auditing belongs to CloudTrail "
        "data events on the account's trail. S3 server access logs would need a second bucket of their own."
    ),
    "replication": (
        "Artifacts of a single-Region MLflow: versioning keeps every overwritten or deleted object and the bucket "
        "is retained when the stack is deleted; cross-Region replication is the account's disaster-recovery choice."
    ),
}
