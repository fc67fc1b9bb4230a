"""Synth-time warnings for changes CloudFormation cannot apply to named Studio resources."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Aspects, CfnResource, Stack
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Annotations, Match

from sagemaker_studio_cdk import SpaceSharing, StudioDomain
from sagemaker_studio_cdk.create_only import create_only_properties
from sagemaker_studio_cdk.replacement import (
    WARNING_ID,
    Baseline,
    NamedReplacementCheck,
    declare_replacement,
)
from tests.support import new_stack


def build(*, owner: str = "alice", with_space: bool = True, own_key: bool = False, app_name: str = "tracking") -> Stack:
    stack, vpc = new_stack()
    app = CfnResource(
        stack,
        "App",
        type="Custom::StudioTestApp",
        properties={"ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:handler", "Name": app_name},
    )
    declare_replacement(app, create_only=["Name"], stateful=True, name_property="Name")
    key = kms.Key(stack, "OtherKey") if own_key else None
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", encryption_key=key)
    users = {name: domain.add_user(name) for name in ("alice", "bob")}
    if with_space:
        domain.add_space("lab", sharing=SpaceSharing.PRIVATE, owner=users[owner])
    return stack


def baseline() -> Baseline:
    assembly = build().node.root.synth()  # type: ignore[attr-defined]
    found = Baseline.from_assembly(assembly.directory)
    assert found is not None
    return found


def warnings_after(stack: Stack) -> list[str]:
    Aspects.of(stack).add(NamedReplacementCheck(baseline()))  # on a stack, it still checks the app
    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(".*"))
    return [m.entry.data for m in found if WARNING_ID in str(m.entry.data)]


def test_create_only_properties_come_from_cloudformation_schema() -> None:
    assert {"SpaceSharingSettings", "OwnershipSettings", "SpaceName"} <= set(create_only_properties("AWS::SageMaker::Space"))
    assert "KmsKeyId" in create_only_properties("AWS::SageMaker::Domain")


def test_no_warning_when_nothing_changes() -> None:
    assert warnings_after(build()) == []


def test_warns_when_space_owner_changes() -> None:
    (message,) = warnings_after(build(owner="bob"))
    assert "'lab' would fail: OwnershipSettings changed" in message and "files of the old one are lost" in message


def test_warns_when_domain_key_changes() -> None:
    messages = warnings_after(build(own_key=True))
    assert any("AWS::SageMaker::Domain 'research' would fail: KmsKeyId changed" in m for m in messages)
    # the profiles follow the domain they name: a replaced domain replaces them too
    assert any("UserProfile 'alice' would fail: DomainId refers to Domain" in m for m in messages)


def test_warns_when_space_is_removed() -> None:
    (message,) = warnings_after(build(with_space=False))
    assert "Space 'lab' would delete data: no longer declared" in message and "every file on it" in message


def test_first_synth_has_no_baseline(tmp_path: Path) -> None:
    assert Baseline.from_assembly(tmp_path) is None


def test_warns_when_declared_custom_resource_is_replaced() -> None:
    (message,) = warnings_after(build(app_name="tracking-2"))
    assert message.startswith("Custom::StudioTestApp 'tracking-2' would delete data: Name changed ('tracking' -> 'tracking-2')")
