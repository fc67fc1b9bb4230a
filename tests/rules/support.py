"""Small apps for the StudioChecks rule tests: raw L1 resources written by hand, and the
library's constructs, each checked in-process with ``StudioChecks.validate_scope``."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from aws_cdk import App, Stack
from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk.policies.rules import Rule, StudioChecks
from tests.support import ENV, new_app

KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE_ARN = "arn:aws:iam::111122223333:role/studio-execution"
DISTRIBUTION_CPU = "arn:aws:sagemaker:us-east-1:885854791233:image/sagemaker-distribution-cpu"
IDLE = {
    "lifecycleManagement": "ENABLED",
    "idleTimeoutInMinutes": 60,
    "minIdleTimeoutInMinutes": 60,
    "maxIdleTimeoutInMinutes": 480,
}

DOMAIN: dict[str, Any] = {
    "auth_mode": "IAM",
    "domain_name": "research",
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaa1"],
    "app_network_access_type": "VpcOnly",
    "kms_key_id": KEY_ARN,
    "default_user_settings": {
        "executionRole": ROLE_ARN,
        "jupyterLabAppSettings": {
            "defaultResourceSpec": {"sageMakerImageArn": DISTRIBUTION_CPU},
            "appLifecycleManagement": {"idleSettings": IDLE},
        },
        "codeEditorAppSettings": {"appLifecycleManagement": {"idleSettings": IDLE}},
    },
}
"""A compliant domain, as the keyword arguments of ``CfnDomain`` (camelCase inside structs)."""


def domain_props(**changes: Any) -> dict[str, Any]:
    """:data:`DOMAIN` with top-level ``changes`` (a value of ``None`` removes the key)."""
    props = copy.deepcopy(DOMAIN)
    for key, value in changes.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    return props


def stack(app: App | None = None, construct_id: str = "Test") -> Stack:
    """A stack with a concrete account and region in a new app (cdk.json's context)."""
    return Stack(app or new_app(), construct_id, env=ENV)


def raw_domain(scope: Stack, construct_id: str = "Domain", **changes: Any) -> sm.CfnDomain:
    """A hand-written ``CfnDomain``, compliant unless ``changes`` say otherwise."""
    return sm.CfnDomain(scope, construct_id, **domain_props(**changes))


@dataclass(frozen=True)
class Found:
    """One finding of a rule: its id, message and the construct path of the resource."""

    rule_id: str
    message: str
    path: str


def findings(scope: Any, rule: Rule) -> list[Found]:
    """What ``rule`` reports on the app of ``scope`` (checked in-process, before synth)."""
    report = StudioChecks(rules=[rule]).validate_scope(scope.node.root)
    return [Found(v.rule_name, v.description, r.construct_path or "") for v in report.violations for r in v.violating_resources]


def assert_flags(scope: Any, rule: Rule, path_part: str, finding_id: str | None = None) -> None:
    """``rule`` reports the resource whose path contains ``path_part``, with the rule's own message
    (not the message of a rule that failed to evaluate)."""
    found = findings(scope, rule)
    expected = finding_id or rule.id
    matching = [f for f in found if f.rule_id == expected and path_part in f.path]
    assert matching, f"{expected} not reported on {path_part}; found {found}"
    assert all(f.message == rule.info for f in matching), f"unexpected message: {[f.message for f in matching]}"


def assert_passes(scope: Any, rule: Rule) -> None:
    """``rule`` reports nothing in the app of ``scope``."""
    found = findings(scope, rule)
    assert not found, f"{rule.id} reported: {found}"
