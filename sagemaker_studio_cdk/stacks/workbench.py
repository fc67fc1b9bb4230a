"""The spec's MLflow and Feature Store sections, added to a domain's stack."""

from __future__ import annotations

from dataclasses import dataclass, field

from aws_cdk import RemovalPolicy
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..constructs.domain import StudioDomain
from ..constructs.feature_store import grant_feature_store
from ..constructs.mlflow import MlflowApp, MlflowTrackingServer
from ..spec_workbench import FeatureStoreSpec, MlflowSpec


@dataclass
class Workbench:
    """What :func:`add_workbench` made."""

    mlflow_apps: dict[str, MlflowApp] = field(default_factory=dict)
    tracking_servers: dict[str, MlflowTrackingServer] = field(default_factory=dict)


def _policy(retain: bool) -> RemovalPolicy:
    return RemovalPolicy.RETAIN if retain else RemovalPolicy.DESTROY


def add_workbench(
    scope: Construct, domain: StudioDomain, mlflow: MlflowSpec, feature_store: FeatureStoreSpec | None
) -> Workbench:
    """MLflow Apps and tracking servers under ``scope/Mlflow`` (each given to the domain's execution
    role), and the Feature Store grant of the execution role."""
    made = Workbench()
    if mlflow.apps or mlflow.tracking_servers:
        apps = Construct(scope, "Mlflow")
        for app in mlflow.apps:
            made.mlflow_apps[app.name] = MlflowApp(
                apps,
                f"App-{app.name}",
                domain=domain,
                name=app.name,
                default_for_domain=app.default_for_domain,
                model_registration=app.model_registration,
                maintenance_window=app.maintenance_window,
                removal_policy=_policy(app.retain),
            )
        for server in mlflow.tracking_servers:
            made.tracking_servers[server.name] = MlflowTrackingServer(
                apps,
                f"TrackingServer-{server.name}",
                domain=domain,
                name=server.name,
                size=server.size,
                mlflow_version=server.mlflow_version,
                model_registration=server.model_registration,
                maintenance_window=server.maintenance_window,
                removal_policy=_policy(server.retain),
            )
        for item in [*made.mlflow_apps.values(), *made.tracking_servers.values()]:
            item.grant_use(domain.execution_role)
    if feature_store is not None:
        bucket = (
            s3.Bucket.from_bucket_name(scope, "FeatureStoreOfflineBucket", feature_store.offline_store_bucket)
            if feature_store.offline_store_bucket
            else None
        )
        grant_feature_store(
            domain.execution_role,
            prefix=feature_store.prefix,
            offline_store_bucket=bucket,
            offline_store_prefix=feature_store.offline_store_prefix,
            glue_database=feature_store.glue_database,
            scope=scope,
        )
    return made
