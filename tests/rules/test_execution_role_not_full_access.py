from aws_cdk import aws_iam as iam

from sagemaker_studio_cdk import StudioDomain
from sagemaker_studio_cdk.policies.rules.execution_role_not_full_access import RULE
from tests.rules.support import assert_flags, assert_passes, stack
from tests.support import new_stack


def test_the_studio_domain_execution_role_passes() -> None:
    scope, vpc = new_stack()
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    assert_passes(scope, RULE)


def test_full_access_on_a_role_sagemaker_cannot_assume_is_not_this_rules_business() -> None:
    scope = stack()
    iam.Role(
        scope,
        "Operator",
        assumed_by=iam.AccountRootPrincipal(),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSageMakerFullAccess")],
    )
    assert_passes(scope, RULE)


def test_fails_when_the_execution_role_has_amazon_sagemaker_full_access() -> None:
    scope = stack()
    iam.Role(
        scope,
        "Execution",
        assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSageMakerFullAccess")],
    )
    assert_flags(scope, RULE, "Test/Execution")


def test_fails_when_an_attached_policy_allows_sagemaker_star_on_star() -> None:
    scope = stack()
    role = iam.Role(scope, "Execution", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    role.add_to_policy(iam.PolicyStatement(actions=["sagemaker:*"], resources=["*"]))
    assert_flags(scope, RULE, "Test/Execution")


def test_fails_when_a_managed_policy_of_the_app_allows_everything() -> None:
    scope = stack()
    role = iam.Role(scope, "Execution", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    iam.ManagedPolicy(scope, "Everything", roles=[role], statements=[iam.PolicyStatement(actions=["*"], resources=["*"])])
    assert_flags(scope, RULE, "Test/Execution")
