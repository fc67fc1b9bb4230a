"""IAM for SageMaker Canvas's service roles, and what the execution role needs to hand them over.

Canvas passes a role to Amazon Forecast (time-series forecasting), to Amazon Bedrock (fine-tuning
foundation models) and to EMR Serverless (large data-prep and training jobs). The API documents
each as a role with "a trust relationship with" that service and read and write access to the
data it works on (``TimeSeriesForecastingSettings``, ``GenerativeAiSettings``,
``EmrServerlessSettings`` in botocore's model). AWS's managed policies for them
(``AmazonSageMakerCanvasForecastAccess``, ``AmazonSageMakerCanvasBedrockAccess``,
``AmazonSageMakerCanvasEMRServerlessExecutionRolePolicy``) grant S3 on every bucket named
``sagemaker-*``; the roles here get the Canvas workspace path only:

- **S3**: objects under the workspace prefix (get, put, delete, abort uploads), listing that
  prefix, the bucket's location; the workspace key when one is given.
- **Trust**: the one service, only from this account (``aws:SourceAccount``).

The execution role may pass each role only to its service (``iam:PassedToService``).
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from .feature_store import _s3

FORECAST_SERVICE = "forecast.amazonaws.com"
BEDROCK_SERVICE = "bedrock.amazonaws.com"
EMR_SERVERLESS_SERVICE = "emr-serverless.amazonaws.com"


def workspace_statements(sid: str, *, bucket_arn: str, prefix: str, key_arn: str | None) -> list[iam.PolicyStatement]:
    """Read and write the Canvas workspace (``s3://bucket/prefix``) and use its key."""
    return _s3(sid, bucket_arn, prefix, key_arn)


def pass_role_statement(sid: str, role_arn: str, service: str) -> iam.PolicyStatement:
    """``iam:PassRole`` on one role, to one service."""
    return iam.PolicyStatement(
        sid=sid,
        actions=["iam:PassRole"],
        resources=[role_arn],
        conditions={"StringEquals": {"iam:PassedToService": service}},
    )
