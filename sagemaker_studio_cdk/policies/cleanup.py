"""IAM for a domain's cleanup handler (``handlers/cleanup.py``): what it calls, and no more.

The handler lists the domain's profiles, spaces and apps, deletes apps, spaces the stack did not
make (only when allowed) and profiles the stack did not make, and reads its own stack's status to
tell a stack delete from the resource's removal. Every delete is scoped to the one domain's ARNs.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

CLEANUP_LIST: tuple[str, ...] = ("sagemaker:ListApps", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles")
"""List actions: no resource type, so resource ``*``."""

CLEANUP_DELETE_APPS: tuple[str, ...] = ("sagemaker:DeleteApp",)
CLEANUP_DELETE_SPACES: tuple[str, ...] = ("sagemaker:DeleteSpace",)
CLEANUP_DELETE_PROFILES: tuple[str, ...] = ("sagemaker:DeleteUserProfile",)
CLEANUP_STACK_STATUS: tuple[str, ...] = ("cloudformation:DescribeStacks",)
CLEANUP_LOGS: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")


def cleanup_statements(
    *,
    partition: str,
    region: str,
    account: str,
    domain_id: str,
    stack_id: str,
    log_group_arn: str,
    delete_unmanaged_spaces: bool,
) -> list[iam.PolicyStatement]:
    """The cleanup handler's statements.

    :param stack_id: the ARN of the stack holding the cleanup resource (``AWS::StackId``).
    :param log_group_arn: the handler's log group (its ``Arn`` attribute covers its streams).
    :param delete_unmanaged_spaces: grant ``DeleteSpace`` (on this domain's spaces) at all.
    """

    def arn(resource: str) -> str:
        return f"arn:{partition}:sagemaker:{region}:{account}:{resource}/{domain_id}/*"

    statements = [
        iam.PolicyStatement(sid="CleanupList", actions=list(CLEANUP_LIST), resources=["*"]),
        iam.PolicyStatement(sid="CleanupApps", actions=list(CLEANUP_DELETE_APPS), resources=[arn("app")]),
        iam.PolicyStatement(sid="CleanupProfiles", actions=list(CLEANUP_DELETE_PROFILES), resources=[arn("user-profile")]),
        iam.PolicyStatement(sid="CleanupStackStatus", actions=list(CLEANUP_STACK_STATUS), resources=[stack_id]),
        iam.PolicyStatement(sid="CleanupLogs", actions=list(CLEANUP_LOGS), resources=[log_group_arn]),
    ]
    if delete_unmanaged_spaces:
        statements.insert(
            2, iam.PolicyStatement(sid="CleanupSpaces", actions=list(CLEANUP_DELETE_SPACES), resources=[arn("space")])
        )
    return statements
