from sagemaker_studio_cdk.policies.rules.docker_access_needs_trusted_accounts import RULE
from tests.rules.support import assert_flags, assert_passes, raw_domain, stack


def test_docker_off_passes() -> None:
    scope = stack()
    raw_domain(scope, domain_settings={"dockerSettings": {"enableDockerAccess": "DISABLED"}})
    assert_passes(scope, RULE)


def test_docker_with_trusted_accounts_passes() -> None:
    scope = stack()
    raw_domain(
        scope, domain_settings={"dockerSettings": {"enableDockerAccess": "ENABLED", "vpcOnlyTrustedAccounts": ["111122223333"]}}
    )
    assert_passes(scope, RULE)


def test_fails_when_docker_is_on_without_trusted_accounts() -> None:
    scope = stack()
    raw_domain(scope, domain_settings={"dockerSettings": {"enableDockerAccess": "ENABLED"}})
    assert_flags(scope, RULE, "Test/Domain")
