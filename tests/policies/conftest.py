"""Session fixtures of the policy tests: one IAM evaluator process, the example app's IAM resolved once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.policies.evaluator import IamEvaluator
from tests.policies.example_iam import ExampleIam, example_iam


@pytest.fixture(scope="session")
def evaluator() -> Iterator[IamEvaluator]:
    """The Node process running ``@cloud-copilot/iam-simulate``, started once per test session."""
    process = IamEvaluator()
    yield process
    process.close()


@pytest.fixture(scope="session")
def example() -> ExampleIam:
    """The synthesized example app's IAM, intrinsics resolved."""
    return example_iam()
