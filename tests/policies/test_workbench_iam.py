"""Every action and condition key of the MLflow, Feature Store, EMR and Canvas policies exists in AWS's
service authorization data (the library's example app has no MLflow, so test_iam_data.py does not
see these statements)."""

from __future__ import annotations

from typing import Any

from aws_cdk import aws_iam as iam

from sagemaker_studio_cdk.policies import canvas, cleanup, emr, feature_store, mlflow, rstudio
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal, simulation
from tests.policies.test_iam_data import problems_of

ARN = "arn:aws:sagemaker:us-east-1:123456789012"
KEY = "arn:aws:kms:us-east-1:123456789012:key/k"
LOGS = "arn:aws:logs:us-east-1:123456789012:log-group:x"


def _document(statements: list[Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [s.to_json() for s in statements]}


def workbench_documents() -> dict[str, dict[str, Any]]:
    where = {"partition": "aws", "region": "us-east-1", "account": "123456789012"}
    return {
        "mlflow role": _document(
            mlflow.mlflow_role_statements(
                bucket_arn="arn:aws:s3:::artifacts", prefix="mlflow/a", key_arn=KEY,
                model_registration=True, **where,
            )
        ),
        "mlflow app handler": _document(
            mlflow.app_handler_statements(
                mlflow_role_arn="arn:aws:iam::123456789012:role/mlflow", log_group_arn=LOGS,
                key_arn=KEY, **where,
            )
        ),
        "mlflow use": _document([
            iam.PolicyStatement(actions=list(mlflow.USE_APP), resources=[f"{ARN}:mlflow-app/app-1"]),
            iam.PolicyStatement(actions=list(mlflow.USE_TRACKING_SERVER), resources=[f"{ARN}:mlflow-tracking-server/t"]),
        ]),
        "feature store": _document(
            feature_store.feature_store_statements(
                prefix="team-a", offline_bucket_arn="arn:aws:s3:::offline", offline_prefix="fs", key_arn=KEY,
                glue_database="features", offline_store_role_arn="arn:aws:iam::123456789012:role/offline", **where,
            )
        ),
        "rstudio domain role": _document(
            [
                *rstudio.rstudio_domain_statements(**where),
                *rstudio.rstudio_server_app_statements(domain_id="d-abc123", **where),
            ]
        ),
        "data wrangler": _document(
            feature_store.data_wrangler_statements(
                execution_role_arn="arn:aws:iam::123456789012:role/execution", bucket_arn="arn:aws:s3:::data",
                prefix="prep", key_arn=KEY, athena_workgroup="team", glue_database="raw", schedules=True, **where,
            )
        ),
        "cleanup deleting the home EFS": _document(
            cleanup.delete_domain_statements(
                domain_id="d-abc123", domain_arn=f"{ARN}:domain/d-abc123", vpc_id="vpc-0123456789abcdef0", **where
            )
        ),
        "emr cross-account role": _document(
            emr.cross_account_statements(runtime_role_arns=["arn:aws:iam::123456789012:role/runtime"], **where)
        ),
        "canvas service role": _document(
            [
                *canvas.workspace_statements("CanvasWorkspace", bucket_arn="arn:aws:s3:::canvas", prefix="w", key_arn=KEY),
                canvas.pass_role_statement("Pass", "arn:aws:iam::123456789012:role/forecast", canvas.FORECAST_SERVICE),
            ]
        ),
    }  # fmt: skip


def test_every_workbench_action_and_condition_key_exists_for_its_action(evaluator: IamEvaluator) -> None:
    named = workbench_documents()
    assert not problems_of(evaluator, named)
    actions = {
        a
        for d in named.values()
        for s in d["Statement"]
        for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {"sagemaker:CallMlflowAppApi", "sagemaker:CreatePresignedMlflowTrackingServerUrl", "sagemaker-mlflow:*"} <= actions
    assert {"license-manager:CheckoutLicense", "logs:CreateLogDelivery"} <= actions


def test_the_cross_account_emr_role_reads_clusters_and_gets_credentials_for_its_runtime_roles_only(
    evaluator: IamEvaluator,
) -> None:
    runtime = f"arn:{PARTITION}:iam::{ACCOUNT}:role/emr-runtime"
    document = _document(
        emr.cross_account_statements(partition=PARTITION, region=REGION, account=ACCOUNT, runtime_role_arns=[runtime])
    )
    role = Principal(
        name="emr-access", arn=f"arn:{PARTITION}:iam::{ACCOUNT}:role/studio-emr-access", identity_policies=[document]
    )
    cluster = f"arn:{PARTITION}:elasticmapreduce:{REGION}:{ACCOUNT}:cluster/j-ABCDEFGHIJKLM"
    credentials = "elasticmapreduce:GetClusterSessionCredentials"
    cases = [
        ("elasticmapreduce:DescribeCluster", cluster, {}, "Allowed"),
        ("elasticmapreduce:ListClusters", "*", {}, "Allowed"),
        (credentials, cluster, {"elasticmapreduce:ExecutionRoleArn": runtime}, "Allowed"),
        (credentials, cluster, {"elasticmapreduce:ExecutionRoleArn": f"{runtime}-other"}, "ImplicitlyDenied"),
        ("elasticmapreduce:TerminateJobFlows", cluster, {}, "ImplicitlyDenied"),
        ("elasticmapreduce:DescribeCluster", cluster.replace(ACCOUNT, "999999999999"), {}, "ImplicitlyDenied"),
    ]
    results = evaluator.simulate([simulation(role, action, resource, context) for action, resource, context, _ in cases])
    assert [r["result"] for r in results] == [expected for *_, expected in cases]
