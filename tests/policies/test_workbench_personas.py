"""The workbench's roles in the decision matrix and the iamprover invariant: the custom image role,
the MLflow roles and the MLflow App function's roles, and the RStudio domain role (all synthesized
in the test-only workbench stack of :mod:`tests.policies.shapes`), and the new ways into a private
space: a new image version, a push to an approved repository, the RStudio admin group, remote
access, and the ``studio:space-owner`` tag on a space's creation.

The iam-simulate quirk: the execution role's ``TagOnCreate`` allows ``sagemaker:AddTags`` on
``arn:...:*/*``. AWS matches each ``*`` across ``/``, so that covers ``space/<domain>/<name>``;
iam-simulate does not (it answers ImplicitlyDenied even for a harmless tag), so a row "alice may
not set studio:space-owner on CreateSpace" would pass whatever the deny did. The rows below
evaluate alice's role with that resource written as ``arn:...:*`` (what AWS's matching of ``*/*``
amounts to for these ARNs), prove the allow then applies to a harmless tag, and that removing
the deny lets the owner tag through.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from iamprover.invariants import Invariant

from sagemaker_studio_cdk.policies.personas import IMAGE, MLFLOW, MLFLOW_APP_FUNCTION, RSTUDIO_DOMAIN
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal
from tests.policies.example_iam import ExampleIam
from tests.policies.matrix import ALLOW, DENY, OWNER_TAG, Context, Row, principals, run, weaken
from tests.policies.shapes import Shapes, shapes
from tests.policies.test_invariant import assert_holds, check, private_space_invariants

WORKBENCH_PERSONAS = (IMAGE, MLFLOW, MLFLOW_APP_FUNCTION, RSTUDIO_DOMAIN)


@pytest.fixture(scope="module")
def workbench(example: ExampleIam) -> Shapes:
    return shapes(example.domain_id)


def _principals(found: Shapes) -> dict[str, Principal]:
    people = {}
    for persona, roles in found.workbench.items():
        for i, role in enumerate(roles):
            people[f"{persona}#{i}"] = Principal(name=persona, arn=role.arn, identity_policies=role.identity_policies)
    return people


def test_every_workbench_persona_is_in_the_test_stack(workbench: Shapes) -> None:
    assert set(WORKBENCH_PERSONAS) <= set(workbench.workbench), sorted(workbench.workbench)
    assert set(WORKBENCH_PERSONAS) <= set(workbench.tagged.roles.values())  # so the library-roles rows cover them


def test_no_workbench_role_reaches_a_private_space(evaluator: IamEvaluator, example: ExampleIam, workbench: Shapes) -> None:
    """The matrix, per role: no sign-in, remote session, app, space change, profile change (the
    RStudio admin group), new image version, push to the approved repository, or owner tag."""
    e = example
    private: Context = {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": e.profile("alice")}
    owner_claim: Context = {"aws:TagKeys": ["studio:space-owner"], "aws:RequestTag/studio:space-owner": "mallory"}
    rstudio_admin: Context = {}  # UpdateUserProfile carries no key for RStudioServerProAppSettings.UserGroup
    people = _principals(workbench)
    table = []
    for persona in people:
        for action, resource, context in (
            ("sagemaker:CreatePresignedDomainUrl", e.profile("alice"), {}),
            ("sagemaker:StartSession", e.space("alice-lab"), {OWNER_TAG: "alice"}),
            ("sagemaker:CreateApp", e.app("alice-lab"), private),
            ("sagemaker:CreateApp", e.sagemaker(f"app/{e.domain_id}/alice/rsessiongateway/s"), {}),
            ("sagemaker:UpdateSpace", e.space("alice-lab"), private),
            ("sagemaker:UpdateUserProfile", e.profile("alice"), rstudio_admin),
            ("sagemaker:CreateImageVersion", e.sagemaker("image/team-r"), {}),
            ("sagemaker:UpdateImage", e.sagemaker("image/team-r"), {}),
            ("ecr:PutImage", workbench.image_repository, {}),
            ("ecr:CompleteLayerUpload", workbench.image_repository, {}),
            ("sagemaker:AddTags", e.space("alice-lab"), owner_claim),
            ("iam:PassRole", e.roles["execution"].arn, {}),
        ):
            table.append(Row("workbench-roles", persona, action, resource, DENY, context))
    mismatches = run(evaluator, people, table)
    assert not mismatches, "\n".join(map(str, mismatches))


def test_workbench_roles_do_their_jobs(evaluator: IamEvaluator, workbench: Shapes) -> None:
    """The rows above are not vacuous: each role is allowed its own job, and only that."""
    people = _principals(workbench)
    domain = workbench.workbench_domain_id
    server = f"arn:{PARTITION}:sagemaker:{REGION}:{ACCOUNT}:app/{domain}/domain-shared/rstudioserverpro/default"
    logs = f"arn:{PARTITION}:logs:{REGION}:{ACCOUNT}:log-group:/aws/sagemaker/studio:log-stream:{domain}/rstudio"
    table = [
        Row("rstudio-domain", "rstudio-domain#0", "license-manager:CheckoutLicense", "*", ALLOW),
        Row("rstudio-domain", "rstudio-domain#0", "logs:PutLogEvents", logs, ALLOW),
        Row("rstudio-domain", "rstudio-domain#0", "sagemaker:CreateApp", server, ALLOW),
        Row("rstudio-domain", "rstudio-domain#0", "sagemaker:CreateApp", server.replace(domain, "d-otherdomain01"), DENY),
        Row(
            "rstudio-domain",
            "rstudio-domain#0",
            "sagemaker:CreateApp",
            server.replace("domain-shared/rstudioserverpro", "alice/rsessiongateway"),
            DENY,
        ),
        Row("rstudio-domain", "rstudio-domain#0", "logs:PutLogEvents", logs.replace("/aws/sagemaker/studio", "/other"), DENY),
        Row("rstudio-domain", "rstudio-domain#0", "license-manager:CreateLicense", "*", DENY),
        Row("image", "image#0", "ecr:BatchGetImage", workbench.image_repository, ALLOW),
        *home_efs_rows(domain),
        Row("image", "image#0", "ecr:BatchGetImage", workbench.image_repository.replace("team/r", "other"), DENY),
    ]
    mismatches = run(evaluator, people, table)
    assert not mismatches, "\n".join(map(str, mismatches))


def home_efs_rows(domain: str) -> list[Row]:
    """The cleanup with ``home_efs_retention=DELETE`` deletes this domain and only what SageMaker
    tagged as this domain's (its home EFS, NFS security groups), interfaces only in its VPC."""
    arn = f"arn:{PARTITION}:{{}}:{REGION}:{ACCOUNT}:{{}}".format
    this, other = arn("sagemaker", f"domain/{domain}"), arn("sagemaker", "domain/d-otherdomain01")
    tag = "aws:ResourceTag/ManagedByAmazonSageMakerResource"
    file_system, group = arn("elasticfilesystem", "file-system/fs-01234567"), arn("ec2", "security-group/sg-01234567")
    interface = arn("ec2", "network-interface/eni-01234567")
    vpc, other_vpc = arn("ec2", "vpc/vpc-0123456789abcdef0"), arn("ec2", "vpc/vpc-other")
    rows = [
        Row("home-efs", "cleanup#0", "sagemaker:DeleteDomain", this, ALLOW),
        Row("home-efs", "cleanup#0", "sagemaker:DeleteDomain", other, DENY),
        Row("home-efs", "cleanup#0", "ec2:DeleteNetworkInterface", interface, ALLOW, {"ec2:Vpc": vpc}),
        Row("home-efs", "cleanup#0", "ec2:DeleteNetworkInterface", interface, DENY, {"ec2:Vpc": other_vpc}),
    ]
    for action, resource in (
        ("elasticfilesystem:DeleteFileSystem", file_system),
        ("elasticfilesystem:DeleteMountTarget", file_system),
        ("ec2:DeleteSecurityGroup", group),
        ("ec2:RevokeSecurityGroupIngress", group),
    ):
        rows += [
            Row("home-efs", "cleanup#0", action, resource, ALLOW, {tag: this}),
            Row("home-efs", "cleanup#0", action, resource, DENY, {tag: other}),
            Row("home-efs", "cleanup#0", action, resource, DENY),
        ]
    return rows


@pytest.mark.parametrize("persona", WORKBENCH_PERSONAS)
def test_the_invariant_holds_for_every_workbench_role(
    evaluator: IamEvaluator, example: ExampleIam, workbench: Shapes, persona: str
) -> None:
    """iamprover: no request by any role of the persona enters a private space, over all requests.

    The region is pinned (the stack's, and another): with ``*`` there the solver lets it span
    colons, so ``mlflow-app/*`` of the MLflow handler would "match" ``app/*``, an ARN AWS never makes."""
    invariants = [
        _in_region(i, region)
        for region in (REGION, "eu-west-1")
        for i in private_space_invariants(evaluator, example.profile("alice"))
    ]
    for role in workbench.workbench[persona]:
        assert_holds(check(Principal(name=persona, arn=role.arn, identity_policies=role.identity_policies), invariants))


def _in_region(invariant: Invariant, region: str) -> Invariant:
    resources = [r.replace(":sagemaker:*:", f":sagemaker:{region}:") for r in invariant.resources]
    return dataclasses.replace(invariant, id=f"{invariant.id}@{region}", resources=resources)


def _tag_on_create_as_aws_matches_it(statement: dict[str, Any]) -> dict[str, Any]:
    if statement.get("Sid") == "TagOnCreate":
        statement["Resource"] = statement["Resource"].replace(":*/*", ":*")
    return statement


def _without_owner_tag_deny(statement: dict[str, Any]) -> dict[str, Any] | None:
    return None if statement.get("Sid") == "DenySpaceOwnerTag" else statement


def test_execution_role_cannot_set_the_owner_tag_when_creating_a_space(evaluator: IamEvaluator, example: ExampleIam) -> None:
    e = example
    alice = weaken(principals(e)["alice"], _tag_on_create_as_aws_matches_it)
    assert any(s.get("Sid") == "DenySpaceOwnerTag" for d in alice.identity_policies for s in d["Statement"])
    people = {"alice": alice, "alice-without-deny": weaken(alice, _without_owner_tag_deny)}
    create: Context = {"sagemaker:TaggingAction": "CreateSpace"}
    harmless: Context = {**create, "aws:TagKeys": ["project"], "aws:RequestTag/project": "churn"}
    table = [Row("space-owner-tag-control", "alice", "sagemaker:AddTags", e.space("alice-second"), ALLOW, harmless)]
    for key in ("studio:space-owner", "Studio:Space-Owner"):
        claim: Context = {**create, "aws:TagKeys": [key], f"aws:RequestTag/{key}": "bob"}
        table += [
            Row("space-owner-tag", "alice", "sagemaker:AddTags", e.space("alice-second"), DENY, claim),
            Row("space-owner-tag", "alice", "sagemaker:AddTags", e.space("planted"), DENY, claim),
            Row("space-owner-tag-control", "alice-without-deny", "sagemaker:AddTags", e.space("alice-second"), ALLOW, claim),
        ]
    mismatches = run(evaluator, people, table)
    assert not mismatches, "\n".join(map(str, mismatches))


def test_the_quirk_is_still_there(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """Why the rows above rewrite ``*/*``: iam-simulate does not match it against a space ARN. When
    this fails, iam-simulate matches like AWS and the rewrite can go."""
    harmless: Context = {"sagemaker:TaggingAction": "CreateSpace", "aws:TagKeys": ["project"], "aws:RequestTag/project": "x"}
    row = Row("quirk", "alice", "sagemaker:AddTags", example.space("alice-second"), DENY, harmless)
    assert not run(evaluator, principals(example), [row])


def test_rstudio_admin_group_is_a_profile_write_users_cannot_make(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """Making someone an RStudio admin is ``CreateUserProfile``/``UpdateUserProfile`` (no IAM key names
    the group): users' sessions and user access may write no profile; the domain admin may in
    ``DIRECT`` mode (its settings job; ``THROUGH_STACK`` takes it away: the f9-settings rows)."""
    e = example
    table = []
    for persona in ("alice", "bob", "nobody", "access:alice"):
        for action, resource in (
            ("sagemaker:UpdateUserProfile", e.profile("alice")),
            ("sagemaker:UpdateUserProfile", e.profile("bob")),
            ("sagemaker:CreateUserProfile", e.profile("mallory")),
            ("sagemaker:UpdateDomain", e.domain),
        ):
            table.append(Row("rstudio-admin-group", persona, action, resource, DENY))
    table.append(Row("rstudio-admin-group", "admin", "sagemaker:UpdateUserProfile", e.profile("alice"), ALLOW))
    mismatches = run(evaluator, principals(e), table)
    assert not mismatches, "\n".join(map(str, mismatches))
