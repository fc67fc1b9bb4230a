from sagemaker_studio_cdk import AppNetworkAccess, StudioDomain
from sagemaker_studio_cdk.policies.rules.domain_is_vpc_only import RULE
from tests.rules.support import assert_flags, assert_passes, raw_domain, stack
from tests.support import new_stack


def test_a_studio_domain_is_vpc_only() -> None:
    scope, vpc = new_stack()
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    assert_passes(scope, RULE)


def test_a_hand_written_vpc_only_domain_passes() -> None:
    scope = stack()
    raw_domain(scope)
    assert_passes(scope, RULE)


def test_fails_when_the_domain_gives_apps_internet_access() -> None:
    scope, vpc = new_stack()
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research", app_network_access=AppNetworkAccess.PUBLIC_INTERNET_ONLY)
    assert_flags(scope, RULE, "Domain/Resource")


def test_fails_when_a_hand_written_domain_leaves_out_the_network_access_type() -> None:
    scope = stack()
    raw_domain(scope, app_network_access_type=None)  # CloudFormation's default: PublicInternetOnly
    assert_flags(scope, RULE, "Test/Domain")
