"""Space: shared or private, per-space settings under the right app key, checked against its bounds."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import jsii
import pytest
from aws_cdk import CfnParameter, IStableNumberProducer, Lazy, Stack, Token
from aws_cdk.assertions import Match, Template

from sagemaker_studio_cdk import (
    AppType,
    EbsStorage,
    IdleShutdown,
    RemoteAccess,
    Space,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    StudioImage,
    UserProfile,
)
from tests.support import new_stack, template_of

SPACE = "AWS::SageMaker::Space"
IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/team-image"
DISTRIBUTION_CPU_US_EAST_1 = "arn:aws:sagemaker:us-east-1:885854791233:image/sagemaker-distribution-cpu"


@dataclass
class Built:
    stack: Stack
    domain: StudioDomain
    template: Template
    users: dict[str, UserProfile]
    spaces: dict[str, Space]


@pytest.fixture(scope="module")
def built() -> Built:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    alice = domain.add_user("alice", ebs=EbsStorage(default_gb=5, max_gb=50), idle_shutdown=IdleShutdown(max_timeout_minutes=120))
    spaces = {
        "team": domain.add_space("team"),
        "alice-notes": domain.add_space("alice-notes", sharing=SpaceSharing.PRIVATE, owner=alice),
        "editor": domain.add_space(
            "editor",
            app_type=AppType.CODE_EDITOR,
            instance_type="ml.m5.large",
            image=StudioImage.from_image_arn(IMAGE_ARN),
            idle_timeout_minutes=120,
            ebs_size_gb=20,
        ),
        "lab": domain.add_space(
            "lab",
            app_type=AppType.JUPYTER_LAB,
            instance_type="ml.c5.xlarge",
            image=StudioImage.sagemaker_distribution(),
            idle_timeout_minutes=240,
            ebs_size_gb=30,
        ),
        "shown": domain.add_space("shown", display_name="Team Notebook", tags={"project": "churn", "cost-center": "7"}),
        "remote": domain.add_space("remote", remote_access=RemoteAccess.ENABLED),
    }
    return Built(stack, domain, template_of(stack), {"alice": alice}, spaces)


def space(built: Built, name: str, properties: dict[str, Any]) -> None:
    built.template.has_resource_properties(SPACE, {"SpaceName": name, **properties})


def new_domain(**props: Any) -> StudioDomain:
    stack, vpc = new_stack()
    return StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", **props)


def message(text: str) -> str:
    return re.escape(text)


@jsii.implements(IStableNumberProducer)
class _Twenty:
    def produce(self) -> int:
        return 20


# --- sharing and ownership ------------------------------------------------------------------


def test_space_belongs_to_its_domain(built: Built) -> None:
    space(built, "team", {"DomainId": {"Fn::GetAtt": [built.stack.get_logical_id(built.domain.resource), "DomainId"]}})


def test_space_is_shared_by_default(built: Built) -> None:
    space(built, "team", {"SpaceSharingSettings": {"SharingType": "Shared"}})


def test_shared_space_has_no_owner(built: Built) -> None:
    space(built, "team", {"OwnershipSettings": Match.absent()})


def test_shared_space_depends_on_no_profile(built: Built) -> None:
    built.template.has_resource(SPACE, {"Properties": {"SpaceName": "team"}, "DependsOn": Match.absent()})


def test_private_space_is_private(built: Built) -> None:
    space(built, "alice-notes", {"SpaceSharingSettings": {"SharingType": "Private"}})


def test_private_space_names_its_owner(built: Built) -> None:
    space(built, "alice-notes", {"OwnershipSettings": {"OwnerUserProfileName": "alice"}})


def test_private_space_depends_on_its_owner_profile(built: Built) -> None:
    owner = built.stack.get_logical_id(built.users["alice"].resource)
    built.template.has_resource(SPACE, {"Properties": {"SpaceName": "alice-notes"}, "DependsOn": Match.array_with([owner])})


def test_spaces_lists_the_declared_spaces(built: Built) -> None:
    assert set(built.domain.spaces) == set(built.spaces)


def test_space_logical_id_is_pinned(built: Built) -> None:
    assert built.stack.get_logical_id(built.spaces["team"].resource) == "DomainSpacesteam23A10C40"


# --- app settings ---------------------------------------------------------------------------


def test_space_without_settings_inherits_the_domain_defaults(built: Built) -> None:
    space(built, "team", {"SpaceSettings": Match.object_equals({"AppType": "JupyterLab"})})


def test_app_type_defaults_to_jupyter_lab(built: Built) -> None:
    space(built, "alice-notes", {"SpaceSettings": {"AppType": "JupyterLab"}})


def test_app_type_code_editor(built: Built) -> None:
    space(built, "editor", {"SpaceSettings": {"AppType": "CodeEditor"}})


def test_code_editor_settings_go_under_code_editor_app_settings(built: Built) -> None:
    space(
        built,
        "editor",
        {"SpaceSettings": {"CodeEditorAppSettings": Match.any_value(), "JupyterLabAppSettings": Match.absent()}},
    )


def test_jupyter_lab_settings_go_under_jupyter_lab_app_settings(built: Built) -> None:
    space(
        built,
        "lab",
        {
            "SpaceSettings": {
                "AppType": "JupyterLab",
                "JupyterLabAppSettings": Match.any_value(),
                "CodeEditorAppSettings": Match.absent(),
            }
        },
    )


def test_instance_type_sets_the_apps_default_instance(built: Built) -> None:
    space(built, "lab", {"SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.c5.xlarge"}}}})


def test_instance_type_of_code_editor_space(built: Built) -> None:
    space(built, "editor", {"SpaceSettings": {"CodeEditorAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}}}})


def test_image_given_arn_is_used(built: Built) -> None:
    space(
        built, "editor", {"SpaceSettings": {"CodeEditorAppSettings": {"DefaultResourceSpec": {"SageMakerImageArn": IMAGE_ARN}}}}
    )


def test_image_sagemaker_distribution_resolves_to_the_regions_arn(built: Built) -> None:
    space(
        built,
        "lab",
        {"SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"SageMakerImageArn": DISTRIBUTION_CPU_US_EAST_1}}}},
    )


def test_idle_timeout_sets_the_spaces_idle_settings(built: Built) -> None:
    space(
        built,
        "lab",
        {"SpaceSettings": {"JupyterLabAppSettings": {"AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": 240}}}}},
    )


def test_idle_timeout_of_code_editor_space(built: Built) -> None:
    space(
        built,
        "editor",
        {"SpaceSettings": {"CodeEditorAppSettings": {"AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": 120}}}}},
    )


def test_ebs_size_gb_sets_the_volume_size(built: Built) -> None:
    space(built, "lab", {"SpaceSettings": {"SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 30}}}})


def test_display_name_is_set(built: Built) -> None:
    space(built, "shown", {"SpaceDisplayName": "Team Notebook"})


def test_display_name_is_absent_by_default(built: Built) -> None:
    space(built, "team", {"SpaceDisplayName": Match.absent()})


def test_tags_are_set_on_the_space(built: Built) -> None:
    space(built, "shown", {"Tags": [{"Key": "cost-center", "Value": "7"}, {"Key": "project", "Value": "churn"}]})


def test_space_has_no_tags_by_default(built: Built) -> None:
    space(built, "team", {"Tags": Match.absent()})


def test_private_space_carries_its_owner_tag(built: Built) -> None:
    space(built, "alice-notes", {"Tags": [{"Key": "studio:space-owner", "Value": "alice"}]})


def test_shared_spaces_carry_no_owner_tag(built: Built) -> None:
    for resource in built.template.find_resources(SPACE).values():
        keys = [t["Key"] for t in resource["Properties"].get("Tags", [])]
        shared = resource["Properties"]["SpaceSharingSettings"]["SharingType"] == "Shared"
        assert ("studio:space-owner" in keys) is not shared, resource["Properties"]["SpaceName"]


def test_fails_when_tags_set_the_owner_tag() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("spaces[lab].tags.Studio:Space-Owner: got 'Studio:Space-Owner'")):
        domain.add_space("lab", tags={"Studio:Space-Owner": "bob"})


def test_remote_access_enabled_is_set(built: Built) -> None:
    space(built, "remote", {"SpaceSettings": {"RemoteAccess": "ENABLED"}})


def test_remote_access_is_not_set_by_default(built: Built) -> None:
    space(built, "team", {"SpaceSettings": {"RemoteAccess": Match.absent()}})


def test_fails_when_remote_access_is_a_string() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("spaces[lab].remote_access: got 'ENABLED'; one of RemoteAccess.ENABLED")):
        domain.add_space("lab", remote_access="ENABLED")


# --- tokens ---------------------------------------------------------------------------------


def test_token_ebs_size_from_a_parameter_is_not_range_checked() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    size = CfnParameter(stack, "Size", type="Number", default=20)
    domain.add_space("team", ebs_size_gb=Token.as_number(size.value_as_number))
    template_of(stack).has_resource_properties(
        SPACE, {"SpaceSettings": {"SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": {"Ref": "Size"}}}}}
    )


def test_lazy_ebs_size_is_not_range_checked() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.add_space("team", ebs_size_gb=Lazy.number(_Twenty()))
    template_of(stack).has_resource_properties(
        SPACE, {"SpaceSettings": {"SpaceStorageSettings": {"EbsStorageSettings": {"EbsVolumeSizeInGb": 20}}}}
    )


def test_token_idle_timeout_is_not_checked_against_the_bounds() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    timeout = CfnParameter(stack, "Timeout", type="Number", default=120)
    domain.add_space("team", idle_timeout_minutes=Token.as_number(timeout.value_as_number))
    template_of(stack).has_resource_properties(
        SPACE,
        {
            "SpaceSettings": {
                "JupyterLabAppSettings": {
                    "AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": {"Ref": "Timeout"}}}
                }
            }
        },
    )


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["-team", "team-", "team_lab", "team lab"])
def test_fails_when_space_name_has_a_bad_pattern(name: str) -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message(f"spaces[{name}].space_name: got {name!r}; 1-63 letters and digits")):
        domain.add_space(name)


def test_fails_when_space_name_is_longer_than_63_characters() -> None:
    domain = new_domain()
    name = "s" * 64
    with pytest.raises(StudioConfigError, match=message(f"space_name: got {name!r}; 1-63 letters and digits")):
        domain.add_space(name)


def test_fails_when_space_name_is_declared_twice() -> None:
    domain = new_domain()
    domain.add_space("team")
    with pytest.raises(StudioConfigError, match=message("spaces[team].space_name: got 'team'; a space name not yet used")):
        domain.add_space("team", scope=domain.users_scope)


@pytest.mark.parametrize("size", [4, 16385])
def test_fails_when_ebs_size_is_outside_5_to_16384_gb(size: int) -> None:
    domain = new_domain(ebs=EbsStorage(max_gb=16384))
    with pytest.raises(StudioConfigError, match=message(f"spaces[team].ebs_size_gb: got {size}; 5-16384 GB")):
        domain.add_space("team", ebs_size_gb=size)


def test_fails_when_ebs_size_is_above_the_domain_max() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("spaces[team].ebs_size_gb: got 150; at most domain.ebs.max_gb (100 GB)")):
        domain.add_space("team", ebs_size_gb=150)


def test_fails_when_ebs_size_is_above_the_owners_max() -> None:
    domain = new_domain()
    alice = domain.add_user("alice", ebs=EbsStorage(max_gb=50))
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[notes].ebs_size_gb: got 60; at most user_profiles[alice].ebs.max_gb (50 GB)"),
    ):
        domain.add_space("notes", sharing=SpaceSharing.PRIVATE, owner=alice, ebs_size_gb=60)


def test_fails_when_ebs_size_is_above_an_imported_domains_max() -> None:
    stack, _ = new_stack()
    domain = StudioDomain.from_domain_attributes(stack, "Imported", domain_id="d-abc123def456", ebs=EbsStorage(max_gb=20))
    with pytest.raises(StudioConfigError, match=message("spaces[team].ebs_size_gb: got 30; at most domain.ebs.max_gb (20 GB)")):
        domain.add_space("team", ebs_size_gb=30)


@pytest.mark.parametrize("timeout", [59, 525601])
def test_fails_when_idle_timeout_is_outside_60_to_525600_minutes(timeout: int) -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message(f"spaces[team].idle_timeout_minutes: got {timeout}; 60-525600 minutes")):
        domain.add_space("team", idle_timeout_minutes=timeout)


def test_fails_when_idle_timeout_is_outside_the_domain_bounds() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError, match=message("spaces[team].idle_timeout_minutes: got 500; within the idle bounds 60-480 minutes")
    ):
        domain.add_space("team", idle_timeout_minutes=500)


def test_fails_when_idle_timeout_is_below_the_domain_minimum() -> None:
    domain = new_domain(idle_shutdown=IdleShutdown(timeout_minutes=120, min_timeout_minutes=90))
    with pytest.raises(
        StudioConfigError, match=message("spaces[team].idle_timeout_minutes: got 60; within the idle bounds 90-480 minutes")
    ):
        domain.add_space("team", idle_timeout_minutes=60)


def test_fails_when_idle_timeout_is_outside_the_owners_bounds() -> None:
    domain = new_domain()
    alice = domain.add_user("alice", idle_shutdown=IdleShutdown(max_timeout_minutes=120))
    with pytest.raises(
        StudioConfigError, match=message("spaces[notes].idle_timeout_minutes: got 200; within the idle bounds 60-120 minutes")
    ):
        domain.add_space("notes", sharing=SpaceSharing.PRIVATE, owner=alice, idle_timeout_minutes=200)


def test_fails_when_private_space_has_no_owner() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[notes].owner: got None; a user profile of the domain: a private space needs an owner"),
    ):
        domain.add_space("notes", sharing=SpaceSharing.PRIVATE)


def test_fails_when_shared_space_has_an_owner() -> None:
    domain = new_domain()
    alice = domain.add_user("alice")
    with pytest.raises(
        StudioConfigError, match=message("spaces[team].owner: got 'alice'; no owner: a shared space belongs to every user")
    ):
        domain.add_space("team", owner=alice)


def test_fails_when_owner_is_a_profile_of_another_domain() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    other = StudioDomain(stack, "Other", vpc=vpc, domain_name="other")
    stranger = other.add_user("stranger")
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[notes].owner: got 'stranger'; a user profile of the space's domain (Test/Domain)"),
    ):
        domain.add_space("notes", sharing=SpaceSharing.PRIVATE, owner=stranger)


def test_fails_when_instance_type_is_unknown() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[team].instance_type: got 'ml.bogus.large'; an app instance type such as ml.t3.medium"),
    ):
        domain.add_space("team", instance_type="ml.bogus.large")


def test_fails_when_a_tag_key_starts_with_aws() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[team].tags['aws:project']: got 'aws:project'; a key that does not start with 'aws:'"),
    ):
        domain.add_space("team", tags={"aws:project": "churn"})


@pytest.mark.parametrize("display_name", ["   ", "d" * 65])
def test_fails_when_display_name_is_blank_or_longer_than_64_characters(display_name: str) -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message(f"spaces[team].display_name: got {display_name!r}; a display name: at most 64 characters"),
    ):
        domain.add_space("team", display_name=display_name)


def test_fails_with_every_space_problem_in_one_error() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError) as caught:
        domain.add_space(
            "team_",
            sharing=SpaceSharing.PRIVATE,
            ebs_size_gb=1,
            instance_type="ml.bogus.large",
            idle_timeout_minutes=1,
        )
    text = str(caught.value)
    assert text.startswith("5 problems:")
    for field in ("space_name", "owner", "ebs_size_gb", "instance_type", "idle_timeout_minutes"):
        assert f"  - spaces[team_].{field}: got" in text
