"""Every row of PEER-SCENARIOS.md is covered by a test id; a new row fails here until it is.

The file is parsed: each table row of a section maps to ``tests/peer/<module>.py::test_<slug of
its first cell>`` unless :data:`ELSEWHERE` says which tests cover it (API-only rows, tested by the
settings custom resource's author, and the CloudFormation rows another module builds). The "User
profile" section has no table: its list ("UserSettings mirror the domain's: ...") is parsed the
same way. A listed test must exist once its module does; the modules in :data:`AWAITING_MERGE`
are added by other engineers' branches."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.peer.helpers import slug

HERE = Path(__file__).parent
SCENARIOS = HERE / "PEER-SCENARIOS.md"

SECTION_MODULES = {
    "Domain": "test_domain",
    "Space": "test_space",
    "User profile": "test_user_profile",
    "Lifecycle configs, images, MLflow": "test_lifecycle_images_mlflow",
}
"""The module of each section's rows."""

API_ONLY = "tests/peer/test_api_only.py"
ELSEWHERE: dict[str, list[str]] = {
    # API only: applied by the settings custom resource.
    "canvas_time_series_model_registration_generative_ai_kendra_direct_deploy_emr_serverless_oauth_workspace_s3": [
        f"{API_ONLY}::test_canvas_time_series_model_registration_generative_ai_kendra_direct_deploy_emr_serverless_oauth_workspace_s3"
    ],
    "tensorboard": [f"{API_ONLY}::test_tensorboard"],
    "jupyterlab_emr_roles": [f"{API_ONLY}::test_jupyterlab_emr_roles"],
    # The row names JupyterLab's CodeRepositories (here); the peer sets Jupyter Server's (API only).
    "jupyter_server_code_repository": [
        "tests/peer/test_domain.py::test_jupyter_server_code_repository",
        f"{API_ONLY}::test_jupyter_server_code_repository",
    ],
    # CloudFormation rows other modules build: Docker access (apiprops), RStudio (rstudio).
    "docker_access_in_vpconly": [f"{API_ONLY}::test_docker_access_in_vpconly"],
    "rsession_default_resource_spec": ["tests/peer/test_rstudio.py::test_rsession_default_resource_spec"],
    "rstudio_user_access": ["tests/peer/test_rstudio.py::test_rstudio_user_access"],
    "rstudio_domain": ["tests/peer/test_rstudio.py::test_rstudio_domain"],
}
"""Rows covered by tests outside their section's module."""

REFUSED = {"home_efs_retention_on_delete"}
"""Rows the library refuses on purpose; their test asserts the refusal and its reason."""

AWAITING_MERGE: set[str] = set()
"""Modules other branches add; their listed tests must exist once they do (none left: every
listed module exists, so a missing test fails)."""


def rows() -> list[tuple[str, str, bool]]:
    """(section, row name, is an update row) for every row of the file."""
    found: list[tuple[str, str, bool]] = []
    section = ""
    header: list[str] = []
    text = SCENARIOS.read_text()
    for line in text.splitlines():
        if line.startswith("## "):
            section, header = line[3:].split(" (")[0].strip(), []
        elif line.startswith("|") and section:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not header:
                header = [c.lower() for c in cells]
            elif not set(line) <= set("|- "):
                update = "update" in header and cells[header.index("update")].startswith("yes")
                update = update or "(update)" in line or "then update" in line or "(in-place update)" in line
                found.append((section, cells[0], update))
    listed = " ".join(text.split("## User profile", 1)[1].split("mirror the domain's:", 1)[1].split())
    found += [("User profile", item.replace("(update)", "").strip(), "(update)" in item) for item in _items(listed)]
    return found


def _items(text: str) -> list[str]:
    sentence = text.split(".")[0]
    return [i for i in re.split(r",\s*(?![^()]*\))", sentence) if i.strip()]


def _tests(path: Path) -> dict[str, list[str]]:
    """Test function name -> its parameters, of a module."""
    tree = ast.parse(path.read_text())
    return {n.name: [a.arg for a in n.args.args] for n in tree.body if isinstance(n, ast.FunctionDef)}


def covering(section: str, name: str) -> list[str]:
    """The test ids that cover a row."""
    return ELSEWHERE.get(slug(name), [f"tests/peer/{SECTION_MODULES[section]}.py::test_{slug(name)}"])


def test_every_row_is_covered_by_a_test() -> None:
    found = rows()
    assert len(found) >= 40, "the table parser found too few rows"
    missing: list[str] = []
    for section, name, update in found:
        assert section in SECTION_MODULES, f"a new section {section!r}: give it a module in SECTION_MODULES"
        for test_id in covering(section, name):
            module, function = test_id.split("::")
            path = HERE.parent.parent / module
            if not path.exists():
                if module not in AWAITING_MERGE:
                    missing.append(f"{section} / {name}: {module} does not exist")
                continue
            tests = _tests(path)
            if function not in tests:
                missing.append(f"{section} / {name}: no {test_id}")
            elif update and module not in AWAITING_MERGE and "updated" not in tests[function]:
                missing.append(f"{section} / {name}: an update row, but {test_id} does not deploy an update (updated)")
    assert not missing, "\n".join(missing)


def test_the_user_profile_list_is_parsed() -> None:
    items = [name for section, name, _ in rows() if section == "User profile"]
    assert items == [
        "execution role",
        "app default resource specs and lifecycle configs",
        "custom images",
        "hidden apps and ML tools",
        "tags",
    ]


def test_refused_rows_say_why() -> None:
    for row in REFUSED:
        source = (HERE / "test_domain.py").read_text()
        body = source.split(f"def test_{row}(", 1)[1].split("\ndef ", 1)[0]
        assert "Refused on purpose" in body and "pytest.raises(StudioConfigError)" in body
