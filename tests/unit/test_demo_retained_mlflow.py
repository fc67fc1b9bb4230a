"""The demo's tables: MLflow as deployed, and a tracking server or app left after cdk destroy."""

from __future__ import annotations

from sagemaker_studio_cdk.demo import mlflow_rows, retained_tables
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


def test_retained_table_names_a_kept_home_efs(home_efs_destroyed: Destroyed) -> None:
    """A home EFS kept by Retain is named with its domain in the demo's retained table."""
    (kept,) = home_efs_destroyed.after["Retain"]["file systems"]
    table = home_efs_destroyed.retained_table
    assert kept in table and home_efs_destroyed.domain_arn["Retain"] in table
    assert "security-group-for-inbound-nfs-" in table
