"""StudioImage: SageMaker Distribution of the stack's region (or a mapping), or a given image ARN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import CfnParameter, Environment, Stack
from aws_cdk.assertions import Template

from sagemaker_studio_cdk import (
    SAGEMAKER_DISTRIBUTION_ACCOUNTS,
    Processor,
    StudioConfigError,
    StudioDomain,
    StudioImage,
)
from tests.support import new_stack, template_of

DOMAIN = "AWS::SageMaker::Domain"
PROFILE = "AWS::SageMaker::UserProfile"
SPACE = "AWS::SageMaker::Space"
IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/team-image"
FAKE_REGION = Environment(account="111122223333", region="xx-fake-1")


@dataclass
class Built:
    stack: Stack
    template: Template


def image_of(arn: Any) -> dict[str, Any]:
    return {"DefaultResourceSpec": {"SageMakerImageArn": arn}}


def distribution_in_map(processor: str) -> dict[str, Any]:
    return {
        "Fn::Join": [
            ":",
            [
                "arn",
                {"Ref": "AWS::Partition"},
                "sagemaker",
                {"Ref": "AWS::Region"},
                {"Fn::FindInMap": ["SageMakerDistributionAccounts", {"Ref": "AWS::Region"}, "account"]},
                f"image/sagemaker-distribution-{processor}",
            ],
        ]
    }


@pytest.fixture(scope="module")
def agnostic() -> Built:
    """An environment-agnostic stack: a domain, a profile with the GPU image, a space with the CPU one."""
    stack, vpc = new_stack(env=None)
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.add_user("gpu-user", default_image=StudioImage.sagemaker_distribution(Processor.GPU))
    domain.add_space("team", image=StudioImage.sagemaker_distribution())
    return Built(stack, template_of(stack))


@pytest.fixture(scope="module")
def eu_west_1() -> Built:
    stack, vpc = new_stack(env=Environment(account="111122223333", region="eu-west-1"))
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.add_space("gpu", image=StudioImage.sagemaker_distribution(Processor.GPU))
    return Built(stack, template_of(stack))


# --- concrete regions -----------------------------------------------------------------------


def test_sagemaker_distribution_uses_the_account_of_the_stacks_region(eu_west_1: Built) -> None:
    eu_west_1.template.has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {
                "JupyterLabAppSettings": image_of("arn:aws:sagemaker:eu-west-1:819792524951:image/sagemaker-distribution-cpu")
            }
        },
    )


def test_sagemaker_distribution_gpu_image(eu_west_1: Built) -> None:
    eu_west_1.template.has_resource_properties(
        SPACE,
        {
            "SpaceName": "gpu",
            "SpaceSettings": {
                "JupyterLabAppSettings": image_of("arn:aws:sagemaker:eu-west-1:819792524951:image/sagemaker-distribution-gpu")
            },
        },
    )


def test_concrete_region_adds_no_mapping(eu_west_1: Built) -> None:
    assert "Mappings" not in eu_west_1.template.to_json()


def test_us_east_1_account_is_885854791233() -> None:
    assert SAGEMAKER_DISTRIBUTION_ACCOUNTS["us-east-1"] == "885854791233"


def test_every_distribution_account_is_an_account_id() -> None:
    assert all(re.fullmatch(r"[0-9]{12}", account) for account in SAGEMAKER_DISTRIBUTION_ACCOUNTS.values())


# --- environment-agnostic stacks ------------------------------------------------------------


def test_env_agnostic_stack_maps_each_region_to_its_distribution_account(agnostic: Built) -> None:
    mappings = agnostic.template.to_json()["Mappings"]
    assert mappings["SageMakerDistributionAccounts"] == {
        region: {"account": account} for region, account in SAGEMAKER_DISTRIBUTION_ACCOUNTS.items()
    }


def test_env_agnostic_stack_adds_the_mapping_once(agnostic: Built) -> None:
    assert list(agnostic.template.to_json()["Mappings"]) == ["SageMakerDistributionAccounts"]


def test_env_agnostic_domain_finds_the_image_account_in_the_mapping(agnostic: Built) -> None:
    agnostic.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"JupyterLabAppSettings": image_of(distribution_in_map("cpu"))}}
    )


def test_env_agnostic_profile_gpu_image_uses_the_mapping(agnostic: Built) -> None:
    agnostic.template.has_resource_properties(
        PROFILE, {"UserSettings": {"CodeEditorAppSettings": image_of(distribution_in_map("gpu"))}}
    )


def test_env_agnostic_space_image_uses_the_mapping(agnostic: Built) -> None:
    agnostic.template.has_resource_properties(
        SPACE, {"SpaceSettings": {"JupyterLabAppSettings": image_of(distribution_in_map("cpu"))}}
    )


# --- regions without SageMaker Distribution -------------------------------------------------


def test_fails_when_the_stacks_region_has_no_sagemaker_distribution() -> None:
    stack, vpc = new_stack(env=FAKE_REGION)
    with pytest.raises(StudioConfigError) as caught:
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    text = str(caught.value)
    assert re.search(r"default_image: got 'SageMaker Distribution in xx-fake-1'; a region with a published", text)
    assert ", ".join(sorted(SAGEMAKER_DISTRIBUTION_ACCOUNTS)) in text
    assert "StudioImage.from_image_arn(...)" in text


def test_unknown_region_with_an_image_arn_passes_synth() -> None:
    stack, vpc = new_stack(env=FAKE_REGION)
    arn = "arn:aws:sagemaker:xx-fake-1:123456789012:image/team-image"
    StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", default_image=StudioImage.from_image_arn(arn))
    template_of(stack).has_resource_properties(DOMAIN, {"DefaultUserSettings": {"JupyterLabAppSettings": image_of(arn)}})


def test_fails_when_a_space_image_is_sagemaker_distribution_in_an_unknown_region() -> None:
    stack, vpc = new_stack(env=FAKE_REGION)
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", default_image=StudioImage.from_image_arn(IMAGE_ARN))
    with pytest.raises(StudioConfigError, match=re.escape("spaces[team].image: got 'SageMaker Distribution in xx-fake-1'")):
        domain.add_space("team", image=StudioImage.sagemaker_distribution())


# --- given ARNs -----------------------------------------------------------------------------


def test_is_sagemaker_distribution_tells_the_kinds_apart() -> None:
    assert StudioImage.sagemaker_distribution().is_sagemaker_distribution
    assert not StudioImage.from_image_arn(IMAGE_ARN).is_sagemaker_distribution


@pytest.mark.parametrize(
    "arn",
    [
        IMAGE_ARN,
        "arn:aws-cn:sagemaker:cn-north-1:123456789012:image/team.image-2",
        "arn:aws-us-gov:sagemaker:us-gov-west-1:123456789012:image/team",
    ],
)
def test_from_image_arn_accepts_sagemaker_image_arns_of_any_partition(arn: str) -> None:
    assert not StudioImage.from_image_arn(arn).is_sagemaker_distribution


def test_fails_when_an_image_arn_has_capitals_cloudformation_refuses() -> None:
    # botocore's ImageArn pattern allows capitals; CloudFormation's schema does not: the stricter wins
    with pytest.raises(StudioConfigError, match="CloudFormation's schema"):
        StudioImage.from_image_arn("arn:aws:sagemaker:us-east-1:123456789012:image/Team")


def test_from_image_arn_with_a_token_passes_synth() -> None:
    stack, vpc = new_stack()
    image = CfnParameter(stack, "Image", type="String")
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.add_space("team", image=StudioImage.from_image_arn(image.value_as_string))
    template_of(stack).has_resource_properties(SPACE, {"SpaceSettings": {"JupyterLabAppSettings": image_of({"Ref": "Image"})}})


@pytest.mark.parametrize(
    "arn",
    [
        "",
        "team-image",
        "arn:aws:sagemaker:us-east-1:1234:image/team-image",
        "arn:aws:sagemaker:us-east-1:123456789012:model/team-image",
        "arn:aws:ecr:us-east-1:123456789012:image/team-image",
        "arn:aws:sagemaker:us-east-1:123456789012:image/-team",
        "arn:aws:sagemaker:us-east-1:123456789012:image/team-image/1",
    ],
)
def test_fails_when_image_arn_is_malformed(arn: str) -> None:
    with pytest.raises(StudioConfigError, match=re.escape(f"image_arn: got {arn!r}; a SageMaker image ARN matching")):
        StudioImage.from_image_arn(arn)
