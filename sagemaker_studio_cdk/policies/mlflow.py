"""IAM for MLflow: the role an MLflow App or tracking server runs as, the MLflow App handler's
role, and what a grantee (an execution role) needs to use one.

- The **MLflow role** (trusted by ``sagemaker.amazonaws.com``) reaches only its artifact bucket
  (the objects under its prefix, and listing that prefix) and the bucket's KMS key; not
  ``AmazonS3FullAccess``, which the API documentation suggests. With automatic model registration
  it also gets the SageMaker Model Registry actions registration uses, on model package groups
  and packages of this account and Region (the exact list AWS needs is not documented; these are
  the create/describe/update calls of a registration).
- The **handler role** (``handlers/mlflow_app.py``) may create, describe, update, delete and tag
  MLflow apps, pass only the MLflow role, and read the domain ids it names.
- **Use**: an MLflow App is reached through ``sagemaker:CallMlflowAppApi`` and
  ``sagemaker:CreatePresignedMlflowAppUrl`` on the app; a tracking server through
  ``sagemaker-mlflow:*`` and ``sagemaker:CreatePresignedMlflowTrackingServerUrl`` on the server.
  Neither has a per-experiment resource: whoever may use one may change every experiment, run and
  registered model in it.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

MODEL_REGISTRATION: tuple[str, ...] = (
    "sagemaker:CreateModelPackageGroup",
    "sagemaker:DescribeModelPackageGroup",
    "sagemaker:CreateModelPackage",
    "sagemaker:DescribeModelPackage",
    "sagemaker:UpdateModelPackage",
    "sagemaker:ListModelPackages",
    "sagemaker:AddTags",
)
"""Model Registry actions automatic registration makes on the MLflow role's behalf."""

APP_HANDLER: tuple[str, ...] = (
    "sagemaker:CreateMlflowApp",
    "sagemaker:DescribeMlflowApp",
    "sagemaker:UpdateMlflowApp",
    "sagemaker:DeleteMlflowApp",
    "sagemaker:AddTags",
    "sagemaker:DeleteTags",
)
"""What the MLflow App handler calls, on ``mlflow-app/*`` of the stack's account and Region (an
app's ARN carries a generated id, unknown before it exists)."""

USE_APP: tuple[str, ...] = ("sagemaker:CallMlflowAppApi", "sagemaker:CreatePresignedMlflowAppUrl")
USE_TRACKING_SERVER: tuple[str, ...] = ("sagemaker-mlflow:*", "sagemaker:CreatePresignedMlflowTrackingServerUrl")

ARTIFACT_OBJECTS: tuple[str, ...] = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject")
ARTIFACT_LIST: tuple[str, ...] = ("s3:ListBucket",)
ARTIFACT_BUCKET: tuple[str, ...] = ("s3:GetBucketLocation",)
"""Carries no ``s3:prefix``: a statement of its own."""
KEY_USE: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")


def mlflow_role_statements(
    *,
    bucket_arn: str,
    prefix: str,
    key_arn: str | None,
    model_registration: bool,
    partition: str,
    region: str,
    account: str,
) -> list[iam.PolicyStatement]:
    """The MLflow role's statements: its artifact prefix, its key, and (when asked) registration.

    :param prefix: the artifact prefix inside the bucket, without slashes at either end (``""``:
        the whole bucket).
    """
    objects = f"{bucket_arn}/{prefix}/*" if prefix else f"{bucket_arn}/*"
    listing = iam.PolicyStatement(sid="MlflowArtifactList", actions=list(ARTIFACT_LIST), resources=[bucket_arn])
    if prefix:
        listing.add_condition("StringLike", {"s3:prefix": [prefix, f"{prefix}/*"]})
    statements = [
        iam.PolicyStatement(sid="MlflowArtifacts", actions=list(ARTIFACT_OBJECTS), resources=[objects]),
        listing,
        iam.PolicyStatement(sid="MlflowArtifactBucket", actions=list(ARTIFACT_BUCKET), resources=[bucket_arn]),
    ]
    if key_arn is not None:
        statements.append(iam.PolicyStatement(sid="MlflowArtifactKey", actions=list(KEY_USE), resources=[key_arn]))
    if model_registration:
        base = f"arn:{partition}:sagemaker:{region}:{account}"
        statements.append(
            iam.PolicyStatement(
                sid="MlflowModelRegistration",
                actions=list(MODEL_REGISTRATION),
                resources=[f"{base}:model-package-group/*", f"{base}:model-package/*"],
            )
        )
    return statements


def app_handler_statements(
    *, partition: str, region: str, account: str, mlflow_role_arn: str, log_group_arn: str, key_arn: str | None
) -> list[iam.PolicyStatement]:
    """The MLflow App handler's statements."""
    statements = [
        iam.PolicyStatement(
            sid="MlflowApps",
            actions=list(APP_HANDLER),
            resources=[f"arn:{partition}:sagemaker:{region}:{account}:mlflow-app/*"],
        ),
        iam.PolicyStatement(
            sid="MlflowPassRole",
            actions=["iam:PassRole"],
            resources=[mlflow_role_arn],
            conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
        ),
        iam.PolicyStatement(sid="MlflowLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[log_group_arn]),
    ]
    if key_arn is not None:
        statements.append(
            iam.PolicyStatement(sid="MlflowAppKey", actions=["kms:DescribeKey", "kms:CreateGrant"], resources=[key_arn])
        )
    return statements
