"""Studio settings CloudFormation cannot write, applied through the API.

``AWS::SageMaker::Domain``, ``UserProfile`` and ``Space`` lack some settings the API has (Canvas,
domain-level EMR, TensorBoard, Amazon Q, rootless Docker, ...) and replace a profile or domain for
some changes the API makes in place (a user's RStudio access). This handler, behind CDK's provider
framework (``on_event`` and ``is_complete``), writes those settings with ``UpdateDomain``,
``UpdateUserProfile`` or ``UpdateSpace``. It writes whole *blocks*: a settings structure at
whatever depth (``DefaultUserSettings.CanvasAppSettings``,
``DefaultUserSettings.JupyterLabAppSettings``); the template leaves each block it writes out, so
every block has one writer.

- **Create**: one update request with every block; the physical id names the domain, profile or
  space (a retried create sends the same request again: the update is idempotent).
- **Update**: the blocks whose value changed, plus blocks that are no longer declared (sent as
  their ``Restore`` value). When ``CfnHash`` (a hash of the parent's rendered CloudFormation
  settings) changed, every block is sent again: a CloudFormation update of the parent may have
  reset them.
- **Delete**: each block's ``Restore`` value (the members CloudFormation renders, and the API's
  off switch for the others), where there is one. A parent that is gone or being deleted, or an
  API that refuses the restore, fails nothing.
- ``is_complete`` waits until the parent is ``InService`` again and returns, as attributes, each
  block as ``Describe*`` reports it (JSON), and ``CfnHash``.

Properties (CloudFormation passes scalars as strings; they are converted with the service model):
``Kind`` (``Domain``, ``UserProfile`` or ``Space``), ``DomainId``, ``UserProfileName``,
``SpaceName``, ``Blocks`` (``{"DefaultUserSettings.CanvasAppSettings": {...}}``, API shape, the
domain in ``CreateDomain`` naming: ``DomainSettings``, ``RStudioServerProDomainSettings``),
``Restore`` (same keys) and ``CfnHash``.

Self-contained (boto3 only): the Lambda asset carries its own boto3/botocore, since Lambda's lags
the newest members.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import boto3
from botocore.exceptions import ClientError

LOG = logging.getLogger("sagemaker_studio_cdk.handlers.api_settings")
LOG.setLevel(logging.INFO)

OPERATIONS = {
    "Domain": ("UpdateDomain", "DescribeDomain", ("DomainId",)),
    "UserProfile": ("UpdateUserProfile", "DescribeUserProfile", ("DomainId", "UserProfileName")),
    "Space": ("UpdateSpace", "DescribeSpace", ("DomainId", "SpaceName")),
}
"""Per kind of parent: the update call, the describe call and the members naming the parent."""

GONE_STATUSES = ("Deleting", "Delete_Failed")
BUSY_STATUSES = ("Pending", "Updating")
FAILED_STATUSES = ("Failed", "Update_Failed")


class SettingsFailed(Exception):
    """The parent ended in a failed state after the update."""


def _client() -> Any:
    return boto3.client("sagemaker")


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def _member(shape: Any, name: str) -> str:
    """``name`` as the update shape spells it: ``DomainSettings`` is ``DomainSettingsForUpdate``."""
    members = shape.members
    if name in members:
        return name
    if f"{name}ForUpdate" in members:
        return f"{name}ForUpdate"
    raise ValueError(f"{shape.name} has no member {name}")


def coerce(shape: Any, value: Any) -> Any:
    """``value`` with its scalars of the types ``shape`` says (CloudFormation passes strings) and
    its member names as the update shape spells them."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        out = {}
        for key, item in value.items():
            name = _member(shape, key)
            out[name] = coerce(shape.members[name], item)
        return out
    if kind == "list" and isinstance(value, list):
        return [coerce(shape.member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {k: coerce(shape.value, v) for k, v in value.items()}
    if kind == "boolean" and isinstance(value, str):
        return value.lower() == "true"
    if kind in ("integer", "long") and isinstance(value, str):
        return int(value)
    if kind in ("float", "double") and isinstance(value, str):
        return float(value)
    return value


def _nest(path: str, value: Any) -> dict[str, Any]:
    parts = path.split(".")
    nested: dict[str, Any] = {parts[-1]: value}
    for part in reversed(parts[:-1]):
        nested = {part: nested}
    return nested


def _deep_merge(into: dict[str, Any], other: dict[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value


def request_for(sm: Any, properties: dict[str, Any], blocks: dict[str, Any]) -> dict[str, Any]:
    """The update request writing ``blocks`` (path to API-shaped value) of the parent."""
    update, _, ids = OPERATIONS[str(properties["Kind"])]
    shape = sm.meta.service_model.operation_model(update).input_shape
    body: dict[str, Any] = {}
    for path in sorted(blocks):
        _deep_merge(body, _nest(path, blocks[path]))
    request: dict[str, Any] = coerce(shape, body)
    request.update({k: str(properties[k]) for k in ids})
    return request


def _send(sm: Any, properties: dict[str, Any], blocks: dict[str, Any]) -> None:
    if not blocks:
        return
    update = OPERATIONS[str(properties["Kind"])][0]
    request = request_for(sm, properties, blocks)
    LOG.info("%s %s", update, json.dumps(request, sort_keys=True))
    getattr(sm, _snake(update))(**request)


def _describe(sm: Any, properties: dict[str, Any]) -> dict[str, Any] | None:
    """The parent as Describe* reports it; ``None`` when it is gone."""
    _, describe, ids = OPERATIONS[str(properties["Kind"])]
    try:
        found: dict[str, Any] = getattr(sm, _snake(describe))(**{k: str(properties[k]) for k in ids})
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("ResourceNotFound", "ValidationException"):
            return None
        raise
    return found


def physical_id(properties: dict[str, Any]) -> str:
    """The resource's id: the settings of one domain, profile or space."""
    ids = OPERATIONS[str(properties["Kind"])][2]
    return "settings:" + "/".join(str(properties[k]) for k in ids)


def _blocks(properties: dict[str, Any], key: str = "Blocks") -> dict[str, Any]:
    return dict(properties.get(key) or {})


def changed_blocks(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What an update sends: changed blocks, then blocks no longer declared as their restore value;
    every block when the parent's CloudFormation settings changed (``CfnHash``)."""
    before, after = _blocks(old), _blocks(new)
    if old.get("CfnHash") != new.get("CfnHash"):
        send = dict(after)
    else:
        send = {path: value for path, value in after.items() if before.get(path) != value}
    restore = _blocks(old, "Restore")
    for path in sorted(set(before) - set(after)):
        if restore.get(path):
            send[path] = restore[path]
    return send


def on_event(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Apply (create, update) or restore (delete) the settings; ``is_complete`` waits for the parent."""
    request = event["RequestType"]
    properties = dict(event.get("ResourceProperties") or {})
    sm = _client()
    if request == "Create":
        _send(sm, properties, _blocks(properties))
        return {"PhysicalResourceId": physical_id(properties)}
    if request == "Update":
        old = dict(event.get("OldResourceProperties") or {})
        if physical_id(old) != physical_id(properties):
            _send(sm, properties, _blocks(properties))  # a new parent: CloudFormation deletes the old resource
        else:
            _send(sm, properties, changed_blocks(old, properties))
        return {"PhysicalResourceId": physical_id(properties)}
    restore = {path: value for path, value in _blocks(properties, "Restore").items() if value}
    parent = _describe(sm, properties)
    if parent is None or parent.get("Status") in GONE_STATUSES:
        LOG.info("%s is gone or being deleted: nothing to restore", physical_id(properties))
        return {"PhysicalResourceId": str(event.get("PhysicalResourceId") or physical_id(properties))}
    try:
        _send(sm, properties, restore)
    except ClientError as error:  # the API does not allow this restore: keep what is there
        LOG.warning("%s: restore not applied: %s", physical_id(properties), error)
    return {"PhysicalResourceId": str(event.get("PhysicalResourceId") or physical_id(properties))}


def _at(found: dict[str, Any], path: str) -> Any:
    node: Any = found
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def is_complete(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Complete once the parent is ``InService``, with the blocks as the API reports them."""
    if event["RequestType"] == "Delete":
        return {"IsComplete": True}
    properties = dict(event.get("ResourceProperties") or {})
    sm = _client()
    parent = _describe(sm, properties)
    if parent is None:
        raise SettingsFailed(f"{physical_id(properties)}: the parent no longer exists")
    status = str(parent.get("Status", "InService"))
    if status in FAILED_STATUSES:
        raise SettingsFailed(f"{physical_id(properties)}: the parent is {status}: {parent.get('FailureReason', '')}")
    if status in BUSY_STATUSES:
        return {"IsComplete": False}
    data = {path: json.dumps(_at(parent, path), sort_keys=True, default=str) for path in _blocks(properties)}
    data["CfnHash"] = str(properties.get("CfnHash", ""))
    return {"IsComplete": True, "Data": data}
