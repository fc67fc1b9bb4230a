"""The roster (roster.py) and its CLI, in pure Python: no synth."""

from __future__ import annotations

import copy
import os
import random
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sagemaker_studio_cdk import StudioConfigError, parse_spec
from sagemaker_studio_cdk.cli import main
from sagemaker_studio_cdk.roster import HEADER, Entry, Kind, Roster, State, reconcile, retire, reuse, update
from sagemaker_studio_cdk.spec import StudioSpec

SPEC: dict[str, Any] = {
    "domain": {"name": "research"},
    "users": [{"name": "alice", "group": "a"}, {"name": "bob", "group": "b"}, {"name": "carol"}],
    "spaces": [{"name": "alice-lab", "sharing": "Private", "owner": "alice"}, {"name": "team"}],
}

SEEDED = HEADER + (
    "research space alice-lab UserGroup-a active 1\n"
    "research space team domain active 1\n"
    "research user alice UserGroup-a active 1\n"
    "research user bob UserGroup-b active 1\n"
    "research user carol UserGroup-users active 1\n"
)


def spec(edit: Any = None) -> StudioSpec:
    raw = copy.deepcopy(SPEC)
    if edit:
        edit(raw)
    return parse_spec(raw)


def seeded() -> Roster:
    return Roster.parse(SEEDED, "studio.roster")


def without_alice(raw: dict[str, Any]) -> None:
    raw["users"] = [u for u in raw["users"] if u["name"] != "alice"]
    raw["spaces"] = [s for s in raw["spaces"] if s["name"] != "alice-lab"]


def messages(err: StudioConfigError) -> list[str]:
    return [str(p) for p in err.parts]


def test_first_update_seeds_the_current_layout() -> None:
    # Users in their group's stack (default group: users), a private space in its owner's, a
    # shared space in the domain's: where the stacks put them today, so nothing deployed moves.
    assert update(Roster(), [spec()]).render() == SEEDED


def test_render_is_sorted_and_round_trips() -> None:
    lines = SEEDED.splitlines()[3:]
    random.Random(7).shuffle(lines)
    shuffled = Roster.parse("\n".join(lines) + "\n")
    assert shuffled.render() == SEEDED
    assert Roster.parse(shuffled.render()) == shuffled


def test_a_spec_matching_the_roster_has_nothing_to_report() -> None:
    result = reconcile(spec(), seeded())
    assert result.problems == [] and result.new == []


def test_new_users_and_spaces_are_reported_as_not_recorded() -> None:
    grown = spec(lambda raw: raw["users"].append({"name": "dave", "group": "b"}))
    assert [e.render() for e in reconcile(grown, seeded()).new] == ["research user dave UserGroup-b active 1"]


def test_fails_when_a_user_is_removed_but_not_retired() -> None:
    (space, user) = reconcile(spec(without_alice), seeded()).problems  # in the roster's order
    assert str(user).startswith("users (alice): got 'removed from the spec'")
    assert "studio.roster line 6: `research user alice UserGroup-a active 1`" in str(user)
    assert "which have no backup. Have alice save their work first" in str(user)
    assert "`sagemaker-studio-cdk roster retire alice`" in str(user)
    assert "`sagemaker-studio-cdk roster retire alice-lab`" in str(space)


def test_retired_users_and_spaces_may_be_left_out() -> None:
    retired = retire(seeded(), [spec(without_alice)], ["alice", "alice-lab"])
    assert retired.get("research", Kind.USER, "alice").state is State.RETIRED  # type: ignore[union-attr]
    assert reconcile(spec(without_alice), retired).problems == []


def test_fails_when_retiring_a_name_the_spec_still_declares() -> None:
    with pytest.raises(StudioConfigError, match=r"users \(alice\): .*remove it from the spec first"):
        retire(seeded(), [spec()], ["alice"])


def test_fails_when_retiring_an_unknown_name() -> None:
    with pytest.raises(StudioConfigError, match=r"name: got 'zoe'; a user or space recorded in studio.roster"):
        retire(seeded(), [spec()], ["zoe"])


@pytest.mark.parametrize("name", ["alice", "Alice", "ALICE"])
def test_fails_when_a_retired_user_name_is_declared_again_in_any_case(name: str) -> None:
    retired = retire(seeded(), [spec(without_alice)], ["alice", "alice-lab"])
    again = spec(lambda raw: (without_alice(raw), raw["users"].append({"name": name, "group": "a"})))
    (problem,) = reconcile(again, retired).problems
    assert f"users ({name})" in str(problem) and "was retired" in str(problem)
    assert f"`sagemaker-studio-cdk roster reuse {name}`" in str(problem)


def test_space_names_compare_exactly() -> None:
    retired = retire(seeded(), [spec(lambda raw: raw["spaces"].pop())], ["team"])
    renamed = spec(lambda raw: raw["spaces"].__setitem__(1, {"name": "Team"}))
    assert reconcile(renamed, retired).problems == []


def test_reuse_gives_a_retired_name_to_a_new_user() -> None:
    retired = retire(seeded(), [spec(without_alice)], ["alice", "alice-lab"])
    again = spec(lambda raw: (without_alice(raw), raw["users"].append({"name": "Alice", "group": "c"})))
    reused = reuse(retired, [again], ["Alice"])
    assert reused.get("research", Kind.USER, "alice").render() == "research user Alice UserGroup-c active 2"  # type: ignore[union-attr]
    assert reconcile(again, reused).problems == []


def test_fails_when_reusing_a_name_not_retired_or_not_declared() -> None:
    with pytest.raises(StudioConfigError, match=r"users \(alice\): got 'alice'; a retired name"):
        reuse(seeded(), [spec()], ["alice"])
    retired = retire(seeded(), [spec(without_alice)], ["alice", "alice-lab"])
    with pytest.raises(StudioConfigError, match=r"declare the new user or space first"):
        reuse(retired, [spec(without_alice)], ["alice"])


def test_fails_when_a_user_moved_to_another_group() -> None:
    moved = spec(lambda raw: raw["users"][0].update(group="z"))
    user, space = reconcile(moved, seeded()).problems
    assert str(user).startswith("users (alice) stack: got 'UserGroup-z'; the stack the roster records, UserGroup-a")
    assert "studio.roster line 6: `research user alice UserGroup-a active 1`" in str(user)
    assert "deletes its profile and private spaces" in str(user)
    assert str(space).startswith("spaces (alice-lab) stack: got 'UserGroup-z'")


def test_fails_when_a_recorded_user_is_renamed_by_case() -> None:
    (problem,) = reconcile(spec(lambda raw: raw["users"][0].update(name="Alice") or without_alice_spaces(raw)), seeded()).problems
    assert "users (Alice): got 'Alice'; the recorded name alice" in str(problem)


def without_alice_spaces(raw: dict[str, Any]) -> None:
    raw["spaces"] = [s for s in raw["spaces"] if s["name"] != "alice-lab"]
    raw["spaces"].append({"name": "alice-lab", "sharing": "Private", "owner": "Alice"})


def test_fails_when_two_users_differ_only_in_case() -> None:
    """The spec itself refuses them (profile names are not case sensitive in the API), before any roster."""
    with pytest.raises(StudioConfigError, match=r"users\[\]\.name \(not case sensitive\): got .bob.; each name once"):
        spec(lambda raw: raw["users"].append({"name": "Bob", "group": "b"}))


def test_fails_on_merge_conflict_markers() -> None:
    dave, erin = "research user dave UserGroup-b active 1", "research user erin UserGroup-b active 1"
    text = SEEDED + f"<<<<<<< ours\n{dave}\n=======\n{erin}\n>>>>>>> theirs\n"
    with pytest.raises(StudioConfigError) as raised:
        Roster.parse(text, "studio.roster")
    first, middle, last = messages(raised.value)
    assert first.startswith("studio.roster line 9: got '<<<<<<< ours'; a roster without merge conflict markers")
    assert "sagemaker-studio-cdk roster update" in first and "merge=union" in first
    assert middle.startswith("studio.roster line 11: got '======='")
    assert last.startswith("studio.roster line 13: got '>>>>>>> theirs'")


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("research user dave UserGroup-b active", "6 fields separated by spaces, got 5"),
        ("research person dave UserGroup-b active 1", "KIND user or space"),
        ("research user dave UserGroup-b gone 1", "STATE active or retired"),
        ("research user dave UserGroup-b active 0", "GENERATION a whole number from 1, got 0"),
    ],
)
def test_fails_on_a_malformed_line(line: str, says: str) -> None:
    with pytest.raises(StudioConfigError, match=r"studio.roster line 9: .*" + says):
        Roster.parse(SEEDED + line + "\n", "studio.roster")


def test_fails_when_two_lines_record_one_name_differently() -> None:
    with pytest.raises(StudioConfigError, match=r"line 9: .*but line 6 says `research user alice UserGroup-a active 1`"):
        Roster.parse(SEEDED + "research user alice UserGroup-q active 1\n", "studio.roster")


def test_the_newest_line_of_a_name_wins() -> None:
    # What a union merge leaves: superseded lines next to their successors, in any order.
    text = SEEDED + "research user alice UserGroup-a retired 1\nresearch user bob UserGroup-b retired 1\n"
    text += "research user BOB UserGroup-c active 2\nresearch user alice UserGroup-a active 1\n"
    roster = Roster.parse(text)
    assert roster.get("research", Kind.USER, "alice").render() == "research user alice UserGroup-a retired 1"  # type: ignore[union-attr]
    assert roster.get("research", Kind.USER, "bob").render() == "research user BOB UserGroup-c active 2"  # type: ignore[union-attr]
    assert roster.render().count("\n") == SEEDED.count("\n")


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    return subprocess.run(["git", *identity, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=30)


def test_two_branches_adding_users_merge_without_conflict(tmp_path: Path) -> None:
    """A real git merge with the repository's .gitattributes: both sides add a user at the same
    place in the sorted file (which the default merge reports as a conflict), one retires bob."""
    root = Path(__file__).resolve().parents[2]
    (tmp_path / ".gitattributes").write_text((root / ".gitattributes").read_text())
    roster = tmp_path / "studio.roster"
    roster.write_text(SEEDED)
    assert _git("init", "-q", cwd=tmp_path).returncode == 0
    _git("add", ".", cwd=tmp_path)
    _git("commit", "-qm", "base", cwd=tmp_path)
    _git("checkout", "-qb", "other", cwd=tmp_path)
    roster.write_text(update(seeded(), [spec(lambda raw: raw["users"].append({"name": "dave", "group": "b"}))]).render())
    _git("commit", "-qam", "dave", cwd=tmp_path)
    _git("checkout", "-q", "main", cwd=tmp_path)
    erin = spec(lambda raw: (raw["users"].append({"name": "erin", "group": "b"}), raw["users"].pop(1)))
    added = update(seeded(), [spec(lambda raw: raw["users"].append({"name": "erin", "group": "b"}))])
    roster.write_text(retire(added, [erin], ["bob"]).render())
    _git("commit", "-qam", "erin, bob retired", cwd=tmp_path)
    merged = _git("merge", "-q", "--no-edit", "other", cwd=tmp_path)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = Roster.parse(roster.read_text())
    new_users = [{"name": "dave", "group": "b"}, {"name": "erin", "group": "b"}]
    both = spec(lambda raw: (raw["users"].extend(new_users), raw["users"].pop(1)))
    assert reconcile(both, result).problems == [] and reconcile(both, result).new == []
    assert result.get("research", Kind.USER, "bob").state is State.RETIRED  # type: ignore[union-attr]


def test_without_the_union_driver_the_same_merge_conflicts_and_synth_says_so(tmp_path: Path) -> None:
    base, ours, theirs = tmp_path / "base", tmp_path / "ours", tmp_path / "theirs"
    base.write_text(SEEDED)
    ours.write_text(SEEDED + "research user dave UserGroup-b active 1\n")
    theirs.write_text(SEEDED + "research user erin UserGroup-b active 1\n")
    assert _git("merge-file", str(ours), str(base), str(theirs), cwd=tmp_path).returncode == 1
    with pytest.raises(StudioConfigError, match="merge conflict markers"):
        Roster.parse(ours.read_text())


def test_update_records_several_domains_in_one_roster() -> None:
    other = "production user zoe UserGroup-users active 1\n"
    production = parse_spec({"domain": {"name": "production"}, "users": [{"name": "zoe"}, {"name": "yan"}]})
    roster = update(Roster.parse(other), [spec(), production])
    assert roster.render() == HEADER + "production user yan UserGroup-users active 1\n" + other + SEEDED.removeprefix(HEADER)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    spec_path = tmp_path / "studio.yaml"
    spec_path.write_text(yaml.safe_dump(SPEC))
    return spec_path, tmp_path / "studio.roster"


def test_cli_update_writes_a_sorted_roster_once(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    spec_path, roster = files
    assert main(["roster", "update", "--spec", str(spec_path)]) == 0
    assert roster.read_text() == SEEDED
    assert "5 lines written" in capsys.readouterr().out
    assert main(["roster", "update", "--spec", str(spec_path), "--roster", str(roster)]) == 0
    assert roster.read_text() == SEEDED
    assert "up to date" in capsys.readouterr().out


def test_cli_retire_and_reuse(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    spec_path, roster = files
    roster.write_text(SEEDED)
    raw = copy.deepcopy(SPEC)
    without_alice(raw)
    spec_path.write_text(yaml.safe_dump(raw))
    assert main(["roster", "retire", "--spec", str(spec_path), "alice", "alice-lab"]) == 0
    retired = SEEDED.replace("alice-lab UserGroup-a active", "alice-lab UserGroup-a retired").replace(
        "user alice UserGroup-a active", "user alice UserGroup-a retired"
    )
    assert roster.read_text() == retired
    raw["users"].append({"name": "alice", "group": "b"})
    spec_path.write_text(yaml.safe_dump(raw))
    assert main(["roster", "reuse", "--spec", str(spec_path), "--kind", "user", "alice"]) == 0
    assert roster.read_text() == retired.replace("user alice UserGroup-a retired 1", "user alice UserGroup-b active 2")
    assert "research user alice UserGroup-b active 2" in capsys.readouterr().out


def test_cli_refuses_without_changing_the_file(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    spec_path, roster = files
    roster.write_text(SEEDED)
    raw = copy.deepcopy(SPEC)
    without_alice(raw)
    spec_path.write_text(yaml.safe_dump(raw))
    assert main(["roster", "update", "--spec", str(spec_path)]) == 1
    assert roster.read_text() == SEEDED
    err = capsys.readouterr().err
    assert f"{roster} not changed" in err and f"roster retire --spec {spec_path} alice" in err


def test_fails_when_a_recorded_domain_is_removed_or_renamed() -> None:
    renamed = spec(lambda raw: raw["domain"].update(name="research-2"))
    with pytest.raises(StudioConfigError) as raised:
        update(seeded(), [renamed])
    (problem,) = messages(raised.value)
    assert problem.startswith("domain research: got 'not declared'; a declared domain while studio.roster records 5 active")
    assert "(lines 4, 5, 6, 7, 8)" in problem and "`sagemaker-studio-cdk roster retire --domain research --all`" in problem
    retired = retire(seeded(), [renamed], [], domain="research", every=True)
    assert all(e.state is State.RETIRED for e in retired.of_domain("research"))
    assert [e.name for e in update(retired, [renamed]).of_domain("research-2")] == ["alice-lab", "team", "alice", "bob", "carol"]


def test_cli_retires_a_removed_domain(files: tuple[Path, Path]) -> None:
    spec_path, roster = files
    roster.write_text(SEEDED)
    spec_path.write_text(yaml.safe_dump({**SPEC, "domain": {"name": "research-2"}}))
    assert main(["roster", "retire", "--spec", str(spec_path)]) == 2
    assert main(["roster", "update", "--spec", str(spec_path)]) == 1
    assert main(["roster", "retire", "--spec", str(spec_path), "--domain", "research", "--all"]) == 0
    assert roster.read_text() == SEEDED.replace(" active 1", " retired 1")


def test_a_user_and_a_space_of_one_name_are_told_apart_by_kind() -> None:
    twins = spec(lambda raw: (raw["users"].append({"name": "lab", "group": "b"}), raw["spaces"].append({"name": "lab"})))
    roster = update(seeded(), [twins])
    space, user = reconcile(spec(), roster).problems
    assert "`sagemaker-studio-cdk roster retire --kind space lab`" in str(space)
    assert "`sagemaker-studio-cdk roster retire --kind user lab`" in str(user)
    with pytest.raises(StudioConfigError, match="give --kind or --domain"):
        retire(roster, [spec()], ["lab"])
    assert retire(roster, [spec()], ["lab"], kind=Kind.SPACE).get("research", Kind.SPACE, "lab").state is State.RETIRED  # type: ignore[union-attr]


def test_trailing_attributes_parse_and_render_and_old_lines_still_parse() -> None:
    text = (
        "research domain research domain active 1 cfn=DomainSettings.DockerSettings,DefaultUserSettings.SpaceStorageSettings\n"
        "research user alice UserGroup-a active 1 create:UserSettings/RStudioServerProAppSettings/AccessStatus=DISABLED\n"
        "research user bob UserGroup-a active 1\n"
    )
    roster = Roster.parse(text)
    alice = roster.get("research", Kind.USER, "alice")
    assert alice is not None
    assert alice.attributes == (("create:UserSettings/RStudioServerProAppSettings/AccessStatus", "DISABLED"),)
    assert Roster.parse(roster.render()).render() == roster.render()
    assert roster.get("research", Kind.USER, "bob").attributes == ()  # type: ignore[union-attr]
    with pytest.raises(StudioConfigError, match="key=value"):
        Roster.parse("research user bob UserGroup-a active 1 oops\n")


def test_two_lines_differing_only_in_attributes_merge() -> None:
    roster = Roster.parse("research user bob G active 1 a=1\nresearch user bob G active 1 b=2\n")
    assert roster.get("research", Kind.USER, "bob").attributes == (("a", "1"), ("b", "2"))  # type: ignore[union-attr]


def test_a_domains_own_line_is_not_a_removed_user_or_space() -> None:
    roster = seeded().with_entries([Entry("research", Kind.DOMAIN, "research", "domain", attributes=(("cfn", "X.Y"),))])
    assert reconcile(spec(), roster).problems == []
