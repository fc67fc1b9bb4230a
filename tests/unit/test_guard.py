"""``guard``: what deploying one synthesized assembly over another would delete or fail on."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import NestedStack, RemovalPolicy
from aws_cdk import aws_kms as kms

from sagemaker_studio_cdk import StudioDomain, UserProfile
from sagemaker_studio_cdk.cli import main
from sagemaker_studio_cdk.guard import guard
from sagemaker_studio_cdk.replacement import CUSTOM_TYPES, WOULD_DELETE, WOULD_FAIL, Change, register_custom_type
from tests.support import new_stack

BASE = (("alice", "research"), ("bob", "research"))


@cache
def assembly(
    users: tuple[tuple[str, str], ...] = BASE,
    *,
    renamed: bool = False,
    own_key: bool = False,
    key_destroyed: bool = False,
    tagged: bool = False,
) -> str:
    """A domain in a stack, its users in one nested stack per group; the assembly's directory."""
    stack, vpc = new_stack()
    key = kms.Key(stack, "OtherKey") if own_key else None
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", encryption_key=key)
    if key_destroyed:
        domain.node.find_child("Key").apply_removal_policy(RemovalPolicy.DESTROY)  # type: ignore[attr-defined]
    groups: dict[str, NestedStack] = {}
    for name, group in users:
        scope = groups.get(group) or groups.setdefault(group, NestedStack(stack, f"Group-{group}"))
        if renamed and name == "alice":
            UserProfile(scope, "AliceRenamed", domain=domain, user_profile_name="alice")
        else:
            domain.add_user(name, scope=scope, tags={"team": "ml"} if tagged else None)
    return str(stack.node.root.synth().directory)  # type: ignore[attr-defined]


def affected(**variant: Any) -> dict[tuple[str, str], Change]:
    """(name or logical id, verdict or action) -> change, from the base assembly to a variant."""
    result = guard(assembly(), assembly(**variant))
    return {(c.name or c.logical_id, c.verdict or c.action): c for c in result.changes}


def test_nothing_changed_reports_nothing() -> None:
    assert guard(assembly(), assembly()).changes == []


def test_removed_user_would_delete_data() -> None:
    found = affected(users=(("alice", "research"),))
    change = found["bob", WOULD_DELETE]
    assert change.action == "remove" and change.path.endswith("/bob/Resource")
    assert not [k for k in found if k[0] == "alice"]


def test_moved_user_would_fail_on_name_clash() -> None:
    found = affected(users=(("alice", "research"), ("bob", "ops")))
    clash = found["bob", WOULD_FAIL]
    assert clash.stack == "Test/Group-ops" and clash.action == "add"
    assert "still held by Test/Group-research/" in " ".join(clash.reasons)
    assert found["bob", WOULD_DELETE].stack == "Test/Group-research"


def test_renamed_construct_keeping_the_name_would_fail() -> None:
    found = affected(renamed=True)
    clash = found["alice", WOULD_FAIL]
    assert "AliceRenamed" in clash.logical_id and "name clash" in clash.reasons[0]


def test_new_key_replaces_the_domain_and_its_users_through_get_att_and_parameters() -> None:
    found = affected(own_key=True)
    domain = found["research", WOULD_FAIL]
    assert domain.action == "replace" and domain.reasons[0].startswith("KmsKeyId changed (<DomainKey")
    # the profiles' DomainId is a nested-stack parameter, the parent's Fn::GetAtt of the domain
    alice = found["alice", WOULD_FAIL]
    assert alice.stack == "Test/Group-research" and "DomainId refers to Domain" in alice.reasons[0]
    # the old key is retained, so losing it from the template deletes nothing
    (old_key,) = [c for c in found.values() if c.resource_type == "AWS::KMS::Key" and c.action == "remove"]
    assert old_key.verdict is None and "DeletionPolicy Retain" in old_key.reasons[-1]


def test_weakened_deletion_policy_would_delete_data() -> None:
    (change,) = [c for c in affected(key_destroyed=True).values() if c.verdict]
    assert change.resource_type == "AWS::KMS::Key" and change.verdict == WOULD_DELETE
    assert "DeletionPolicy Retain -> Delete" in change.reasons[0]


def test_stateless_change_is_listed_only() -> None:
    result = guard(assembly(), assembly(tagged=True))
    assert {(c.name or c.resource_type, c.action, c.verdict) for c in result.changes} == {
        ("alice", "update", None),
        ("bob", "update", None),
        ("AWS::CloudFormation::Stack", "update", None),  # its template changed
    }
    assert result.exit_code == 0


# -- hand-built templates: custom resources, conditions, nested-stack parameters ---------------------------


def write_assembly(directory: Path, parent: dict[str, Any], child: dict[str, Any] | None = None) -> str:
    """A cloud assembly of one stack (``Main``) and, when given, one nested stack ``Child``."""
    directory.mkdir()
    artifacts = {"Main": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Main.template.json"}}}
    (directory / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": artifacts}))
    (directory / "Main.template.json").write_text(json.dumps(parent))
    if child is not None:
        (directory / "Child.nested.template.json").write_text(json.dumps(child))
    return str(directory)


def settings(alias: str, **extra: Any) -> dict[str, Any]:
    """A parent with a custom resource (declared in Metadata) whose Arn a nested domain receives."""
    declaration = {"createOnly": ["Alias"], "stateful": True}
    return {
        "Resources": {
            "Settings": {
                "Type": "Custom::StudioKey",
                "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:f", "Alias": alias, **extra},
                "Metadata": {"studio:replacement": declaration, "aws:cdk:path": "Main/Settings/Default"},
            },
            "Child": {
                "Type": "AWS::CloudFormation::Stack",
                "Properties": {
                    "TemplateURL": "https://example.com/t",
                    "Parameters": {"KeyArn": {"Fn::GetAtt": ["Settings", "Arn"]}},
                },
                "Metadata": {"aws:asset:path": "Child.nested.template.json", "aws:cdk:path": "Main/Child.NestedStack/Resource"},
            },
        }
    }


CHILD = {
    "Parameters": {"KeyArn": {"Type": "String"}},
    "Resources": {
        "Domain": {
            "Type": "AWS::SageMaker::Domain",
            "Properties": {
                "DomainName": "research",
                "AuthMode": "IAM",
                "KmsKeyId": {"Ref": "KeyArn"},
                "VpcId": "vpc-1",
                "SubnetIds": ["subnet-1"],
                "DefaultUserSettings": {"ExecutionRole": "arn:aws:iam::111122223333:role/r"},
            },
        }
    },
}


def test_custom_resource_declared_create_only_replaces_what_refers_to_it(tmp_path: Path) -> None:
    old = write_assembly(tmp_path / "old", settings("a"), CHILD)
    new = write_assembly(tmp_path / "new", settings("b"), CHILD)  # the domain's JSON is the same
    found = {c.logical_id: c for c in guard(old, new).changes}
    assert found["Settings"].verdict == WOULD_DELETE and found["Settings"].action == "replace"
    assert found["Domain"].verdict == WOULD_FAIL
    assert found["Domain"].reasons[0] == "KmsKeyId refers to Settings, which is replaced"
    # a property the declaration does not name updates in place
    in_place = write_assembly(tmp_path / "in-place", settings("a", Description="x"), CHILD)
    assert [(c.logical_id, c.action, c.verdict) for c in guard(old, in_place).changes] == [("Settings", "update", None)]


def test_registered_custom_type_and_conditional_value_may_replace(tmp_path: Path) -> None:
    register_custom_type("Custom::GuardTestApp", create_only=["Name"], stateful=True, name_property="Name")
    try:
        check_app_type(tmp_path)
    finally:
        del CUSTOM_TYPES["Custom::GuardTestApp"]


def check_app_type(tmp_path: Path) -> None:

    def app(name: Any) -> dict[str, Any]:
        resource = {"Type": "Custom::GuardTestApp", "Properties": {"ServiceToken": "arn:aws:lambda:::function:f", "Name": name}}
        return {"Conditions": {"Big": {"Fn::Equals": ["a", "a"]}}, "Resources": {"App": resource}}

    old = write_assembly(tmp_path / "old", app("mlflow"))
    conditional = write_assembly(tmp_path / "cond", app({"Fn::If": ["Big", "mlflow", "mlflow-small"]}))
    (change,) = guard(old, conditional).changes
    assert change.action == "may replace" and change.verdict == WOULD_DELETE  # the name may change: a new app
    assert "which may replace it (the value depends on a condition)" in change.reasons[0]
    renamed = write_assembly(tmp_path / "renamed", app("mlflow-2"))
    (change,) = guard(old, renamed).changes
    assert change.action == "replace" and change.verdict == WOULD_DELETE and change.name == "mlflow-2"


# -- the command line ---------------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["guard", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_exit_codes_and_allow(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, assembly(), assembly(tagged=True))[0] == 0
    removed = assembly(users=(("alice", "research"),))
    code, out, _ = run(capsys, assembly(), removed)
    assert code == 1 and "WOULD DELETE DATA (1)" in out and "'bob'" in out
    for name in ("bob", "Test/Group-research/bob", "Test/Group-research/bob/Resource"):
        code, out, err = run(capsys, assembly(), removed, "--allow", name)
        assert (code, err) == (0, "") and "ALLOWED (1)" in out, name
    code, _, err = run(capsys, assembly(), removed, "--allow", "carol")
    assert code == 1 and "--allow 'carol' matched no resource" in err


def test_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, assembly(), assembly(users=(("alice", "research"), ("bob", "ops"))), "--json")
    report = json.loads(out)
    assert code == 1 == report["exitCode"]
    assert (report["wouldFail"], report["wouldDeleteData"]) == (1, 1)
    verdicts = {(c["name"], c["stack"], c["verdict"]) for c in report["changes"] if c["verdict"]}
    assert verdicts == {("bob", "Test/Group-ops", WOULD_FAIL), ("bob", "Test/Group-research", WOULD_DELETE)}


def test_cli_bad_input_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, str(tmp_path), assembly())
    assert code == 2 and err.count("\n") == 1 and "not a cloud assembly" in err
    broken = write_assembly(tmp_path / "broken", {"Resources": {}})
    Path(broken, "Main.template.json").write_text("{")
    code, _, err = run(capsys, assembly(), broken)
    assert code == 2 and err.count("\n") == 1 and "not valid JSON" in err


def test_key_usage_change_would_fail(tmp_path: Path) -> None:
    def key(**properties: Any) -> dict[str, Any]:
        return {"Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": properties, "DeletionPolicy": "Retain"}}}

    old = write_assembly(tmp_path / "old", key())
    explicit_default = guard(old, write_assembly(tmp_path / "same", key(KeyUsage="ENCRYPT_DECRYPT")))
    assert [(c.action, c.verdict) for c in explicit_default.changes] == [("update", None)]
    (change,) = guard(old, write_assembly(tmp_path / "new", key(KeyUsage="SIGN_VERIFY"))).changes
    assert (change.action, change.verdict) == ("refused update", WOULD_FAIL)
    assert change.reasons == [
        "KeyUsage 'ENCRYPT_DECRYPT' -> 'SIGN_VERIFY': CloudFormation refuses to change it and fails the update"
    ]


def test_nested_create_only_property_replaces_and_its_siblings_update(tmp_path: Path) -> None:
    def domain(instance_type: str, security_group: str) -> dict[str, Any]:
        settings = {
            "SecurityGroupIds": [security_group],
            "RStudioServerProDomainSettings": {
                "DomainExecutionRoleArn": "arn:aws:iam::111122223333:role/r",
                "DefaultResourceSpec": {"InstanceType": instance_type},
            },
        }
        child = json.loads(json.dumps(CHILD))
        child["Resources"]["Domain"]["Properties"].update(KmsKeyId="k", DomainSettings=settings)
        del child["Parameters"]
        return child

    old = write_assembly(tmp_path / "old", domain("system", "sg-1"))
    (change,) = guard(old, write_assembly(tmp_path / "sg", domain("system", "sg-2"))).changes
    assert (change.action, change.verdict) == ("update", None)
    (change,) = guard(old, write_assembly(tmp_path / "spec", domain("ml.c5.4xlarge", "sg-1"))).changes
    assert (change.action, change.verdict) == ("replace", WOULD_FAIL)
    assert change.reasons[0].startswith("DomainSettings/RStudioServerProDomainSettings/DefaultResourceSpec changed")
