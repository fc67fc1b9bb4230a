"""Each finding of the review (issue 11) is closed, and the matrix would see it reopen: a policy
weakened back to the open shape makes exactly that finding's rows (and chains) fail.

The matrix itself (test_matrix.py) shows every row of every finding evaluates to Deny, and the
rows of legitimate use to Allow; here each weakened run evaluates only the finding's rows, to
keep the suite fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from tests.policies.evaluator import IamEvaluator, Principal
from tests.policies.example_iam import ExampleIam
from tests.policies.matrix import Mismatch, Row, all_chains, principals, rows, run, run_chains, weaken
from tests.policies.shape_rows import FINDING_PATHS, OPEN_TRUST, Chain

Statement = dict[str, Any]
People = dict[str, Principal]


def drop(*sids: str) -> Callable[[Statement], Statement | None]:
    return lambda s: None if s.get("Sid") in sids else s


def without_actions(sid: str, *prefixes: str) -> Callable[[Statement], Statement | None]:
    """The statement ``sid`` without the actions starting with any of ``prefixes``."""

    def change(statement: Statement) -> Statement | None:
        if statement.get("Sid") != sid:
            return statement
        kept = [a for a in as_list(statement["Action"]) if not a.startswith(prefixes)]
        return {**statement, "Action": kept} if kept else None

    return change


def weaken_scps(people: People, change: Callable[[Statement], Statement | None]) -> People:
    """Every principal under the SCPs, under weakened ones."""

    def apply(document: dict[str, Any]) -> dict[str, Any]:
        statements = [change(dict(s)) for s in document["Statement"]]
        return {**document, "Statement": [s for s in statements if s is not None]}

    return {name: replace(p, scps=[apply(d) for d in p.scps]) if p.scps else p for name, p in people.items()}


def case_sensitive_tag_keys(statement: Statement) -> Statement:
    condition = statement.get("Condition", {})
    if "ForAnyValue:StringEqualsIgnoreCase" in condition:
        condition = {
            ("ForAnyValue:StringEquals" if k == "ForAnyValue:StringEqualsIgnoreCase" else k): v for k, v in condition.items()
        }
        return {**statement, "Condition": condition}
    return statement


def private_only_deny(statement: Statement) -> Statement:
    if statement.get("Sid") == "DenyOtherUsersPrivateSpaces":
        condition = {k: v for k, v in statement["Condition"].items() if k != "StringNotEquals"}
        return {**statement, "Condition": {**condition, "StringEquals": {"sagemaker:SpaceSharingType": "Private"}}}
    return statement


def own_role_only(arn: str) -> Callable[[Statement], Statement | None]:
    """grant_admin as it was: the self-edit denies on the grantee's own role, nothing on other library roles."""

    def change(statement: Statement) -> Statement | None:
        if statement.get("Sid") == "DenyLibraryRoles":
            return None
        if statement.get("Sid") == "DenyEditingOwnRole":
            return {**statement, "Resource": arn}
        return statement

    return change


SETTINGS = ["sagemaker:UpdateDomain", "sagemaker:CreateUserProfile", "sagemaker:UpdateUserProfile"]
SPACE_SETTINGS = ["sagemaker:CreateSpace", "sagemaker:UpdateSpace"]


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def direct_settings(statement: Statement) -> Statement | None:
    """The admin without settings writes, given them back (identity policy and boundary)."""
    named = as_list(statement["Action"])
    if statement.get("Effect") == "Deny" and "Condition" not in statement:
        kept = [a for a in named if a not in SETTINGS + SPACE_SETTINGS]
        return {**statement, "Action": kept} if kept else None
    if statement.get("Sid") == "AdminDomain":
        return {**statement, "Action": [*named, *SETTINGS]}
    if statement.get("Sid") == "AdminSharedSpaces":
        return {**statement, "Action": [*named, *SPACE_SETTINGS]}
    return statement


def trust_without_comparison(document: dict[str, Any]) -> dict[str, Any]:
    """A user-access trust that asks only for some profile tag, not the caller's own."""
    statements = []
    for statement in document["Statement"]:
        condition = {k: v for k, v in statement.get("Condition", {}).items() if k not in ("StringEquals", "Null")}
        statements.append({**statement, "Condition": condition})
    return {**document, "Statement": statements}


Weakening = Callable[[People, ExampleIam], tuple[People, Callable[[Row], Row]]]


def on(persona: str, change: Callable[[Statement], Statement | None]) -> Weakening:
    def apply(people: People, example: ExampleIam) -> tuple[People, Callable[[Row], Row]]:
        return {**people, persona: weaken(people[persona], change)}, lambda r: r

    return apply


def on_scps(change: Callable[[Statement], Statement | None]) -> Weakening:
    return lambda people, example: (weaken_scps(people, change), lambda r: r)


def on_granted_role_edits(people: People, example: ExampleIam) -> tuple[People, Callable[[Row], Row]]:
    granted = people["granted+AA"]
    return {**people, "granted+AA": weaken(granted, own_role_only(granted.arn))}, lambda r: r


def on_user_access_trust(people: People, example: ExampleIam) -> tuple[People, Callable[[Row], Row]]:
    trust = example.roles["user-access"].trust_policy

    def change(row: Row) -> Row:
        return replace(row, resource_policy=trust_without_comparison(trust)) if row.resource_policy == trust else row

    return people, change


def on_execution_trust(people: People, example: ExampleIam) -> tuple[People, Callable[[Row], Row]]:
    """An execution role that trusts the account, not only SageMaker."""
    trust = example.roles["execution"].trust_policy

    def change(row: Row) -> Row:
        return replace(row, resource_policy=OPEN_TRUST) if row.resource_policy == trust else row

    return people, change


def open_remote_sessions(statement: Statement) -> Statement | None:
    """The user-access policy with StartSession on every space of the domain, as AWS's examples grant it."""
    if statement.get("Sid") == "DenyRemoteSessionUnlessOwner":
        return None
    if statement.get("Sid") == "RemoteSessionIntoOwnSpaces":
        return {k: v for k, v in statement.items() if k != "Condition"}
    return statement


CASES: dict[str, tuple[Weakening, set[str]]] = {
    "f1: tag keys compared case-sensitively": (
        on_scps(case_sensitive_tag_keys),
        {"f1-tag-case", "f1-chain", "f2-session-tags", "f2-chain"},
    ),
    "f2: no session-tag guards in the SCPs": (
        on_scps(drop("StudioNoPersonaSessionTags", "StudioProfileSessionTagOnlyOwn", "StudioProfileSessionTagNeedsOwn")),
        {"f2-session-tags", "f2-chain"},
    ),
    "f2: a user-access trust that does not compare with the caller's tag": (on_user_access_trust, {"f2-trust"}),
    "f3: grant_admin may join security groups": (on("granted+AA", drop("DenyJoiningSecurityGroups")), {"f3-network"}),
    "f3: the SCPs leave the network open": (
        on_scps(
            lambda s: (
                drop("StudioAdminNoSecurityGroupSettings")(without_actions("StudioAdminNoSignInCodeOrNetwork", "ec2:")(s) or {})
                or None
            )
        ),
        {"f3-network"},
    ),
    "f4: grant_admin may widen users and groups": (
        on("granted+AA", drop("DenyWideningUsersAndGroups")),
        {"f4-users-groups", "f4-chain"},
    ),
    "f4: the SCPs let admins widen users and groups": (
        on_scps(
            without_actions(
                "StudioAdminNoIdentityChanges", "iam:PutUser", "iam:AttachUser", "iam:AddUser", "iam:PutGroup", "iam:AttachGroup"
            )
        ),
        {"f4-users-groups", "f4-chain"},
    ),
    "f5: grant_admin protects only its own role": (on_granted_role_edits, {"f5-other-roles", "f5-chain", "library-roles"}),
    "f5: an execution role that trusts the account": (on_execution_trust, {"f5-execution-trust"}),
    "f6: grant_admin keeps Identity Center": (on("granted+AA", drop("DenyIdentityCenter")), {"f6-sso"}),
    "f6: the SCPs leave Identity Center to admins": (
        on_scps(without_actions("StudioAdminNoSignInCodeOrNetwork", "sso", "identitystore")),
        {"f6-sso"},
    ),
    "f7: the SCPs leave users' data to admins": (
        on_scps(
            lambda s: drop("StudioAdminNoUsersData")(without_actions("StudioAdminNoSignInCodeOrNetwork", "s3:")(s) or {}) or None
        ),
        {"f7-user-data"},
    ),
    "f8: the execution role's deny fails open": (on("alice", private_only_deny), {"f8-execution-keys"}),
    "f9: the admin without settings writes may write settings": (
        on("stack-admin+AA", direct_settings),
        {"f9-settings"},
    ),
    "remote: StartSession into every space": (on("access:alice", open_remote_sessions), {"remote-not-owner"}),
    "remote: the SCPs let anyone set the space-owner tag": (
        on_scps(drop("StudioSpaceOwnerTagOnlyByDeployer")),
        {"scp-space-owner-tag"},
    ),
    "remote: grant_admin may set the space-owner tag": (on("granted+AA", drop("DenySpaceOwnerTag")), {"space-owner-tag"}),
    "functions: grant_admin may run and change library functions": (
        on("granted+AA", drop("DenyLibraryFunctions")),
        {"library-functions"},
    ),
    "functions: the SCPs let anyone run library functions": (
        on_scps(drop("StudioLibraryFunctionsOnlyByDeployer")),
        {"library-functions"},
    ),
}


def mismatches_of(evaluator: IamEvaluator, people: People, table: list[Row], found: list[Chain]) -> list[Mismatch]:
    return [*run(evaluator, people, table), *run_chains(evaluator, people, found)]


@pytest.mark.parametrize("case", list(CASES))
def test_a_weakened_policy_reopens_the_finding(evaluator: IamEvaluator, example: ExampleIam, case: str) -> None:
    weakening, paths = CASES[case]
    people, change_row = weakening(principals(example), example)
    table = [change_row(r) for r in rows(example) if r.path in paths]
    found = [
        Chain(c.path, tuple(change_row(r) for r in c.first), change_row(c.then), c.expected)
        for c in all_chains(example)
        if c.path in paths
    ]
    reopened = mismatches_of(evaluator, people, table, found)
    assert reopened, f"{case}: nothing reopened among {len(table)} rows and {len(found)} chains"
    assert {m.row.path for m in reopened} == paths, "\n".join(map(str, reopened))
    assert all(m.row.expected == "Deny" for m in reopened)


def test_every_finding_has_rows_that_expect_deny(example: ExampleIam) -> None:
    table = rows(example)
    paths = {r.path for r in table if r.expected == "Deny"} | {c.path for c in all_chains(example) if c.expected == "Deny"}
    assert set(FINDING_PATHS) <= paths, set(FINDING_PATHS) - paths
    reopened = set().union(*(p for _, p in CASES.values()))
    assert set(FINDING_PATHS) - reopened <= {"case-profile"}, set(FINDING_PATHS) - reopened
