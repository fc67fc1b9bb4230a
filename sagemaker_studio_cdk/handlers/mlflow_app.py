"""An MLflow App (serverless MLflow) through the API, for what CloudFormation cannot set.

``AWS::SageMaker::MlflowApp`` has no ``KmsKeyId`` (settable only at creation, only through the
API) and no ``DefaultDomainIdList`` (the domains whose users get this app as their default
MLflow). This handler, behind CDK's provider framework (``on_event`` and ``is_complete``), calls
``CreateMlflowApp``/``UpdateMlflowApp``/``DeleteMlflowApp`` and waits with ``DescribeMlflowApp``:

- **Create**: ``CreateMlflowApp`` with every property; the physical id is the app's ARN.
- **Update**: a change of ``Name``, ``RoleArn`` or ``KmsKeyId`` (which the API cannot change)
  creates a new app under a new ARN; CloudFormation then deletes the old one. Any other change is
  one ``UpdateMlflowApp`` (``DefaultDomainIdList`` is sent whole, an empty list clears it); tags
  are changed with ``AddTags``/``DeleteTags``.
- **Delete**: ``DeleteMlflowApp`` (an app already gone is fine), then wait until it is gone.

Properties (CloudFormation passes strings): ``Name``, ``ArtifactStoreUri``, ``RoleArn``,
``KmsKeyId``, ``ModelRegistrationMode``, ``WeeklyMaintenanceWindowStart``,
``DefaultDomainIdList``, ``AccountDefaultStatus`` (``ENABLED``: the account's default MLflow) and
``Tags`` (``[{"Key", "Value"}]``). Attributes: ``Arn``, ``Name``,
``MlflowVersion``.

The Lambda asset carries its own boto3/botocore (Lambda's lags the MLflow App members).
"""

from __future__ import annotations

import logging
from typing import Any

import boto3
from botocore.exceptions import ClientError

LOG = logging.getLogger("sagemaker_studio_cdk.handlers.mlflow_app")
LOG.setLevel(logging.INFO)

REPLACING = ("Name", "RoleArn", "KmsKeyId")
"""Properties the API takes only at creation: a change makes a new app."""

CREATE_MEMBERS = (
    "Name",
    "ArtifactStoreUri",
    "RoleArn",
    "KmsKeyId",
    "ModelRegistrationMode",
    "WeeklyMaintenanceWindowStart",
    "DefaultDomainIdList",
    "AccountDefaultStatus",
    "Tags",
)
"""What ``CreateMlflowApp`` is sent (when set)."""

UPDATE_MEMBERS = ("ArtifactStoreUri", "ModelRegistrationMode", "WeeklyMaintenanceWindowStart", "DefaultDomainIdList")
"""What ``UpdateMlflowApp`` is sent (besides ``Arn``)."""

DONE = {"Created", "Updated"}
FAILED = {"CreateFailed", "UpdateFailed", "DeleteFailed"}


class MlflowAppFailed(Exception):
    """The app ended in a failed state."""


def _client() -> Any:
    return boto3.client("sagemaker")


def create_request(properties: dict[str, Any]) -> dict[str, Any]:
    """The ``CreateMlflowApp`` request for ``properties`` (unset and empty members left out)."""
    return {k: properties[k] for k in CREATE_MEMBERS if properties.get(k) not in (None, "", [])}


def update_request(arn: str, properties: dict[str, Any], old: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``UpdateMlflowApp`` request for ``properties`` (``old``: the previous ones). The app is
    the one writer of its ``AccountDefaultStatus``: sent when set, and ``DISABLED`` when it was set
    before and no longer is."""
    request: dict[str, Any] = {"Arn": arn}
    for key in UPDATE_MEMBERS:
        if key == "DefaultDomainIdList":
            request[key] = list(properties.get(key) or [])
        elif properties.get(key) not in (None, ""):
            request[key] = properties[key]
    if properties.get("AccountDefaultStatus"):
        request["AccountDefaultStatus"] = properties["AccountDefaultStatus"]
    elif (old or {}).get("AccountDefaultStatus") == "ENABLED":
        request["AccountDefaultStatus"] = "DISABLED"
    return request


def _replaces(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any((old.get(k) or None) != (new.get(k) or None) for k in REPLACING)


def _tags(properties: dict[str, Any]) -> dict[str, str]:
    return {str(t["Key"]): str(t["Value"]) for t in properties.get("Tags") or []}


def _update_tags(sm: Any, arn: str, old: dict[str, Any], new: dict[str, Any]) -> None:
    before, after = _tags(old), _tags(new)
    gone = sorted(set(before) - set(after))
    if gone:
        sm.delete_tags(ResourceArn=arn, TagKeys=gone)
    changed = [{"Key": k, "Value": v} for k, v in sorted(after.items()) if before.get(k) != v]
    if changed:
        sm.add_tags(ResourceArn=arn, Tags=changed)


def _create(sm: Any, properties: dict[str, Any]) -> str:
    arn = str(sm.create_mlflow_app(**create_request(properties))["Arn"])
    LOG.info("created MLflow app %s", arn)
    return arn


def on_event(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Create, update or delete the app; ``is_complete`` waits for it."""
    request = event["RequestType"]
    properties = dict(event.get("ResourceProperties") or {})
    sm = _client()
    if request == "Create":
        return {"PhysicalResourceId": _create(sm, properties)}
    arn = str(event["PhysicalResourceId"])
    if request == "Update":
        old = dict(event.get("OldResourceProperties") or {})
        if _replaces(old, properties):
            LOG.info("%s changed: a new MLflow app replaces %s", ", ".join(REPLACING), arn)
            return {"PhysicalResourceId": _create(sm, properties)}
        sm.update_mlflow_app(**update_request(arn, properties, old))
        _update_tags(sm, arn, old, properties)
        return {"PhysicalResourceId": arn}
    try:
        sm.delete_mlflow_app(Arn=arn)
        LOG.info("deleting MLflow app %s", arn)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("ResourceNotFound", "ValidationException"):
            raise
        LOG.info("MLflow app %s already gone", arn)
    return {"PhysicalResourceId": arn}


def is_complete(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """``IsComplete`` once the app is created/updated (with its attributes) or gone."""
    sm = _client()
    arn = str(event["PhysicalResourceId"])
    try:
        app = sm.describe_mlflow_app(Arn=arn)
    except ClientError as error:
        if event["RequestType"] == "Delete" and error.response.get("Error", {}).get("Code") == "ResourceNotFound":
            return {"IsComplete": True}
        raise
    status = str(app.get("Status"))
    if status in FAILED:
        raise MlflowAppFailed(f"MLflow app {arn} is {status}")
    if event["RequestType"] == "Delete":
        return {"IsComplete": status == "Deleted"}
    if status not in DONE:
        return {"IsComplete": False}
    data = {"Arn": arn, "Name": str(app.get("Name", "")), "MlflowVersion": str(app.get("MlflowVersion", ""))}
    return {"IsComplete": True, "Data": data}
