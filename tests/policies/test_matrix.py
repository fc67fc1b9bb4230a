"""The decision matrix over the example app, evaluated by @cloud-copilot/iam-simulate (strict mode),
and proof that it fails when a policy is weakened."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sagemaker_studio_cdk.policies.personas import PERSONAS
from sagemaker_studio_cdk.policies.resolver import AssemblyResolver
from tests.example import example_assembly
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal
from tests.policies.example_iam import ExampleIam
from tests.policies.matrix import (
    ADMIN_PATHS,
    ADMINS,
    CANVAS_ROLES,
    DENY,
    Mismatch,
    Row,
    all_chains,
    principals,
    rows,
    run,
    run_chains,
    weaken,
)


def report(mismatches: list[Mismatch], total: int) -> str:
    return f"{len(mismatches)} of {total} rows differ:\n" + "\n".join(f"  {m}" for m in mismatches)


def caught(mismatches: list[Mismatch]) -> set[tuple[str, str]]:
    return {(m.row.path, m.row.persona) for m in mismatches}


def rows_of(example: ExampleIam, *personas: str) -> list[Row]:
    """The matrix's rows of ``personas`` only: a weakened policy of theirs changes nothing else,
    and evaluating fewer rows keeps the suite fast."""
    return [r for r in rows(example) if r.persona in personas]


def test_the_example_apps_matrix_has_no_mismatch(evaluator: IamEvaluator, example: ExampleIam) -> None:
    table = rows(example)
    mismatches = run(evaluator, principals(example), table)
    print(f"decision matrix: {len(table)} rows, {len(mismatches)} mismatches")
    assert not mismatches, report(mismatches, len(table))


def test_every_admin_path_has_rows_for_every_admin_persona(example: ExampleIam) -> None:
    covered = {(r.path, r.persona) for r in rows(example)}
    missing = [(path, persona) for path in ADMIN_PATHS for persona in ADMINS if (path, persona) not in covered]
    assert not missing


def test_every_persona_role_of_the_example_is_in_the_matrix(example: ExampleIam) -> None:
    """Each persona role acts in the matrix, and every persona-tagged role is a resource of its rows."""
    # settings: the example's Canvas settings are applied by the domain's settings resource
    assert set(example.roles) == {"domain-admin", "execution", "user-access", "cleanup", "settings", *CANVAS_ROLES}
    arns = {p.arn for p in principals(example).values()}
    assert {r.arn for r in example.roles.values()} <= arns
    resources = {r.resource for r in rows(example)}
    assert set(example.tagged.roles) <= resources
    assert set(example.tagged.functions) | set(example.tagged.state_machines) <= resources
    assert {"network", "cleanup", "domain-admin", "execution", "user-access"} <= set(example.tagged.roles.values())


def test_the_matrix_catches_a_deny_conditioned_on_a_key_the_action_does_not_carry(
    evaluator: IamEvaluator, example: ExampleIam
) -> None:
    """CreatePresignedDomainUrl carries no sagemaker:SpaceSharingType: a Deny conditioned on it never fires."""

    def condition_on_sharing_type(statement: dict[str, Any]) -> dict[str, Any]:
        if statement.get("Sid") == "DenySignInAsAnyUser":
            statement["Condition"] = {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}}
        return statement

    people = principals(example)
    people["granted+AA"] = weaken(people["granted+AA"], condition_on_sharing_type)
    table = rows_of(example, "granted+AA")
    mismatches = run(evaluator, people, table)
    assert ("sign-in-as-user", "granted+AA") in caught(mismatches), report(mismatches, len(table))
    assert {m.row.path for m in mismatches} == {"sign-in-as-user", "case-profile"}, report(mismatches, len(table))


def test_the_matrix_catches_a_private_space_deny_that_fails_open(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """``StringEquals Private`` instead of ``StringNotEquals Shared``: spaces users make in Studio,
    requests without the key, slip through."""

    def fail_open(statement: dict[str, Any]) -> dict[str, Any]:
        if statement.get("Sid") == "DenyPrivateSpaces":
            statement["Condition"] = {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}}
        return statement

    people = principals(example)
    people["granted+AA"] = weaken(people["granted+AA"], fail_open)
    table = rows_of(example, "granted+AA")
    mismatches = run(evaluator, people, table)
    assert caught(mismatches) == {("create-app-private", "granted+AA"), ("update-space-private", "granted+AA")}, report(
        mismatches, len(table)
    )
    assert all("made-in-studio" in m.row.resource and not m.row.context for m in mismatches), report(mismatches, len(table))


def test_the_matrix_catches_a_naive_admin_policy(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """``sagemaker:*`` with a Deny on private spaces keyed on SpaceSharingType: what peers ship."""
    naive = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "sagemaker:*", "Resource": "*"},
            {
                "Effect": "Deny",
                "Action": [
                    "sagemaker:CreatePresignedDomainUrl",
                    "sagemaker:StartSession",
                    "sagemaker:CreateApp",
                    "sagemaker:UpdateSpace",
                ],
                "Resource": "*",
                "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}},
            },
        ],
    }
    people = principals(example)
    admin = people["admin"]
    people["admin"] = Principal(name="naive-admin", arn=admin.arn, identity_policies=[naive], context=admin.context)
    table = rows_of(example, "admin")
    mismatches = run(evaluator, people, table)
    paths = {path for path, persona in caught(mismatches) if persona == "admin"}
    assert {
        "sign-in-as-user",
        "remote-access",
        "create-app-private",
        "update-space-private",
        "new-code",
        "attach-unapproved",
    } <= paths, report(mismatches, len(table))


def test_the_boundary_is_what_caps_administrator_access(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """Without its boundary, the admin role with AdministratorAccess reaches file systems and other
    domains: the rows that expect the boundary to hold fail."""
    people = principals(example)
    people["admin+AA"] = people["admin+AA"].with_policies(boundary=None)
    table = rows_of(example, "admin+AA")
    mismatches = run(evaluator, people, table)
    assert {m.row.persona for m in mismatches} == {"admin+AA"}, report(mismatches, len(table))
    assert {m.row.path for m in mismatches} >= {"efs-not-admin-proof", "admin-job-scoped"}
    assert all(m.row.expected == DENY for m in mismatches)


def test_the_chains_have_no_mismatch(evaluator: IamEvaluator, example: ExampleIam) -> None:
    found = all_chains(example)
    mismatches = run_chains(evaluator, principals(example), found)
    print(f"chains: {len(found)}, {len(mismatches)} mismatches")
    assert not mismatches, report(mismatches, len(found))


def untagged_roles(directory: str | Path) -> list[str]:
    """The roles of an assembly without a ``studio:persona`` tag naming one of :data:`PERSONAS`."""
    resolver = AssemblyResolver(directory, partition=PARTITION, account=ACCOUNT, region=REGION)
    return [r.path or r.logical_id for r in resolver.roles() if r.persona not in PERSONAS]


def test_every_role_of_the_example_assembly_carries_a_persona(example: ExampleIam) -> None:
    """One rule for every role the library makes: it names its persona (``studio:persona``), so the
    SCPs and the matrix cover it. Roles a later change adds fail here until they are tagged."""
    assert not untagged_roles(example_assembly()[0])
    assert set(example.tagged.roles.values()) <= set(PERSONAS)


def test_the_persona_rule_finds_an_untagged_role(tmp_path: Path) -> None:
    """The rule can fail: a role without the tag, or with a value that is no persona, is reported."""
    role = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}}
    other = {**role, "Properties": {**role["Properties"], "Tags": [{"Key": "studio:persona", "Value": "someone"}]}}
    (tmp_path / "S.template.json").write_text(json.dumps({"Resources": {"Role": role, "Other": other}}))
    artifact = {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "40.0.0", "artifacts": {"S": artifact}}))
    assert sorted(untagged_roles(tmp_path)) == ["Other", "Role"]
