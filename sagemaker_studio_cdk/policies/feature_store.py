"""IAM for Feature Store and Data Wrangler (in Canvas), for an execution role.

No FeatureGroup construct: nearly every property of ``AWS::SageMaker::FeatureGroup`` forces a
replacement that CloudFormation refuses for a named resource. Teams make feature groups from
Studio; these statements let them, on groups whose names start with a prefix.

- **Feature groups** (``feature-group/<prefix>*``, this account and Region): create, describe,
  update, delete, metadata, and the runtime's record calls. ``ListFeatureGroups`` has no resource
  type (``*``). Creating a group with an offline store passes the offline store's role
  (``iam:PassRole`` on that role only, to SageMaker).
- **Offline store**: objects under the given bucket prefix, listing that prefix, the bucket's key,
  and the Glue database's catalog, database and tables named ``<prefix>*``.
- **Data Wrangler in Canvas**: what ``AmazonSageMakerCanvasDataPrepFullAccess`` grants for data
  preparation, narrowed: processing jobs and pipelines named ``*canvas-data-prep*`` of this account
  and Region (the names Canvas gives them), passing only the execution role itself, S3 only in the
  given bucket prefix (not every bucket whose name contains "sagemaker"), KMS only the given key,
  Glue and Athena only when named, EventBridge rules only for schedules and only tagged
  ``sagemaker:is-canvas-data-prep-job``. Redshift, EMR and Secrets Manager sources are not granted.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

FEATURE_GROUPS: tuple[str, ...] = (
    "sagemaker:CreateFeatureGroup",
    "sagemaker:DescribeFeatureGroup",
    "sagemaker:UpdateFeatureGroup",
    "sagemaker:DeleteFeatureGroup",
    "sagemaker:DescribeFeatureMetadata",
    "sagemaker:UpdateFeatureMetadata",
    "sagemaker:PutRecord",
    "sagemaker:GetRecord",
    "sagemaker:DeleteRecord",
    "sagemaker:BatchGetRecord",
    "sagemaker:AddTags",
)
FEATURE_GROUP_LIST: tuple[str, ...] = ("sagemaker:ListFeatureGroups",)
OBJECTS: tuple[str, ...] = ("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")
LIST: tuple[str, ...] = ("s3:ListBucket",)
BUCKET: tuple[str, ...] = ("s3:GetBucketLocation",)
KEY: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey")
GLUE: tuple[str, ...] = ("glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartitions")

DATA_PREP_JOBS: tuple[str, ...] = ("sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob", "sagemaker:AddTags")
DATA_PREP_LIST: tuple[str, ...] = ("sagemaker:ListProcessingJobs",)
DATA_PREP_PIPELINES: tuple[str, ...] = (
    "sagemaker:DescribePipeline",
    "sagemaker:CreatePipeline",
    "sagemaker:UpdatePipeline",
    "sagemaker:DeletePipeline",
    "sagemaker:StartPipelineExecution",
    "sagemaker:ListPipelineExecutionSteps",
    "sagemaker:DescribePipelineExecution",
)
ATHENA: tuple[str, ...] = (
    "athena:GetQueryExecution",
    "athena:GetQueryResults",
    "athena:StartQueryExecution",
    "athena:StopQueryExecution",
)
SCHEDULE_TAG = "sagemaker:is-canvas-data-prep-job"


def _s3(sid: str, bucket_arn: str, prefix: str, key_arn: str | None) -> list[iam.PolicyStatement]:
    objects = f"{bucket_arn}/{prefix}/*" if prefix else f"{bucket_arn}/*"
    listing = iam.PolicyStatement(sid=f"{sid}List", actions=list(LIST), resources=[bucket_arn])
    if prefix:
        listing.add_condition("StringLike", {"s3:prefix": [prefix, f"{prefix}/*"]})
    statements = [
        iam.PolicyStatement(sid=sid, actions=list(OBJECTS), resources=[objects]),
        listing,
        iam.PolicyStatement(sid=f"{sid}Bucket", actions=list(BUCKET), resources=[bucket_arn]),
    ]
    if key_arn is not None:
        statements.append(iam.PolicyStatement(sid=f"{sid}Key", actions=list(KEY), resources=[key_arn]))
    return statements


def feature_store_statements(
    *,
    partition: str,
    region: str,
    account: str,
    prefix: str,
    offline_bucket_arn: str | None,
    offline_prefix: str,
    key_arn: str | None,
    glue_database: str | None,
    offline_store_role_arn: str | None,
) -> list[iam.PolicyStatement]:
    """Feature groups named ``<prefix>*`` and their offline store.

    Feature group ARNs carry the name as given; a lower-case copy of the prefix is granted too in
    case the service lower-cases it (as it does in other SageMaker ARNs) *(inference)*."""
    base = f"arn:{partition}:sagemaker:{region}:{account}:feature-group"
    resources = sorted({f"{base}/{prefix}*", f"{base}/{prefix.lower()}*"})
    statements = [
        iam.PolicyStatement(sid="FeatureStoreRecords", actions=list(FEATURE_GROUPS), resources=resources),
        iam.PolicyStatement(sid="FeatureStoreList", actions=list(FEATURE_GROUP_LIST), resources=["*"]),
    ]
    if offline_store_role_arn is not None:
        statements.append(
            iam.PolicyStatement(
                sid="FeatureStorePassRole",
                actions=["iam:PassRole"],
                resources=[offline_store_role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            )
        )
    if offline_bucket_arn is not None:
        statements += _s3("FeatureStoreOfflineStore", offline_bucket_arn, offline_prefix, key_arn)
    if glue_database is not None:
        glue = f"arn:{partition}:glue:{region}:{account}"
        statements.append(
            iam.PolicyStatement(
                sid="FeatureStoreGlue",
                actions=list(GLUE),
                resources=[
                    f"{glue}:catalog",
                    f"{glue}:database/{glue_database}",
                    f"{glue}:table/{glue_database}/{prefix.lower()}*",
                ],
            )
        )
    return statements


def data_wrangler_statements(
    *,
    partition: str,
    region: str,
    account: str,
    execution_role_arn: str,
    bucket_arn: str,
    prefix: str,
    key_arn: str | None,
    athena_workgroup: str | None,
    glue_database: str | None,
    schedules: bool,
) -> list[iam.PolicyStatement]:
    """Data preparation in Canvas (Data Wrangler), for one execution role."""
    sagemaker = f"arn:{partition}:sagemaker:{region}:{account}"
    statements = [
        iam.PolicyStatement(
            sid="DataPrepJobs", actions=list(DATA_PREP_JOBS), resources=[f"{sagemaker}:processing-job/*canvas-data-prep*"]
        ),
        iam.PolicyStatement(sid="DataPrepList", actions=list(DATA_PREP_LIST), resources=["*"]),
        iam.PolicyStatement(
            sid="DataPrepPipelines", actions=list(DATA_PREP_PIPELINES), resources=[f"{sagemaker}:pipeline/*canvas-data-prep*"]
        ),
        iam.PolicyStatement(
            sid="DataPrepPassRole",
            actions=["iam:PassRole"],
            resources=[execution_role_arn],
            conditions={
                "StringEquals": {
                    "iam:PassedToService": ["sagemaker.amazonaws.com", "events.amazonaws.com"]
                    if schedules
                    else "sagemaker.amazonaws.com"
                }
            },
        ),
    ]
    statements += _s3("DataPrepData", bucket_arn, prefix, key_arn)
    if athena_workgroup is not None:
        statements.append(
            iam.PolicyStatement(
                sid="DataPrepAthena",
                actions=list(ATHENA),
                resources=[f"arn:{partition}:athena:{region}:{account}:workgroup/{athena_workgroup}"],
            )
        )
    if glue_database is not None:
        glue = f"arn:{partition}:glue:{region}:{account}"
        statements.append(
            iam.PolicyStatement(
                sid="DataPrepGlue",
                actions=list(GLUE),
                resources=[f"{glue}:catalog", f"{glue}:database/{glue_database}", f"{glue}:table/{glue_database}/*"],
            )
        )
    if schedules:
        rules = f"arn:{partition}:events:{region}:{account}:rule/*"
        statements += [
            iam.PolicyStatement(
                sid="DataPrepScheduleCreate",
                actions=["events:PutRule", "events:TagResource"],
                resources=[rules],
                conditions={"StringEquals": {f"aws:RequestTag/{SCHEDULE_TAG}": "true"}},
            ),
            iam.PolicyStatement(
                sid="DataPrepSchedules",
                actions=["events:DescribeRule", "events:PutTargets"],
                resources=[rules],
                conditions={"StringEquals": {f"aws:ResourceTag/{SCHEDULE_TAG}": "true"}},
            ),
        ]
    return statements
