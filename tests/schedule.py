"""Test order for ``make test`` (``pytest -n 2 --dist worksteal``): the slowest modules first, spread
over the workers' initial shares, so that no long module is left running on one core at the end.

xdist's worksteal scheduler gives worker k the k-th contiguous slice of the collection and lets an
idle worker steal the *tail* of another's queue. So each slice starts with its share of the slow
modules (assigned greedily, longest first) and ends with quick tests that can be stolen. Modules stay
whole (their module-scoped fixtures are set up once); only the module at a slice boundary may be cut.
"""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

SLOW_MODULES: dict[str, float] = {
    "tests/test_demo.py": 67,
    "tests/test_nag.py": 40,
    "tests/integration/test_example_updates.py": 25,
    "tests/test_example_app.py": 24,
    "tests/test_init.py": 21,
    "tests/unit/test_efs_mount.py": 17,
    "tests/test_wheel.py": 14,
    "tests/stacks/test_domain_stack.py": 13,
    "tests/test_docs.py": 12,
    "tests/test_check.py": 12,
    "tests/unit/test_rstudio.py": 11,
    "tests/peer/test_api_only.py": 10,
    "tests/test_full_workbench.py": 10,
    "tests/peer/test_domain.py": 9,
    "tests/policies/test_matrix.py": 9,
    "tests/policies/test_findings.py": 9,
    "tests/integration/test_home_efs_deployed.py": 8,
    "tests/integration/test_cleanup_deployed.py": 8,
    "tests/stacks/test_workbench_stack.py": 8,
    "tests/policies/test_workbench_personas.py": 7,
}
"""Module path -> seconds it took in ``pytest --durations`` (rough; only the order matters)."""

SHARED: dict[str, tuple[str, ...]] = {
    "home EFS deploy (tests/home_efs.py) and the peer deploys (tests/peer/conftest.py)": (
        "tests/integration/test_home_efs_deployed.py",
        "tests/unit/test_demo_retained_mlflow.py",
        "tests/peer/",
    ),
    "the policy matrix (tests/policies/conftest.py)": ("tests/policies/",),
}
"""Modules that use one expensive session fixture go to one worker: xdist sets a session fixture up
once per worker, so splitting them over two workers pays for it twice."""


def _unit(module: str) -> str:
    return next((name for name, prefixes in SHARED.items() if module.startswith(prefixes)), module)


def order(items: list[pytest.Item], workers: int) -> list[pytest.Item]:
    """``items`` reordered: slow units (a module, or the modules of one ``SHARED`` entry) first within
    ``workers`` contiguous slices of (nearly) equal length."""
    by_unit: dict[str, list[pytest.Item]] = defaultdict(list)
    cost: dict[str, float] = defaultdict(float)
    for item in items:
        module = item.nodeid.split("::", 1)[0]
        unit = _unit(module)
        if not by_unit[unit] or module != by_unit[unit][-1].nodeid.split("::", 1)[0]:
            cost[unit] += SLOW_MODULES.get(module, 0.0)
        by_unit[unit].append(item)
    slow = sorted((u for u in by_unit if cost[u] > 0), key=lambda u: -cost[u])
    quick = [item for u, group in by_unit.items() if cost[u] == 0 for item in group]
    if workers < 2:
        return [item for u in slow for item in by_unit[u]] + quick
    loads = [0.0] * workers
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for unit in slow:
        k = loads.index(min(loads))
        loads[k] += cost[unit]
        heads[k].extend(by_unit[unit])
    # worksteal's initial split: worker k gets len(pending) // (workers - k) of what is left
    ordered: list[pytest.Item] = []
    remaining = len(items)
    for k in range(workers):
        take = max(0, remaining // (workers - k) - len(heads[k]))
        share = heads[k] + quick[:take]
        del quick[:take]
        ordered.extend(share)
        remaining -= len(share)
    return ordered + quick


def reorder(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The ``pytest_collection_modifyitems`` hook's work (registered in tests/conftest.py)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if config.getoption("dist", "no") != "worksteal":
        workers = 1
    items[:] = order(items, workers)
