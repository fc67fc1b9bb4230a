"""The demo's tables: MLflow as deployed, and a tracking server or app left after cdk destroy."""

from __future__ import annotations

import json

from sagemaker_studio_cdk.demo import Owners, mlflow_rows, record_owners, retained_tables
from sagemaker_studio_cdk.testing import StudioMoto
from tests.home_efs import Destroyed


def test_a_retained_tracking_server_is_shown_as_billing(studio_moto: StudioMoto) -> None:
    sm = studio_moto.client("sagemaker")
    role = "arn:aws:iam::123456789012:role/mlflow"
    sm.create_mlflow_tracking_server(TrackingServerName="kept", ArtifactStoreUri="s3://b/p", RoleArn=role)
    sm.create_mlflow_app(Name="kept-app", ArtifactStoreUri="s3://b/a", RoleArn=role)
    assert [r[:3] for r in mlflow_rows(sm)] == [["app", "kept-app", "Created"], ["tracking server", "kept", "Created"]]
    text = retained_tables(studio_moto.client, "123456789012", studio_moto.region)
    server = next(line for line in text.splitlines() if "MLflow tracking server" in line)
    assert "kept" in server and "RUNNING AND BILLING" in server
    assert any("MLflow app" in line and "kept-app" in line for line in text.splitlines())
    sm.stop_mlflow_tracking_server(TrackingServerName="kept")
    assert "RUNNING AND BILLING" not in retained_tables(studio_moto.client, "123456789012", studio_moto.region)


def test_the_retained_table_names_each_rows_app_and_a_deleted_tracking_server(studio_moto: StudioMoto) -> None:
    """make demo's retained table once two apps were deployed and destroyed."""
    template = {"Resources": {"Artifacts": {"Type": "AWS::S3::Bucket", "DeletionPolicy": "Retain"}}}
    cloudformation = studio_moto.client("cloudformation")
    cloudformation.create_stack(StackName="Workbench", TemplateBody=json.dumps(template))
    owners: Owners = {}
    record_owners(studio_moto.client, "workbench", owners)
    cloudformation.delete_stack(StackName="Workbench")
    text = retained_tables(
        studio_moto.client, "123456789012", studio_moto.region, owners=owners, deployed_servers=["workbench-server"]
    )
    assert text.splitlines()[1].split() == ["what", "id", "/", "name", "app", "note"], text
    bucket = next(line for line in text.splitlines() if "S3 bucket" in line)
    assert bucket.split()[3:] == ["workbench", "Artifacts"], text
    server = next(line for line in text.splitlines() if "MLflow tracking server" in line)
    assert "workbench-server" in server and "deleted by the destroy" in server and "BILLING" not in server


def test_retained_table_names_a_kept_home_efs(home_efs_destroyed: Destroyed) -> None:
    """A home EFS kept by Retain is named with its domain in the demo's retained table."""
    (kept,) = home_efs_destroyed.after["Retain"]["file systems"]
    table = home_efs_destroyed.retained_table
    assert kept in table and home_efs_destroyed.domain_arn["Retain"] in table
    assert "security-group-for-inbound-nfs-" in table
