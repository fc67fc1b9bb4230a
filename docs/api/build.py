"""Build the API reference (HTML) from the package's docstrings with pdoc; any warning fails.

Usage: python docs/api/build.py OUTPUT_DIR   (``make docs`` writes docs/api/html/)

Documented: the public API (``sagemaker_studio_cdk``: every name of its ``__all__``), the Node
helper, the studio.yaml model, the policy-check helpers and the moto extension. Docstrings are
reStructuredText (``:param name:``).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

MODULES = [
    "sagemaker_studio_cdk",
    "sagemaker_studio_cdk.node",
    "sagemaker_studio_cdk.spec",
    "sagemaker_studio_cdk.replacement",
    "sagemaker_studio_cdk.policies.nag",
    "sagemaker_studio_cdk.testing",
]


# Members that CDK's own classes define (Construct, Stack, NestedStack) belong to CDK's reference:
# leaving them out keeps the pages about this library, and spares pdoc evaluating aws-cdk-lib's
# annotations (which imports every aws_cdk module) and parsing its sources (megabytes each):
# about 40 s of a build that otherwise takes a few seconds.
FOREIGN_BASES = ("aws_cdk", "constructs", "jsii", "builtins", "typing", "enum")


def _defined_here(cls: type, name: str) -> bool:
    owner = next((c for c in cls.__mro__ if name in vars(c)), cls)
    return owner.__module__.split(".")[0] not in FOREIGN_BASES or owner is cls


def _leave_out_cdk_members() -> None:
    import functools

    import pdoc.doc
    import pdoc.doc_ast

    member_objects = pdoc.doc.Class._member_objects.func  # type: ignore[attr-defined]

    def own(self: pdoc.doc.Class) -> dict[str, object]:
        return {name: obj for name, obj in member_objects(self).items() if _defined_here(self.obj, name)}

    get_source = pdoc.doc_ast.get_source

    def own_source(obj: object) -> str:
        return "" if getattr(obj, "__module__", "").split(".")[0] in FOREIGN_BASES else get_source(obj)

    pdoc.doc_ast.get_source = own_source
    prop = functools.cached_property(own)
    prop.__set_name__(pdoc.doc.Class, "_member_objects")
    pdoc.doc.Class._member_objects = prop  # type: ignore[method-assign,assignment]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    output = Path(argv[0])
    started = time.perf_counter()
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # this checkout's package, not an installed one
    from sagemaker_studio_cdk.node import use_venv_node

    use_venv_node()  # documenting imports aws_cdk, which starts jsii
    import pdoc
    import pdoc.render

    _leave_out_cdk_members()
    pdoc.render.configure(docformat="restructuredtext", footer_text="sagemaker-studio-cdk", search=True, show_source=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdoc.pdoc(*MODULES, output_directory=output)
    # pdoc's own warnings (a failed import, an annotation it cannot resolve) and any our code raises.
    ours = [w for w in caught if any(part in Path(w.filename).parts for part in ("pdoc", "sagemaker_studio_cdk"))]
    for w in ours:
        print(f"docs: {w.category.__name__}: {w.message}", file=sys.stderr)
    if ours:
        return 1
    print(f"docs: API reference in {output}/index.html ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
