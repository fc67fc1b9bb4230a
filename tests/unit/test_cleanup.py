"""DomainCleanup as synthesized: tagged for the isolation rules, ordered before what it clears,
its handler role limited to the calls it makes on one domain."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import Duration, NestedStack

from sagemaker_studio_cdk.constructs.cleanup import DELETE_DOMAIN_RESOURCE_TYPE, RESOURCE_TYPE, DomainCleanup, HomeEfsRetention
from sagemaker_studio_cdk.constructs.domain import StudioDomain
from sagemaker_studio_cdk.constructs.rstudio import RStudioSettings
from sagemaker_studio_cdk.errors import StudioConfigError
from tests.example import example
from tests.support import new_stack, template_of

TAG = {"Key": "studio:persona", "Value": "cleanup"}


def _domain_stack() -> dict[str, Any]:
    template: dict[str, Any] = next(t.template for t in example() if t.label == "StudioDomain")
    return template


def _cleanup(template: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    found = [(k, r) for k, r in template["Resources"].items() if r["Type"] == RESOURCE_TYPE]
    assert len(found) == 1
    return found[0]


def _is_cleanup(resource: dict[str, Any]) -> bool:
    return "/Cleanup/" in resource.get("Metadata", {}).get("aws:cdk:path", "")


def test_every_function_role_and_the_waiter_state_machine_is_tagged_cleanup() -> None:
    resources = _domain_stack()["Resources"]
    kinds = ("AWS::Lambda::Function", "AWS::IAM::Role", "AWS::StepFunctions::StateMachine")
    made = {k: r for k, r in resources.items() if r["Type"] in kinds and _is_cleanup(r)}
    counts = {kind: sum(1 for r in made.values() if r["Type"] == kind) for kind in kinds}
    assert counts == {"AWS::Lambda::Function": 5, "AWS::IAM::Role": 5, "AWS::StepFunctions::StateMachine": 1}
    untagged = sorted(k for k, r in made.items() if TAG not in r["Properties"].get("Tags", []))
    assert not untagged


def test_runs_before_every_user_stack_and_shared_space_and_lists_the_declared_names() -> None:
    resources = _domain_stack()["Resources"]
    _, cleanup = _cleanup(_domain_stack())
    user_stacks = {k for k, r in resources.items() if r["Type"] == "AWS::CloudFormation::Stack"}
    shared = {k for k, r in resources.items() if r["Type"] == "AWS::SageMaker::Space"}
    assert user_stacks and shared
    assert user_stacks | shared <= set(cleanup["DependsOn"])
    props = cleanup["Properties"]
    assert props["UserProfiles"] == ["alice", "bob", "carol"]
    assert props["Spaces"] == ["alice-lab", "bob-lab", "carol-lab", "team"]
    assert props["DeleteUnmanagedSpaces"] is False
    assert props["DomainId"] == {"Fn::GetAtt": ["Domain66AC69E0", "DomainId"]}


def test_handler_role_may_only_list_and_delete_in_its_own_domain() -> None:
    resources = _domain_stack()["Resources"]
    policies = [
        r["Properties"]["PolicyDocument"]["Statement"]
        for r in resources.values()
        if r["Type"] == "AWS::IAM::Policy" and "/Cleanup/HandlerRole/" in r["Metadata"]["aws:cdk:path"]
    ]
    assert len(policies) == 1
    by_sid = {s["Sid"]: s for s in policies[0]}
    assert set(by_sid) == {"CleanupList", "CleanupApps", "CleanupProfiles", "CleanupStackStatus", "CleanupLogs"}
    assert "CleanupSpaces" not in by_sid  # delete_unmanaged_spaces is off in the example
    assert by_sid["CleanupList"]["Resource"] == "*"
    assert sorted(by_sid["CleanupList"]["Action"]) == ["sagemaker:ListApps", "sagemaker:ListSpaces", "sagemaker:ListUserProfiles"]
    app_arn = by_sid["CleanupApps"]["Resource"]["Fn::Join"][1]
    assert by_sid["CleanupApps"]["Action"] == "sagemaker:DeleteApp"
    assert ":app/" in app_arn and {"Fn::GetAtt": ["Domain66AC69E0", "DomainId"]} in app_arn and app_arn[-1] == "/*"
    assert by_sid["CleanupStackStatus"]["Resource"] == {"Ref": "AWS::StackId"}
    actions = {a for s in policies[0] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert not any(a.startswith(("sagemaker:Create", "sagemaker:Update", "sagemaker:CreatePresigned")) for a in actions)


def test_a_construct_user_gets_profiles_declared_later_covered_and_spaces_deletable_when_allowed() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d")
    cleanup = DomainCleanup(stack, "Cleanup", domain=domain, delete_unmanaged_spaces=True, timeout=Duration.minutes(30))
    users = NestedStack(stack, "Users")
    domain.add_user("alice", scope=users)
    domain.add_space("team")
    template = template_of(stack).to_json()
    logical_id, resource = _cleanup(template)
    assert logical_id == stack.get_logical_id(cleanup.resource.node.default_child)  # type: ignore[arg-type]
    assert resource["Properties"]["UserProfiles"] == ["alice"] and resource["Properties"]["Spaces"] == ["team"]
    nested = next(k for k, r in template["Resources"].items() if r["Type"] == "AWS::CloudFormation::Stack")
    assert {nested, "DomainSpacesteam23A10C40"} <= set(resource["DependsOn"])
    statements = [
        s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and "/Cleanup/HandlerRole/" in r["Metadata"]["aws:cdk:path"]
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    ]
    spaces = next(s for s in statements if s["Sid"] == "CleanupSpaces")
    assert spaces["Action"] == "sagemaker:DeleteSpace" and ":space/" in str(spaces["Resource"]["Fn::Join"][1])
    waiter = next(r for r in template["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine")
    assert '"MaxAttempts":60' in "".join(str(p) for p in waiter["Properties"]["DefinitionString"]["Fn::Join"][1])


def test_the_lambda_asset_is_the_handlers_folder_without_caches() -> None:
    from sagemaker_studio_cdk.constructs.cleanup import HANDLERS_DIR

    functions = [r for r in _domain_stack()["Resources"].values() if r["Type"] == "AWS::Lambda::Function" and _is_cleanup(r)]
    handlers = sorted(r["Properties"]["Handler"] for r in functions if r["Properties"]["Runtime"].startswith("python"))
    assert handlers == ["cleanup.is_complete", "cleanup.on_event"]
    assert (HANDLERS_DIR / "cleanup.py").is_file()


def test_fails_when_timeout_is_beyond_what_cloudformation_waits() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d")
    with pytest.raises(StudioConfigError, match="timeout: got '120 minutes'; 1-60 minutes"):
        DomainCleanup(stack, "Cleanup", domain=domain, timeout=Duration.hours(2))


def test_spec_cleanup_is_off_by_default_and_checked() -> None:
    from sagemaker_studio_cdk.spec import parse_spec

    assert parse_spec({"domain": {"name": "d"}}).domain.cleanup.enabled is False
    spec = parse_spec({"domain": {"name": "d", "cleanup": {"enabled": True, "delete_unmanaged_spaces": True}}})
    assert spec.domain.cleanup.delete_unmanaged_spaces is True and spec.domain.cleanup.timeout_minutes == 60
    with pytest.raises(StudioConfigError, match=r"domain\.cleanup\.timeout_minutes: got 90; 1-60 minutes"):
        parse_spec({"domain": {"name": "d", "cleanup": {"enabled": True, "timeout_minutes": 90}}})
    with pytest.raises(StudioConfigError, match="domain.cleanup.delete_spaces"):
        parse_spec({"domain": {"name": "d", "cleanup": {"delete_spaces": True}}})


def test_home_efs_delete_step_runs_between_the_profiles_and_the_domain_and_deletes_only_this_domains() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="r", rstudio=RStudioSettings())
    cleanup = DomainCleanup(stack, "Cleanup", domain=domain, home_efs_retention=HomeEfsRetention.DELETE)
    users = NestedStack(stack, "Users")
    domain.add_user("alice", scope=users)
    domain.add_space("team")
    template = template_of(stack).to_json()
    assert cleanup.domain_delete is not None
    step_id = stack.get_logical_id(cleanup.domain_delete.node.default_child)  # type: ignore[arg-type]
    step = template["Resources"][step_id]
    assert step["Type"] == DELETE_DOMAIN_RESOURCE_TYPE and step["Properties"]["Step"] == "DeleteDomain"
    domain_id = stack.get_logical_id(domain.resource)
    assert step["Properties"]["DomainId"] == {"Fn::GetAtt": [domain_id, "DomainId"]}  # deleted before the domain
    nested = next(k for k, r in template["Resources"].items() if r["Type"] == "AWS::CloudFormation::Stack")
    for dependent in (nested, "DomainSpacesteam23A10C40"):  # deleted before the step
        assert step_id in template["Resources"][dependent]["DependsOn"]
    _, first = _cleanup(template)
    assert nested in first["DependsOn"]  # the app cleanup still runs before the profiles
    statements = {
        s["Sid"]: s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Policy" and "/Cleanup/HandlerRole/" in r["Metadata"]["aws:cdk:path"]
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    }
    arn = {"Fn::GetAtt": [domain_id, "DomainArn"]}
    for sid in ("CleanupHomeEfsDelete", "CleanupNfsGroupsDelete"):
        assert statements[sid]["Condition"] == {"StringEquals": {"aws:ResourceTag/ManagedByAmazonSageMakerResource": arn}}
    assert "ec2:Vpc" in statements["CleanupMountTargetInterfaces"]["Condition"]["StringEquals"]


def test_home_efs_delete_is_refused_without_a_home_efs() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="d")
    with pytest.raises(StudioConfigError, match="home_efs_retention"):
        DomainCleanup(stack, "Cleanup", domain=domain, home_efs_retention=HomeEfsRetention.DELETE)
    assert DomainCleanup(stack, "Kept", domain=domain).domain_delete is None
    rstudio = StudioDomain(stack, "RStudio", vpc=vpc, domain_name="r", rstudio=RStudioSettings())
    with pytest.raises(StudioConfigError, match="domain's own stack"):
        DomainCleanup(NestedStack(stack, "Elsewhere"), "Cleanup", domain=rstudio, home_efs_retention=HomeEfsRetention.DELETE)
