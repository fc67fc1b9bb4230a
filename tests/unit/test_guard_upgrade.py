"""Upgrading from release 0.1.0 moves nothing: guard from the example's assembly as that release
synthesized it (tests/golden/release-0.1.0) to today's synth finds nothing lost and nothing refused."""

from __future__ import annotations

from pathlib import Path

from sagemaker_studio_cdk.guard import guard
from tests.example import example_assembly

GOLDEN = Path(__file__).resolve().parent.parent / "golden"


def test_upgrade_from_release_0_1_0_deletes_nothing_and_fails_nothing() -> None:
    directory, _ = example_assembly()
    result = guard(GOLDEN / "release-0.1.0", directory)
    assert [(c.path, c.verdict, c.reasons) for c in result.changes if c.verdict] == []
