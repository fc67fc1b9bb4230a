"""``CrossAccountEmrRole``: the role in an EMR account that a Studio domain in another account assumes.

JupyterLab's ``EmrSettings.AssumableRoleArns`` names roles the domain's execution role assumes
to list and connect to EMR clusters and EMR Serverless applications, "typically used in
cross-account access scenarios" (the API's docs). Such a role lives in the EMR account: declare
this construct in a stack deployed there and give its :attr:`role_arn` to the domain's
:class:`EmrRoles`. The role trusts only the given execution role and may (see
``policies/emr.py``): list clusters and EMR Serverless applications, read the clusters' metadata
and presigned UI URLs, and, for each runtime role given, get session credentials for that role
only (``elasticmapreduce:ExecutionRoleArn``). The Studio side's networking to the clusters
(peering, Livy ports) is not made here.
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from constructs import Construct

from .. import limits
from ..errors import collect
from ..policies import PERSONA_TAG
from ..policies.emr import cross_account_statements
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import EMR_CROSS_ACCOUNT
from ..policies.wildcards import WILDCARD_REASONS
from .studio_settings import _check_role_arns, check_role_arn


class CrossAccountEmrRole(Construct):
    """A role in the EMR account, assumable by one Studio execution role of another account.

    :param role_name: the role's name; fixed, so the domain's stack can name its ARN before
        this stack deploys.
    :param studio_execution_role_arn: the Studio domain's (or profile's) execution role, in
        the Studio account: the only principal the role trusts.
    :param runtime_role_arns: EMR runtime roles of this account that Studio users may run as
        (the domain's ``EmrRoles.execution_role_arns``), at most 5. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        role_name: str,
        studio_execution_role_arn: str,
        runtime_role_arns: Sequence[str] = (),
    ) -> None:
        collect(
            lambda: limits.check_type("role_name", role_name, str, "a role name (str)"),
            lambda: limits.check_cfn("role_name", role_name, "AWS::IAM::Role", "RoleName", "an IAM role name"),
            lambda: check_role_arn("studio_execution_role_arn", studio_execution_role_arn),
            lambda: _check_role_arns("runtime_role_arns", runtime_role_arns, "ExecutionRoleArns"),
        )
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.role = iam.Role(
            self,
            "Role",
            role_name=role_name,
            assumed_by=iam.ArnPrincipal(studio_execution_role_arn),
            description="SageMaker Studio (another account): list and connect to this account's EMR clusters",
        )
        statements = cross_account_statements(
            partition=stack.partition, region=stack.region, account=stack.account, runtime_role_arns=list(runtime_role_arns)
        )
        for statement in statements:
            self.role.add_to_policy(statement)
        acknowledge_wildcards(self.role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(self.role)
        Tags.of(self.role).add(PERSONA_TAG, EMR_CROSS_ACCOUNT)
        self.role_arn: str = stack.format_arn(service="iam", region="", resource="role", resource_name=role_name)
        """The role's ARN, known before deploy (give it to the domain's ``EmrRoles.assumable_role_arns``)."""
