"""Options of the ``execution`` persona a domain can turn on: allowed instance types, and per-user
data privacy through the session's source identity."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase

import regex as re
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.execution import user_data_statements
from ..policies.nag import acknowledge_wildcards
from ..policies.wildcards import WILDCARD_REASONS
from .settings import AppDefaults

_PREFIX = re.compile(r"[A-Za-z0-9!_.'()-]+(/[A-Za-z0-9!_.'()-]+)*")


def check_allowed_instance_types(field: str, allowed: Sequence[str] | None, app_defaults: AppDefaults) -> None:
    """Each entry is an app instance type or a pattern over them (``ml.g5.*``), and the domain's
    own default instance types are among them (else no app could start on its defaults)."""
    if allowed is None:
        return
    if isinstance(allowed, str) or not allowed:
        raise StudioConfigError(field, allowed, "a non-empty list of instance types or patterns such as ml.t3.*")
    known = limits.instance_types()
    problems: list[StudioConfigError] = []
    for index, entry in enumerate(allowed):
        if limits.is_token(entry):
            continue
        if not any(fnmatchcase(t, entry) for t in known):
            problems.append(
                StudioConfigError(f"{field}[{index}]", entry, "an app instance type, or a pattern matching some (ml.t3.*)")
            )
    for name in ("jupyter_lab_instance_type", "code_editor_instance_type"):
        default = getattr(app_defaults, name)
        concrete = [e for e in allowed if not limits.is_token(e)]
        if concrete and not limits.is_token(default) and not any(fnmatchcase(default, e) for e in concrete):
            problems.append(
                StudioConfigError(
                    f"{field.removesuffix('allowed_instance_types')}app_defaults.{name}",
                    default,
                    f"one of the allowed instance types ({', '.join(concrete)})",
                )
            )
    if problems:
        raise StudioConfigError.combine(problems)


def check_user_data_prefix(field: str, prefix: str) -> None:
    """An S3 key prefix without leading or trailing slashes or policy wildcards."""
    if limits.is_token(prefix):
        return
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        raise StudioConfigError(
            field, prefix, "an S3 key prefix such as users or home/studio: letters, digits, -_.!'() and inner slashes"
        )


def check_execution_options(
    *, allowed_instance_types: Sequence[str] | None, app_defaults: AppDefaults, user_data_prefix: str
) -> None:
    """Both options' checks, every problem in one error."""
    collect(
        lambda: check_allowed_instance_types("allowed_instance_types", allowed_instance_types, app_defaults),
        lambda: check_user_data_prefix("user_data_prefix", user_data_prefix),
    )


def allow_source_identity(role: iam.Role) -> None:
    """Let SageMaker set the source identity of the role's sessions (``sts:SetSourceIdentity``):
    without it, apps fail to start once the domain uses ``USER_PROFILE_NAME`` identity."""
    assert role.assume_role_policy is not None
    role.assume_role_policy.add_statements(
        iam.PolicyStatement(actions=["sts:SetSourceIdentity"], principals=[iam.ServicePrincipal("sagemaker.amazonaws.com")])
    )


def grant_user_data(role: iam.IRole, bucket: s3.IBucket, prefix: str) -> None:
    """Each user's sessions of ``role`` read and write their own prefix of ``bucket`` (and use its
    key, when it has one)."""
    statements = user_data_statements(bucket_arn=bucket.bucket_arn, prefix=prefix)
    for statement in statements:
        role.add_to_principal_policy(statement)
    acknowledge_wildcards(role, statements, WILDCARD_REASONS)
    if bucket.encryption_key is not None:
        bucket.encryption_key.grant_encrypt_decrypt(role)
