"""Placement (placement.py) through the roster, in pure Python: small stacks, no synth.

Stacks here hold 9 resources: a user without a private space takes 2 (its profile and the room
kept for a settings resource), so the library puts 4 in a group; with a private space, 3.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sagemaker_studio_cdk import StudioConfigError, parse_spec
from sagemaker_studio_cdk import placement as placement_module
from sagemaker_studio_cdk.placement import StackLimits
from sagemaker_studio_cdk.roster import HEADER, Roster, RosterCheck, placement, reconcile, retire, update
from sagemaker_studio_cdk.spec import StudioSpec

SMALL = StackLimits(resources=9, template_bytes=10**9)


@pytest.fixture(autouse=True)
def small_stacks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(placement_module, "STACK_LIMITS", SMALL)


def spec(users: list[Any], spaces: list[dict[str, Any]] | None = None) -> StudioSpec:
    """Users by name (placed by the library) or as dicts, and spaces."""
    listed = [u if isinstance(u, dict) else {"name": u} for u in users]
    return parse_spec({"domain": {"name": "research"}, "users": listed, "spaces": spaces or []})


def private(owner: str, name: str | None = None) -> dict[str, Any]:
    return {"name": name or f"{owner}-lab", "sharing": "Private", "owner": owner}


def recorded(*lines: str) -> Roster:
    return Roster.parse(HEADER + "".join(f"{line}\n" for line in lines), "studio.roster")


ZED = "research user zed UserGroup-z active 1"
"""A user with a group of its own: the roster is not a first one."""


def stacks_of(roster: Roster) -> dict[str, str]:
    return {e.name: e.stack for e in roster.of_domain("research") if e.state.value == "active"}


def test_placement_is_deterministic_and_fills_groups_in_order() -> None:
    roster = recorded(ZED)
    grown = spec([{"name": "zed", "group": "z"}, *(f"u{i}" for i in range(6))])
    assert placement(grown, roster) == placement(grown, roster)
    assert update(roster, [grown]).render() == update(roster, [grown]).render()
    assert stacks_of(update(roster, [grown])) == {
        "zed": "UserGroup-z",
        **{f"u{i}": "UserGroup-users" for i in range(4)},
        **{f"u{i}": "UserGroup-users-2" for i in (4, 5)},
    }


def test_no_user_moves_across_additions_and_retirements() -> None:
    roster = recorded(ZED)
    active: list[Any] = [{"name": "zed", "group": "z"}]
    spaces: list[dict[str, Any]] = []
    first_seen: dict[str, str] = {}
    counter = 0

    def add(count: int, with_space: bool = False) -> list[str]:
        nonlocal roster, counter
        names = [f"n{counter + i}" for i in range(count)]
        counter += count
        active.extend(names)
        spaces.extend(private(n) for n in names if with_space)
        roster = update(roster, [spec(active, spaces)])
        return names

    def drop(*names: str) -> None:
        nonlocal roster
        active[:] = [u for u in active if u not in names]
        gone = [s["name"] for s in spaces if s["owner"] in names]
        spaces[:] = [s for s in spaces if s["owner"] not in names]
        roster = retire(roster, [spec(active, spaces)], [*names, *gone])

    def check() -> dict[str, str]:
        now = stacks_of(roster)
        for name, stack in now.items():
            assert first_seen.setdefault(name, stack) == stack, f"{name} moved"
        current = spec(active, spaces)
        result = reconcile(current, roster)
        assert result.problems == [] and result.new == []
        return now

    add(5)
    check()
    add(3, with_space=True)
    check()
    drop("n1", "n2")
    check()
    (newcomer,) = add(1)
    assert check()[newcomer] == "UserGroup-users"  # the room n1 and n2 left, the first group's
    drop("n0", "n6")
    add(4, with_space=True)
    add(2)
    final = check()
    assert set(final.values()) >= {"UserGroup-z", "UserGroup-users", "UserGroup-users-2", "UserGroup-users-3"}


def test_an_explicit_group_wins() -> None:
    roster = recorded(ZED, "research user carol UserGroup-users active 1")
    both = spec([{"name": "zed", "group": "z"}, "carol", {"name": "dave", "group": "a"}])
    assert stacks_of(update(roster, [both]))["dave"] == "UserGroup-a"
    moved = spec([{"name": "zed", "group": "z"}, {"name": "carol", "group": "b"}])
    (problem,) = reconcile(moved, roster).problems
    assert str(problem).startswith("users (carol) stack: got 'UserGroup-b'; the stack the roster records, UserGroup-users")


def test_a_first_roster_keeps_the_layout_of_release_0_1_0_and_later_users_go_on() -> None:
    """0.1.0 put every user without a group in ``users`` (at most 200, within the stack's
    resources): those 4 users with a space each take 8 resources, more than the library would
    put there with the settings room, and stay; the next new user goes to the next group."""
    names = ["alice", "bob", "carol", "dan"]
    first = update(Roster(), [spec(names, [private(n) for n in names])])
    assert set(stacks_of(first).values()) == {"UserGroup-users"}
    later = update(first, [spec([*names, "erin"], [private(n) for n in names])])
    assert stacks_of(later)["erin"] == "UserGroup-users-2"
    assert {n: s for n, s in stacks_of(later).items() if n != "erin"} == stacks_of(first)


def test_shared_spaces_recorded_in_the_domain_stay_and_new_ones_go_to_nested_stacks() -> None:
    roster = recorded(ZED, "research space team domain active 1")
    shared = [{"name": "team"}, *({"name": f"lab{i}"} for i in range(10))]
    placed = stacks_of(update(roster, [spec([{"name": "zed", "group": "z"}], shared)]))
    assert placed["team"] == "domain"
    assert [placed[f"lab{i}"] for i in range(10)] == ["SharedSpaces-1"] * 9 + ["SharedSpaces-2"]
    assert stacks_of(update(Roster(), [spec([], shared)])) == {s["name"]: "domain" for s in shared}


def test_out_of_date_roster_warns_with_the_placement_and_fails_in_ci(tmp_path: Path) -> None:
    path = tmp_path / "studio.roster"
    path.write_text(recorded(ZED).render())
    grown = spec([{"name": "zed", "group": "z"}, "newbie"], [{"name": "review"}])
    warning = RosterCheck(path).check(grown)
    assert warning is not None and "user newbie in UserGroup-users, space review in SharedSpaces-1" in warning
    command = f"`sagemaker-studio-cdk roster update --roster {path}`"
    with pytest.raises(StudioConfigError, match=rf"got \['newbie', 'review'\]; .*CI=true.*{command}"):
        RosterCheck(path, ci=True).check(grown)


def test_fails_when_the_roster_puts_a_user_and_its_private_space_in_two_groups() -> None:
    roster = recorded("research user alice UserGroup-a active 1", "research space alice-lab UserGroup-b active 1")
    problems = [str(p) for p in reconcile(spec(["alice"], [private("alice")]), roster).problems]
    assert any(
        p.startswith("users (alice): got 'in UserGroup-a and UserGroup-b'; one stack for a user and its private spaces")
        and "studio.roster line 4: `research user alice UserGroup-a active 1`" in p
        and "studio.roster line 5: `research space alice-lab UserGroup-b active 1`" in p
        for p in problems
    ), problems


def test_fails_when_the_roster_puts_a_user_outside_a_user_group() -> None:
    (problem,) = reconcile(spec(["alice"]), recorded("research user alice domain active 1")).problems
    assert str(problem).startswith("users (alice) stack: got 'domain'; a user group's stack (UserGroup-<group>)")


def test_fails_when_the_roster_puts_a_space_in_a_stack_no_placement_gives() -> None:
    (problem,) = reconcile(spec([], [{"name": "team"}]), recorded("research space team Elsewhere active 1")).problems
    assert str(problem).startswith("spaces (team) stack: got 'Elsewhere'; domain, a shared spaces stack (SharedSpaces-<n>)")
    assert "studio.roster line 4" in str(problem)


def test_fails_when_a_group_holds_more_than_a_stack_takes() -> None:
    """For example after two branches each placed users in the same group and were merged."""
    names = [f"u{i}" for i in range(10)]
    roster = recorded(ZED, *(f"research user {n} UserGroup-users active 1" for n in names))
    (problem,) = reconcile(spec([{"name": "zed", "group": "z"}, *names]), roster).problems
    message = str(problem)
    assert message.startswith("users[group=users]: got '10 users, 10 resources'")
    assert "at most 9 resources in one CloudFormation stack (UserGroup-users)" in message
    assert "Declared last: user u9 (studio.roster line 14: `research user u9 UserGroup-users active 1`)" in message
    assert "delete its roster lines and run `sagemaker-studio-cdk roster update`" in message


def test_fails_when_users_of_a_full_group_gain_spaces_and_says_what_to_do() -> None:
    names = ["a1", "a2", "a3", "a4"]
    first = update(recorded(ZED), [spec([{"name": "zed", "group": "z"}, *names])])
    assert set(stacks_of(first).values()) == {"UserGroup-z", "UserGroup-users"}
    gained = [private(n, f"{n}-{k}") for n in names for k in (1, 2)]
    (problem,) = reconcile(spec([{"name": "zed", "group": "z"}, *names], gained), first).problems
    message = str(problem)
    assert message.startswith("users[group=users]: got '4 users, 12 resources")
    assert "A user cannot leave its stack (a move deletes its profile and private spaces)" in message
    assert "declare new private spaces of these users as shared spaces or give them to a user of another group" in message


def test_room_counts_template_bytes_too() -> None:
    """A user whose tags make a large template takes a group's bytes, not only its resources."""
    small = StackLimits(resources=500, template_bytes=14_000)
    tags = {f"key{i:02d}": "v" * 128 for i in range(45)}
    big = spec([{"name": "big", "tags": tags}, "a", "b"])
    placed = placement_module.place(big, placement_module.Recorded(first=False), small)
    assert placed.users == {"big": "UserGroup-users", "a": "UserGroup-users-2", "b": "UserGroup-users-2"}
    assert all(placed.load(stack).template_bytes(reserved=True) <= small.template_bytes for stack in placed.costs)


def test_a_full_group_release_0_1_0_deployed_stays_whole() -> None:
    """0.1.0 took 125 users with a security group each in ``users``: 500 resources, more bytes
    than the library's upper bound would fill a group with. A first roster keeps them together,
    and the size check refuses nothing (it counts resources, which are exact)."""
    users = [{"name": f"u{i:03d}"} for i in range(125)]
    full = parse_spec({"domain": {"name": "research", "security_group_per_user": True}, "users": users})
    placed = placement_module.place(full, placement_module.Recorded(), StackLimits())
    assert set(placed.users.values()) == {"UserGroup-users"}
    assert placed.load("UserGroup-users").template_bytes(reserved=False) > StackLimits().template_bytes
    assert placement_module.oversized(placed, StackLimits()) == []


def test_without_a_roster_users_without_a_group_stay_in_users_as_in_release_0_1_0() -> None:
    """180 users with a private space each: more than the library would put in one group (the
    settings room), as many as 0.1.0 allowed; without a roster they all stay in ``users``."""
    names = [f"u{i:03d}" for i in range(180)]
    legacy = spec(names, [private(n) for n in names])
    placed = placement_module.place(legacy, None, StackLimits())
    assert set(placed.users.values()) == set(placed.spaces.values()) == {"UserGroup-users"}
    assert placement_module.place(legacy, placement_module.Recorded(first=False), StackLimits()).users != placed.users
