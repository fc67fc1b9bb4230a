"""``sagemaker-studio-cdk init``: a new app that passes its own test out of the box (the spec
template deployed to moto by its generated test, the constructs template synthesized here with
its policy checks on), a CI workflow that uploads check's SARIF, and no overwriting."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sagemaker_studio_cdk.cli import main
from sagemaker_studio_cdk.scaffold import CDK_CLI_VERSION, domain_name
from tests.support import ROOT, new_app

COMMON = {"app.py", "cdk.json", "README.md", "requirements.txt", ".gitignore", "tests/test_app.py", ".github/workflows/check.yml"}


def init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["init", *args])
    out, err = capsys.readouterr()
    return code, out, err


def written(directory: Path) -> set[str]:
    return {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file()}


def test_the_spec_app_passes_its_own_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its test synthesizes the app with the packs on, deploys it to mock_studio, reads it back
    and destroys it: run as a user would, with pytest in the new directory."""
    app_dir = tmp_path / "team-studio"
    code, out, _ = init(capsys, str(app_dir))
    assert code == 0 and "tests/test_app.py" in out
    assert written(app_dir) == COMMON | {"studio.yaml"}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's package, as an install would give
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "tests"],
        cwd=app_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    assert "1 passed" in process.stdout


def test_the_constructs_app_synthesizes_with_its_checks_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app_dir = tmp_path / "my_studio"
    code, _, _ = init(capsys, str(app_dir), "--template", "constructs")
    assert code == 0
    assert written(app_dir) == COMMON
    spec = importlib.util.spec_from_file_location("scaffolded_app", app_dir / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = new_app(**json.loads((app_dir / "cdk.json").read_text())["context"])
    module.build(app)  # with the cdk-nag packs: an unacknowledged error fails the synth below
    assembly = app.synth()  # linted by conftest.py
    domains = [
        r["Properties"]["DomainName"]
        for s in assembly.stacks
        for r in s.template["Resources"].values()
        if r["Type"] == "AWS::SageMaker::Domain"
    ]
    assert domains == ["my-studio"]


def test_the_files_are_complete_and_filled_in(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    app_dir = tmp_path / "app"
    init(capsys, str(app_dir))
    for name in written(app_dir):
        assert not re.search(r"\{\{\w+\}\}", (app_dir / name).read_text()), name
    cdk_json = json.loads((app_dir / "cdk.json").read_text())
    assert cdk_json["app"] == "python3 app.py"
    readme = (app_dir / "README.md").read_text()
    for setting in cdk_json["context"]:
        assert f"`{setting}: " in readme, f"README.md does not say why cdk.json sets {setting}"
    workflow = yaml.safe_load((app_dir / ".github/workflows/check.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any(r.startswith("sagemaker-studio-cdk check cdk.out --sarif check.sarif") for r in runs)
    assert any(f"aws-cdk@{CDK_CLI_VERSION} synth" in r for r in runs)
    (upload,) = [s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@")]
    assert upload["with"]["sarif_file"] == "check.sarif"
    assert workflow["permissions"]["security-events"] == "write"


def test_the_cdk_cli_of_the_scaffold_is_the_one_this_project_pins() -> None:
    assert json.loads((ROOT / "package.json").read_text())["devDependencies"]["aws-cdk"] == CDK_CLI_VERSION


def test_a_directory_name_becomes_a_valid_domain_name() -> None:
    assert domain_name("my_studio") == "my-studio"
    assert domain_name("--ml  team--") == "ml-team"
    assert domain_name("___") == "studio"
    assert len(domain_name("a" * 100)) == 63


def test_init_refuses_a_directory_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    code, out, err = init(capsys, str(tmp_path))
    assert code == 2 and "not empty" in err and "Traceback" not in err
    assert written(tmp_path) == {"keep.txt"} and out == ""


def test_init_writes_into_an_empty_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = init(capsys, str(tmp_path), "--template", "constructs")
    assert code == 0 and "app.py" in written(tmp_path)


@pytest.mark.parametrize("template", ["spec", "constructs"])
def test_the_python_it_writes_passes_ruff_with_its_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], template: str
) -> None:
    """A new app starts clean under the linter and formatter most projects run as they come."""
    init(capsys, str(tmp_path / "app"), "--template", template)
    for command in (["check", "--select", "E,F,W,I,B,UP"], ["format", "--check"]):
        ruff = subprocess.run(  # from the app's directory, where sagemaker_studio_cdk is third-party
            [sys.executable, "-m", "ruff", *command, "--isolated", "."], cwd=tmp_path / "app", capture_output=True, text=True
        )
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr


def test_the_spec_app_builds_every_domain_of_a_file_of_several(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The spec template reads studio.yaml's `domains:`: a stack per domain on one network (built, not synthesized:
    tests/stacks/test_several_domains.py synthesizes the same spec through app.py)."""
    app_dir = tmp_path / "teams"
    assert init(capsys, str(app_dir))[0] == 0
    spec = importlib.util.spec_from_file_location("scaffolded_spec_app", app_dir / "app.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    app = new_app(**{"studio:spec": str(ROOT / "tests" / "fixtures" / "domains" / "studio.yaml")})
    module.build(app)
    assert [c.node.id for c in app.node.children] == ["StudioNetwork", "StudioDomain-dev", "StudioDomain-prod"]
