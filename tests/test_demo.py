"""``python -m sagemaker_studio_cdk.demo`` (``make demo``'s deploy): the real CDK CLI against a moto
server on localhost, read back, destroyed; its faults leave no process behind; ``make deploy``
refuses without credentials."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sagemaker_studio_cdk.demo import find_credentials
from tests.support import ROOT

CDK = ROOT / "node_modules/.bin/cdk"
needs_cli = pytest.mark.skipif(not CDK.exists(), reason="the pinned CDK CLI is installed by `make setup`")


@pytest.fixture(scope="module")
def broken_assembly(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A one-stack assembly that the Studio APIs refuse (a profile in a domain that does not exist)."""
    from aws_cdk import App, Stack
    from aws_cdk import aws_sagemaker as sagemaker

    app = App(outdir=str(tmp_path_factory.mktemp("broken") / "cdk.out"))
    stack = Stack(app, "Broken")
    sagemaker.CfnUserProfile(stack, "Orphan", domain_id="d-doesnotexist1", user_profile_name="orphan")
    return str(app.synth().directory)


def _demo(*args: str, marker: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """The demo in a child process; ``marker`` is in the environment of it and of everything it starts."""
    environment = {**(env if env is not None else os.environ), "STUDIO_DEMO_TEST_MARKER": marker}
    return subprocess.Popen(
        [sys.executable, "-m", "sagemaker_studio_cdk.demo", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _processes_with(marker: str) -> list[int]:
    """Live processes whose environment carries ``marker`` (the demo's children, grandchildren...)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if f"STUDIO_DEMO_TEST_MARKER={marker}".encode() in (entry / "environ").read_bytes():
                status = (entry / "status").read_text()
                if "\nState:\tZ" not in status:
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _lines_until(process: subprocess.Popen[str], needle: str, timeout: float) -> Iterator[str]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    for line in process.stdout:
        yield line
        if needle in line or time.monotonic() > deadline:
            return


@needs_cli
def test_demo_deploys_reads_back_and_destroys() -> None:
    """The example as `cdk synth` makes it (synthesized once per test process, packs included), then
    examples/full_workbench.py, as make demo runs them."""
    from tests.example import example_assembly

    directory, _ = example_assembly()
    marker = uuid.uuid4().hex
    process = _demo("--app", directory, "--workbench", marker=marker)
    out, err = process.communicate(timeout=480)
    assert process.returncode == 0, out + err
    for expected in (
        "==> cdk bootstrap",
        "==> cdk deploy --all --method=direct",
        "ml-research",
        "InService",
        "alice-lab  Private  alice",
        "team       Shared",
        "jupyterlab-autosave-",
        "region us-east-1 (from the stacks' environment)",
        "Persona roles (tagged studio:persona)",
        "DomainAdminRole",
        "==> cdk destroy --all --force",
        "Retained after cdk destroy",
        "KMS key",
        "EFS file system",
        "==> wait for the synth of examples/full_workbench.py",
        "moto server stopped",
        f"cdk deploy --all --app {directory}",
    ):
        assert expected in out, f"{expected!r} not in:\n{out}"
    personas = out.split("Persona roles (tagged studio:persona)", 1)[1].split("\n\n", 1)[0]
    assert {line.split()[0] for line in personas.splitlines()[3:]} >= {"domain-admin", "execution", "user-access"}, personas
    # studio.yaml turns Canvas on: applied by the settings resource, read back as the API reports it
    lacks = out.split("Settings CloudFormation lacks (as the API reports them)", 1)[1].split("\n\n", 1)[0]
    canvas = "DefaultUserSettings.CanvasAppSettings."
    assert re.search(rf"{re.escape(canvas)}WorkspaceSettings\.S3ArtifactPath +s3://ml-research-canvas/workspace", lacks), lacks
    assert f"{canvas}TimeSeriesForecastingSettings.Status" in lacks and f"{canvas}KendraSettings.Status" in lacks, lacks
    assert "Edit studio.yaml" not in out  # the closing line is the example's only when make demo runs it
    example, workbench = out.split("=== the full workbench (examples/full_workbench.py", 1)
    assert f"=== app {directory} ===" in example and "workbench-lab" not in example
    workbench, retained = workbench.split("Retained after cdk destroy", 1)
    _assert_the_workbench_tables(workbench)
    assert "NOT DELETED" not in retained and "BILLING" not in retained
    rows = retained.strip().split("\n\n", 1)[0].splitlines()
    assert rows[0].split() == ["what", "id", "/", "name", "app", "note"], retained
    for what, app in (("KMS key", "app"), ("KMS key", "workbench"), ("S3 bucket", "workbench"), ("stack", "bootstrap")):
        assert any(row.strip().startswith(what) and f"  {app}  " in row for row in rows), (what, app, retained)
    server = next(line for line in retained.splitlines() if "MLflow tracking server" in line)
    assert "workbench-server" in server and "deleted by the destroy" in server
    assert any("home EFS" in line for line in retained.splitlines()), retained  # RStudio's, made by SageMaker
    assert not _processes_with(marker)


def _assert_the_workbench_tables(out: str) -> None:
    """Every workbench part in what the demo read back of examples/full_workbench.py."""
    for expected in (
        "workbench-lab     CREATED  1         digest            workbench-lab     JupyterLab  JupyterLab",  # images
        "workbench-editor  CREATED  1         digest            workbench-editor  CodeEditor  CodeEditor",
        "default instances: JupyterLab ml.t3.medium, CodeEditor ml.t3.medium, RSession ml.t3.medium",
        "RStudio",
        "alice          ENABLED         R_STUDIO_ADMIN",
        "app              workbench",  # MLflow
        "tracking server  workbench-server",
        "Feature Store  feature-group/workbench*",
        "Portal and image lists (domain)",
        "team        Shared",
    ):
        assert expected in out, f"{expected!r} not in:\n{out}"
    assert next(line for line in out.splitlines() if line.strip().startswith("alice-code")).endswith("ENABLED"), out


@needs_cli
def test_ctrl_c_midway_stops_the_cli_and_the_server(broken_assembly: str) -> None:
    marker = uuid.uuid4().hex
    process = _demo("--app", broken_assembly, marker=marker)
    lines = list(_lines_until(process, "==> cdk bootstrap", timeout=120))
    port = int(next(line for line in lines if "listening on" in line).split("localhost:")[1].split()[0])
    assert lines[-1].startswith("==> cdk bootstrap"), "".join(lines)
    time.sleep(1.0)  # the CLI is running (bootstrap takes about 3 s)
    assert _processes_with(marker), "the demo should have started the CDK CLI"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, out + err
    assert "interrupted" in err and "moto server were stopped" in err
    assert not _listening(port)
    assert not _processes_with(marker)


@needs_cli
def test_a_failing_deploy_exits_non_zero_with_the_cause(broken_assembly: str) -> None:
    marker = uuid.uuid4().hex
    process = _demo("--app", broken_assembly, marker=marker)
    out, err = process.communicate(timeout=180)
    assert process.returncode == 1, out + err
    assert "cdk deploy failed" in err and "Broken" in err, err
    assert "moto server was stopped" in err
    assert not _processes_with(marker)


def test_a_taken_port_is_refused_clearly() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        marker = uuid.uuid4().hex
        process = _demo("--port", str(port), marker=marker)
        out, err = process.communicate(timeout=120)
    assert process.returncode == 3, out + err
    assert f"cannot start the moto server on localhost:{port}" in err
    assert not _processes_with(marker)


def test_make_deploy_refuses_without_credentials(tmp_path: Path) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "AWS_EC2_METADATA_DISABLED": "true"}
    cache = Path.home() / ".cache/aws/jsii/package-cache"  # importing the package starts jsii: keep its warm cache
    if cache.is_dir():
        env["JSII_RUNTIME_PACKAGE_CACHE_ROOT"] = str(cache)
    for command in ("deploy", "destroy"):
        process = _demo(command, marker=uuid.uuid4().hex, env=env)
        out, err = process.communicate(timeout=120)
        assert process.returncode == 2, out + err
        assert "no AWS credentials found, so nothing was sent" in err
        assert f"'make {command}'" in err


def test_credentials_are_found_in_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    assert find_credentials() is None
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")
    assert find_credentials() is not None


# -- someone's own assembly ----------------------------------------------------------------------


def _with_resources(source: str, destination: Path, extra: dict[str, dict[str, object]], environment: str | None = None) -> Path:
    """A copy of the assembly at ``source`` with ``extra`` resources in its stack (and another environment)."""
    import json
    import shutil

    shutil.copytree(source, destination)
    template_file = destination / "Broken.template.json"
    template = json.loads(template_file.read_text())
    template["Resources"].update(extra)
    template_file.write_text(json.dumps(template))
    if environment:
        manifest = json.loads((destination / "manifest.json").read_text())
        manifest["artifacts"]["Broken"]["environment"] = environment
        (destination / "manifest.json").write_text(json.dumps(manifest))
    return destination


def test_an_assembly_with_unmodelled_types_is_refused_before_anything_starts(
    broken_assembly: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sagemaker_studio_cdk.demo import main

    copy = _with_resources(
        broken_assembly,
        tmp_path / "cdk.out",
        {
            "Agent": {"Type": "AWS::Bedrock::Agent", "Properties": {"AgentName": "a"}},
            "Flow": {"Type": "AWS::Bedrock::Flow", "Properties": {"Name": "f"}},
        },
    )
    code = main(["--app", str(copy), "--cdk", sys.executable])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    assert "AWS::Bedrock::Agent, AWS::Bedrock::Flow" in err and "Nothing was started" in err
    assert "==>" not in out


def test_an_assembly_region_comes_from_its_stacks_or_is_the_default(broken_assembly: str, tmp_path: Path) -> None:
    from sagemaker_studio_cdk.demo import DEFAULT_REGION, assembly_region

    region, why = assembly_region(broken_assembly)
    assert region == DEFAULT_REGION and "environment-agnostic" in why
    placed = _with_resources(broken_assembly, tmp_path / "placed", {}, "aws://unknown-account/eu-west-1")
    assert assembly_region(placed)[0] == "eu-west-1"


def test_an_assembly_for_another_account_is_refused(broken_assembly: str, tmp_path: Path) -> None:
    from sagemaker_studio_cdk.demo import DemoError, assembly_region

    elsewhere = _with_resources(broken_assembly, tmp_path / "elsewhere", {}, "aws://111122223333/us-east-1")
    with pytest.raises(DemoError, match="for account 111122223333") as refused:
        assembly_region(elsewhere)
    assert refused.value.code == 2


def test_the_closing_line_is_the_examples_only_for_the_projects_own_assembly(tmp_path: Path) -> None:
    from sagemaker_studio_cdk.demo import _is_the_example

    assert _is_the_example(ROOT, "cdk.out") and _is_the_example(ROOT, None)
    assert not _is_the_example(ROOT, str(tmp_path))  # someone else's assembly, run from here
    (tmp_path / "studio.yaml").write_text("domain: {name: mine}\n")
    assert not _is_the_example(tmp_path, "cdk.out")  # a project of one's own, without the example's Makefile
