"""The example app as `cdk synth` builds it: pinned logical ids, the CLI, the demo summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sagemaker_studio_cdk.cli import main, summary
from tests.example import example, pinned_logical_ids, stateful_logical_ids
from tests.support import ROOT

GOLDEN = ROOT / "tests" / "golden" / "logical_ids.json"


def test_stateful_logical_ids_are_pinned() -> None:
    """Domain, key, user profiles, spaces and user stacks keep their logical ids forever.

    A change here means CloudFormation would delete and recreate a resource: users lose files or
    access. Add new entries to the golden file; never change an existing one.
    """
    pinned = pinned_logical_ids(json.loads(GOLDEN.read_text()))
    actual = stateful_logical_ids(example())
    changed = {k: (v, actual.get(k)) for k, v in pinned.items() if actual.get(k) != v}
    assert not changed, f"pinned logical ids changed (pinned, now): {changed}"
    unpinned = sorted(set(actual) - set(pinned))
    assert not unpinned, f"stateful resources without a pinned logical id (add them to {GOLDEN.name}): {unpinned}"


def test_summary_lists_domain_users_and_spaces() -> None:
    text = summary(example())
    for expected in ("ml-research", "alice-lab", "Private", "team", "Shared", "sagemaker-distribution-cpu", "VpcOnly"):
        assert expected in text


def test_cli_exits_2_on_a_path_that_is_not_an_assembly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", str(tmp_path)]) == 2
    assert "not a cloud assembly" in capsys.readouterr().err


def _cdk(args: list[str], cwd: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true", "CDK_DISABLE_VERSION_CHECK": "true"}
    app = f"{sys.executable} app.py"
    return subprocess.run(
        [str(ROOT / "node_modules/.bin/cdk"), *args, "--app", app, "--no-notices", "-o", str(out)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.skipif(not (ROOT / "node_modules/.bin/cdk").exists(), reason="the pinned CDK CLI is installed by `make setup`")
def test_cdk_synth_of_the_example_app_matches_pinned_ids(tmp_path: Path) -> None:
    result = _cdk(["synth", "--quiet"], ROOT, tmp_path / "cdk.out")
    assert result.returncode == 0, result.stderr
    from sagemaker_studio_cdk.assembly import load_templates

    assert stateful_logical_ids(load_templates(tmp_path / "cdk.out")) == pinned_logical_ids(json.loads(GOLDEN.read_text()))


@pytest.mark.skipif(not (ROOT / "node_modules/.bin/cdk").exists(), reason="the pinned CDK CLI is installed by `make setup`")
def test_cdk_synth_of_a_bad_spec_exits_non_zero_with_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("domain:\n  name: research\n  ebs: {default_gb: 500, max_gb: 100}\n")
    result = _cdk(["synth", "--quiet", "-c", f"studio:spec={bad}"], ROOT, tmp_path / "cdk.out")
    assert result.returncode != 0
    assert "domain.ebs.default_gb: got 500; at most domain.ebs.max_gb (100 GB)" in result.stderr
    assert "Traceback" not in result.stderr
