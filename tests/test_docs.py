"""Docs that run: every ```python block of README.md and docs/*.md is executed, and every name the
docs give as this library's is importable, so the documentation and the code cannot drift apart.

A block is a complete program: it is run as ``__main__`` in a fresh namespace, in this process
(one jsii kernel for all of them), from a temporary directory holding a copy of the example's
``studio.yaml`` and ``lifecycle/``. A block that builds an app synthesizes it, so the conftest's
hook lints every template it makes. ``test_*`` functions a block defines (how the docs show the
moto extension) are called too, with ``tmp_path`` when they take it.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sagemaker_studio_cdk

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NEEDED_FILES = ["studio.yaml", "lifecycle"]
"""What a block may read from the working directory, as a user's project would have it."""

_FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```", re.M | re.S)


def python_blocks() -> Iterator[Any]:
    for doc in DOCS:
        text = doc.read_text()
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            name = f"{doc.relative_to(ROOT)}:{line}"
            yield pytest.param(name, match.group(1), id=name)


@pytest.fixture
def project_dir(tmp_path: Path) -> Iterator[Path]:
    """A working directory with the files a block may read; the previous one restored after."""
    for name in NEEDED_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    previous = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(previous)


@pytest.mark.parametrize(("name", "code"), list(python_blocks()))
def test_python_block_runs(name: str, code: str, project_dir: Path) -> None:
    if re.search(r"^class \w+\((\w+\.)?(Stack|NestedStack)\)", code, re.M) or "App(" in code:
        assert ".synth()" in code, f"{name}: a block that builds an app must also synthesize it (app.synth())"
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(code, name, "exec"), namespace)  # noqa: S102 - the documentation's own code
    for function_name, function in list(namespace.items()):
        if function_name.startswith("test_") and callable(function):
            wanted = inspect.signature(function).parameters
            function(**({"tmp_path": project_dir / function_name} if "tmp_path" in wanted else {}))


def test_docs_have_python_blocks() -> None:
    """The harness finds the README's blocks (a changed fence would otherwise skip them all)."""
    assert sum(1 for p in python_blocks() if p.values[0].startswith("README.md")) >= 3


# -- names ------------------------------------------------------------------------------------------

_IMPORT = re.compile(r"from (sagemaker_studio_cdk(?:\.\w+)*) import (?:\(([^)]*)\)|([\w ,]+))")
_DOTTED = re.compile(r"`[^`\n]*?\b(sagemaker_studio_cdk(?:\.\w+)+)")
_INLINE = re.compile(r"`([A-Za-z_]\w*)[^`\n]*`")


def _resolve(dotted: str) -> object:
    """A module, or an attribute of the longest importable module prefix."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            value = getattr(value, attribute)
        return value
    raise ModuleNotFoundError(dotted)


def _library_classes() -> set[str]:
    """Public classes defined anywhere in the package's source."""
    found: set[str] = set()
    for path in (ROOT / "sagemaker_studio_cdk").rglob("*.py"):
        found.update(re.findall(r"^class ([A-Z]\w*)", path.read_text(), re.M))
    return found


def test_every_import_in_the_docs_resolves() -> None:
    """``from sagemaker_studio_cdk... import X`` and ``sagemaker_studio_cdk.a.b`` wherever the docs say them."""
    missing = []
    for doc in DOCS:
        text = doc.read_text()
        for module, grouped, names in _IMPORT.findall(text):
            for name in (n.split(" as ")[0].strip() for n in (grouped or names).replace("\n", ",").split(",")):
                if name and not hasattr(importlib.import_module(module), name):
                    missing.append(f"{doc.name}: from {module} import {name}")
        for dotted in _DOTTED.findall(text):
            try:
                _resolve(dotted)
            except (ImportError, AttributeError):
                missing.append(f"{doc.name}: {dotted}")
    assert not missing, missing


def test_every_class_the_docs_name_is_exported() -> None:
    """A class of this library named in backticks (`LifecycleConfig`, `AppType.JUPYTER_LAB`) is
    importable from ``sagemaker_studio_cdk``, or from ``sagemaker_studio_cdk.testing`` for the moto extension."""
    import sagemaker_studio_cdk.testing as testing

    classes = _library_classes()
    exported = set(sagemaker_studio_cdk.__all__) | set(testing.__all__)
    named = {(doc.name, m) for doc in DOCS for m in _INLINE.findall(doc.read_text()) if m in classes}
    assert {"LifecycleConfig", "EfsMount", "AppType"} <= {name for _, name in named}
    assert not sorted(f"{doc}: {name}" for doc, name in named if name not in exported)


def test_readme_names_every_argument_of_the_constructs_it_documents() -> None:
    """The construct reference matches the code: each keyword argument of a construct whose
    signature the README gives (`EfsMount(scope, id, *, ...)`) appears there in backticks."""
    readme = (ROOT / "README.md").read_text()
    documented = dict(re.findall(r"`(\w+)\(scope, id, \*, ([^`]*)\)`", readme))
    assert {"StudioDomain", "UserProfile", "Space", "LifecycleConfig", "EfsMount"} <= set(documented)
    missing = []
    for name, signature in sorted(documented.items()):
        given = set(re.findall(r"(\w+)(?:=[^,]*)?(?:, |$)", signature))
        for parameter in inspect.signature(getattr(sagemaker_studio_cdk, name).__init__).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.name not in given and f"`{parameter.name}`" not in readme:
                missing.append(f"{name}: {parameter.name}")
    assert not missing, missing


def test_all_is_complete() -> None:
    """Every name of ``__all__`` loads, and every construct and enum that constructs/ and stacks/
    define is in it; ``sagemaker_studio_cdk.constructs`` exports its constructs too."""
    from enum import Enum

    from constructs import Construct

    import sagemaker_studio_cdk.constructs as constructs_package
    import sagemaker_studio_cdk.stacks as stacks_package

    for name in sagemaker_studio_cdk.__all__:
        assert getattr(sagemaker_studio_cdk, name) is not None, name
    for package in (constructs_package, stacks_package):
        defined = set()
        for path in Path(str(package.__file__)).parent.glob("*.py"):
            module = importlib.import_module(f"{package.__name__}.{path.stem}")
            defined |= {
                name
                for name, value in vars(module).items()
                if inspect.isclass(value)
                and value.__module__ == module.__name__
                and not name.startswith("_")
                and issubclass(value, (Construct, Enum))
            }
        assert defined <= set(package.__all__), sorted(defined - set(package.__all__))
        classes = {n for n in package.__all__ if inspect.isclass(getattr(package, n))}
        assert classes <= set(sagemaker_studio_cdk.__all__), sorted(classes - set(sagemaker_studio_cdk.__all__))
