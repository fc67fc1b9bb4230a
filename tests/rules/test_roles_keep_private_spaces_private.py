from aws_cdk import aws_iam as iam

from sagemaker_studio_cdk import DomainAdminRole, StudioDomain, UserAccessPolicy
from sagemaker_studio_cdk.policies.rules.roles_keep_private_spaces_private import ACTIONS, RULE
from tests.rules.support import assert_flags, assert_passes, stack
from tests.support import new_stack

PROFILES = "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abcdef123456/*"


def finding(action: str) -> str:
    return f"{RULE.id}[{action}]"


def test_the_library_roles_keep_out_of_private_spaces() -> None:
    scope, vpc = new_stack()
    domain = StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    DomainAdminRole(scope, "Admin", domain=domain, assumed_by=iam.AccountRootPrincipal())
    UserAccessPolicy(scope, "UserAccess", domain=domain, assumed_by=iam.AccountRootPrincipal())
    assert_passes(scope, RULE)


def test_an_allow_scoped_to_the_callers_own_profile_passes() -> None:
    scope = stack()
    role = iam.Role(scope, "Person", assumed_by=iam.AccountRootPrincipal())
    own = "arn:aws:sagemaker:us-east-1:111122223333:user-profile/d-abcdef123456/${sagemaker:UserProfileName}"
    role.add_to_policy(iam.PolicyStatement(actions=["sagemaker:CreatePresignedDomainUrl"], resources=[own]))
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["sagemaker:CreateApp"],
            resources=["*"],
            conditions={"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        )
    )
    assert_passes(scope, RULE)


def test_an_unscoped_allow_with_the_isolation_denies_passes() -> None:
    scope = stack()
    role = iam.Role(scope, "Operator", assumed_by=iam.AccountRootPrincipal())
    role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSageMakerFullAccess"))
    role.add_to_policy(
        iam.PolicyStatement(
            effect=iam.Effect.DENY,
            actions=["sagemaker:CreatePresignedDomainUrl", "sagemaker:StartSession"],
            resources=["*"],
        )
    )
    role.add_to_policy(
        iam.PolicyStatement(
            effect=iam.Effect.DENY,
            actions=["sagemaker:CreateApp", "sagemaker:UpdateSpace"],
            resources=["*"],
            conditions={"StringNotEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        )
    )
    assert_passes(scope, RULE)


def test_fails_when_a_role_may_sign_in_as_any_profile() -> None:
    scope = stack()
    role = iam.Role(scope, "Helpdesk", assumed_by=iam.AccountRootPrincipal())
    role.add_to_policy(iam.PolicyStatement(actions=["sagemaker:CreatePresignedDomainUrl"], resources=[PROFILES]))
    assert_flags(scope, RULE, "Test/Helpdesk", finding("sagemaker:CreatePresignedDomainUrl"))


def test_fails_for_each_way_in_when_full_access_has_no_denies() -> None:
    scope = stack()
    iam.Role(
        scope,
        "Operator",
        assumed_by=iam.AccountRootPrincipal(),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSageMakerFullAccess")],
    )
    for action in ACTIONS:
        assert_flags(scope, RULE, "Test/Operator", finding(action))


def test_fails_when_a_null_owner_condition_is_used_for_an_action_without_the_key() -> None:
    # StartSession carries no sagemaker:OwnerUserProfileArn, so "Null: true" always holds for it.
    scope = stack()
    role = iam.Role(scope, "Person", assumed_by=iam.AccountRootPrincipal())
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["sagemaker:StartSession"],
            resources=["*"],
            conditions={"Null": {"sagemaker:OwnerUserProfileArn": "true"}},
        )
    )
    assert_flags(scope, RULE, "Test/Person", finding("sagemaker:StartSession"))
