from aws_cdk import Fn
from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk import SpaceSharing, StudioDomain
from sagemaker_studio_cdk.policies.rules.profile_and_space_in_app_domain import RULE
from tests.rules.support import assert_flags, assert_passes, raw_domain, stack
from tests.support import new_stack


def test_profiles_and_spaces_of_a_studio_domain_pass() -> None:
    scope, vpc = new_stack()
    domain = StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    alice = domain.add_user("alice")
    domain.add_space("alice-lab", sharing=SpaceSharing.PRIVATE, owner=alice)
    domain.add_space("team")
    assert_passes(scope, RULE)


def test_a_hand_written_space_of_a_hand_written_domain_passes() -> None:
    scope = stack()
    domain = raw_domain(scope)
    sm.CfnSpace(scope, "Team", domain_id=domain.attr_domain_id, space_name="team")
    assert_passes(scope, RULE)


def test_warns_when_a_profile_names_a_domain_by_a_literal_id() -> None:
    scope = stack()
    raw_domain(scope)
    sm.CfnUserProfile(scope, "Alice", domain_id="d-abcdef123456", user_profile_name="alice")
    assert_flags(scope, RULE, "Test/Alice")


def test_warns_when_a_shared_space_imports_a_domain_no_stack_of_the_app_exports() -> None:
    scope = stack()
    sm.CfnSpace(scope, "Team", domain_id=Fn.import_value("elsewhere-DomainId"), space_name="team")
    assert_flags(scope, RULE, "Test/Team")


def test_warns_for_a_domain_made_elsewhere() -> None:
    scope, _ = new_stack()
    domain = StudioDomain.from_domain_attributes(scope, "Elsewhere", domain_id="d-abcdef123456")
    domain.add_user("alice")
    assert_flags(scope, RULE, "Elsewhere/Users/alice")
