"""studio.yaml: lifecycle configs and file systems, referred to by name; bad references get located errors."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from sagemaker_studio_cdk import StudioConfigError, load_spec, parse_spec
from sagemaker_studio_cdk.constructs.settings import AppType

SCRIPT = "#!/bin/bash\nset -eu\necho autosave\n"
FS_ID = "fs-0123456789abcdef0"
SG_ID = "sg-0123456789abcdef0"

BASE: dict[str, Any] = {
    "domain": {
        "name": "research",
        "lifecycle_configs": ["editor-setup"],
        "default_lifecycle_configs": ["autosave"],
        "file_systems": [{"name": "team", "path": "/shared"}],
    },
    "lifecycle_configs": [
        {"name": "autosave", "app_type": "JupyterLab", "script": SCRIPT},
        {"name": "editor-setup", "app_type": "CodeEditor", "script": "echo editor\n", "tags": {"team": "ml"}},
    ],
    "file_systems": [{"name": "team"}, {"name": "archive", "file_system_id": FS_ID, "security_group_id": SG_ID}],
    "users": [
        {
            "name": "alice",
            "lifecycle_configs": ["autosave"],
            "default_lifecycle_configs": ["editor-setup"],
            "file_systems": [{"name": "team", "path": "/alice"}, {"name": "archive"}],
        },
        {"name": "bob"},
    ],
    "spaces": [
        {"name": "alice-lab", "sharing": "Private", "owner": "alice", "lifecycle_config": "autosave", "file_systems": ["team"]},
        {"name": "team"},
    ],
}


def spec_with(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    raw.update(changes)
    return raw


def domain_with(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    raw["domain"].update(changes)
    return raw


def message(text: str) -> str:
    return re.escape(text)


# --- what parses ----------------------------------------------------------------------------


def test_lifecycle_config_with_a_script_is_parsed() -> None:
    config = parse_spec(BASE).lifecycle_configs[0]
    assert (config.name, config.app_type, config.content) == ("autosave", AppType.JUPYTER_LAB, SCRIPT)


def test_lifecycle_config_tags_are_parsed() -> None:
    assert parse_spec(BASE).lifecycle_configs[1].tags == {"team": "ml"}


def test_lifecycle_config_script_file_is_relative_to_the_spec_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec_dir = tmp_path / "config"
    (spec_dir / "lifecycle").mkdir(parents=True)
    (spec_dir / "lifecycle" / "autosave.sh").write_text(SCRIPT)
    raw = copy.deepcopy(BASE)
    raw["lifecycle_configs"][0] = {"name": "autosave", "app_type": "JupyterLab", "script_file": "lifecycle/autosave.sh"}
    (spec_dir / "studio.yaml").write_text(yaml.safe_dump(raw))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert load_spec(spec_dir / "studio.yaml").lifecycle_configs[0].content == SCRIPT


def test_domain_lifecycle_config_names_are_parsed() -> None:
    domain = parse_spec(BASE).domain
    assert (domain.lifecycle_configs, domain.default_lifecycle_configs) == (["editor-setup"], ["autosave"])


def test_user_lifecycle_config_names_are_parsed() -> None:
    alice = parse_spec(BASE).users[0]
    assert (alice.lifecycle_configs, alice.default_lifecycle_configs) == (["autosave"], ["editor-setup"])


def test_space_lifecycle_config_name_is_parsed() -> None:
    assert parse_spec(BASE).spaces[0].lifecycle_config == "autosave"


def test_new_file_system_has_no_id() -> None:
    team = parse_spec(BASE).file_systems[0]
    assert (team.file_system_id, team.security_group_id) == (None, None)


def test_existing_file_system_has_its_id_and_group() -> None:
    archive = parse_spec(BASE).file_systems[1]
    assert (archive.file_system_id, archive.security_group_id) == (FS_ID, SG_ID)


def test_domain_file_system_mount_has_its_path() -> None:
    (mount,) = parse_spec(BASE).domain.file_systems
    assert (mount.name, mount.path) == ("team", "/shared")


def test_mount_path_defaults_to_the_root() -> None:
    archive = parse_spec(BASE).users[0].file_systems[1]
    assert (archive.name, archive.path) == ("archive", "/")


def test_space_file_systems_are_names() -> None:
    assert parse_spec(BASE).spaces[0].file_system_names == ["team"]


# --- unknown names --------------------------------------------------------------------------


def test_fails_when_domain_names_an_unknown_lifecycle_config() -> None:
    with pytest.raises(
        StudioConfigError,
        match=message(
            "spec: domain.lifecycle_configs: got 'nope'; a name declared in lifecycle_configs (autosave, editor-setup)"
        ),
    ):
        parse_spec(domain_with(lifecycle_configs=["nope"]))


def test_fails_when_domain_default_names_an_unknown_lifecycle_config() -> None:
    with pytest.raises(StudioConfigError, match=message("spec: domain.default_lifecycle_configs: got 'nope'")):
        parse_spec(domain_with(default_lifecycle_configs=["nope"]))


def test_fails_when_user_names_an_unknown_lifecycle_config() -> None:
    raw = spec_with(users=[{"name": "alice", "lifecycle_configs": ["nope"]}], spaces=[])
    with pytest.raises(
        StudioConfigError,
        match=message("spec: users[0] (alice).lifecycle_configs: got 'nope'; a name declared in lifecycle_configs"),
    ):
        parse_spec(raw)


def test_fails_when_user_default_names_an_unknown_lifecycle_config() -> None:
    raw = spec_with(users=[{"name": "bob"}, {"name": "alice", "default_lifecycle_configs": ["nope"]}], spaces=[])
    with pytest.raises(StudioConfigError, match=message("spec: users[1] (alice).default_lifecycle_configs: got 'nope'")):
        parse_spec(raw)


def test_fails_when_space_names_an_unknown_lifecycle_config() -> None:
    raw = spec_with(spaces=[{"name": "team", "lifecycle_config": "nope"}])
    with pytest.raises(
        StudioConfigError,
        match=message("spec: spaces[0] (team).lifecycle_config: got 'nope'; a name declared in lifecycle_configs"),
    ):
        parse_spec(raw)


def test_fails_when_no_lifecycle_configs_are_declared() -> None:
    raw = spec_with(lifecycle_configs=[], users=[], spaces=[])
    raw["domain"] = {"name": "research", "lifecycle_configs": ["autosave"]}
    with pytest.raises(StudioConfigError, match=message("a name declared in lifecycle_configs (none declared)")):
        parse_spec(raw)


def test_fails_when_domain_names_an_unknown_file_system() -> None:
    with pytest.raises(
        StudioConfigError, match=message("spec: domain.file_systems: got 'nope'; a name declared in file_systems (archive, team)")
    ):
        parse_spec(domain_with(file_systems=[{"name": "nope"}]))


def test_fails_when_user_names_an_unknown_file_system() -> None:
    raw = spec_with(users=[{"name": "alice", "file_systems": [{"name": "nope", "path": "/x"}]}], spaces=[])
    with pytest.raises(StudioConfigError, match=message("spec: users[0] (alice).file_systems: got 'nope'")):
        parse_spec(raw)


def test_fails_when_space_names_an_unknown_file_system() -> None:
    raw = spec_with(spaces=[{"name": "team", "file_systems": ["nope"]}])
    with pytest.raises(
        StudioConfigError, match=message("spec: spaces[0] (team).file_systems: got 'nope'; a name declared in file_systems")
    ):
        parse_spec(raw)


# --- bad file systems -----------------------------------------------------------------------


def test_fails_when_space_file_system_has_a_path() -> None:
    raw = spec_with(spaces=[{"name": "team", "file_systems": [{"name": "team", "path": "/x"}]}])
    with pytest.raises(
        StudioConfigError,
        match=message("spec: spaces.0.file_systems.0: got {'name': 'team', 'path': '/x'}; a file system's name only: a space"),
    ):
        parse_spec(raw)


def test_fails_when_existing_file_system_has_no_security_group() -> None:
    raw = spec_with(file_systems=[{"name": "team", "file_system_id": FS_ID}])
    with pytest.raises(
        StudioConfigError,
        match=message("spec: file_systems.0.security_group_id: got None; file_system_id and security_group_id together"),
    ):
        parse_spec(raw)


def test_fails_when_security_group_is_given_without_a_file_system_id() -> None:
    raw = spec_with(file_systems=[{"name": "team", "security_group_id": SG_ID}])
    with pytest.raises(
        StudioConfigError,
        match=message("spec: file_systems.0.file_system_id: got None; file_system_id and security_group_id together"),
    ):
        parse_spec(raw)


def test_fails_when_file_system_id_is_malformed() -> None:
    raw = spec_with(file_systems=[{"name": "team", "file_system_id": "team-fs", "security_group_id": SG_ID}])
    with pytest.raises(StudioConfigError, match=message("spec: file_systems.0.file_system_id: got 'team-fs'")):
        parse_spec(raw)


def test_fails_when_mount_path_is_relative() -> None:
    with pytest.raises(StudioConfigError, match=message("spec: domain.file_systems.0.path: got 'relative'; an absolute path")):
        parse_spec(domain_with(file_systems=[{"name": "team", "path": "relative"}]))


# --- bad scripts ----------------------------------------------------------------------------


def test_fails_when_lifecycle_script_is_too_large_with_its_location() -> None:
    raw = copy.deepcopy(BASE)
    raw["lifecycle_configs"][0]["script"] = "x" * 13000  # 17336 base64 characters
    with pytest.raises(
        StudioConfigError,
        match=r"spec: lifecycle_configs(\.0|\[0\])( \(autosave\))?\.script: got '17336 characters once base64-encoded'; "
        + message("at most 16384 base64 characters"),
    ):
        parse_spec(raw)


def test_fails_when_lifecycle_config_has_script_and_script_file_with_its_location(tmp_path: Path) -> None:
    raw = copy.deepcopy(BASE)
    script_file = tmp_path / "autosave.sh"
    script_file.write_text(SCRIPT)
    raw["lifecycle_configs"][0]["script_file"] = str(script_file)
    with pytest.raises(
        StudioConfigError,
        match=r"spec: lifecycle_configs(\.0|\[0\])( \(autosave\))?: got 'script and script_file'; "
        + message("exactly one of script or script_file"),
    ):
        parse_spec(raw)


def test_fails_when_lifecycle_script_file_is_missing(tmp_path: Path) -> None:
    spec_dir = tmp_path / "config"
    spec_dir.mkdir()
    raw = copy.deepcopy(BASE)
    raw["lifecycle_configs"][0] = {"name": "autosave", "app_type": "JupyterLab", "script_file": "lifecycle/missing.sh"}
    (spec_dir / "studio.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(StudioConfigError, match=r"missing\.sh'; a readable file") as raised:
        load_spec(spec_dir / "studio.yaml")
    assert str(spec_dir / "studio.yaml") in str(raised.value)


def test_fails_when_lifecycle_config_app_type_is_unknown() -> None:
    raw = copy.deepcopy(BASE)
    raw["lifecycle_configs"][0]["app_type"] = "RStudio"
    with pytest.raises(StudioConfigError, match=r"spec: lifecycle_configs\.0\.app_type: got 'RStudio'"):
        parse_spec(raw)


def test_fails_when_lifecycle_config_name_is_declared_twice() -> None:
    raw = copy.deepcopy(BASE)
    raw["lifecycle_configs"].append({"name": "autosave", "app_type": "JupyterLab", "script": "echo again\n"})
    with pytest.raises(StudioConfigError, match=r"lifecycle_configs\[\]\.name"):
        parse_spec(raw)


def test_fails_when_file_system_name_is_declared_twice() -> None:
    raw = copy.deepcopy(BASE)
    raw["file_systems"].append({"name": "team"})
    with pytest.raises(StudioConfigError, match=r"file_systems\[\]\.name"):
        parse_spec(raw)
