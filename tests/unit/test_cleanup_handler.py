"""The cleanup handler, called in-process against moto as the provider framework calls it.

The domain: alice and bob (declared), alice-lab (declared, private) and team (declared, shared);
made in the console: bob's private space scratch, RStudio's domain-shared profile with its
server app. Apps run in every space and under domain-shared.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto.cloudformation.models import cloudformation_backends

from sagemaker_studio_cdk.handlers import cleanup
from sagemaker_studio_cdk.testing import StudioMoto, studio_backend

ACCOUNT = "123456789012"
DECLARED = {"UserProfiles": ["alice", "bob"], "Spaces": ["alice-lab", "team"]}


class Domain:
    def __init__(self, moto: StudioMoto) -> None:
        self.moto = moto
        self.sm = moto.client("sagemaker")
        ec2 = moto.client("ec2")
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone=f"{moto.region}a")["Subnet"]["SubnetId"]
        self.domain_id = self.sm.create_domain(
            DomainName="d",
            AuthMode="IAM",
            VpcId=vpc,
            SubnetIds=[subnet],
            DefaultUserSettings={"ExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/execution"},
        )["DomainId"]
        for name in ("alice", "bob", "domain-shared"):
            self.sm.create_user_profile(DomainId=self.domain_id, UserProfileName=name)
        for name, owner in (("alice-lab", "alice"), ("scratch", "bob"), ("team", None)):
            sharing = {"SharingType": "Private" if owner else "Shared"}
            extra = {"OwnershipSettings": {"OwnerUserProfileName": owner}} if owner else {}
            self.sm.create_space(
                DomainId=self.domain_id,
                SpaceName=name,
                SpaceSharingSettings=sharing,
                SpaceSettings={"AppType": "JupyterLab"},
                **extra,
            )
            self.sm.create_app(DomainId=self.domain_id, SpaceName=name, AppType="JupyterLab", AppName="default")
        self.sm.create_app(
            DomainId=self.domain_id, UserProfileName="domain-shared", AppType="RStudioServerPro", AppName="default"
        )
        template = {"Resources": {"Marker": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x"}}}}
        cloudformation = moto.client("cloudformation")
        self.stack_id = cloudformation.create_stack(StackName="studio", TemplateBody=json.dumps(template))["StackId"]

    def stack_status(self, status: str) -> None:
        """What CloudFormation's state is while it sends the event."""
        cloudformation_backends[ACCOUNT][self.moto.region].stacks[self.stack_id].status = status

    def event(self, request: str, *, allowed: bool = False, old: dict[str, Any] | None = None, **props: Any) -> dict[str, Any]:
        properties = {"DomainId": self.domain_id, **DECLARED, "DeleteUnmanagedSpaces": str(allowed).lower(), **props}
        event: dict[str, Any] = {
            "RequestType": request,
            "StackId": self.stack_id,
            "RequestId": "r-1",
            "LogicalResourceId": "Cleanup",
            "ResourceType": "Custom::StudioDomainCleanup",
            "ResourceProperties": properties,
        }
        if request != "Create":
            event["PhysicalResourceId"] = f"{self.domain_id}-cleanup"
        if old is not None:
            event["OldResourceProperties"] = {**properties, **old}
        return event

    def apps(self) -> dict[str, str]:
        found = self.sm.list_apps(DomainIdEquals=self.domain_id)["Apps"]
        return {str(a.get("SpaceName") or a.get("UserProfileName")): a["Status"] for a in found}

    def names(self) -> tuple[set[str], set[str]]:
        profiles = {p["UserProfileName"] for p in self.sm.list_user_profiles(DomainIdEquals=self.domain_id)["UserProfiles"]}
        spaces = {s["SpaceName"] for s in self.sm.list_spaces(DomainIdEquals=self.domain_id)["Spaces"]}
        return profiles, spaces


@pytest.fixture
def domain(studio_moto: StudioMoto) -> Iterator[Domain]:
    yield Domain(studio_moto)


def _run(event: dict[str, Any]) -> int:
    """on_event, then is_complete until it answers True, as the framework does; the number of
    is_complete calls."""
    answer = cleanup.on_event(event, None)
    merged = {**event, **answer}
    for calls in range(1, 20):
        if cleanup.is_complete(merged, None)["IsComplete"]:
            return calls
    raise AssertionError("never complete")


def test_create_does_nothing(domain: Domain) -> None:
    answer = cleanup.on_event(domain.event("Create"), None)
    assert answer["PhysicalResourceId"] == f"{domain.domain_id}-cleanup"
    assert set(domain.apps().values()) == {"InService"}


def test_stack_delete_deletes_apps_first_waits_for_them_then_undeclared_profiles(domain: Domain) -> None:
    domain.stack_status("DELETE_IN_PROGRESS")
    event = domain.event("Delete", Spaces=["alice-lab", "team", "scratch"])
    answer = cleanup.on_event(event, None)
    assert set(domain.apps().values()) == {"Deleting"}  # every app asked to stop; none gone yet
    assert "domain-shared" in domain.names()[0]  # its server app still deleting: not deletable yet
    merged = {**event, **answer}
    assert cleanup.is_complete(merged, None) == {"IsComplete": False}
    calls = 1 + next(n for n in range(1, 10) if cleanup.is_complete(merged, None)["IsComplete"])
    assert calls >= 2
    assert set(domain.apps().values()) == {"Deleted"}
    profiles, spaces = domain.names()
    assert profiles == {"alice", "bob"} and spaces == {"alice-lab", "team", "scratch"}  # left to CloudFormation
    for space in spaces:  # which can now delete them, and the domain
        domain.sm.delete_space(DomainId=domain.domain_id, SpaceName=space)
    for profile in profiles:
        domain.sm.delete_user_profile(DomainId=domain.domain_id, UserProfileName=profile)
    domain.sm.delete_domain(DomainId=domain.domain_id)


def test_stack_delete_fails_naming_every_blocker_and_changes_nothing_when_undeclared_spaces_may_not_go(
    domain: Domain,
) -> None:
    domain.stack_status("DELETE_IN_PROGRESS")
    with pytest.raises(cleanup.CleanupBlocked) as blocked:
        cleanup.on_event(domain.event("Delete"), None)
    message = str(blocked.value)
    assert "scratch (private, owner bob, JupyterLab)" in message
    assert "delete_unmanaged_spaces" in message and "Nothing was deleted" in message
    assert "domain-shared (apps RStudioServerPro/default)" in message
    assert "apps (4)" in message
    assert set(domain.apps().values()) == {"InService"}
    assert domain.names() == ({"alice", "bob", "domain-shared"}, {"alice-lab", "scratch", "team"})


def test_stack_delete_deletes_undeclared_spaces_when_allowed(domain: Domain) -> None:
    domain.stack_status("DELETE_IN_PROGRESS")
    _run(domain.event("Delete", allowed=True))
    assert domain.names() == ({"alice", "bob"}, {"alice-lab", "team"})
    assert set(domain.apps().values()) == {"Deleted"}


def test_delete_while_the_stack_stays_does_nothing(domain: Domain) -> None:
    """The resource was removed from the template (cleanup turned off): the domain stays."""
    domain.stack_status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    assert _run(domain.event("Delete", allowed=True)) == 1
    assert set(domain.apps().values()) == {"InService"}
    assert len(domain.names()[1]) == 3


def test_update_deletes_apps_of_retired_users_and_spaces_only(domain: Domain) -> None:
    domain.sm.create_app(DomainId=domain.domain_id, UserProfileName="bob", AppType="Canvas", AppName="default")
    event = domain.event(
        "Update",
        allowed=True,
        UserProfiles=["alice"],
        Spaces=["alice-lab"],
        old={"UserProfiles": ["alice", "bob"], "Spaces": ["alice-lab", "team"]},
    )
    _run(event)
    apps = domain.sm.list_apps(DomainIdEquals=domain.domain_id)["Apps"]
    status = {(a.get("SpaceName") or a.get("UserProfileName"), a["AppType"]): a["Status"] for a in apps}
    assert status == {
        ("alice-lab", "JupyterLab"): "InService",
        ("domain-shared", "RStudioServerPro"): "InService",
        ("team", "JupyterLab"): "Deleted",
        ("scratch", "JupyterLab"): "Deleted",
        ("bob", "Canvas"): "Deleted",
    }
    profiles, spaces = domain.names()
    assert "scratch" not in spaces  # bob's own space, allowed: gone so CloudFormation can delete bob
    domain.sm.delete_user_profile(DomainId=domain.domain_id, UserProfileName="bob")
    domain.sm.delete_space(DomainId=domain.domain_id, SpaceName="team")


def test_update_refuses_to_retire_a_user_whose_own_spaces_may_not_go(domain: Domain) -> None:
    event = domain.event("Update", UserProfiles=["alice"], old={"UserProfiles": ["alice", "bob"]})
    with pytest.raises(cleanup.CleanupBlocked, match=r"retire users and spaces of .*scratch \(private, owner bob"):
        cleanup.on_event(event, None)
    assert set(domain.apps().values()) == {"InService"}


def test_update_without_retirements_does_nothing(domain: Domain) -> None:
    assert _run(domain.event("Update", old={}, DeleteUnmanagedSpaces="true")) == 1
    assert set(domain.apps().values()) == {"InService"}


def test_is_complete_waits_as_long_as_apps_take(domain: Domain) -> None:
    studio_backend(ACCOUNT, domain.moto.region).app_deletion_polls = 3
    domain.stack_status("DELETE_IN_PROGRESS")
    assert _run(domain.event("Delete", allowed=True)) >= 4
    assert domain.names() == ({"alice", "bob"}, {"alice-lab", "team"})


def test_an_app_still_starting_is_waited_for_then_deleted(domain: Domain) -> None:
    """Only an InService app can be deleted: a Pending one is asked about again next time."""
    studio = studio_backend(ACCOUNT, domain.moto.region)
    starting = next(a for a in studio.apps if a.get("SpaceName") == "team")
    starting["Status"] = "Pending"
    domain.stack_status("DELETE_IN_PROGRESS")
    event = domain.event("Delete", allowed=True)
    merged = {**event, **cleanup.on_event(event, None)}
    for _ in range(3):
        assert cleanup.is_complete(merged, None) == {"IsComplete": False}
    assert domain.apps()["team"] == "Pending"
    starting["Status"] = "InService"  # it finished starting
    assert _run(event) >= 1
    assert domain.apps()["team"] == "Deleted"


def _home_efs_domain(moto: StudioMoto, name: str, vpc: str, subnets: list[str]) -> tuple[str, str]:
    sm = moto.client("sagemaker")
    domain_id = sm.create_domain(
        DomainName=name,
        AuthMode="IAM",
        VpcId=vpc,
        SubnetIds=subnets,
        HomeEfsFileSystemCreation="Enabled",
        DefaultUserSettings={"ExecutionRole": f"arn:aws:iam::{ACCOUNT}:role/execution"},
    )["DomainId"]
    return domain_id, str(sm.describe_domain(DomainId=domain_id)["DomainArn"])


def _left(moto: StudioMoto, arn: str) -> tuple[int, int, int]:
    efs = moto.client("efs")
    systems = cleanup.home_file_systems(efs, arn)
    targets = [t for f in systems for t in efs.describe_mount_targets(FileSystemId=f["FileSystemId"])["MountTargets"]]
    return len(systems), len(targets), len(cleanup.nfs_security_groups(moto.client("ec2"), arn))


def test_delete_domain_step_deletes_what_the_home_efs_left_and_nothing_of_another_domain(studio_moto: StudioMoto) -> None:
    """SageMaker left the file system (as a Retain delete does): the step deletes its mount targets,
    then it, then the NFS security groups, whose rules name each other; another domain's stay."""
    ec2, sm = studio_moto.client("ec2"), studio_moto.client("sagemaker")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    zones = [f"{studio_moto.region}{z}" for z in "ab"]
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
        for i, zone in enumerate(zones)
    ]
    domain_id, arn = _home_efs_domain(studio_moto, "gone", vpc, subnets)
    _, other = _home_efs_domain(studio_moto, "kept", vpc, subnets)
    assert _left(studio_moto, arn) == (1, 2, 2)
    sm.delete_domain(DomainId=domain_id)  # Retain: everything stays
    assert _left(studio_moto, arn) == (1, 2, 2)
    clients = (sm, studio_moto.client("efs"), ec2)
    steps = [cleanup.delete_domain(*clients, domain_id, arn) for _ in range(4)]
    assert steps[-1] and _left(studio_moto, arn) == (0, 0, 0)
    assert _left(studio_moto, other) == (1, 2, 2)


def test_delete_domain_step_deletes_the_domain_with_its_home_efs(studio_moto: StudioMoto) -> None:
    ec2, sm = studio_moto.client("ec2"), studio_moto.client("sagemaker")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone=f"{studio_moto.region}a")["Subnet"]
    domain_id, arn = _home_efs_domain(studio_moto, "d", vpc, [subnet["SubnetId"]])
    clients = (sm, studio_moto.client("efs"), ec2)
    assert not cleanup.delete_domain(*clients, domain_id, arn)  # DeleteDomain called: wait for it
    assert sm.list_domains()["Domains"] == []
    assert cleanup.delete_domain(*clients, domain_id, arn) and _left(studio_moto, arn) == (0, 0, 0)
