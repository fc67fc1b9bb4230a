from aws_cdk import Stack
from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk import StudioDomain, StudioImage
from sagemaker_studio_cdk.policies.rules.default_image_is_trusted import RULE
from tests.rules.support import DOMAIN, assert_flags, assert_passes, raw_domain, stack
from tests.support import new_app, new_stack


def with_image(arn: object) -> dict[str, object]:
    settings = {**DOMAIN["default_user_settings"]}
    settings["jupyterLabAppSettings"] = {**settings["jupyterLabAppSettings"], "defaultResourceSpec": {"sageMakerImageArn": arn}}
    return settings


def test_sagemaker_distribution_of_the_stacks_region_passes() -> None:
    scope, vpc = new_stack()
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    assert_passes(scope, RULE)


def test_sagemaker_distribution_from_the_region_mapping_passes_in_an_environment_agnostic_stack() -> None:
    scope, vpc = new_stack(env=None)
    StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    assert_passes(scope, RULE)


def test_an_image_the_app_declares_passes() -> None:
    scope = stack()
    image = sm.CfnImage(scope, "Image", image_name="team-image", image_role_arn="arn:aws:iam::111122223333:role/image")
    domain = raw_domain(scope, default_user_settings=with_image(image.attr_image_arn))
    sm.CfnUserProfile(
        scope,
        "Alice",
        domain_id=domain.attr_domain_id,
        user_profile_name="alice",
        user_settings={
            "codeEditorAppSettings": {
                "defaultResourceSpec": {"sageMakerImageArn": "arn:aws:sagemaker:us-east-1:111122223333:image/team-image"}
            }
        },
    )
    assert_passes(scope, RULE)


def test_fails_when_an_image_of_a_declared_name_lives_in_another_account() -> None:
    scope = stack()
    sm.CfnImage(scope, "Image", image_name="team-image", image_role_arn="arn:aws:iam::111122223333:role/image")
    raw_domain(scope, default_user_settings=with_image("arn:aws:sagemaker:us-east-1:444455556666:image/team-image"))
    assert_flags(scope, RULE, "Test/Domain")


def test_fails_when_the_image_comes_from_an_account_that_does_not_publish_it() -> None:
    scope = stack()
    raw_domain(
        scope, default_user_settings=with_image("arn:aws:sagemaker:us-east-1:444455556666:image/sagemaker-distribution-cpu")
    )
    assert_flags(scope, RULE, "Test/Domain")


def test_fails_when_the_image_is_another_regions() -> None:
    scope = stack()
    raw_domain(
        scope, default_user_settings=with_image("arn:aws:sagemaker:us-west-2:542918446943:image/sagemaker-distribution-cpu")
    )
    assert_flags(scope, RULE, "Test/Domain")


def test_fails_when_a_space_starts_an_image_the_app_does_not_declare() -> None:
    scope, vpc = new_stack()
    domain = StudioDomain(scope, "Domain", vpc=vpc, domain_name="research")
    domain.add_space("team", image=StudioImage.from_image_arn("arn:aws:sagemaker:us-east-1:444455556666:image/somebodys-image"))
    assert_flags(scope, RULE, "Spaces/team")


def test_fails_when_a_region_mapping_is_not_sagemaker_distributions() -> None:
    scope = Stack(new_app(), "Test")
    from aws_cdk import Aws, CfnMapping, Fn

    mapping = CfnMapping(scope, "Accounts", mapping={"us-east-1": {"account": "444455556666"}})
    arn = Fn.join(
        ":",
        [
            "arn",
            Aws.PARTITION,
            "sagemaker",
            Aws.REGION,
            mapping.find_in_map(Aws.REGION, "account"),
            "image/sagemaker-distribution-cpu",
        ],
    )
    raw_domain(scope, default_user_settings=with_image(arn))
    assert_flags(scope, RULE, "Test/Domain")
