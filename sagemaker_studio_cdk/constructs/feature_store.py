"""Feature Store and Data Wrangler (in Canvas) for an execution role: grants, no resources.

There is no FeatureGroup construct: nearly every property of ``AWS::SageMaker::FeatureGroup``
(name, record and event-time features, online store security, offline store, role, description,
tags) forces a replacement, which CloudFormation refuses for a named resource. Teams make feature
groups from Studio under a name prefix; :func:`grant_feature_store` lets an execution role do so,
and :func:`grant_data_wrangler` gives it Canvas's data preparation. See
``policies/feature_store.py`` for the exact statements.
"""

from __future__ import annotations

from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.feature_store import data_wrangler_statements, feature_store_statements
from .grants import grant_statements


def _literal(field: str, value: str) -> None:
    if limits.is_token(value):
        raise StudioConfigError(field, value, "a literal value (it names IAM resources)")


def _prefix(field: str, value: str) -> str:
    _literal(field, value)
    cleaned = value.strip("/")
    if cleaned and any(part in ("", ".", "..") for part in cleaned.split("/")):
        raise StudioConfigError(field, value, "an S3 key prefix without empty, '.' or '..' parts")
    return cleaned


def _glue_name(field: str, value: str | None) -> None:
    if value is None:
        return
    _literal(field, value)
    limits.check_cfn(field, value, "AWS::Glue::Database", "DatabaseInput/Name", "a Glue database name")


def grant_feature_store(
    grantee: iam.IGrantable,
    *,
    prefix: str,
    offline_store_bucket: s3.IBucket | None = None,
    offline_store_prefix: str = "feature-store",
    offline_store_key: kms.IKey | None = None,
    offline_store_role: iam.IRole | None = None,
    glue_database: str | None = None,
    scope: Construct | None = None,
) -> iam.Grant:
    """Let ``grantee`` (an execution role) make and use feature groups named ``<prefix>*``.

    :param prefix: the feature-group name prefix (within the API's ``FeatureGroupName`` pattern).
    :param offline_store_bucket: the offline store's bucket. Default: none (online store only).
    :param offline_store_prefix: the key prefix in that bucket. Default: ``feature-store``.
    :param offline_store_key: the key the offline store encrypts with. Default: the bucket's.
    :param offline_store_role: the role feature groups' offline store runs as (``RoleArn``);
        ``iam:PassRole`` on it only. Default: none (no offline store can be created).
    :param glue_database: the Glue database of the offline store's tables. Default: none.
    :param scope: where the grant is made, for the stack's account and Region. Default: the
        grantee's stack (``grantee`` must then be a construct).
    """
    where = scope or (grantee if isinstance(grantee, Construct) else None)
    collect(
        lambda: _literal("prefix", prefix),
        lambda: limits.check_pattern("prefix", prefix, "FeatureGroupName", "a feature group name prefix"),
        lambda: _glue_name("glue_database", glue_database),
        lambda: limits.check_optional_type("offline_store_bucket", offline_store_bucket, s3.IBucket, "an s3.IBucket"),
        lambda: limits.check_optional_type("offline_store_key", offline_store_key, kms.IKey, "a kms.IKey"),
    )
    if where is None:
        raise StudioConfigError("scope", None, "a construct in the stack the grant belongs to")
    if not prefix:
        raise StudioConfigError("prefix", prefix, "a non-empty feature group name prefix")
    stack = Stack.of(where)
    key = offline_store_key or (offline_store_bucket.encryption_key if offline_store_bucket is not None else None)
    statements = feature_store_statements(
        partition=stack.partition,
        region=stack.region,
        account=stack.account,
        prefix=prefix,
        offline_bucket_arn=offline_store_bucket.bucket_arn if offline_store_bucket is not None else None,
        offline_prefix=_prefix("offline_store_prefix", offline_store_prefix),
        key_arn=key.key_arn if key is not None else None,
        glue_database=glue_database,
        offline_store_role_arn=offline_store_role.role_arn if offline_store_role is not None else None,
    )
    return grant_statements(grantee, statements)


def grant_data_wrangler(
    execution_role: iam.IRole,
    *,
    bucket: s3.IBucket,
    prefix: str = "",
    key: kms.IKey | None = None,
    athena_workgroup: str | None = None,
    glue_database: str | None = None,
    schedules: bool = False,
) -> iam.Grant:
    """Let ``execution_role`` prepare data in Canvas (Data Wrangler) on ``bucket``'s ``prefix``.

    :param bucket: where flows, query results and outputs go (and data is read from).
    :param prefix: the key prefix. Default: the whole bucket.
    :param key: the bucket's key. Default: ``bucket.encryption_key``.
    :param athena_workgroup: an Athena workgroup to query. Default: none (no Athena).
    :param glue_database: a Glue database to read tables of. Default: none.
    :param schedules: allow scheduled data-prep jobs (EventBridge rules tagged
        ``sagemaker:is-canvas-data-prep-job``). Default: no.
    """
    collect(
        lambda: limits.check_type("bucket", bucket, s3.IBucket, "an s3.IBucket"),
        lambda: _glue_name("glue_database", glue_database),
        lambda: _literal("athena_workgroup", athena_workgroup or ""),
    )
    stack = Stack.of(execution_role)
    key = key or bucket.encryption_key
    statements = data_wrangler_statements(
        partition=stack.partition,
        region=stack.region,
        account=stack.account,
        execution_role_arn=execution_role.role_arn,
        bucket_arn=bucket.bucket_arn,
        prefix=_prefix("prefix", prefix),
        key_arn=key.key_arn if key is not None else None,
        athena_workgroup=athena_workgroup,
        glue_database=glue_database,
        schedules=schedules,
    )
    return grant_statements(execution_role, statements)
