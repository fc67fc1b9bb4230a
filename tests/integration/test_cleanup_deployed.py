"""The example deployed to moto, used in Studio, then a user retired and the stacks destroyed.

Users start apps and make their own spaces; moto's Studio refuses to delete a profile or space
with apps and a domain with profiles or spaces, as AWS does. With the example's cleanup on
(``domain.cleanup``), retiring a user whose apps still run works, and ``cdk destroy`` works once
nothing it may not delete is left; it fails first, changing nothing, while a user's own space is
in the way. With the cleanup off the destroy fails on the first app.
"""

from __future__ import annotations

from typing import Any

import pytest

from sagemaker_studio_cdk.testing import Deployer, DeploymentFailed, mock_studio

from .helpers import DOMAIN_STACK, deploy, variant


def _use_studio(sm: Any, domain_id: str) -> None:
    """What users do in the console: apps in their spaces, a space of one's own, RStudio's profile."""
    for space in ("alice-lab", "carol-lab", "team"):
        sm.create_app(DomainId=domain_id, SpaceName=space, AppType="JupyterLab", AppName="default")
    sm.create_app(DomainId=domain_id, UserProfileName="carol", AppType="Canvas", AppName="default")
    sm.create_space(
        DomainId=domain_id,
        SpaceName="bob-scratch",
        SpaceSharingSettings={"SharingType": "Private"},
        OwnershipSettings={"OwnerUserProfileName": "bob"},
        SpaceSettings={"AppType": "CodeEditor"},
    )
    sm.create_app(DomainId=domain_id, SpaceName="bob-scratch", AppType="CodeEditor", AppName="default")
    sm.create_user_profile(DomainId=domain_id, UserProfileName="domain-shared")
    sm.create_app(DomainId=domain_id, UserProfileName="domain-shared", AppType="RStudioServerPro", AppName="default")


def _names(sm: Any, domain_id: str) -> tuple[set[str], set[str]]:
    profiles = {p["UserProfileName"] for p in sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]}
    return profiles, {s["SpaceName"] for s in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]}


def test_cleanup_retires_a_working_user_and_destroys_once_users_own_spaces_are_gone() -> None:
    with mock_studio() as moto:
        deployer: Deployer = moto.deployer()
        deployer.bootstrap()
        deploy(deployer, "base")
        sm = moto.client("sagemaker")
        domain_id = deployer.outputs(DOMAIN_STACK)["DomainId"]
        _use_studio(sm, domain_id)

        deploy(deployer, "remove-user")  # carol's apps still run: deleted first, then carol and carol-lab
        assert deployer.describe(DOMAIN_STACK)["StackStatus"] == "UPDATE_COMPLETE"
        profiles, spaces = _names(sm, domain_id)
        assert "carol" not in profiles and "carol-lab" not in spaces
        running = {(a.get("SpaceName") or a.get("UserProfileName")) for a in sm.list_apps()["Apps"] if a["Status"] == "InService"}
        assert running == {"alice-lab", "team", "bob-scratch", "domain-shared"}

        directory, _ = variant("remove-user")
        with pytest.raises(DeploymentFailed) as failed:
            deployer.destroy(directory)
        reason = " ".join(failed.value.reasons)
        assert "bob-scratch (private, owner bob, CodeEditor)" in reason and "delete_unmanaged_spaces" in reason
        assert _names(sm, domain_id) == ({"alice", "bob", "domain-shared"}, {"alice-lab", "bob-lab", "team", "bob-scratch"})

        sm.delete_app(DomainId=domain_id, SpaceName="bob-scratch", AppType="CodeEditor", AppName="default")
        while (
            sm.describe_app(DomainId=domain_id, SpaceName="bob-scratch", AppType="CodeEditor", AppName="default")["Status"]
            != "Deleted"
        ):
            pass
        sm.delete_space(DomainId=domain_id, SpaceName="bob-scratch")  # bob backed up and deleted his own space
        deployer.destroy(directory)
        assert not deployer.exists(DOMAIN_STACK)
        assert sm.list_domains()["Domains"] == []


def test_without_cleanup_destroy_fails_naming_the_running_app() -> None:
    with mock_studio() as moto:
        deployer = moto.deployer()
        deployer.bootstrap()
        directory = deploy(deployer, "no-cleanup")
        sm = moto.client("sagemaker")
        domain_id = deployer.outputs(DOMAIN_STACK)["DomainId"]
        sm.create_app(DomainId=domain_id, SpaceName="alice-lab", AppType="JupyterLab", AppName="default")
        with pytest.raises(DeploymentFailed) as failed:
            deployer.destroy(directory)
        assert "UserGroupresearch" in " ".join(failed.value.reasons)  # the user stack failed; its events say why
        nested = [
            r["PhysicalResourceId"]
            for r in deployer.resources(DOMAIN_STACK).values()
            if r["ResourceType"] == "AWS::CloudFormation::Stack"
        ]
        reasons = " ".join(deployer.failure_reasons(nested[0]))
        assert "Space alice-lab cannot be deleted: it has apps ['default']; delete them first." in reasons
