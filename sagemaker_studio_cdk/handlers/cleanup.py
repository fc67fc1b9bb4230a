"""Domain cleanup: what CloudFormation cannot delete on its own, deleted first.

Users start apps and make spaces in Studio. A user profile with apps or spaces, a space with apps
and a domain with profiles or spaces cannot be deleted, so a stack delete (or the removal of a
user or space) would fail. This handler, behind CDK's provider framework (``on_event`` and
``is_complete``), clears the way:

- **Delete, while the stack itself is being deleted** (``DELETE_IN_PROGRESS``, or a failed
  create rolling back): every app of the domain is deleted and waited for (volumes stay with
  their spaces); then spaces the stack did not declare, only when ``DeleteUnmanagedSpaces`` is
  true; then profiles the stack did not declare (RStudio's ``domain-shared``, profiles made in
  the console). Declared profiles and spaces are left to CloudFormation, which deletes them next.
  When a space the stack did not declare would have to go and that is not allowed, nothing is
  touched and the delete fails, listing every blocker.
- **Delete in any other state** (the resource was removed from the template): nothing.
- **Update**: profiles and spaces declared before but not now are retired by CloudFormation's
  cleanup phase, after the update phase this runs in; their apps (a retired profile's own apps,
  apps in retired spaces and in the spaces a retired profile owns) are deleted and waited for
  now, and undeclared spaces of a retired profile are deleted when allowed (else the update
  fails before anything is touched).
- **Create**: nothing.

A second resource of the same provider (property ``Step: DeleteDomain``), made only when the home
EFS is to be deleted, runs after every profile and space is deleted and before CloudFormation
deletes the domain (they depend on it; it depends on the domain). On a stack delete it calls
``DeleteDomain`` with ``RetentionPolicy.HomeEfsFileSystem=Delete`` (CloudFormation's own delete
passes none: Retain) and waits until the domain is gone; then it deletes what SageMaker made for
the home EFS and left, found by the tag ``ManagedByAmazonSageMakerResource=<domain ARN>``: the
file system's mount targets, the file system, and the NFS security groups (rules that name each
other revoked first). CloudFormation's delete of the domain then finds it gone, which a delete
takes as done. Removed from the template (``home_efs_retention`` back to Retain) it does nothing.
Its properties: ``DomainId``, ``DomainArn``, ``Step``.

Properties: ``DomainId``, ``UserProfiles`` and ``Spaces`` (the names the stack declares),
``DeleteUnmanagedSpaces`` (``"true"``/``"false"``: CloudFormation passes strings).

Every step is idempotent: ``on_event`` starts the deletes, ``is_complete`` (called every query
interval) re-reads the domain, deletes what is ready and answers whether all is gone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError

LOG = logging.getLogger("sagemaker_studio_cdk.handlers.cleanup")
LOG.setLevel(logging.INFO)  # its own logger: run in-process, the handler leaves the root logger alone

TEARDOWN_STATUSES = ("DELETE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS")
"""Stack statuses in which a Delete means the domain itself is going away."""

SETTLED_APP_STATUSES = ("Deleted", "Failed")
"""Apps in these states block nothing (AWS: a failed app need not, and cannot, be deleted)."""

MAX_LISTED = 25
"""Blockers named in a failure message, per kind (CloudFormation's reasons are short)."""

MODE_KEY = "StudioCleanupMode"
"""Where ``on_event`` tells ``is_complete`` what it decided (the framework merges its answer into
the event ``is_complete`` gets)."""


HOME_EFS_TAG = "ManagedByAmazonSageMakerResource"
"""The tag SageMaker puts on what it makes for a domain's home EFS (the file system, its NFS
security groups); its value is the domain's ARN (AWS managed policy
AmazonSageMakerNotebooksServiceRolePolicy limits SageMaker's own EFS deletes to this tag key)."""

DELETE_DOMAIN_STEP = "DeleteDomain"
"""``Step`` of the resource that deletes the domain with its home EFS."""

GONE_FILE_SYSTEM_STATES = ("deleted",)


class CleanupBlocked(Exception):
    """Resources the cleanup may not delete stand in the way; nothing was changed."""


@dataclass
class Inventory:
    """What a domain holds now."""

    profiles: dict[str, dict[str, Any]]
    spaces: dict[str, dict[str, Any]]
    apps: list[dict[str, Any]]

    def owner(self, space: str) -> str | None:
        summary = self.spaces.get(space) or {}
        owner = (summary.get("OwnershipSettingsSummary") or {}).get("OwnerUserProfileName")
        return str(owner) if owner else None

    def live_apps(self) -> list[dict[str, Any]]:
        return [a for a in self.apps if a.get("Status") not in SETTLED_APP_STATUSES]


@dataclass
class Plan:
    """What one event asks for: apps of ``profiles`` and ``spaces`` (``everything``: all apps),
    then ``delete_spaces``, then ``delete_profiles``."""

    domain_id: str
    everything: bool = False
    profiles: set[str] = field(default_factory=set)
    spaces: set[str] = field(default_factory=set)
    delete_spaces: set[str] = field(default_factory=set)
    delete_profiles: set[str] = field(default_factory=set)

    def covers(self, app: dict[str, Any]) -> bool:
        return self.everything or app.get("UserProfileName") in self.profiles or app.get("SpaceName") in self.spaces


# -- reading the domain --------------------------------------------------------------------------------------


def _pages(client: Any, operation: str, key: str, **request: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**request):
        yield from page.get(key, [])


def inventory(sm: Any, domain_id: str) -> Inventory:
    """Every profile, space and app of the domain (apps already deleted included)."""
    profiles = {p["UserProfileName"]: p for p in _pages(sm, "list_user_profiles", "UserProfiles", DomainIdEquals=domain_id)}
    spaces = {s["SpaceName"]: s for s in _pages(sm, "list_spaces", "Spaces", DomainIdEquals=domain_id)}
    apps = list(_pages(sm, "list_apps", "Apps", DomainIdEquals=domain_id))
    return Inventory(profiles, spaces, apps)


def _properties(properties: dict[str, Any] | None) -> tuple[str, set[str], set[str], bool]:
    props = properties or {}
    allowed = str(props.get("DeleteUnmanagedSpaces", "false")).lower() == "true"
    return str(props.get("DomainId", "")), set(props.get("UserProfiles") or []), set(props.get("Spaces") or []), allowed


# -- deciding ------------------------------------------------------------------------------------------------


def _describe_space(name: str, found: Inventory) -> str:
    summary = found.spaces.get(name) or {}
    sharing = (summary.get("SpaceSharingSettingsSummary") or {}).get("SharingType", "?")
    app_type = (summary.get("SpaceSettingsSummary") or {}).get("AppType", "?")
    owner = found.owner(name)
    return f"{name} ({sharing.lower()}{', owner ' + owner if owner else ''}, {app_type})"


def _describe_profile(name: str, found: Inventory) -> str:
    apps = [f"{a['AppType']}/{a['AppName']}" for a in found.live_apps() if a.get("UserProfileName") == name]
    return f"{name}{' (apps ' + ', '.join(apps) + ')' if apps else ''}"


def _listing(items: list[str]) -> str:
    shown = items[:MAX_LISTED]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def blockers(plan: Plan, found: Inventory) -> list[str]:
    """Every kind of thing standing between the stack and the operation, one line each."""
    lines: list[str] = []
    apps = [a for a in found.live_apps() if plan.covers(a)]
    if apps:
        where = [f"{a.get('SpaceName') or a.get('UserProfileName')}:{a['AppType']}/{a['AppName']}" for a in apps]
        lines.append(f"apps ({len(apps)}): {_listing(sorted(where))}")
    if plan.delete_spaces:
        names = sorted(plan.delete_spaces)
        lines.append(f"spaces the stack did not make ({len(names)}): {_listing([_describe_space(n, found) for n in names])}")
    if plan.delete_profiles:
        names = sorted(plan.delete_profiles)
        lines.append(
            f"user profiles the stack did not make ({len(names)}): {_listing([_describe_profile(n, found) for n in names])}"
        )
    return lines


def plan_for(event: dict[str, Any], found: Inventory | None = None, sm: Any = None) -> tuple[Plan | None, list[str]]:
    """The plan of ``event``, and the spaces it would have to delete but may not (its refusals).

    ``None`` when the event asks for nothing. ``found`` is read with ``sm`` when not given.
    """
    request = event["RequestType"]
    domain_id, profiles, spaces, allowed = _properties(event.get("ResourceProperties"))
    mode = event.get(MODE_KEY)
    if request == "Create" or mode == "none" or not domain_id:
        return None, []
    if request == "Delete":
        if mode is None:
            mode = "teardown" if stack_is_going(event) else "none"
        if mode == "none":
            return None, []
        found = found or inventory(sm, domain_id)
        unmanaged = set(found.spaces) - spaces
        plan = Plan(domain_id, everything=True, delete_spaces=unmanaged if allowed else set())
        plan.delete_profiles = set(found.profiles) - profiles
        refused = sorted(unmanaged) if not allowed else []
        stuck = sorted(p for p in plan.delete_profiles if any(found.owner(s) == p for s in spaces & set(found.spaces)))
        refused += [f"{p} (owns spaces the stack made)" for p in stuck]
        return plan, refused
    _, old_profiles, old_spaces, _ = _properties(event.get("OldResourceProperties"))
    retired_profiles = old_profiles - profiles
    retired_spaces = old_spaces - spaces
    if not retired_profiles and not retired_spaces:
        return None, []
    found = found or inventory(sm, domain_id)
    owned = {s for s in found.spaces if found.owner(s) in retired_profiles}
    unmanaged_owned = owned - spaces - old_spaces
    plan = Plan(
        domain_id,
        profiles=retired_profiles,
        spaces=retired_spaces | owned,
        delete_spaces=unmanaged_owned if allowed else set(),
    )
    return plan, sorted(unmanaged_owned) if not allowed else []


def stack_is_going(event: dict[str, Any]) -> bool:
    """True when the stack that holds the resource is being deleted (or its create rolled back)."""
    cloudformation = boto3.client("cloudformation")
    stack = cloudformation.describe_stacks(StackName=event["StackId"])["Stacks"][0]
    LOG.info("stack %s is %s", event["StackId"], stack["StackStatus"])
    return stack["StackStatus"] in TEARDOWN_STATUSES


# -- acting --------------------------------------------------------------------------------------------------


def _ignore_gone(call: Any, **request: Any) -> None:
    try:
        call(**request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ResourceNotFound":
            raise
        LOG.info("already gone: %s", request)


def advance(sm: Any, plan: Plan) -> bool:
    """One step towards ``plan``: delete what is ready; True when nothing is left to wait for."""
    found = inventory(sm, plan.domain_id)
    waiting = False
    for app in found.live_apps():
        if not plan.covers(app):
            continue
        waiting = True
        if app.get("Status") != "InService":
            continue  # Pending or Deleting: only an InService app can be deleted; ask again next time
        owner = {"SpaceName": app["SpaceName"]} if app.get("SpaceName") else {"UserProfileName": app["UserProfileName"]}
        LOG.info("deleting app %s", app)
        _ignore_gone(sm.delete_app, DomainId=plan.domain_id, AppType=app["AppType"], AppName=app["AppName"], **owner)
    if waiting:
        return False
    for name in sorted(plan.delete_spaces & set(found.spaces)):
        waiting = True
        if found.spaces[name].get("Status") != "Deleting":
            LOG.info("deleting space %s", name)
            _ignore_gone(sm.delete_space, DomainId=plan.domain_id, SpaceName=name)
    if waiting:
        return False
    for name in sorted(plan.delete_profiles & set(found.profiles)):
        waiting = True
        if found.profiles[name].get("Status") != "Deleting":
            LOG.info("deleting user profile %s", name)
            _ignore_gone(sm.delete_user_profile, DomainId=plan.domain_id, UserProfileName=name)
    return not waiting


# -- the domain and its home EFS ----------------------------------------------------------------------------


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def home_file_systems(efs: Any, domain_arn: str) -> list[dict[str, Any]]:
    """The file systems SageMaker made as the home EFS of the domain ``domain_arn`` (by their tag)."""
    found = []
    for file_system in _pages(efs, "describe_file_systems", "FileSystems"):
        tags = {t["Key"]: t["Value"] for t in file_system.get("Tags") or []}
        if tags.get(HOME_EFS_TAG) == domain_arn and file_system.get("LifeCycleState") not in GONE_FILE_SYSTEM_STATES:
            found.append(file_system)
    return found


def nfs_security_groups(ec2: Any, domain_arn: str) -> list[dict[str, Any]]:
    """The security groups SageMaker made for the domain ``domain_arn``'s home EFS (by their tag)."""
    request = {"Filters": [{"Name": f"tag:{HOME_EFS_TAG}", "Values": [domain_arn]}]}
    return list(_pages(ec2, "describe_security_groups", "SecurityGroups", **request))


def _references(permissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules of ``permissions`` that name other security groups (they block deleting those)."""
    rules = []
    for permission in permissions:
        pairs = [{"GroupId": p["GroupId"]} for p in permission.get("UserIdGroupPairs") or [] if p.get("GroupId")]
        if pairs:
            rule: dict[str, Any] = {k: permission[k] for k in ("IpProtocol", "FromPort", "ToPort") if k in permission}
            rules.append({**rule, "UserIdGroupPairs": pairs})
    return rules


def delete_home_efs(efs: Any, ec2: Any, domain_arn: str) -> bool:
    """One step towards deleting what the domain's home EFS left; True when nothing is left."""
    waiting = False
    for file_system in home_file_systems(efs, domain_arn):
        waiting = True
        file_system_id = file_system["FileSystemId"]
        try:
            targets = list(_pages(efs, "describe_mount_targets", "MountTargets", FileSystemId=file_system_id))
        except ClientError as error:
            if _code(error) != "FileSystemNotFound":
                raise
            continue
        for target in targets:
            if target.get("LifeCycleState") not in ("deleting", "deleted"):
                LOG.info("deleting mount target %s of %s", target["MountTargetId"], file_system_id)
                efs.delete_mount_target(MountTargetId=target["MountTargetId"])
        if not targets and file_system.get("LifeCycleState") != "deleting":
            LOG.info("deleting home EFS %s", file_system_id)
            efs.delete_file_system(FileSystemId=file_system_id)
    if waiting:
        return False
    groups = nfs_security_groups(ec2, domain_arn)
    for group in groups:
        ingress, egress = _references(group.get("IpPermissions") or []), _references(group.get("IpPermissionsEgress") or [])
        if ingress:
            ec2.revoke_security_group_ingress(GroupId=group["GroupId"], IpPermissions=ingress)
        if egress:
            ec2.revoke_security_group_egress(GroupId=group["GroupId"], IpPermissions=egress)
    for group in groups:
        try:
            LOG.info("deleting security group %s (%s)", group["GroupId"], group.get("GroupName"))
            ec2.delete_security_group(GroupId=group["GroupId"])
        except ClientError as error:
            if _code(error) == "DependencyViolation":  # mount targets' network interfaces still detaching
                waiting = True
            elif _code(error) != "InvalidGroup.NotFound":
                raise
    return not waiting


def delete_domain(sm: Any, efs: Any, ec2: Any, domain_id: str, domain_arn: str) -> bool:
    """One step towards deleting the domain with ``RetentionPolicy.HomeEfsFileSystem=Delete``, then
    what its home EFS left; True when all is gone."""
    try:
        domain = sm.describe_domain(DomainId=domain_id)
    except ClientError as error:
        if _code(error) != "ResourceNotFound":
            raise
        return delete_home_efs(efs, ec2, domain_arn)
    status = domain.get("Status")
    if status == "Delete_Failed":
        raise CleanupBlocked(f"SageMaker failed to delete domain {domain_id}: {domain.get('FailureReason', 'no reason given')}")
    if status != "Deleting":
        LOG.info("deleting domain %s with its home EFS", domain_id)
        try:
            sm.delete_domain(DomainId=domain_id, RetentionPolicy={"HomeEfsFileSystem": "Delete"})
        except ClientError as error:
            if _code(error) == "ResourceNotFound":
                return delete_home_efs(efs, ec2, domain_arn)
            raise
    return False


def _domain_step(event: dict[str, Any]) -> bool | None:
    """The DeleteDomain step: ``None`` when the event asks for nothing, else whether all is gone."""
    props = event.get("ResourceProperties") or {}
    mode = event.get(MODE_KEY)
    if event["RequestType"] != "Delete" or mode == "none":
        return None
    if mode is None and not stack_is_going(event):
        return None
    clients = (boto3.client("sagemaker"), boto3.client("efs"), boto3.client("ec2"))
    return delete_domain(*clients, str(props["DomainId"]), str(props["DomainArn"]))


# -- the provider framework's entry points ----------------------------------------------------------------------


def on_event(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Start the cleanup ``event`` asks for; fail, changing nothing, when it may not be done."""
    if (event.get("ResourceProperties") or {}).get("Step") == DELETE_DOMAIN_STEP:
        physical = event.get("PhysicalResourceId") or f"{event['ResourceProperties']['DomainId']}-delete"
        done = _domain_step(event)
        return {"PhysicalResourceId": physical, MODE_KEY: "none" if done is None else "delete-domain"}
    domain_id = _properties(event.get("ResourceProperties"))[0]
    physical = event.get("PhysicalResourceId") or f"{domain_id}-cleanup"
    sm = boto3.client("sagemaker")
    plan, refused = plan_for(event, sm=sm)
    if plan is None:
        LOG.info("%s: nothing to clean up", event["RequestType"])
        return {"PhysicalResourceId": physical, MODE_KEY: "none"}
    found = inventory(sm, domain_id)
    listed = blockers(plan, found)
    if refused:
        what = "delete" if event["RequestType"] == "Delete" else "retire users and spaces of"
        named = [_describe_space(n, found) if n in found.spaces else n for n in refused]
        raise CleanupBlocked(
            f"Cannot {what} domain {domain_id}: spaces the stack did not make would have to be deleted with their "
            f"files, and delete_unmanaged_spaces is off: {_listing(named)}. "
            "Nothing was deleted. Back up and delete those spaces (docs/operations.md), or allow the cleanup to delete "
            "them (domain.cleanup.delete_unmanaged_spaces: true). Everything else in the way: " + ("; ".join(listed) or "nothing")
        )
    LOG.info("cleaning up domain %s: %s", domain_id, "; ".join(listed) or "nothing in the way")
    advance(sm, plan)
    mode = "teardown" if event["RequestType"] == "Delete" else "retire"
    return {"PhysicalResourceId": physical, MODE_KEY: mode}


def is_complete(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Delete what has become ready; ``IsComplete`` once nothing is left to wait for."""
    if (event.get("ResourceProperties") or {}).get("Step") == DELETE_DOMAIN_STEP:
        return {"IsComplete": _domain_step(event) is not False}
    sm = boto3.client("sagemaker")
    plan, _ = plan_for(event, sm=sm)
    if plan is None:
        return {"IsComplete": True}
    return {"IsComplete": advance(sm, plan)}
