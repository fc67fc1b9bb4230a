from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk import IdleShutdown, StudioDomain
from sagemaker_studio_cdk.policies.rules.idle_shutdown_is_bounded import MAX_IDLE_TIMEOUT_MINUTES, RULE
from tests.rules.support import DOMAIN, IDLE, assert_flags, assert_passes, raw_domain, stack
from tests.support import new_stack


def test_a_studio_domain_and_its_users_shut_idle_apps_down() -> None:
    scope, vpc = new_stack()
    domain = StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    domain.add_user("alice", idle_shutdown=IdleShutdown(timeout_minutes=120, max_timeout_minutes=MAX_IDLE_TIMEOUT_MINUTES))
    assert_passes(scope, RULE)


def test_a_hand_written_domain_with_idle_settings_passes() -> None:
    scope = stack()
    raw_domain(scope)
    assert_passes(scope, RULE)


def test_fails_when_code_editor_has_no_idle_shutdown() -> None:
    scope = stack()
    settings = {**DOMAIN["default_user_settings"], "codeEditorAppSettings": {}}
    raw_domain(scope, default_user_settings=settings)
    assert_flags(scope, RULE, "Test/Domain")


def test_fails_when_users_may_raise_the_timeout_past_the_bound() -> None:
    scope, vpc = new_stack()
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research", idle_shutdown=IdleShutdown(max_timeout_minutes=10080))
    assert_flags(scope, RULE, "Domain/Resource")


def test_fails_when_a_profile_turns_idle_shutdown_off() -> None:
    scope = stack()
    domain = raw_domain(scope)
    off = {"appLifecycleManagement": {"idleSettings": {**IDLE, "lifecycleManagement": "DISABLED"}}}
    sm.CfnUserProfile(
        scope, "Alice", domain_id=domain.attr_domain_id, user_profile_name="alice", user_settings={"jupyterLabAppSettings": off}
    )
    assert_flags(scope, RULE, "Test/Alice")
