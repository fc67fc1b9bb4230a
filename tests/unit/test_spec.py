"""studio.yaml: every field maps to a construct prop; bad files get located, readable errors."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sagemaker_studio_cdk import StudioConfigError, load_spec, parse_spec
from sagemaker_studio_cdk.constructs.settings import AppType, AuthMode, RemoteAccess, SpaceSharing
from sagemaker_studio_cdk.spec import json_schema
from tests.support import ROOT

BASE: dict[str, Any] = {
    "domain": {"name": "research"},
    "users": [{"name": "alice"}, {"name": "bob", "ebs": {"default_gb": 10, "max_gb": 200}}],
    "spaces": [
        {"name": "alice-lab", "sharing": "Private", "owner": "alice"},
        {"name": "team", "sharing": "Shared"},
    ],
}


def spec_with(**changes: Any) -> dict[str, Any]:
    raw = copy.deepcopy(BASE)
    raw.update(changes)
    return raw


def test_example_spec_loads() -> None:
    spec = load_spec(ROOT / "studio.yaml")
    assert spec.domain.name == "ml-research"
    assert [u.name for u in spec.users] == ["alice", "bob", "carol"]
    assert {s.name: s.sharing for s in spec.spaces}["team"] is SpaceSharing.SHARED


def test_defaults_match_construct_defaults() -> None:
    spec = parse_spec(BASE)
    assert spec.domain.auth_mode is AuthMode.IAM
    assert spec.domain.ebs.max_gb == 100
    assert spec.users[0].group is None  # placed by the library (placement.py)
    assert spec.spaces[1].app_type is AppType.JUPYTER_LAB


def test_json_schema_export_matches_committed_file() -> None:
    committed = json.loads((ROOT / "sagemaker_studio_cdk" / "studio.schema.json").read_text())
    assert committed == json_schema(), "run `make schema` to regenerate studio.schema.json"


def test_fails_when_field_unknown() -> None:
    raw = spec_with(domain={"name": "research", "ebs_size": 5})
    with pytest.raises(StudioConfigError, match=r"domain\.ebs_size.*Extra inputs are not permitted"):
        parse_spec(raw)


def test_fails_when_domain_name_invalid_with_location() -> None:
    with pytest.raises(StudioConfigError, match=r"spec: domain\.name: got 'bad_name'"):
        parse_spec(spec_with(domain={"name": "bad_name"}))


def test_fails_when_nested_range_wrong_names_nested_field() -> None:
    raw = spec_with(domain={"name": "research", "ebs": {"default_gb": 4, "max_gb": 100}})
    with pytest.raises(StudioConfigError, match=r"domain\.ebs\.default_gb: got 4; 5-16384 GB"):
        parse_spec(raw)


def test_fails_when_user_idle_bounds_inverted() -> None:
    raw = spec_with(users=[{"name": "alice", "idle_shutdown": {"timeout_minutes": 60, "min_timeout_minutes": 120}}])
    with pytest.raises(StudioConfigError, match=r"users\.0\.idle_shutdown\.min_timeout_minutes: got 120"):
        parse_spec(raw)


def test_fails_when_posix_out_of_range() -> None:
    raw = spec_with(domain={"name": "research", "posix_user": {"uid": 10, "gid": 1001}})
    with pytest.raises(StudioConfigError, match=r"domain\.posix_user\.uid: got 10; 10000-4000000"):
        parse_spec(raw)


def test_fails_when_private_space_has_no_owner() -> None:
    raw = spec_with(spaces=[{"name": "lab", "sharing": "Private"}])
    with pytest.raises(StudioConfigError, match=r"spaces\[0\] \(lab\)\.owner: got None; a user profile of the domain"):
        parse_spec(raw)


def test_fails_when_owner_unknown() -> None:
    raw = spec_with(spaces=[{"name": "lab", "sharing": "Private", "owner": "mallory"}])
    with pytest.raises(StudioConfigError, match=r"owner: got 'mallory'; a user profile of the domain \(alice, bob\)"):
        parse_spec(raw)


def test_fails_when_shared_space_has_owner() -> None:
    raw = spec_with(spaces=[{"name": "team", "owner": "alice"}])
    with pytest.raises(StudioConfigError, match=r"owner: got 'alice'; no owner"):
        parse_spec(raw)


def test_fails_when_user_declared_twice() -> None:
    raw = spec_with(users=[{"name": "alice"}, {"name": "alice"}], spaces=[])
    with pytest.raises(StudioConfigError, match=r"users\[\]\.name: got 'alice'; each name once"):
        parse_spec(raw)


def test_fails_when_space_declared_twice() -> None:
    raw = spec_with(spaces=[{"name": "team"}, {"name": "team"}])
    with pytest.raises(StudioConfigError, match=r"spaces\[\]\.name: got 'team'"):
        parse_spec(raw)


def test_fails_when_space_ebs_above_owner_maximum() -> None:
    raw = spec_with(spaces=[{"name": "lab", "sharing": "Private", "owner": "bob", "ebs_gb": 250}])
    with pytest.raises(StudioConfigError, match=r"ebs_gb: got 250; at most .* \(200 GB\)"):
        parse_spec(raw)


def test_space_ebs_may_use_owner_maximum_above_domain_maximum() -> None:
    raw = spec_with(spaces=[{"name": "lab", "sharing": "Private", "owner": "bob", "ebs_gb": 150}])
    assert parse_spec(raw).spaces[0].ebs_gb == 150


def test_fails_when_space_idle_outside_domain_bounds() -> None:
    raw = spec_with(spaces=[{"name": "team", "idle_timeout_minutes": 600}])
    with pytest.raises(StudioConfigError, match=r"idle_timeout_minutes: got 600; within the idle bounds 60-480"):
        parse_spec(raw)


def test_fails_when_image_is_neither_distribution_nor_arn() -> None:
    raw = spec_with(domain={"name": "research", "default_image": "ubuntu:latest"})
    with pytest.raises(StudioConfigError, match=r"domain\.default_image.*a SageMaker image ARN"):
        parse_spec(raw)


def test_fails_when_instance_type_unknown() -> None:
    raw = spec_with(spaces=[{"name": "team", "instance_type": "ml.huge"}])
    with pytest.raises(StudioConfigError, match=r"spaces\.0\.instance_type: got 'ml.huge'"):
        parse_spec(raw)


def test_reports_every_problem_at_once() -> None:
    raw = spec_with(domain={"name": "bad_name", "ebs": {"default_gb": 1, "max_gb": 100}})
    with pytest.raises(StudioConfigError, match=r"2 problems") as caught:
        parse_spec(raw)
    assert "domain.name" in str(caught.value) and "domain.ebs.default_gb" in str(caught.value)


def test_fails_when_yaml_malformed_with_line(tmp_path: Path) -> None:
    bad = tmp_path / "studio.yaml"
    bad.write_text("domain:\n  name: [unclosed\n")
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:\d+:\d+"):
        load_spec(bad)


def test_fails_when_file_missing(tmp_path: Path) -> None:
    with pytest.raises(StudioConfigError, match=r"a readable spec file"):
        load_spec(tmp_path / "nope.yaml")


def test_space_remote_access_reaches_the_space() -> None:
    spec = parse_spec(spec_with(spaces=[{"name": "team", "remote_access": "ENABLED"}]))
    assert spec.spaces[0].remote_access is RemoteAccess.ENABLED


def test_space_remote_access_defaults_to_not_set() -> None:
    assert parse_spec(BASE).spaces[1].remote_access is None


def test_fails_when_space_remote_access_is_unknown() -> None:
    with pytest.raises(StudioConfigError, match=r"spaces\.0\.remote_access.*'Enabled'"):
        parse_spec(spec_with(spaces=[{"name": "team", "remote_access": "Enabled"}]))
