"""UserProfile: overrides are emitted only when given, everything else is inherited from the domain."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template
from constructs import Construct

from sagemaker_studio_cdk import (
    AppDefaults,
    AuthMode,
    EbsStorage,
    IdleShutdown,
    PosixUser,
    StudioConfigError,
    StudioDomain,
    StudioImage,
    UserProfile,
)
from tests.support import new_stack, resources_of, template_of

PROFILE = "AWS::SageMaker::UserProfile"
ROLE_ARN = "arn:aws:iam::111122223333:role/alice-exec"
IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/team-image"


@dataclass
class Built:
    stack: Stack
    iam_domain: StudioDomain
    sso_domain: StudioDomain
    template: Template
    users: dict[str, UserProfile]


@pytest.fixture(scope="module")
def built() -> Built:
    """An IAM domain with one profile per override (and one without any), and an SSO domain."""
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    sso = StudioDomain(stack, "SsoDomain", vpc=vpc, domain_name="research-sso", auth_mode=AuthMode.SSO)
    users = {
        "plain": domain.add_user("plain"),
        "role-only": domain.add_user("role-only", execution_role=iam.Role.from_role_arn(stack, "AliceRole", ROLE_ARN)),
        "apps-only": domain.add_user(
            "apps-only",
            app_defaults=AppDefaults(jupyter_lab_instance_type="ml.m5.large", code_editor_instance_type="ml.c5.xlarge"),
        ),
        "ebs-only": domain.add_user("ebs-only", ebs=EbsStorage(default_gb=10, max_gb=50)),
        "idle-only": domain.add_user("idle-only", idle_shutdown=IdleShutdown(timeout_minutes=90, max_timeout_minutes=120)),
        "image-only": domain.add_user("image-only", default_image=StudioImage.from_image_arn(IMAGE_ARN)),
        "posix-only": domain.add_user("posix-only", posix_user=PosixUser(uid=10001, gid=1002)),
        "tagged": domain.add_user("tagged", tags={"team": "nlp", "cost-center": "7"}),
        "carol": sso.add_user("carol", sso_user_name="carol@example.com"),
    }
    return Built(stack, domain, sso, template_of(stack), users)


def has_only_user_settings(built: Built, name: str, settings: dict[str, Any]) -> None:
    built.template.has_resource_properties(PROFILE, {"UserProfileName": name, "UserSettings": Match.object_equals(settings)})


def new_domain(**props: Any) -> StudioDomain:
    stack, vpc = new_stack()
    return StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", **props)


def message(text: str) -> str:
    return re.escape(text)


# --- identity -------------------------------------------------------------------------------


def test_profile_belongs_to_its_domain(built: Built) -> None:
    domain_id = {"Fn::GetAtt": [built.stack.get_logical_id(built.iam_domain.resource), "DomainId"]}
    built.template.has_resource_properties(PROFILE, {"UserProfileName": "plain", "DomainId": domain_id})


def test_profile_name_is_set(built: Built) -> None:
    built.template.has_resource_properties(PROFILE, {"UserProfileName": "plain"})


def test_profile_logical_id_is_pinned(built: Built) -> None:
    assert built.stack.get_logical_id(built.users["plain"].resource) == "DomainUsersplain7D346A63"


def test_add_user_puts_the_profile_in_the_given_scope() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.add_user("alice", scope=Construct(stack, "Team"))
    template = template_of(stack)
    (logical_id,) = resources_of(template, PROFILE)
    assert logical_id.startswith("Teamalice")


def test_user_profiles_lists_the_declared_profiles(built: Built) -> None:
    assert set(built.iam_domain.user_profiles) == {name for name in built.users if name != "carol"}


# --- inheritance and overrides --------------------------------------------------------------


def test_profile_without_overrides_inherits_every_setting(built: Built) -> None:
    built.template.has_resource_properties(PROFILE, {"UserProfileName": "plain", "UserSettings": Match.absent()})


def test_execution_role_override_is_the_only_user_setting(built: Built) -> None:
    has_only_user_settings(built, "role-only", {"ExecutionRole": ROLE_ARN})


def test_app_defaults_override_is_the_only_user_setting(built: Built) -> None:
    has_only_user_settings(
        built,
        "apps-only",
        {
            "JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}},
            "CodeEditorAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.c5.xlarge"}},
        },
    )


def test_ebs_override_is_the_only_user_setting(built: Built) -> None:
    has_only_user_settings(
        built,
        "ebs-only",
        {"SpaceStorageSettings": {"DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": 10, "MaximumEbsVolumeSizeInGb": 50}}},
    )


def test_idle_shutdown_override_is_the_only_user_setting(built: Built) -> None:
    idle = {
        "AppLifecycleManagement": {
            "IdleSettings": {
                "LifecycleManagement": "ENABLED",
                "IdleTimeoutInMinutes": 90,
                "MinIdleTimeoutInMinutes": 60,
                "MaxIdleTimeoutInMinutes": 120,
            }
        }
    }
    has_only_user_settings(built, "idle-only", {"JupyterLabAppSettings": idle, "CodeEditorAppSettings": idle})


def test_default_image_override_is_the_only_user_setting(built: Built) -> None:
    spec = {"DefaultResourceSpec": {"SageMakerImageArn": IMAGE_ARN}}
    has_only_user_settings(built, "image-only", {"JupyterLabAppSettings": spec, "CodeEditorAppSettings": spec})


def test_posix_user_override_is_the_only_user_setting(built: Built) -> None:
    has_only_user_settings(built, "posix-only", {"CustomPosixUserConfig": {"Uid": 10001, "Gid": 1002}})


def test_tags_are_set_on_the_profile(built: Built) -> None:
    built.template.has_resource_properties(
        PROFILE, {"UserProfileName": "tagged", "Tags": [{"Key": "cost-center", "Value": "7"}, {"Key": "team", "Value": "nlp"}]}
    )


def test_tags_do_not_change_user_settings(built: Built) -> None:
    built.template.has_resource_properties(PROFILE, {"UserProfileName": "tagged", "UserSettings": Match.absent()})


def test_profile_has_no_tags_by_default(built: Built) -> None:
    built.template.has_resource_properties(PROFILE, {"UserProfileName": "plain", "Tags": Match.absent()})


def test_profile_ebs_applies_to_its_spaces(built: Built) -> None:
    assert built.users["ebs-only"].ebs == EbsStorage(default_gb=10, max_gb=50)
    assert built.users["plain"].ebs == built.iam_domain.ebs


# --- sign-in --------------------------------------------------------------------------------


def test_sso_user_name_sets_the_single_sign_on_user(built: Built) -> None:
    built.template.has_resource_properties(
        PROFILE,
        {"UserProfileName": "carol", "SingleSignOnUserIdentifier": "UserName", "SingleSignOnUserValue": "carol@example.com"},
    )


def test_iam_profile_has_no_single_sign_on_user(built: Built) -> None:
    built.template.has_resource_properties(
        PROFILE,
        {"UserProfileName": "plain", "SingleSignOnUserIdentifier": Match.absent(), "SingleSignOnUserValue": Match.absent()},
    )


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["-alice", "alice-", "alice_b", "alice.b"])
def test_fails_when_profile_name_has_a_bad_pattern(name: str) -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError, match=message(f"user_profiles[{name}].user_profile_name: got {name!r}; 1-63 letters and digits")
    ):
        domain.add_user(name)


def test_fails_when_profile_name_is_longer_than_63_characters() -> None:
    domain = new_domain()
    name = "a" * 64
    with pytest.raises(StudioConfigError, match=message(f"user_profile_name: got {name!r}; 1-63 letters and digits")):
        domain.add_user(name)


def test_fails_when_profile_name_is_declared_twice() -> None:
    domain = new_domain()
    domain.add_user("alice")
    with pytest.raises(
        StudioConfigError, match=message("user_profiles[alice].user_profile_name: got 'alice'; a user name not yet used")
    ):
        domain.add_user("alice", scope=Construct(domain, "Elsewhere"))


def test_fails_when_sso_profile_has_no_sso_user_name() -> None:
    domain = new_domain(auth_mode=AuthMode.SSO)
    with pytest.raises(
        StudioConfigError, match=message("user_profiles[carol].sso_user_name: got None; the IAM Identity Center user name")
    ):
        domain.add_user("carol")


def test_fails_when_iam_profile_has_an_sso_user_name() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("user_profiles[carol].sso_user_name: got 'carol@example.com'; nothing: the domain uses IAM, not SSO"),
    ):
        domain.add_user("carol", sso_user_name="carol@example.com")


def test_fails_when_sso_user_name_is_longer_than_256_characters() -> None:
    domain = new_domain(auth_mode=AuthMode.SSO)
    with pytest.raises(StudioConfigError, match=message("user_profiles[carol].sso_user_name: got 'aaa")):
        domain.add_user("carol", sso_user_name="a" * 257)


def test_fails_when_a_tag_key_starts_with_aws() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("user_profiles[alice].tags['aws:owner']: got 'aws:owner'; a key that does not start with 'aws:'"),
    ):
        domain.add_user("alice", tags={"aws:owner": "alice"})


def test_fails_when_profile_ebs_is_out_of_range() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("user_profiles[alice].ebs.max_gb: got 16385; 5-16384 GB")):
        domain.add_user("alice", ebs=EbsStorage(max_gb=16385))


def test_fails_when_profile_ebs_default_is_above_max() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("user_profiles[alice].ebs.default_gb: got 60; at most user_profiles[alice].ebs.max_gb (50 GB)"),
    ):
        domain.add_user("alice", ebs=EbsStorage(default_gb=60, max_gb=50))


def test_fails_when_profile_idle_timeout_is_out_of_range() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError, match=message("user_profiles[alice].idle_shutdown.timeout_minutes: got 30; 60-525600 minutes")
    ):
        domain.add_user("alice", idle_shutdown=IdleShutdown(timeout_minutes=30))


def test_fails_when_profile_idle_min_is_above_timeout() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message(
            "user_profiles[alice].idle_shutdown.min_timeout_minutes: got 120; "
            "at most user_profiles[alice].idle_shutdown.timeout_minutes (90 minutes)"
        ),
    ):
        domain.add_user("alice", idle_shutdown=IdleShutdown(timeout_minutes=90, min_timeout_minutes=120))


def test_fails_when_profile_posix_uid_is_out_of_range() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("user_profiles[alice].posix_user.uid: got 4000001; 10000-4000000")):
        domain.add_user("alice", posix_user=PosixUser(uid=4000001, gid=2000))


def test_fails_when_profile_posix_gid_is_out_of_range() -> None:
    domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("user_profiles[alice].posix_user.gid: got 1000; 1001-4000000")):
        domain.add_user("alice", posix_user=PosixUser(uid=20000, gid=1000))


def test_fails_when_profile_instance_type_is_unknown() -> None:
    domain = new_domain()
    with pytest.raises(
        StudioConfigError,
        match=message("user_profiles[alice].app_defaults.jupyter_lab_instance_type: got 'ml.bogus.large'; an app instance type"),
    ):
        domain.add_user("alice", app_defaults=AppDefaults(jupyter_lab_instance_type="ml.bogus.large"))


def test_fails_when_profile_image_arn_is_malformed() -> None:
    with pytest.raises(StudioConfigError, match=message("image_arn: got 'team-image'; a SageMaker image ARN matching")):
        StudioImage.from_image_arn("team-image")


def test_fails_with_every_profile_problem_in_one_error() -> None:
    domain = new_domain(auth_mode=AuthMode.SSO)
    with pytest.raises(StudioConfigError) as caught:
        domain.add_user("-alice", ebs=EbsStorage(default_gb=1), tags={"aws:x": "y"})
    text = str(caught.value)
    assert text.startswith("4 problems:")
    for field in ("user_profile_name", "ebs.default_gb", "sso_user_name", "tags['aws:x']"):
        assert f"  - user_profiles[-alice].{field}: got" in text
