"""IAM actions as data: the tables the statement builders draw from."""

from __future__ import annotations

STUDIO_READ: tuple[str, ...] = (
    "sagemaker:DescribeApp",
    "sagemaker:DescribeDomain",
    "sagemaker:DescribeSpace",
    "sagemaker:DescribeUserProfile",
    "sagemaker:ListApps",
    "sagemaker:ListDomains",
    "sagemaker:ListSpaces",
    "sagemaker:ListTags",
    "sagemaker:ListUserProfiles",
)
"""What the Studio UI reads to list and show spaces and apps (resource ``*`` only: list actions
have no resource type)."""

SPACE_WRITE: tuple[str, ...] = (
    "sagemaker:CreateSpace",
    "sagemaker:UpdateSpace",
    "sagemaker:DeleteSpace",
)

APP_WRITE: tuple[str, ...] = (
    "sagemaker:CreateApp",
    "sagemaker:DeleteApp",
)

PRESIGNED_URL: tuple[str, ...] = ("sagemaker:CreatePresignedDomainUrl",)

TAG_ON_CREATE: tuple[str, ...] = ("sagemaker:AddTags",)

APP_LOGS: tuple[str, ...] = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogStreams",
)

DOMAIN_KEY_USE: tuple[str, ...] = (
    "kms:Decrypt",
    "kms:DescribeKey",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:CreateGrant",
)
"""What apps need of the domain's KMS key: their EBS volumes and outputs are encrypted with it."""
