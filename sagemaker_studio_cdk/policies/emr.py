"""IAM of the role a Studio domain in another account assumes to reach this account's EMR.

From the Studio EMR docs (``studio-notebooks-emr-cluster-rbac``, ``emr-studio-runtime``): the
assumable role discovers and connects to clusters; runtime roles are reached with
``elasticmapreduce:GetClusterSessionCredentials`` conditioned on
``elasticmapreduce:ExecutionRoleArn``. The exact action list AWS's samples use is wider
(Service Catalog provisioning, persistent app UIs); this is the read-and-connect subset.

- **EmrDiscovery**: ``ListClusters`` and ``ListApplications`` (no resource type: ``*``).
- **EmrClusters**: describe clusters, their instances, instance groups, security configuration,
  and presigned on-cluster UI URLs, on this account's clusters in this Region.
- **EmrServerlessApplications**: read EMR Serverless applications of this account and Region.
- **EmrRuntimeRoles**: session credentials for the given runtime roles only.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

DISCOVERY: tuple[str, ...] = ("elasticmapreduce:ListClusters", "emr-serverless:ListApplications")
CLUSTERS: tuple[str, ...] = (
    "elasticmapreduce:DescribeCluster",
    "elasticmapreduce:ListInstances",
    "elasticmapreduce:ListInstanceGroups",
    "elasticmapreduce:DescribeSecurityConfiguration",
    "elasticmapreduce:GetOnClusterAppUIPresignedURL",
)
SERVERLESS: tuple[str, ...] = ("emr-serverless:GetApplication",)
RUNTIME: tuple[str, ...] = ("elasticmapreduce:GetClusterSessionCredentials",)


def cross_account_statements(
    *, partition: str, region: str, account: str, runtime_role_arns: list[str]
) -> list[iam.PolicyStatement]:
    """The assumable role's statements, in the EMR account."""
    clusters = f"arn:{partition}:elasticmapreduce:{region}:{account}:cluster/*"
    statements = [
        iam.PolicyStatement(sid="EmrDiscovery", actions=list(DISCOVERY), resources=["*"]),
        iam.PolicyStatement(sid="EmrClusters", actions=list(CLUSTERS), resources=[clusters]),
        iam.PolicyStatement(
            sid="EmrServerlessApplications",
            actions=list(SERVERLESS),
            resources=[f"arn:{partition}:emr-serverless:{region}:{account}:/applications/*"],
        ),
    ]
    if runtime_role_arns:
        statements.append(
            iam.PolicyStatement(
                sid="EmrRuntimeRoles",
                actions=list(RUNTIME),
                resources=[clusters],
                conditions={"StringEquals": {"elasticmapreduce:ExecutionRoleArn": runtime_role_arns}},
            )
        )
    return statements
