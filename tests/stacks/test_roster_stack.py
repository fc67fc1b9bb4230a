"""The roster at synth: app.py reads ``CI`` and the roster path, ``StudioDomainStack`` checks.

Only stacks are built here (the check runs before anything is synthesized), no synth.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from sagemaker_studio_cdk import StudioConfigError
from sagemaker_studio_cdk.cli import main as cli
from sagemaker_studio_cdk.roster import Roster, reconcile
from sagemaker_studio_cdk.spec import load_spec
from sagemaker_studio_cdk.stacks.domain_stack import ROSTER_WARNING
from tests.example import app_module
from tests.support import ROOT, new_app

VPC = {"vpcId": "vpc-0123456789abcdef0", "availabilityZones": ["us-east-1a"], "privateSubnetIds": ["subnet-0aaaaaaaaaaaaaaa1"]}
SPEC = {
    "domain": {"name": "research"},
    "users": [{"name": "alice", "group": "a"}, {"name": "bob", "group": "a"}],
    "spaces": [{"name": "alice-lab", "sharing": "Private", "owner": "alice"}],
}


def build(spec_path: Path) -> object:
    return app_module().build(new_app(**{"studio:spec": str(spec_path), "studio:baseline": "", "studio:vpc": VPC}))


def warnings_of(stack: object) -> list[str]:
    return [str(m.data) for m in stack.node.metadata if m.type == "aws:cdk:warning"]  # type: ignore[attr-defined]


def test_example_roster_is_committed_and_up_to_date() -> None:
    text = (ROOT / "studio.roster").read_text()
    roster = Roster.parse(text, "studio.roster")
    result = reconcile(load_spec(ROOT / "studio.yaml"), roster)
    assert result.problems == [] and result.new == []
    assert roster.render() == text  # what `roster update` would write


def test_example_builds_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.chdir(ROOT)
    stack = app_module().build(new_app(**{"studio:baseline": "", "studio:vpc": VPC}))
    assert warnings_of(stack) == []


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "studio.yaml").write_text(yaml.safe_dump(SPEC))
    assert cli(["roster", "update", "--spec", str(tmp_path / "studio.yaml")]) == 0
    return tmp_path


def test_out_of_date_roster_warns_locally_and_fails_in_ci(app_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec_path = app_dir / "studio.yaml"
    spec_path.write_text(yaml.safe_dump({**SPEC, "users": [*SPEC["users"], {"name": "carol", "group": "a"}]}))
    command = f"sagemaker-studio-cdk roster update --spec {spec_path}"
    monkeypatch.delenv("CI", raising=False)
    (warning,) = warnings_of(build(spec_path))
    assert f"does not record them yet: user carol in UserGroup-a (domain research). Run `{command}`" in warning
    assert ROSTER_WARNING in warning
    monkeypatch.setenv("CI", "true")
    with pytest.raises(StudioConfigError, match=rf"roster {app_dir / 'studio.roster'}: got \['carol'\]; .*CI=true.*`{command}`"):
        build(spec_path)


def test_removed_user_is_refused_until_retired(
    app_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CI", "true")
    spec_path = app_dir / "studio.yaml"
    spec_path.write_text(yaml.safe_dump({**SPEC, "users": SPEC["users"][:1]}))
    app = new_app(**{"studio:spec": str(spec_path), "studio:baseline": "", "studio:vpc": json.dumps(VPC)})
    assert app_module().main(app) == 1
    err = capsys.readouterr().err
    assert "users (bob): got 'removed from the spec'" in err
    assert f"`sagemaker-studio-cdk roster retire --spec {spec_path} bob`" in err
    assert cli(["roster", "retire", "--spec", str(spec_path), "bob"]) == 0
    assert warnings_of(build(spec_path)) == []


def test_roster_context_names_the_file_and_empty_turns_the_check_off(app_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    spec_path = app_dir / "studio.yaml"
    elsewhere = app_dir / "roster" / "app.roster"
    context = {"studio:spec": str(spec_path), "studio:baseline": "", "studio:vpc": VPC}
    with pytest.raises(StudioConfigError, match=rf"roster {elsewhere}: .*roster update --spec {spec_path} --roster {elsewhere}`"):
        app_module().build(new_app(**context, **{"studio:roster": str(elsewhere)}))
    app_module().build(new_app(**context, **{"studio:roster": ""}))


def test_the_stack_gives_the_domain_and_its_users_what_the_roster_records_of_them(app_dir: Path) -> None:
    roster_path = app_dir / "studio.roster"
    text = roster_path.read_text().replace(
        "research user alice UserGroup-a active 1",
        "research user alice UserGroup-a active 1 create:UserSettings/X/Y=DISABLED",
    )
    roster_path.write_text(text + "research domain research domain active 1 cfn=DomainSettings.DockerSettings\n")
    stack = build(app_dir / "studio.yaml")
    assert stack.domain.deployed_settings.cfn_blocks == {"DomainSettings.DockerSettings"}  # type: ignore[attr-defined]
    assert stack.users["alice"].deployed_settings.creation_values == {"UserSettings/X/Y": "DISABLED"}  # type: ignore[attr-defined]
    assert stack.users["bob"].deployed_settings is None  # type: ignore[attr-defined]
