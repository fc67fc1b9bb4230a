"""IAM for a domain's cleanup handler (``handlers/cleanup.py``): what it calls, and no more.

The handler lists the domain's profiles, spaces and apps, deletes apps, spaces the stack did not
make (only when allowed) and profiles the stack did not make, and reads its own stack's status to
tell a stack delete from the resource's removal. Every delete is scoped to the one domain's ARNs.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from ..handlers.cleanup import HOME_EFS_TAG

CLEANUP_LIST: tuple[str, ...] = ("sagemaker:ListApps", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles")
"""List actions: no resource type, so resource ``*``."""

CLEANUP_DELETE_APPS: tuple[str, ...] = ("sagemaker:DeleteApp",)
CLEANUP_DELETE_SPACES: tuple[str, ...] = ("sagemaker:DeleteSpace",)
CLEANUP_DELETE_PROFILES: tuple[str, ...] = ("sagemaker:DeleteUserProfile",)
CLEANUP_STACK_STATUS: tuple[str, ...] = ("cloudformation:DescribeStacks",)
CLEANUP_LOGS: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")
CLEANUP_DELETE_DOMAIN: tuple[str, ...] = ("sagemaker:DescribeDomain", "sagemaker:DeleteDomain")
CLEANUP_HOME_EFS_READ: tuple[str, ...] = ("elasticfilesystem:DescribeFileSystems", "elasticfilesystem:DescribeMountTargets")
CLEANUP_HOME_EFS_DELETE: tuple[str, ...] = ("elasticfilesystem:DeleteMountTarget", "elasticfilesystem:DeleteFileSystem")
CLEANUP_MOUNT_TARGET_INTERFACES: tuple[str, ...] = ("ec2:DeleteNetworkInterface",)
"""EFS's DeleteMountTarget also needs this on the mount target's network interface (EFS API reference)."""
CLEANUP_NFS_GROUPS_READ: tuple[str, ...] = ("ec2:DescribeSecurityGroups",)
CLEANUP_NFS_GROUPS_DELETE: tuple[str, ...] = (
    "ec2:RevokeSecurityGroupIngress",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:DeleteSecurityGroup",
)


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


def delete_domain_statements(
    *, partition: str, region: str, account: str, domain_id: str, domain_arn: str, vpc_id: str
) -> list[iam.PolicyStatement]:
    """What the cleanup's DeleteDomain step adds (``home_efs_retention`` DELETE): delete this one
    domain, and only what SageMaker tagged ``ManagedByAmazonSageMakerResource=<this domain's ARN>``
    (its home EFS and NFS security groups); the mount targets' network interfaces only in the
    domain's VPC."""
    this_domain = {"StringEquals": {f"aws:ResourceTag/{HOME_EFS_TAG}": domain_arn}}
    ec2 = f"arn:{partition}:ec2:{region}:{account}"
    file_systems = f"arn:{partition}:elasticfilesystem:{region}:{account}:file-system/*"
    return [
        iam.PolicyStatement(
            sid="CleanupDeleteDomain",
            actions=list(CLEANUP_DELETE_DOMAIN),
            resources=[f"arn:{partition}:sagemaker:{region}:{account}:domain/{domain_id}"],
        ),
        iam.PolicyStatement(sid="CleanupHomeEfsRead", actions=list(CLEANUP_HOME_EFS_READ), resources=[file_systems]),
        iam.PolicyStatement(
            sid="CleanupHomeEfsDelete", actions=list(CLEANUP_HOME_EFS_DELETE), resources=[file_systems], conditions=this_domain
        ),
        iam.PolicyStatement(
            sid="CleanupMountTargetInterfaces",
            actions=list(CLEANUP_MOUNT_TARGET_INTERFACES),
            resources=[f"{ec2}:network-interface/*"],
            conditions={"StringEquals": {"ec2:Vpc": f"{ec2}:vpc/{vpc_id}"}},
        ),
        iam.PolicyStatement(sid="CleanupNfsGroupsRead", actions=list(CLEANUP_NFS_GROUPS_READ), resources=["*"]),
        iam.PolicyStatement(
            sid="CleanupNfsGroupsDelete",
            actions=list(CLEANUP_NFS_GROUPS_DELETE),
            resources=[f"{ec2}:security-group/*"],
            conditions=this_domain,
        ),
    ]
