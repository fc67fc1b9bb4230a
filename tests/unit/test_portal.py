"""PortalSettings: what the Studio web portal shows, on the domain and on profiles; hidden-list
values CloudFormation's schema lacks go to the settings resource, other bad values are refused."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

import pytest
from aws_cdk.assertions import Template

from sagemaker_studio_cdk import PortalSettings, StudioConfigError, StudioDomain, StudioWebPortal, limits
from sagemaker_studio_cdk.cfn_schema import cfn_enum
from tests.support import new_stack

ALLOWED = ["ml.t3.*", "ml.m5.large"]


@pytest.fixture(scope="module")
def template() -> Template:
    stack, vpc = new_stack()
    domain = StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="research",
        allowed_instance_types=ALLOWED,
        portal=PortalSettings(
            studio_web_portal=StudioWebPortal.ENABLED,
            default_landing_uri="studio::",
            hidden_app_types=("Canvas", "RStudioServerPro"),
            hidden_ml_tools=("DataWrangler", "JumpStart"),
            hide_disallowed_instance_types=True,
            hidden_distribution_versions=("1.9", "2.0"),
        ),
    )
    domain.add_user(
        "alice",
        portal=PortalSettings(studio_web_portal=StudioWebPortal.DISABLED, hidden_instance_types=("ml.p4d.*",)),
    )
    return Template.from_stack(stack)


def _settings(template: Template, resource_type: str, key: str) -> dict[str, Any]:
    (resource,) = template.find_resources(resource_type).values()
    found: dict[str, Any] = resource["Properties"][key]
    return found


def test_domain_portal_settings(template: Template) -> None:
    user = _settings(template, "AWS::SageMaker::Domain", "DefaultUserSettings")
    assert user["StudioWebPortal"] == "ENABLED"
    assert user["DefaultLandingUri"] == "studio::"
    portal = user["StudioWebPortalSettings"]
    assert portal["HiddenAppTypes"] == ["Canvas", "RStudioServerPro"]
    assert portal["HiddenMlTools"] == ["DataWrangler", "JumpStart"]
    assert portal["HiddenSageMakerImageVersionAliases"] == [
        {"SageMakerImageName": "sagemaker_distribution", "VersionAliases": ["1.9", "2.0"]}
    ]


def test_hidden_instance_types_follow_allowed_instance_types(template: Template) -> None:
    hidden = set(
        _settings(template, "AWS::SageMaker::Domain", "DefaultUserSettings")["StudioWebPortalSettings"]["HiddenInstanceTypes"]
    )
    both = set(cfn_enum("AWS::SageMaker::Domain", "AppInstanceType")) & set(limits.instance_types())
    allowed = {t for t in both if any(fnmatchcase(t, a) for a in ALLOWED)}
    assert hidden == both - allowed
    assert "ml.t3.medium" not in hidden and "ml.m5.large" not in hidden and "ml.m5.xlarge" in hidden
    assert "system" not in hidden


def test_profile_portal_settings(template: Template) -> None:
    user = _settings(template, "AWS::SageMaker::UserProfile", "UserSettings")
    assert user["StudioWebPortal"] == "DISABLED"
    hidden = user["StudioWebPortalSettings"]["HiddenInstanceTypes"]
    assert hidden and all(t.startswith("ml.p4d.") for t in hidden)


@pytest.mark.parametrize(
    ("portal", "match"),
    [
        (PortalSettings(hidden_app_types=("Notebook",)), r"hidden_app_types\[0\].*one of"),
        (PortalSettings(hidden_ml_tools=("Notebooks",)), r"hidden_ml_tools\[0\].*one of"),
        (PortalSettings(hidden_instance_types=("ml.g7.2xlarge",)), r"hidden_instance_types\[0\].*CloudFormation's schema"),
        (PortalSettings(hidden_instance_types=("ml.nope.*",)), r"hidden_instance_types\[0\]"),
        (PortalSettings(default_landing_uri="https://example.com"), "default_landing_uri"),
        (
            PortalSettings(studio_web_portal=StudioWebPortal.DISABLED, default_landing_uri="studio::"),
            "needs the portal",
        ),
        (PortalSettings(hidden_distribution_versions=("latest",)), "major.minor"),
        (PortalSettings(hide_disallowed_instance_types=True), "allowed_instance_types"),
    ],
)
def test_fails_when_a_guardrail_value_would_be_rejected(portal: PortalSettings, match: str) -> None:
    stack, vpc = new_stack()
    with pytest.raises(StudioConfigError, match=match) as err:
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="d", portal=portal)
    assert err.value.field.startswith("portal.")


def test_a_profile_hiding_values_cloudformation_lacks_moves_the_whole_list_to_the_api() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d")
    bob = domain.add_user(
        "bob", portal=PortalSettings(hidden_app_types=("Canvas", "RSessionGateway"), hidden_ml_tools=("RunningInstances",))
    )
    assert bob.api_only_settings == {
        "UserSettings": {
            "StudioWebPortalSettings": {"HiddenAppTypes": ["Canvas", "RSessionGateway"], "HiddenMlTools": ["RunningInstances"]}
        }
    }
    assert "StudioWebPortalSettings" not in (stack.resolve(bob.resource.user_settings) or {})
