"""The ``image`` persona: the role SageMaker uses to read a custom image's container."""

from __future__ import annotations

from aws_cdk import aws_iam as iam

IMAGE_PULL = ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability")
"""Reading one image's layers from its repository."""

ECR_AUTHORIZATION = ("ecr:GetAuthorizationToken",)
"""Logging in to the registry; the action has no resource type."""


def image_pull_statements(repository_arn: str) -> list[iam.PolicyStatement]:
    """Pull from ``repository_arn`` and nothing else (the registry login needs ``*``)."""
    return [
        iam.PolicyStatement(sid="PullFromImageRepository", actions=list(IMAGE_PULL), resources=[repository_arn]),
        iam.PolicyStatement(sid="EcrAuthorizationToken", actions=list(ECR_AUTHORIZATION), resources=["*"]),
    ]
