"""The spec's ``mlflow:`` and ``feature_store:`` sections (``studio.yaml``).

``mlflow`` declares MLflow Apps and tracking servers of the domain, each given to the domain's
execution role (``grant_use``); ``feature_store`` grants the execution role feature groups by name
prefix, with their offline store. Every value is checked at synth by the constructs' own checks
(botocore's patterns, the vendored CloudFormation schema).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import limits
from .constructs.mlflow import TrackingServerSize
from .errors import StudioConfigError

_TRACKING_SERVER = "AWS::SageMaker::MlflowTrackingServer"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _maintenance_window(value: str | None) -> str | None:
    limits.check_pattern("value", value, "WeeklyMaintenanceWindowStart", "a weekly start like Tue:03:30")
    return value


class MlflowAppSpec(_Section):
    """A serverless MLflow App, encrypted with the domain's key."""

    name: str = Field(description="the app's name; changing it makes a new app (and deletes the old one's runs)")
    default_for_domain: bool = Field(False, description="the domain's default MLflow (DefaultDomainIdList)")
    model_registration: bool = Field(False, description="register MLflow models in the SageMaker Model Registry")
    maintenance_window: str | None = Field(None, description="weekly maintenance start, e.g. Tue:03:30")
    retain: bool = Field(False, description="keep the app when the stack is deleted (runs, experiments, models)")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_pattern("value", value, "MlflowAppName", "an MLflow app name")
        return value

    _window = field_validator("maintenance_window")(_maintenance_window)


class TrackingServerSpec(_Section):
    """An MLflow tracking server (billed while it runs)."""

    name: str = Field(description="the server's name; it cannot change")
    size: TrackingServerSize | None = Field(None, description="Small, Medium or Large (AWS's default: Small)")
    mlflow_version: str | None = Field(None, description="the MLflow version; changing it may replace the server")
    model_registration: bool = Field(False, description="register MLflow models in the SageMaker Model Registry")
    maintenance_window: str | None = Field(None, description="weekly maintenance start, e.g. Tue:03:30")
    retain: bool = Field(False, description="keep the server (and its bill) when the stack is deleted")

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        limits.check_pattern("value", value, "TrackingServerName", "a tracking server name")
        limits.check_cfn("value", value, _TRACKING_SERVER, "TrackingServerName", "a tracking server name")
        return value

    @field_validator("mlflow_version")
    @classmethod
    def _version(cls, value: str | None) -> str | None:
        limits.check_pattern("value", value, "MlflowVersion", "an MLflow version")
        limits.check_cfn("value", value, _TRACKING_SERVER, "MlflowVersion", "an MLflow version")
        return value

    _window = field_validator("maintenance_window")(_maintenance_window)


class MlflowSpec(_Section):
    """MLflow for the domain's users."""

    apps: list[MlflowAppSpec] = Field(default_factory=list, description="serverless MLflow Apps")
    tracking_servers: list[TrackingServerSpec] = Field(default_factory=list, description="MLflow tracking servers")

    @model_validator(mode="after")
    def _unique(self) -> MlflowSpec:
        limits.check_unique("apps[].name", (a.name for a in self.apps))
        limits.check_unique("tracking_servers[].name", (s.name for s in self.tracking_servers))
        if sum(1 for a in self.apps if a.default_for_domain) > 1:
            raise StudioConfigError("apps[].default_for_domain", "more than one", "at most one default MLflow App")
        return self


class FeatureStoreSpec(_Section):
    """Feature groups the domain's execution role may make and use, by name prefix."""

    prefix: str = Field(description="feature-group name prefix (within the API's FeatureGroupName pattern)")
    offline_store_bucket: str | None = Field(None, description="the offline store's existing bucket (name)")
    offline_store_prefix: str = Field("feature-store", description="the key prefix in that bucket")
    glue_database: str | None = Field(None, description="the offline store's Glue database")

    @field_validator("prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        limits.check_pattern("value", value, "FeatureGroupName", "a feature group name prefix")
        return value
