"""A wheel that installs: ``python -m build --no-isolation`` makes an sdist and a wheel offline; the
wheel goes into a fresh virtual environment outside the repository, where it runs with no system
``node`` reachable (Node comes from the ``node`` extra) and without jsii's end-of-life banner.

The new environment takes its dependencies from this project's environment through a ``.pth``
line naming its site-packages: ``.pth`` files inside a directory added that way are not
processed, so the editable install's finder is not loaded and only the wheel's copy can be imported.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BANNER = "end-of-life"


def _source_files() -> list[str]:
    """The files a checkout has (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout.decode()
    return [f for f in listed.split("\0") if f and (ROOT / f).is_file()]


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built from a copy of the checkout (the build writes into its source)."""
    source = tmp_path_factory.mktemp("source")
    for name in _source_files():
        if name.startswith(("sagemaker_studio_cdk/", "pyproject.toml", "README.md")):
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out


def _shims(directory: Path) -> Path:
    """A PATH with only the tools a user's shell would offer here: a shell and git, no node."""
    directory.mkdir()
    for tool in ("sh", "git", "env"):
        found = shutil.which(tool)
        if found:
            (directory / tool).symlink_to(found)
    assert shutil.which("node", path=str(directory)) is None
    return directory


def test_wheel_installs_and_runs_without_system_node(dist: Path, tmp_path: Path) -> None:
    (sdist,) = dist.glob("sagemaker_studio_cdk-*.tar.gz")
    (wheel,) = dist.glob("sagemaker_studio_cdk-*-py3-none-any.whl")
    assert sdist.stat().st_size > 0

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = Path(subprocess.check_output([str(python), "-c", where], text=True).strip())
    project_site = sysconfig.get_path("purelib")
    assert project_site in site.getsitepackages()
    (purelib / "project_dependencies.pth").write_text(project_site + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--disable-pip-version-check",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )

    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JSII_", "VIRTUAL_ENV"))}
    env["PATH"] = str(_shims(tmp_path / "shims"))
    env["HOME"] = os.environ.get("HOME", str(tmp_path))  # jsii's package cache stays warm

    cli = subprocess.run(
        [str(venv / "bin" / "sagemaker-studio-cdk"), "--help"], cwd=work, env=env, capture_output=True, text=True, timeout=60
    )
    assert cli.returncode == 0, cli.stderr
    assert "summary" in cli.stdout and "check" in cli.stdout

    readme = (ROOT / "README.md").read_text()
    quickstart = re.search(r"## Quickstart.*?```python\n(.*?)```", readme, re.S)
    assert quickstart
    script = work / "quickstart.py"
    script.write_text(
        "import importlib.metadata, importlib.resources, os, sys\n"
        "os.environ['CDK_OUTDIR'] = 'cdk.out'  # read when jsii starts\n"
        "before = dict(os.environ)\n"
        "import sagemaker_studio_cdk, sagemaker_studio_cdk.node\n"
        "assert dict(os.environ) == before, 'importing the library changed the environment'\n"
        "bin_dir = sagemaker_studio_cdk.node.use_venv_node()\n"
        "assert bin_dir is not None and os.environ['JSII_NODE'] == str(bin_dir / 'node')\n"
        "chosen = dict(os.environ)\n"
        "[getattr(sagemaker_studio_cdk, name) for name in sagemaker_studio_cdk.__all__]\n"
        "assert dict(os.environ) == chosen\n"
        "package = importlib.resources.files('sagemaker_studio_cdk')\n"
        "assert (package / 'py.typed').is_file() and (package / 'studio.schema.json').is_file()\n"
        "assert sagemaker_studio_cdk.__version__ == importlib.metadata.version('sagemaker-studio-cdk')\n"
        "print('PACKAGE', sagemaker_studio_cdk.__file__)\n" + quickstart.group(1)
    )
    run = subprocess.run([str(python), str(script)], cwd=work, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    assert BANNER not in run.stderr, run.stderr
    (location,) = [line.split(" ", 1)[1] for line in run.stdout.splitlines() if line.startswith("PACKAGE ")]
    assert Path(location).is_relative_to(venv), f"imported from {location}, not the installed wheel"
    assert (work / "cdk.out" / "MyStudio.template.json").is_file()

    summary = subprocess.run(
        [str(venv / "bin" / "sagemaker-studio-cdk"), "summary", "cdk.out"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert summary.returncode == 0, summary.stderr
    assert "alice-lab" in summary.stdout
