"""No role that SageMaker runs apps as (an execution role) may do everything in SageMaker."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule
from ._iam import role_policies, trusts_service

FULL_ACCESS_POLICIES = ("AmazonSageMakerFullAccess", "AdministratorAccess", "PowerUserAccess")


def _grants_all_of_sagemaker(role: Resource) -> bool:
    policies = role_policies(role)
    if any(name in FULL_ACCESS_POLICIES for name in policies.aws_managed):
        return True
    return any(s.effect == "Allow" and "*" in s.resources and s.covers("sagemaker:*") for s in policies.identity)


def check(role: Resource) -> bool:
    if not trusts_service(role, "sagemaker.amazonaws.com"):
        return True
    return not _grants_all_of_sagemaker(role)


RULE = Rule(
    name="ExecutionRoleNotFullAccess",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::IAM::Role",),
    info="A role SageMaker can assume has AmazonSageMakerFullAccess (or another full-access policy), or sagemaker:* on *.",
    explanation=(
        "Apps run as the execution role, so every user of the domain can do whatever it allows: with sagemaker:* on "
        "* any user can sign in as any other (CreatePresignedDomainUrl), open others' private spaces, and change "
        "the domain. Give the role the least-privilege statements of sagemaker_studio_cdk.policies "
        "(execution_statements, StudioDomain's default) instead of AWS's full-access policy."
    ),
    check=check,
)
