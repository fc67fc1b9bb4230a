"""Feature Store and Data Wrangler grants: feature groups by prefix with their offline store, and
Canvas's data preparation narrowed to one bucket prefix; bad prefixes fail at synth."""

from __future__ import annotations

import json
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from sagemaker_studio_cdk import StudioConfigError
from sagemaker_studio_cdk.constructs.feature_store import grant_data_wrangler, grant_feature_store
from tests.support import new_stack


def _role(stack: Stack, name: str) -> iam.Role:
    return iam.Role(stack, name, assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))


def _statements(role: iam.Role) -> dict[str, dict[str, Any]]:
    policy = role.node.find_child("DefaultPolicy")
    assert isinstance(policy, iam.Policy)
    document = Stack.of(role).resolve(policy.document.to_json())
    return {json.dumps(sorted(_list(s["Action"]))): s for s in document["Statement"]}


def _list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _find(statements: dict[str, dict[str, Any]], action: str) -> dict[str, Any]:
    (found,) = [s for s in statements.values() if action in _list(s["Action"])]
    return found


@pytest.fixture(scope="module")
def granted() -> tuple[Stack, dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    stack, _ = new_stack()
    key = kms.Key(stack, "Key")
    bucket = s3.Bucket(stack, "Offline", encryption_key=key)
    execution = _role(stack, "Execution")
    offline_role = _role(stack, "OfflineRole")
    grant_feature_store(
        execution, prefix="Team-A", offline_store_bucket=bucket, offline_store_role=offline_role, glue_database="features"
    )
    wrangler = _role(stack, "Wrangler")
    grant_data_wrangler(wrangler, bucket=bucket, prefix="data-prep", athena_workgroup="team")
    return stack, _statements(execution), _statements(wrangler)


def test_feature_groups_are_granted_by_prefix_in_this_account_and_region(granted: Any) -> None:
    _, statements, _ = granted
    records = _find(statements, "sagemaker:PutRecord")
    assert records["Resource"] == [
        "arn:aws:sagemaker:us-east-1:111122223333:feature-group/Team-A*",
        "arn:aws:sagemaker:us-east-1:111122223333:feature-group/team-a*",
    ]
    assert _find(statements, "sagemaker:ListFeatureGroups")["Resource"] == "*"


def test_the_offline_store_is_its_bucket_prefix_key_glue_database_and_role(granted: Any) -> None:
    stack, statements, _ = granted
    objects = _find(statements, "s3:PutObject")
    assert objects["Resource"]["Fn::Join"][1][-1] == "/feature-store/*"
    assert _find(statements, "s3:ListBucket")["Condition"] == {"StringLike": {"s3:prefix": ["feature-store", "feature-store/*"]}}
    assert "kms:GenerateDataKey" in _list(_find(statements, "kms:Decrypt")["Action"])
    glue = json.dumps(_find(statements, "glue:GetTable")["Resource"])
    assert "database/features" in glue and "table/features/team-a*" in glue
    pass_role = _find(statements, "iam:PassRole")
    assert pass_role["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    assert "OfflineRole" in json.dumps(pass_role["Resource"])


def test_data_wrangler_is_narrowed_to_canvas_jobs_one_prefix_and_its_own_role(granted: Any) -> None:
    _, _, statements = granted
    jobs = _find(statements, "sagemaker:CreateProcessingJob")
    assert jobs["Resource"] == "arn:aws:sagemaker:us-east-1:111122223333:processing-job/*canvas-data-prep*"
    assert _find(statements, "s3:GetObject")["Resource"]["Fn::Join"][1][-1] == "/data-prep/*"
    assert "Wrangler" in json.dumps(_find(statements, "iam:PassRole")["Resource"])
    assert _find(statements, "athena:StartQueryExecution")["Resource"] == "arn:aws:athena:us-east-1:111122223333:workgroup/team"
    assert not [
        s
        for s in statements.values()
        if any(a.startswith(("events:", "redshift", "secretsmanager:")) for a in _list(s["Action"]))
    ]
    assert not [
        s for s in statements.values() if s["Resource"] == "*" and "sagemaker:ListProcessingJobs" not in _list(s["Action"])
    ]


@pytest.mark.parametrize("prefix", ["", "team a", "-team", "x" * 65, "team/a"])
def test_a_prefix_outside_the_feature_group_name_pattern_is_a_config_error(prefix: str) -> None:
    stack, _ = new_stack()
    with pytest.raises(StudioConfigError) as error:
        grant_feature_store(_role(stack, "Execution"), prefix=prefix)
    assert "prefix" in str(error.value)


def test_a_bad_glue_database_is_a_config_error() -> None:
    stack, _ = new_stack()
    with pytest.raises(StudioConfigError, match="glue_database"):
        grant_feature_store(_role(stack, "Execution"), prefix="team", glue_database="Bad Name!" * 40)
