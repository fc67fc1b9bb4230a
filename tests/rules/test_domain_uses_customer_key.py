from sagemaker_studio_cdk import StudioDomain
from sagemaker_studio_cdk.policies.rules.domain_uses_customer_key import RULE
from tests.rules.support import assert_flags, assert_passes, raw_domain, stack
from tests.support import new_stack


def test_a_studio_domain_has_its_own_key() -> None:
    scope, vpc = new_stack()
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    assert_passes(scope, RULE)


def test_a_hand_written_domain_with_a_key_passes() -> None:
    scope = stack()
    raw_domain(scope)
    assert_passes(scope, RULE)


def test_fails_when_the_domain_has_no_key() -> None:
    scope = stack()
    raw_domain(scope, kms_key_id=None)
    assert_flags(scope, RULE, "Test/Domain")


def test_fails_when_the_key_is_the_aws_managed_one() -> None:
    scope = stack()
    raw_domain(scope, kms_key_id="alias/aws/sagemaker")
    assert_flags(scope, RULE, "Test/Domain")
