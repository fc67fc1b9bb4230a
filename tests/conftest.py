"""Every template any test synthesizes passes cfn-lint: the hooks below make it impossible to skip.

Both ways a test can get a template, ``App.synth()`` and ``Template.from_stack()``, are wrapped
so the whole cloud assembly is linted (results are cached by template content).
"""

import os

import pytest

from sagemaker_studio_cdk.node import use_venv_node

use_venv_node()  # before jsii starts: the node extra's Node LTS for jsii and the cdk processes tests start
os.environ.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")

from aws_cdk import App  # noqa: E402
from aws_cdk.assertions import Template  # noqa: E402

from tests import support  # noqa: E402
from tests.home_efs import home_efs_destroyed  # noqa: E402, F401  (one deploy for every module that uses it)
from tests.schedule import reorder  # noqa: E402
from tests.support import assert_assembly_lint_clean, cache_lint_results_in_files  # noqa: E402

cache_lint_results_in_files()

_synth = App.synth
_from_stack = Template.from_stack


def _linted_synth(self, *args, **kwargs):  # type: ignore[no-untyped-def]
    assembly = _synth(self, *args, **kwargs)
    assert_assembly_lint_clean(assembly.directory)
    return assembly


def _linted_from_stack(stack, *args, **kwargs):  # type: ignore[no-untyped-def]
    template = _from_stack(stack, *args, **kwargs)
    stack.node.root.synth()  # the same assembly Template saw, linted by _linted_synth
    return template


App.synth = _linted_synth  # type: ignore[method-assign]
Template.from_stack = staticmethod(_linted_from_stack)  # type: ignore[method-assign,assignment]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The slowest modules first on every xdist worker (tests/schedule.py)."""
    reorder(config, items)


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist, the parent of this worker's temporary directory is the run's, shared by
    every worker (tests/support.py ``built_once``); pytest removes it with old runs."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        support.RUN_DIR = config._tmp_path_factory.getbasetemp().parent  # type: ignore[attr-defined]
