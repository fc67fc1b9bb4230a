"""lint.py: every known gap names a property that is real, and nothing else is filtered."""

from __future__ import annotations

import copy
import inspect
import json
import re
import uuid
from functools import lru_cache
from typing import Any

import botocore.session
import pytest
from aws_cdk import Stack
from aws_cdk import aws_sagemaker as sm
from aws_cdk.assertions import Template
from cfnlint.api import ManualArgs, lint

from sagemaker_studio_cdk import lint as lint_module
from sagemaker_studio_cdk.lint import KNOWN_GAPS, LintGap, acknowledge_known_gaps, lint_template
from tests.support import new_stack, template_of

IDLE_CFN = {"IdleSettings": {"IdleTimeoutInMinutes": 90}}  # as a template has it
IDLE_L1 = {"idleSettings": {"idleTimeoutInMinutes": 90}}  # as the L1 classes take it
NEW_INSTANCE_TYPE = "ml.m7i.large"  # in botocore's AppInstanceType, not in cfn-lint's enum
ROLE_ARN = "arn:aws:iam::111122223333:role/studio-exec"

# Resource type -> (the SageMaker operation that creates it, its L1 class).
RESOURCES: dict[str, tuple[str, type]] = {
    "AWS::SageMaker::Domain": ("CreateDomain", sm.CfnDomain),
    "AWS::SageMaker::UserProfile": ("CreateUserProfile", sm.CfnUserProfile),
    "AWS::SageMaker::Space": ("CreateSpace", sm.CfnSpace),
}
IDLE_GAPS = [g for g in KNOWN_GAPS if g.property_path[-1] == "AppLifecycleManagement"]
INSTANCE_GAPS = [g for g in KNOWN_GAPS if g.property_path[-1] == "InstanceType"]


def gap_id(gap: LintGap) -> str:
    return f"{gap.rule_id}-{gap.resource_type.rsplit('::', 1)[1]}-{'.'.join(gap.property_path)}"


@lru_cache(maxsize=1)
def service_model() -> Any:
    return botocore.session.get_session().get_service_model("sagemaker")


def botocore_parent_shape(gap: LintGap) -> Any:
    """The botocore shape that holds the gap's last property, walking from the create request."""
    shape = service_model().operation_model(RESOURCES[gap.resource_type][0]).input_shape
    for name in gap.property_path[:-1]:
        assert name in shape.members, f"botocore's {shape.name} has no member {name}"
        shape = shape.members[name]
    return shape


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def camel(name: str) -> str:
    return name[0].lower() + name[1:]


def l1_parent_class(gap: LintGap) -> type:
    """The L1 property class that holds the gap's last property, walking from the L1 resource."""
    cls = RESOURCES[gap.resource_type][1]
    for name in gap.property_path[:-1]:
        parameters = inspect.signature(cls.__init__).parameters
        assert snake(name) in parameters, f"{cls.__qualname__} has no property {snake(name)}"
        found = re.search(r"'(Cfn\w+)\.(\w+Property)'", str(parameters[snake(name)].annotation))
        assert found, f"{cls.__qualname__}.{snake(name)} is not a property type"
        cls = getattr(getattr(sm, found.group(1)), found.group(2))
    return cls


def value_for(gap: LintGap) -> Any:
    """The value an L1 class takes for the gap's property."""
    return IDLE_L1 if gap in IDLE_GAPS else NEW_INSTANCE_TYPE


def rendered_value_for(gap: LintGap) -> Any:
    """The same value as the template shows it."""
    return IDLE_CFN if gap in IDLE_GAPS else NEW_INSTANCE_TYPE


def value_at(template: dict[str, Any], path: list[str]) -> Any:
    node: Any = template
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


# --- every gap is a real property -----------------------------------------------------------


@pytest.mark.parametrize("gap", KNOWN_GAPS, ids=gap_id)
def test_known_gap_property_is_in_botocores_service_model(gap: LintGap) -> None:
    parent = botocore_parent_shape(gap)
    assert gap.property_path[-1] in parent.members, f"botocore's {parent.name} has no member {gap.property_path[-1]}"


@pytest.mark.parametrize("gap", KNOWN_GAPS, ids=gap_id)
def test_known_gap_property_is_accepted_by_the_l1_class(gap: LintGap) -> None:
    cls = l1_parent_class(gap)
    prop = snake(gap.property_path[-1])
    value = value_for(gap)
    instance = cls(**{prop: value})
    assert getattr(instance, prop) == value


@pytest.mark.parametrize(
    "shape", ["SpaceJupyterLabAppSettings", "SpaceCodeEditorAppSettings", "JupyterLabAppSettings", "CodeEditorAppSettings"]
)
def test_app_settings_have_app_lifecycle_management_in_botocore(shape: str) -> None:
    assert "AppLifecycleManagement" in service_model().shape_for(shape).members


@pytest.mark.parametrize(
    "cls",
    [
        sm.CfnSpace.SpaceJupyterLabAppSettingsProperty,
        sm.CfnSpace.SpaceCodeEditorAppSettingsProperty,
        sm.CfnUserProfile.JupyterLabAppSettingsProperty,
        sm.CfnUserProfile.CodeEditorAppSettingsProperty,
    ],
    ids=lambda cls: cls.__qualname__,
)
def test_l1_app_settings_accept_app_lifecycle_management(cls: type) -> None:
    settings = cls(app_lifecycle_management=IDLE_L1)
    assert settings.app_lifecycle_management == IDLE_L1  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def raw_l1() -> tuple[Stack, Template]:
    """One L1 resource per type, each carrying every gap's property at its path."""
    stack, _ = new_stack()
    base: dict[str, dict[str, Any]] = {
        "AWS::SageMaker::Domain": {
            "domain_name": "research",
            "auth_mode": "IAM",
            "vpc_id": "vpc-0123456789abcdef0",
            "subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1"],
            "default_user_settings": {"executionRole": ROLE_ARN},
            "default_space_settings": {"executionRole": ROLE_ARN},
        },
        "AWS::SageMaker::UserProfile": {"domain_id": "d-abc123def456", "user_profile_name": "alice"},
        "AWS::SageMaker::Space": {"domain_id": "d-abc123def456", "space_name": "team"},
    }
    props = copy.deepcopy(base)
    for gap in KNOWN_GAPS:
        node = props[gap.resource_type]
        first, *rest = gap.property_path
        node = node.setdefault(snake(first), {})
        for name in rest[:-1]:
            node = node.setdefault(camel(name), {})
        node[camel(rest[-1])] = copy.deepcopy(value_for(gap))
    for resource_type, (_, cls) in RESOURCES.items():
        acknowledge_known_gaps(cls(stack, resource_type.rsplit("::", 1)[1], **props[resource_type]))
    return stack, template_of(stack)


@pytest.mark.parametrize("gap", KNOWN_GAPS, ids=gap_id)
def test_known_gap_property_is_rendered_by_the_l1_resource(raw_l1: tuple[Stack, Template], gap: LintGap) -> None:
    # template_of has already linted the template: the gaps let every one of these through.
    _, template = raw_l1
    (resource,) = template.find_resources(gap.resource_type).values()
    assert value_at(resource["Properties"], list(gap.property_path)) == rendered_value_for(gap)


# --- instance-type gaps ---------------------------------------------------------------------


SPACE_INSTANCE_PATH = ("SpaceSettings", "JupyterLabAppSettings", "DefaultResourceSpec", "InstanceType")


def space_template(instance_type: str) -> dict[str, Any]:
    return {
        "Resources": {
            "Space": {
                "Type": "AWS::SageMaker::Space",
                "Properties": {
                    "DomainId": "d-abc123def456",
                    "SpaceName": "team",
                    "SpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": instance_type}}},
                },
            }
        }
    }


def test_new_instance_type_is_an_app_instance_type_in_botocore() -> None:
    assert NEW_INSTANCE_TYPE in service_model().shape_for("AppInstanceType").enum


def test_cfn_lint_alone_rejects_the_new_instance_type() -> None:
    matches = lint(json.dumps(space_template(NEW_INSTANCE_TYPE)), config=ManualArgs(regions=["us-east-1"]))
    assert [(m.rule.id, tuple(m.path[3:])) for m in matches] == [("E3030", SPACE_INSTANCE_PATH)]


def test_a_gap_covers_the_new_instance_type() -> None:
    path = ["Resources", "Space", "Properties", *SPACE_INSTANCE_PATH]
    assert any(gap.covers("E3030", "AWS::SageMaker::Space", path, NEW_INSTANCE_TYPE) for gap in INSTANCE_GAPS)


def test_lint_template_accepts_the_new_instance_type() -> None:
    assert lint_template(space_template(NEW_INSTANCE_TYPE)) == []


def test_lint_template_reports_a_made_up_instance_type() -> None:
    findings = lint_template(space_template("ml.bogus.large"))
    assert [(f.rule_id, f.level, f.path[3:]) for f in findings] == [("E3030", "error", SPACE_INSTANCE_PATH)]


# --- idle gaps ------------------------------------------------------------------------------


def test_cfn_lint_alone_rejects_app_lifecycle_management_on_a_space() -> None:
    template = space_template("ml.t3.medium")
    template["Resources"]["Space"]["Properties"]["SpaceSettings"]["JupyterLabAppSettings"]["AppLifecycleManagement"] = IDLE_CFN
    matches = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
    assert [(m.rule.id, m.path[-1]) for m in matches] == [("E3002", "AppLifecycleManagement")]


def test_lint_template_accepts_app_lifecycle_management_on_a_space() -> None:
    template = space_template("ml.t3.medium")
    template["Resources"]["Space"]["Properties"]["SpaceSettings"]["JupyterLabAppSettings"]["AppLifecycleManagement"] = IDLE_CFN
    assert lint_template(template) == []


def test_lint_template_reports_a_misspelled_property_next_to_a_gap() -> None:
    template = space_template("ml.t3.medium")
    template["Resources"]["Space"]["Properties"]["SpaceSettings"]["JupyterLabAppSettings"]["AppLifecycleManagment"] = IDLE_CFN
    findings = lint_template(template)
    assert [(f.rule_id, f.path[-1]) for f in findings] == [("E3002", "AppLifecycleManagment")]


def test_gaps_acknowledge_both_cdk_validation_grades() -> None:
    assert IDLE_GAPS[0].cdk_validation_ids == ("CloudFormation-Validate::F3002", "CloudFormation-Validate::W3002")


def test_every_gap_gives_a_reason() -> None:
    assert all(gap.reason.strip() for gap in KNOWN_GAPS)


# --- real errors are reported ---------------------------------------------------------------


def test_lint_template_reports_a_domain_missing_auth_mode() -> None:
    template = {
        "Resources": {
            "Domain": {
                "Type": "AWS::SageMaker::Domain",
                "Properties": {
                    "DomainName": "research",
                    "DefaultUserSettings": {"ExecutionRole": ROLE_ARN},
                    "SubnetIds": ["subnet-0aaaaaaaaaaaaaaa1"],
                    "VpcId": "vpc-0123456789abcdef0",
                },
            }
        }
    }
    findings = lint_template(template)
    assert any(f.rule_id == "E3003" and f.level == "error" and "AuthMode" in f.message for f in findings), findings


def test_every_synth_in_tests_is_linted() -> None:
    """conftest.py's hook fails a test whose app synthesizes a template cfn-lint rejects."""
    from aws_cdk import CfnResource, Stack

    from tests.support import new_app

    app = new_app(**{"@aws-cdk/core:validateAgainstDefaultRules": False})  # leave it to the hook
    stack = Stack(app, "Bad")
    CfnResource(stack, "Domain", type="AWS::SageMaker::Domain", properties={"DomainName": "x"})
    with pytest.raises(AssertionError, match=r"cfn-lint on Bad:\nE3003"):
        app.synth()


def _acknowledged(construct: Any) -> set[str]:
    return {rule_id for entry in construct.node.metadata if entry.type == "aws:cdk:acknowledged-rules" for rule_id in entry.data}


def test_library_resources_acknowledge_only_the_gaps_they_render() -> None:
    # An acknowledgement silences a whole rule on its resource: only resources that carry a gap's
    # property get one, so a space or profile without it still fails synth on a real finding.
    from sagemaker_studio_cdk import IdleShutdown, StudioDomain

    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    plain_user = domain.add_user("plain")
    idle_user = domain.add_user("idle", idle_shutdown=IdleShutdown(max_timeout_minutes=120))
    plain = domain.add_space("plain")
    idle = domain.add_space("idle", idle_timeout_minutes=60)
    sized = domain.add_space("sized", instance_type=NEW_INSTANCE_TYPE)
    assert _acknowledged(plain_user.resource) == set()
    assert _acknowledged(plain.resource) == set()
    assert _acknowledged(idle_user.resource) == {"CloudFormation-Validate::F3002", "CloudFormation-Validate::W3002"}
    assert _acknowledged(idle.resource) == {"CloudFormation-Validate::F3002", "CloudFormation-Validate::W3002"}
    assert _acknowledged(sized.resource) == {"CloudFormation-Validate::F3030", "CloudFormation-Validate::W3030"}
    template_of(stack)  # and the whole stack synthesizes: every rendered gap is acknowledged


# --- one cfn-lint runner a process --------------------------------------------------------------


def test_templates_linted_one_after_another_get_what_cfn_lint_alone_reports_on_each() -> None:
    """lint_template keeps one cfn-lint runner (its rules) for every template: nothing a template
    leaves in it changes what the next one gets, and it is made once."""
    bad = {"Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": 7, "Bogus": 1}}}}
    templates = [space_template("ml.bogus.large"), bad, space_template("ml.t3.medium")]
    run = uuid.uuid4()  # no earlier run's result in tests/support.py's LINT_CACHE
    lint_template({"Description": f"run {run}", "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
    made = lint_module._runner.cache_info().misses
    found = []
    for i, template in enumerate(templates):
        alone = lint(json.dumps(template), config=ManualArgs(regions=["us-east-1"]))
        ours = lint_template({**template, "Description": f"template {i} of run {run}"})  # never a cached result
        found.append([(f.rule_id, f.path) for f in ours])
        assert found[-1] == [(m.rule.id, tuple(str(p) for p in m.path)) for m in alone]
    assert found[0] and found[1] and not found[2]
    assert lint_module._runner.cache_info().misses == made
