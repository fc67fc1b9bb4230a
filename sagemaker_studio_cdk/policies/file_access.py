"""What an execution role needs on the S3 prefixes Studio settings point it at: a notebook-sharing
path and the S3 custom file systems its spaces mount. Each grant reaches one prefix of one bucket:
listing is limited to that prefix (``s3:prefix``), objects to the keys under it."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam

from . import actions


def prefix_statements(
    *, bucket_arn: str, prefix: str, write: bool, sid: str, source_identity: str | None = None
) -> list[iam.PolicyStatement]:
    """Read (and, with ``write``, write) the objects under ``prefix`` of the bucket, and list only
    that prefix. An empty prefix is the whole bucket.

    :param source_identity: only sessions with this ``aws:SourceIdentity`` (a profile's name, which
        Studio sets with ``ExecutionRoleIdentityConfig: USER_PROFILE_NAME``): for a grant of one
        user's setting on a role every user shares.

    :param sid: the statements' ``Sid`` stem (``<sid>List``, ``<sid>Objects``): their cdk-nag reasons
        in :data:`~sagemaker_studio_cdk.policies.wildcards.WILDCARD_REASONS`.
    """
    prefix = prefix.strip("/")
    objects = f"{bucket_arn}/{prefix}/*" if prefix else f"{bucket_arn}/*"
    own: dict[str, Any] = {"StringEquals": {"aws:SourceIdentity": source_identity}} if source_identity else {}
    listed: dict[str, Any] = {"StringLike": {"s3:prefix": [prefix, f"{prefix}/*"]}} if prefix else {}
    listing = iam.PolicyStatement(
        sid=f"{sid}List",
        actions=list(actions.PREFIX_LIST),
        resources=[bucket_arn],
        conditions={**listed, **own} or None,
    )
    return [
        listing,
        iam.PolicyStatement(
            sid=f"{sid}Objects",
            actions=list(actions.PREFIX_READ_WRITE if write else actions.PREFIX_READ),
            resources=[objects],
            conditions=own or None,
        ),
    ]


def shared_notebook_statements(*, bucket_arn: str, prefix: str) -> list[iam.PolicyStatement]:
    """Studio writes shared notebook snapshots (with their output) under ``prefix`` and reads them back."""
    return prefix_statements(bucket_arn=bucket_arn, prefix=prefix, write=True, sid="SharedNotebooks")


def s3_file_system_statements(
    *, bucket_arn: str, prefix: str, write: bool, source_identity: str | None = None
) -> list[iam.PolicyStatement]:
    """An S3 prefix mounted in a space: read, and write unless the mount is read-only."""
    return prefix_statements(
        bucket_arn=bucket_arn, prefix=prefix, write=write, sid="S3FileSystem", source_identity=source_identity
    )
