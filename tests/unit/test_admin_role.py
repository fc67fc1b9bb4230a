"""DomainAdminRole, grant_admin and UserAccessPolicy: what reaches the template (the decision matrix
in tests/policies proves what the policies allow)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Match, Template

from sagemaker_studio_cdk import (
    AppType,
    AuthMode,
    DomainAdminRole,
    StudioConfigError,
    StudioDomain,
    UserAccessPolicy,
)
from sagemaker_studio_cdk.constructs.lifecycle_config import LifecycleConfig
from sagemaker_studio_cdk.policies import PERSONA_TAG
from sagemaker_studio_cdk.policies.isolation import NOTHING_APPROVED
from tests.support import new_stack, resources_of, template_of

ROLE = "AWS::IAM::Role"
MANAGED = "AWS::IAM::ManagedPolicy"
POLICY = "AWS::IAM::Policy"
MANAGED_POLICY_MAX_CHARACTERS = 6144


@dataclass
class Built:
    stack: Stack
    domain: StudioDomain
    admin: DomainAdminRole
    template: Template


def statements_of(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s.get("Sid", ""): s for s in resource["Properties"]["PolicyDocument"]["Statement"]}


def by_path(template: Template, resource_type: str, fragment: str) -> dict[str, Any]:
    (found,) = [r for r in resources_of(template, resource_type).values() if fragment in r["Metadata"]["aws:cdk:path"]]
    return found


@pytest.fixture(scope="module")
def built() -> Built:
    """A domain with a lifecycle config given after the admin role exists (through a profile)."""
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    admin = DomainAdminRole(stack, "Admin", domain=domain, assumed_by=iam.AccountRootPrincipal())
    late = LifecycleConfig(stack, "late", app_type=AppType.JUPYTER_LAB, script="echo late")
    domain.add_user("alice", lifecycle_configs=[late])
    return Built(stack, domain, admin, template_of(stack))


def test_role_is_tagged_with_its_persona(built: Built) -> None:
    role = by_path(built.template, ROLE, "Admin/Role")
    assert {"Key": PERSONA_TAG, "Value": "domain-admin"} in role["Properties"]["Tags"]


def test_role_has_its_boundary(built: Built) -> None:
    role = by_path(built.template, ROLE, "Admin/Role")
    boundary_id = built.stack.get_logical_id(built.admin.boundary.node.default_child)  # type: ignore[arg-type]
    assert role["Properties"]["PermissionsBoundary"] == {"Ref": boundary_id}


def test_boundary_is_an_allowlist_that_holds_every_deny(built: Built) -> None:
    boundary = statements_of(by_path(built.template, MANAGED, "Admin/Boundary"))
    allows = {sid for sid, s in boundary.items() if s["Effect"] == "Allow"}
    assert allows == {"AdminList", "AdminDomain", "AdminDescribeCode", "AdminSharedSpaces", "AdminTagOnCreate"}
    outright = boundary["DenyOutright"]["Action"]
    for action in (
        "sagemaker:CreatePresignedDomainUrl",
        "sagemaker:StartSession",
        "sagemaker:CreateStudioLifecycleConfig",
        "sagemaker:CreateImageVersion",
        "ecr:*",  # every push, and everything else in ECR: the admin has no job there
        "iam:*",  # PassRole, tagging, credentials, its own role and boundary, new principals
        "sts:TagSession",
        "sts:AssumeRole",
        "sts:SetSourceIdentity",
        "ec2:*",  # opening security groups, instances and interfaces joining them
        "s3:*",  # users' data and bucket policies
        "lambda:*",  # the library's functions
        "states:*",  # the Provider framework's waiter
        "sso:*",
        "identitystore:*",
    ):
        assert action in outright
    whole = ("iam:", "ecr:", "ec2:", "s3:", "lambda:", "states:")
    assert not [a for a in outright if a.startswith(whole) and not a.endswith(":*")]
    assert not [s for sid, s in boundary.items() if s["Effect"] == "Deny" and sid in ("DenyLibraryFunctions", "DenyLibraryRoles")]
    assert boundary["DenyPrivateSpaces"]["Condition"] == {"StringNotEquals": {"sagemaker:SpaceSharingType": "Shared"}}
    assert "DenyUnapprovedLifecycleConfigs" in boundary and "DenyUnapprovedImageVersions" in boundary


def test_identity_policy_names_the_role_and_its_boundary(built: Built) -> None:
    policy = statements_of(by_path(built.template, POLICY, "Admin/Role"))
    role_id = built.stack.get_logical_id(built.admin.role.node.default_child)  # type: ignore[arg-type]
    boundary_id = built.stack.get_logical_id(built.admin.boundary.node.default_child)  # type: ignore[arg-type]
    assert policy["DenyEditingOwnRole"]["Resource"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert policy["DenyRewritingBoundary"]["Resource"] == {"Ref": boundary_id}
    assert policy["DenyNewPrincipalsWithoutBoundary"]["Condition"] == {
        "StringNotEquals": {"iam:PermissionsBoundary": {"Ref": boundary_id}}
    }


def test_approved_lifecycle_configs_are_read_at_synth_time(built: Built) -> None:
    """A config attached to a profile after the admin role was made is still approved."""
    boundary = statements_of(by_path(built.template, MANAGED, "Admin/Boundary"))
    approved = boundary["DenyUnapprovedLifecycleConfigs"]["Condition"]["ForAnyValue:ArnNotLike"][
        "sagemaker:StudioLifecycleConfigArns"
    ]
    late_id = built.stack.get_logical_id(built.stack.node.find_child("late").node.default_child)  # type: ignore[arg-type]
    assert late_id in json.dumps(approved)


def test_approved_image_versions_follow_the_approved_images(built: Built) -> None:
    boundary = statements_of(by_path(built.template, MANAGED, "Admin/Boundary"))
    condition = boundary["DenyUnapprovedImageVersions"]["Condition"]["ForAnyValue:ArnNotLike"]
    assert condition == {
        "sagemaker:ImageVersionArns": ["arn:aws:sagemaker:us-east-1:885854791233:image-version/sagemaker-distribution-cpu/*"]
    }


def test_nothing_approved_denies_every_lifecycle_config() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    DomainAdminRole(stack, "Admin", domain=domain, assumed_by=iam.AccountRootPrincipal())
    boundary = statements_of(by_path(template_of(stack), MANAGED, "Admin/Boundary"))
    (arn,) = boundary["DenyUnapprovedLifecycleConfigs"]["Condition"]["ForAnyValue:ArnNotLike"][
        "sagemaker:StudioLifecycleConfigArns"
    ]
    assert arn.endswith(f":studio-lifecycle-config/{NOTHING_APPROVED}")
    assert not re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", NOTHING_APPROVED)  # no config can have this name


def test_boundary_stays_within_the_managed_policy_limit(built: Built) -> None:
    document = by_path(built.template, MANAGED, "Admin/Boundary")["Properties"]["PolicyDocument"]
    size = len(json.dumps(document, separators=(",", ":")))
    assert size < MANAGED_POLICY_MAX_CHARACTERS - 1000, size  # room for about ten more approved configs


def test_imported_domain_admin_role_denies_every_attachment() -> None:
    stack, _ = new_stack()
    domain = StudioDomain.from_domain_attributes(stack, "Domain", domain_id="d-abcdefghijkl")
    DomainAdminRole(stack, "Admin", domain=domain, assumed_by=iam.AccountRootPrincipal())
    boundary = statements_of(by_path(template_of(stack), MANAGED, "Admin/Boundary"))
    images = boundary["DenyUnapprovedImages"]["Condition"]["ForAnyValue:ArnNotLike"]["sagemaker:ImageArns"]
    assert [a.rsplit("/", 1)[-1] for a in images] == [NOTHING_APPROVED]
    assert "arn:aws:sagemaker:us-east-1:111122223333:domain/d-abcdefghijkl" in boundary["AdminDomain"]["Resource"]


# -- grant_admin ---------------------------------------------------------------------------------


def test_grant_admin_adds_the_allows_and_the_denies_to_a_role() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    ops = iam.Role(stack, "Ops", assumed_by=iam.AccountRootPrincipal())
    grant = domain.grant_admin(ops)
    assert grant.success
    document = by_path(template_of(stack), POLICY, "Ops/")["Properties"]["PolicyDocument"]
    actions = json.dumps(document)
    sids = {s.get("Sid") for s in document["Statement"]}
    assert {"DenySignInAsAnyUser", "DenyPrivateSpaces", "DenyPassRole", "DenyEditingOwnRole", "DenyNewPrincipals"} <= sids
    assert {"DenyLibraryRoles", "DenyLibraryFunctions", "DenyWideningUsersAndGroups", "DenyIdentityCenter"} <= sids
    assert "sagemaker:UpdateDomain" in actions
    # without a boundary to protect it, the grantee may edit no role at all: not its own, not the library's
    (own,) = [s for s in document["Statement"] if s.get("Sid") == "DenyEditingOwnRole"]
    assert own["Resource"] == "*"


def test_fails_when_grant_admin_cannot_change_the_grantee() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    imported = iam.Role.from_role_arn(stack, "Imported", "arn:aws:iam::111122223333:role/ops", mutable=False)
    with pytest.raises(StudioConfigError, match="grantee.*identity policy this app can change"):
        domain.grant_admin(imported)


# -- user access ----------------------------------------------------------------------------------


def test_user_access_allows_only_the_tagged_profile() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    access = UserAccessPolicy(stack, "UserAccess", domain=domain, assumed_by=iam.AccountRootPrincipal())
    template = template_of(stack)
    statements = by_path(template, MANAGED, "UserAccess/Resource")["Properties"]["PolicyDocument"]["Statement"]
    assert [s["Sid"] for s in statements] == [
        "SignInAsOwnProfile",
        "RemoteSessionIntoOwnSpaces",
        "DenyRemoteSessionUnlessOwner",
        "DenySpaceOwnerTag",
    ]
    statement = statements[0]
    assert statement["Action"] == "sagemaker:CreatePresignedDomainUrl"
    assert statement["Condition"] == {"Null": {"aws:PrincipalTag/studio:user-profile": "false"}}
    assert json.dumps(statement["Resource"]).endswith('/${aws:PrincipalTag/studio:user-profile}"]]}')
    role = by_path(template, ROLE, "UserAccess/Role")
    assert {"Key": PERSONA_TAG, "Value": "user-access"} in role["Properties"]["Tags"]
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    assert trust["Condition"]["StringEquals"] == {"aws:RequestTag/studio:user-profile": "${aws:PrincipalTag/studio:user-profile}"}
    assert access.role is not None
    remote = statements[1]
    assert remote["Action"] == "sagemaker:StartSession"
    assert remote["Condition"]["StringEquals"] == {
        "aws:ResourceTag/studio:space-owner": "${aws:PrincipalTag/studio:user-profile}"
    }


def test_user_access_policy_attaches_to_people_roles_without_making_one() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    people = iam.Role(stack, "People", assumed_by=iam.AccountRootPrincipal())
    access = UserAccessPolicy(stack, "UserAccess", domain=domain, tag_key="team:profile")
    access.attach_to_role(people)
    template = template_of(stack)
    assert access.role is None
    template.has_resource_properties(MANAGED, {"Roles": [{"Ref": Match.string_like_regexp("People")}]})
    assert "${aws:PrincipalTag/team:profile}" in json.dumps(template.to_json())


def test_fails_when_user_access_is_made_for_an_sso_domain() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", auth_mode=AuthMode.SSO)
    with pytest.raises(StudioConfigError, match="domain.auth_mode: got 'SSO'; an IAM-mode domain"):
        UserAccessPolicy(stack, "UserAccess", domain=domain)


def test_fails_at_synth_when_the_boundary_outgrows_a_managed_policy() -> None:
    stack, vpc = new_stack()
    configs = [
        LifecycleConfig(stack, f"config-{app.value}-{i}", app_type=app, script=f"echo {i}")
        for app in (AppType.JUPYTER_LAB, AppType.CODE_EDITOR)
        for i in range(30)  # CloudFormation's limit per app type
    ]
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", lifecycle_configs=configs)
    DomainAdminRole(stack, "Admin", domain=domain, assumed_by=iam.AccountRootPrincipal())
    with pytest.raises(Exception, match="the admin boundary has [0-9]+ characters, more than the 6144 of a managed policy"):
        stack.node.root.synth()  # type: ignore[attr-defined]


def test_settings_access_must_be_a_mode() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    with pytest.raises(StudioConfigError, match="settings_access: got 'through-stack'; an AdminSettingsAccess"):
        DomainAdminRole(
            stack,
            "Admin",
            domain=domain,
            assumed_by=iam.AccountRootPrincipal(),
            settings_access="through-stack",  # type: ignore[arg-type]
        )
    with pytest.raises(StudioConfigError, match="settings_access"):
        domain.grant_admin(iam.Role(stack, "Ops", assumed_by=iam.AccountRootPrincipal()), "direct")  # type: ignore[arg-type]
