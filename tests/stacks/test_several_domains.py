"""Several domains in one app (studio.yaml ``domains:``): each its own stacks, execution role,
user-data bucket and lifecycle config names; one network per Region; summary shows both."""

from __future__ import annotations

from typing import Any

from sagemaker_studio_cdk.assembly import StackTemplate
from sagemaker_studio_cdk.cli import summary
from tests.several_domains import DOMAINS, two_domains


def _of(templates: list[StackTemplate], resource_type: str) -> dict[str, list[dict[str, Any]]]:
    """Resources of a type by domain (the top-level stack they are under)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for stack in templates:
        domain = stack.label.split("/")[0].removeprefix("StudioDomain-")
        found.setdefault(domain, []).extend(stack.resources(resource_type).values())
    return found


def test_each_domain_has_its_own_stacks_on_one_network() -> None:
    _, templates = two_domains()
    labels = sorted(t.label for t in templates)
    assert labels == [
        "StudioDomain-dev",
        "StudioDomain-dev/UserGroup-users",
        "StudioDomain-prod",
        "StudioDomain-prod/UserGroup-research",
        "StudioDomain-prod/UserGroup-users",
        "StudioNetwork",
    ]
    names = {d: [r["Properties"]["DomainName"] for r in rs] for d, rs in _of(templates, "AWS::SageMaker::Domain").items() if rs}
    assert names == {"dev": ["dev"], "prod": ["prod"]}


def test_the_same_profile_name_gets_a_role_and_bucket_per_domain() -> None:
    """``alice`` of dev and ``alice`` of prod: the session's source identity is the bare profile
    name, so each domain's execution role and user-data bucket are its own."""
    _, templates = two_domains()
    roles = _of(templates, "AWS::IAM::Role")
    execution = {
        d: [r for r in rs if {"Key": "studio:persona", "Value": "execution"} in r["Properties"].get("Tags", [])]
        for d, rs in roles.items()
    }
    assert len(execution["dev"]) == len(execution["prod"]) == 1
    buckets = _of(templates, "AWS::S3::Bucket")
    assert len(buckets["dev"]) == len(buckets["prod"]) == 1
    for domain in DOMAINS:  # the domain's own stack holds the role it runs apps as
        stack = next(t for t in templates if t.label == f"StudioDomain-{domain}")
        (props,) = [r["Properties"] for r in stack.resources("AWS::SageMaker::Domain").values()]
        role_id = props["DefaultUserSettings"]["ExecutionRole"]["Fn::GetAtt"][0]
        assert stack.resources("AWS::IAM::Role")[role_id] in execution[domain]
    users = {
        d: sorted(r["Properties"]["UserProfileName"] for r in rs)
        for d, rs in _of(templates, "AWS::SageMaker::UserProfile").items()
        if rs
    }
    assert users == {"dev": ["alice", "bob"], "prod": ["alice", "bob"]}


def test_users_of_a_users_file_sign_in_with_their_sso_identity() -> None:
    _, templates = two_domains()
    prod = {r["Properties"]["UserProfileName"]: r["Properties"] for r in _of(templates, "AWS::SageMaker::UserProfile")["prod"]}
    assert prod["alice"]["SingleSignOnUserValue"] == "alice@example.com"
    assert prod["bob"]["SingleSignOnUserIdentifier"] == "UserName"


def test_lifecycle_configs_of_the_same_name_do_not_collide() -> None:
    _, templates = two_domains()
    names = [
        r["Properties"]["StudioLifecycleConfigName"]
        for rs in _of(templates, "AWS::SageMaker::StudioLifecycleConfig").values()
        for r in rs
    ]
    assert len(names) == 2 and len(set(names)) == 2 and all(n.startswith("autosave-") for n in names)


def test_summary_lists_both_domains() -> None:
    _, templates = two_domains()
    text = summary(templates)
    assert "StudioDomain-dev  " in text and "StudioDomain-prod  " in text
    assert text.count("alice-lab") == 2
