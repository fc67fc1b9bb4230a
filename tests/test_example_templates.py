"""The example app's templates equal the committed snapshot (tests/golden/example-templates/).

The snapshot was taken before the synth-speed work (issue 15): every template users deploy, every
logical id, property, parameter and output must stay the same while the library gets faster.
A change to the templates that is meant (a new construct, a new prop) regenerates it:

    PYTHONPATH=$PWD .venv/bin/python -m tests.test_example_templates
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sagemaker_studio_cdk.assembly import StackTemplate

from .example import example
from .support import ROOT

GOLDEN = ROOT / "tests" / "golden" / "example-templates"


def _file_name(stack: StackTemplate) -> str:
    return stack.name.replace("/", "--") + ".json"


def snapshot(templates: list[StackTemplate]) -> dict[str, Any]:
    """File name -> template, for every stack and nested stack of the assembly."""
    return {_file_name(stack): stack.template for stack in templates}


def test_example_templates_equal_the_snapshot() -> None:
    current = snapshot(example())
    committed = {path.name: json.loads(path.read_text()) for path in sorted(GOLDEN.glob("*.json"))}
    assert sorted(current) == sorted(committed), "the example's stacks differ from the snapshot"
    for name, template in current.items():
        assert template == committed[name], f"{name} differs from tests/golden/example-templates/{name}"


def _write(directory: Path) -> None:
    for old in directory.glob("*.json"):
        old.unlink()
    for name, template in snapshot(example()).items():
        (directory / name).write_text(json.dumps(template, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    import tests.conftest  # noqa: F401  (the venv's Node; every template linted)

    _write(GOLDEN)
