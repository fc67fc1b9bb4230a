"""The roster: every user and space an app has declared, per domain, committed with the app.

A user's private space is an EBS volume with no backup, and removing a user or space from the spec
deletes it on the next deploy. The roster (``studio.roster`` next to the spec) remembers what was
declared, so synth refuses a removal until the name is explicitly retired, and never gives a
retired name to someone new by accident. It also records the nested stack each user and space
lives in, so that nothing moves between stacks (a move deletes and recreates the resource).

The file is plain text, one line per user or space, sorted, with single spaces between the fields::

    # DOMAIN KIND NAME STACK STATE GENERATION
    ml-research space team domain active 1
    ml-research user alice UserGroup-research active 1
    ml-research user bob UserGroup-research retired 1

``STACK`` is the construct id of the nested stack (``domain``: the domain's own stack), ``STATE``
``active`` or ``retired``, and ``GENERATION`` counts the times a name was given out (a reused
name starts generation 2). Every change is a new or a superseding line, and for each name the line
of the highest generation wins, ``retired`` over ``active`` within one generation; so git's
``merge=union`` driver merges two branches' rosters without conflicts and without losing a
retirement. Synth never writes the file: ``sagemaker-studio-cdk roster update|retire|reuse`` do,
and :class:`RosterCheck` (a prop of ``StudioDomainStack``) checks the spec against it.

Placement (``placement.py``): a user with a ``group`` lives in its group's stack, a private space in
its owner's; a name the roster records keeps the stack of its entry, so nothing ever moves once
placed; users without a group and new shared spaces are placed by the library, and ``roster
update`` records where.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .constructs.settings import SpaceSharing
from .errors import StudioConfigError
from .placement import DOMAIN_STACK, USER_GROUP_PREFIX, Placement, Recorded, is_shared_spaces_stack, oversized, place
from .spec import StudioSpec

if TYPE_CHECKING:
    from .constructs.api_settings import DeployedSettings
    from .constructs.domain import StudioDomainBase

ROSTER_FILE = "studio.roster"
"""The roster's file name; by default it sits next to the spec (``studio.yaml``)."""

DEFAULT_SPEC = "studio.yaml"
"""The spec file the CLI reads when given none."""

HEADER = (
    "# sagemaker-studio-cdk roster: every user and space this app has declared, per domain.\n"
    '# Written by `sagemaker-studio-cdk roster update|retire|reuse` (see README, "The roster"); commit it.\n'
    "# DOMAIN KIND NAME STACK STATE GENERATION\n"
)

_CONFLICT_MARKERS = ("<<<<<<<", "|||||||", "=======", ">>>>>>>")
_COMMAND = "sagemaker-studio-cdk roster"


class Kind(StrEnum):
    """What an entry names."""

    USER = "user"
    SPACE = "space"
    DOMAIN = "domain"
    """The domain itself: a line only for its attributes (``cfn=``, ``create:``), see :func:`record_settings`."""


class State(StrEnum):
    """Whether a name is in use or retired; within a generation ``retired`` supersedes ``active``."""

    ACTIVE = "active"
    RETIRED = "retired"


_RANK = {State.ACTIVE: 0, State.RETIRED: 1}


@dataclass(frozen=True)
class Entry:
    """One line of the roster.

    :param line: where it was read (1-based), 0 for an entry not read from a file.
    """

    domain: str
    kind: Kind
    name: str
    stack: str
    state: State = State.ACTIVE
    generation: int = 1
    line: int = field(default=0, compare=False)
    attributes: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    """Optional trailing ``key=value`` fields, sorted (see :func:`record_settings`)."""

    @property
    def key(self) -> tuple[str, Kind, str]:
        """What identifies a name: user profile names compare case-insensitively, space names exactly."""
        return (self.domain, self.kind, self.name.casefold() if self.kind is Kind.USER else self.name)

    @property
    def precedence(self) -> tuple[int, int]:
        """The newest of two lines for one name has the larger precedence."""
        return (self.generation, _RANK[self.state])

    def render(self) -> str:
        """The entry as a line of the file (without the newline)."""
        line = f"{self.domain} {self.kind.value} {self.name} {self.stack} {self.state.value} {self.generation}"
        return line + "".join(f" {k}={v}" for k, v in self.attributes)

    def where(self, source: str) -> str:
        """``<file> line <n>: `<line>``` for messages."""
        return f"{source} line {self.line}: `{self.render()}`" if self.line else f"`{self.render()}`"


def _sort_key(entry: Entry) -> tuple[str, str, str, str, int]:
    return (entry.domain, entry.kind.value, entry.name.casefold(), entry.name, entry.generation)


@dataclass(frozen=True)
class Roster:
    """The newest entry of every name, sorted; read with :meth:`load` or :meth:`parse`.

    :param entries: one entry per name (see :attr:`Entry.key`).
    :param source: the file it came from, for messages.
    :param exists: whether that file existed (a missing file is an empty roster).
    """

    entries: tuple[Entry, ...] = ()
    source: str = ROSTER_FILE
    exists: bool = False

    @classmethod
    def load(cls, path: str | Path) -> Roster:
        """Read a roster file; a missing file is an empty roster (``exists`` false)."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(source=str(path), exists=False)
        except OSError as err:
            raise StudioConfigError(str(path), None, f"a readable roster file ({err.strerror})") from None
        return cls.parse(text, source=str(path))

    @classmethod
    def parse(cls, text: str, source: str = ROSTER_FILE) -> Roster:
        """Parse a roster's text: every malformed line, conflict marker or contradiction is one
        :class:`StudioConfigError` naming the lines."""
        problems: list[StudioConfigError] = []
        newest: dict[tuple[str, Kind, str], Entry] = {}
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if line.startswith(_CONFLICT_MARKERS):
                problems.append(
                    StudioConfigError(
                        f"{source} line {number}",
                        raw,
                        "a roster without merge conflict markers: keep the lines of both sides (for each name the "
                        "newest line wins), delete the marker lines, then run `sagemaker-studio-cdk roster update`. "
                        f"With `{Path(source).name} merge=union` in .gitattributes git merges rosters without conflicts",
                    )
                )
                continue
            if not line or line.startswith("#"):
                continue
            try:
                entry = _parse_line(line, number)
            except ValueError as err:
                problems.append(
                    StudioConfigError(f"{source} line {number}", raw, f"`DOMAIN KIND NAME STACK STATE GENERATION` ({err})")
                )
                continue
            other = newest.get(entry.key)
            if other is None or entry.precedence > other.precedence:
                newest[entry.key] = entry
            elif entry.precedence == other.precedence and entry == other:
                newest[entry.key] = replace(
                    other, attributes=tuple(sorted({**dict(other.attributes), **dict(entry.attributes)}.items()))
                )
            elif entry.precedence == other.precedence and entry != other:
                problems.append(
                    StudioConfigError(
                        f"{source} line {entry.line}",
                        entry.render(),
                        f"one line per {entry.kind.value} and generation, but line {other.line} says "
                        f"`{other.render()}` (two branches recorded {entry.name} differently): keep the right line",
                    )
                )
        if problems:
            raise StudioConfigError.combine(problems)
        return cls(tuple(sorted(newest.values(), key=_sort_key)), source=source, exists=True)

    def render(self) -> str:
        """The file's text: the header, then one sorted line per name."""
        return HEADER + "".join(f"{e.render()}\n" for e in sorted(self.entries, key=_sort_key))

    def write(self, path: str | Path) -> None:
        """Write :meth:`render` to ``path`` (through a temporary file, so a failed write leaves the old one)."""
        path = Path(path)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(self.render(), encoding="utf-8")
        os.replace(temporary, path)

    def get(self, domain: str, kind: Kind, name: str) -> Entry | None:
        """The newest entry of a name (a user's case-insensitively), if recorded."""
        return self._by_key.get(Entry(domain, kind, name, DOMAIN_STACK).key)

    def of_domain(self, domain: str) -> list[Entry]:
        """The entries of one domain."""
        return [e for e in self.entries if e.domain == domain]

    def with_entries(self, entries: Iterable[Entry]) -> Roster:
        """A roster where ``entries`` replace the entries of the same names."""
        merged = dict(self._by_key)
        merged.update({e.key: e for e in entries})
        return replace(self, entries=tuple(sorted(merged.values(), key=_sort_key)))

    @cached_property
    def _by_key(self) -> dict[tuple[str, Kind, str], Entry]:
        return {e.key: e for e in self.entries}


def _parse_line(line: str, number: int) -> Entry:
    fields = line.split()
    if len(fields) < 6:
        raise ValueError(f"6 fields separated by spaces, got {len(fields)}")
    domain, kind, name, stack, state, generation = fields[:6]
    extra = fields[6:]
    if any("=" not in f or f.startswith("=") for f in extra):
        raise ValueError(f"trailing fields as key=value, got {' '.join(extra)}")
    attributes = tuple(sorted(tuple(f.split("=", 1)) for f in extra))
    try:
        kinds, states = Kind(kind), State(state)
    except ValueError:
        raise ValueError(
            f"KIND user or space (domain for a domain's own line), STATE active or retired, got {kind} and {state}"
        ) from None
    if not generation.isdigit() or int(generation) < 1:
        raise ValueError(f"GENERATION a whole number from 1, got {generation}")
    return Entry(domain, kinds, name, stack, states, int(generation), line=number, attributes=attributes)  # type: ignore[arg-type]


def recorded(roster: Roster, domain: str) -> Recorded:
    """What placement needs of the roster: the stack of each active name of ``domain``."""
    entries = roster.of_domain(domain)
    active = [e for e in entries if e.state is State.ACTIVE]
    return Recorded(
        users={e.name.casefold(): e.stack for e in active if e.kind is Kind.USER},
        spaces={e.name: e.stack for e in active if e.kind is Kind.SPACE},
        first=not entries,
    )


def placement(spec: StudioSpec, roster: Roster | None) -> Placement:
    """Where each user and space of ``spec`` lives, given the roster (``None``: no roster)."""
    return place(spec, recorded(roster, spec.domain.name) if roster is not None else None)


def declared(spec: StudioSpec, roster: Roster | None = None) -> list[Entry]:
    """What ``spec`` declares, each in its stack (see :func:`placement`): what ``roster update``
    records. A first update (the roster records nothing of the domain) keeps release 0.1.0's
    layout, so an app deployed before the roster does not move."""
    return _entries(spec, placement(spec, roster if roster is not None else Roster()))


def _entries(spec: StudioSpec, placed: Placement) -> list[Entry]:
    domain = spec.domain.name
    entries = [Entry(domain, Kind.USER, user.name, placed.users[user.name]) for user in spec.users]
    entries += [Entry(domain, Kind.SPACE, space.name, placed.spaces[space.name]) for space in spec.spaces]
    return entries


@dataclass(frozen=True)
class Commands:
    """The CLI commands messages tell people to run, for one spec file and roster file."""

    spec_file: str = DEFAULT_SPEC
    roster_file: str | None = None

    def _options(self) -> str:
        options = "" if self.spec_file == DEFAULT_SPEC else f" --spec {self.spec_file}"
        if self.roster_file is not None and Path(self.roster_file) != default_roster_path(self.spec_file):
            options += f" --roster {self.roster_file}"
        return options

    def update(self) -> str:
        """``roster update``: record new users and spaces."""
        return f"{_COMMAND} update{self._options()}"

    def retire(self, names: Sequence[str], kind: Kind | None = None) -> str:
        """``roster retire``: mark removed names retired."""
        return f"{_COMMAND} retire{self._options()}{f' --kind {kind.value}' if kind else ''} {' '.join(names)}"

    def retire_domain(self, domain: str) -> str:
        """``roster retire --domain D --all``: retire every user and space of a removed domain."""
        return f"{_COMMAND} retire{self._options()} --domain {domain} --all"

    def reuse(self, names: Sequence[str], kind: Kind | None = None) -> str:
        """``roster reuse``: give retired names out again."""
        return f"{_COMMAND} reuse{self._options()}{f' --kind {kind.value}' if kind else ''} {' '.join(names)}"


def default_roster_path(spec_file: str | Path) -> Path:
    """Where the roster of a spec lives unless told otherwise: ``studio.roster`` next to it."""
    return Path(spec_file).with_name(ROSTER_FILE)


def _field(entry: Entry) -> str:
    return f"{'users' if entry.kind is Kind.USER else 'spaces'} ({entry.name})"


def _kind_if_ambiguous(roster: Roster, entry: Entry) -> Kind | None:
    other = Kind.SPACE if entry.kind is Kind.USER else Kind.USER
    return entry.kind if roster.get(entry.domain, other, entry.name) is not None else None


@dataclass(frozen=True)
class Reconciliation:
    """What a spec and the roster say together.

    :param problems: what synth refuses (removed but not retired, retired names reused, moves).
    :param new: declared entries the roster does not record yet.
    """

    problems: list[StudioConfigError]
    new: list[Entry]
    placement: Placement | None = None
    """Where each user and space lives (see :func:`placement`)."""


def reconcile(spec: StudioSpec, roster: Roster, commands: Commands | None = None) -> Reconciliation:
    """Compare the users and spaces of ``spec`` with the roster's entries for its domain."""
    commands = commands or Commands(roster_file=roster.source)
    problems: list[StudioConfigError] = []
    new: list[Entry] = []
    placed = placement(spec, roster)
    wanted = _entries(spec, placed)
    folded: dict[str, str] = {}
    for entry in wanted:
        if entry.kind is Kind.USER and folded.setdefault(entry.name.casefold(), entry.name) != entry.name:
            problems.append(
                StudioConfigError(
                    _field(entry),
                    entry.name,
                    f"a name unlike every other user's: {folded[entry.name.casefold()]} differs only in case, "
                    "and profile names are compared case-insensitively",
                )
            )
    declared_keys = {e.key for e in wanted}
    for entry in wanted:
        recorded = roster.get(entry.domain, entry.kind, entry.name)
        if recorded is None:
            new.append(entry)
        elif recorded.state is State.RETIRED:
            same = "" if recorded.name == entry.name else f" (as {recorded.name}: profile names compare case-insensitively)"
            problems.append(
                StudioConfigError(
                    _field(entry),
                    entry.name,
                    f"a name that is not retired: {entry.name} was retired{same} ({recorded.where(roster.source)}), and "
                    f"a retired name is not given out again by accident. If this is meant to be a new "
                    f"{entry.kind.value} of that name, run `{commands.reuse([entry.name], _kind_if_ambiguous(roster, entry))}`",
                )
            )
        elif recorded.name != entry.name:
            problems.append(
                StudioConfigError(
                    _field(entry),
                    entry.name,
                    f"the recorded name {recorded.name} ({recorded.where(roster.source)}): profile names compare "
                    f"case-insensitively, and renaming a user deletes the profile and its private spaces",
                )
            )
        elif recorded.stack != entry.stack:
            what = "its profile and private spaces" if entry.kind is Kind.USER else "the space and its EBS volume"
            problems.append(
                StudioConfigError(
                    f"{_field(entry)} stack",
                    entry.stack,
                    f"the stack the roster records, {recorded.stack} ({recorded.where(roster.source)}): moving a "
                    f"{entry.kind.value} to another stack deletes {what}; put it back where it was"
                    + (" (its group, or its owner's group)" if entry.stack != DOMAIN_STACK else ""),
                )
            )
    problems += _misplaced(spec, roster)
    if not problems:
        problems += oversized(placed, where=lambda kind, name: _line_of(roster, spec, kind, name))
    removed = [
        e
        for e in roster.of_domain(spec.domain.name)
        if e.state is State.ACTIVE and e.key not in declared_keys and e.kind is not Kind.DOMAIN
    ]
    for entry in removed:
        lost, who = (
            ("its profile and its private spaces with their EBS volumes, which have no backup", f"{entry.name}")
            if entry.kind is Kind.USER
            else ("the space and its EBS volume, which has no backup", "its users")
        )
        problems.append(
            StudioConfigError(
                _field(entry),
                "removed from the spec",
                f"a removal only once the roster marks it retired ({entry.where(roster.source)}): deploying deletes "
                f"{lost}. Have {who} save their work first, then run "
                f"`{commands.retire([entry.name], _kind_if_ambiguous(roster, entry))}`; or declare it again",
            )
        )
    return Reconciliation(problems, new, placed)


def _line_of(roster: Roster, spec: StudioSpec, kind: str, name: str) -> str:
    entry = roster.get(spec.domain.name, Kind(kind), name)
    return entry.where(roster.source) if entry is not None and entry.line else "not recorded yet"


def _misplaced(spec: StudioSpec, roster: Roster) -> list[StudioConfigError]:
    """Active entries no placement gives: a user outside a user group's stack, a private space
    outside its owner's (the user's profile in one group, its space in another)."""
    problems = []
    domain = spec.domain.name
    active = {e.key: e for e in roster.of_domain(domain) if e.state is State.ACTIVE}
    for user in active.values():
        if user.kind is Kind.USER and not user.stack.startswith(USER_GROUP_PREFIX):
            problems.append(
                StudioConfigError(
                    f"users ({user.name}) stack",
                    user.stack,
                    f"a user group's stack ({USER_GROUP_PREFIX}<group>) in {user.where(roster.source)}: users live in "
                    "their group's nested stack; restore the line git history shows",
                )
            )
    for entry in active.values():
        stack = entry.stack
        if entry.kind is Kind.SPACE and not (
            stack == DOMAIN_STACK or is_shared_spaces_stack(stack) or stack.startswith(USER_GROUP_PREFIX)
        ):
            problems.append(
                StudioConfigError(
                    f"spaces ({entry.name}) stack",
                    stack,
                    f"{DOMAIN_STACK}, a shared spaces stack (SharedSpaces-<n>) or a user group's stack "
                    f"({USER_GROUP_PREFIX}<group>) in {entry.where(roster.source)}: restore the line git history shows",
                )
            )
    for space in spec.spaces:
        if space.sharing is not SpaceSharing.PRIVATE or not space.owner:
            continue
        recorded_space = active.get((domain, Kind.SPACE, space.name))
        owner = active.get((domain, Kind.USER, space.owner.casefold()))
        if recorded_space is not None and owner is not None and recorded_space.stack != owner.stack:
            problems.append(
                StudioConfigError(
                    f"users ({owner.name})",
                    f"in {owner.stack} and {recorded_space.stack}",
                    f"one stack for a user and its private spaces: {owner.where(roster.source)} and "
                    f"{recorded_space.where(roster.source)} disagree; restore the lines git history shows",
                )
            )
    return problems


def removed_domains(roster: Roster, domains: Iterable[str], commands: Commands | None = None) -> list[StudioConfigError]:
    """A problem for each domain the roster records active users or spaces of that is not among
    ``domains`` (every domain the app declares): removing or renaming a domain deletes them all."""
    commands = commands or Commands(roster_file=roster.source)
    declared_domains = set(domains)
    problems = []
    for domain in sorted({e.domain for e in roster.entries} - declared_domains):
        active = [e for e in roster.of_domain(domain) if e.state is State.ACTIVE]
        if active:
            lines = ", ".join(str(e.line) for e in active[:5] if e.line) + (", ..." if len(active) > 5 else "")
            problems.append(
                StudioConfigError(
                    f"domain {domain}",
                    "not declared",
                    f"a declared domain while {roster.source} records {len(active)} active users and spaces of it "
                    f"(lines {lines}): removing or renaming a domain deletes every profile and private space in it, "
                    f"and private spaces have no backup. Declare it again, or have its users save their work, then "
                    f"run `{commands.retire_domain(domain)}`",
                )
            )
    return problems


@dataclass(frozen=True)
class RosterCheck:
    """How ``StudioDomainStack`` checks its spec against the committed roster at synth.

    :param path: the roster file. A missing file is an empty roster.
    :param ci: running in CI (the app reads ``CI=true``): an out-of-date roster (users or spaces
        not recorded yet) is an error instead of a warning. Default: false.
    :param spec_file: the spec file the app read, named in the commands the messages show.
        Default: ``studio.yaml``.
    :param domains: every domain of the app that shares this roster; active entries of any other
        domain are refused (a removed or renamed domain). Default: only the checked spec's domain.
    """

    path: Path
    ci: bool = False
    spec_file: str = DEFAULT_SPEC
    domains: tuple[str, ...] = ()

    def check(self, spec: StudioSpec) -> str | None:
        """Raise one :class:`StudioConfigError` for everything synth refuses; the warning to show
        when the roster is out of date (outside CI), else ``None``."""
        return self.check_and_place(spec)[0]

    def check_and_place(self, spec: StudioSpec) -> tuple[str | None, Placement]:
        """:meth:`check`, and where each user and space of ``spec`` lives (see :func:`placement`)."""
        roster = Roster.load(self.path)
        commands = Commands(self.spec_file, str(self.path))
        result = reconcile(spec, roster, commands)
        problems = removed_domains(roster, self.domains or (spec.domain.name,), commands) + result.problems
        message = None
        if result.new:
            names = ", ".join(f"{e.kind.value} {e.name} in {e.stack}" for e in result.new)
            recorded = "does not exist yet" if not roster.exists else "does not record them yet"
            message = (
                f"the roster {self.path} {recorded}: {names} (domain {spec.domain.name}). Run "
                f"`{commands.update()}` and commit {self.path}"
            )
            if self.ci:
                problems.append(
                    StudioConfigError(
                        f"roster {self.path}",
                        [e.name for e in result.new],
                        f"every declared user and space recorded (CI=true: an out-of-date roster fails the build); "
                        f"run `{commands.update()}` and commit {self.path}",
                    )
                )
        if problems:
            raise StudioConfigError.combine(problems)
        assert result.placement is not None  # reconcile always places
        return message, result.placement


def update(roster: Roster, specs: Sequence[StudioSpec], commands: Commands | None = None) -> Roster:
    """The roster with every new user and space of ``specs`` recorded (a first run seeds it from
    the current layout); refuses, like synth, removals not retired, retired names and moves."""
    problems = removed_domains(roster, (s.domain.name for s in specs), commands)
    new: list[Entry] = []
    for spec in specs:
        result = reconcile(spec, roster, commands)
        problems += result.problems
        new += result.new
    if problems:
        raise StudioConfigError.combine(problems)
    return roster.with_entries(new)


def _find(roster: Roster, specs: Sequence[StudioSpec], name: str, kind: Kind | None, domain: str | None) -> Entry:
    domains = [domain] if domain else [s.domain.name for s in specs]
    kinds = [kind] if kind else list(Kind)
    found = [e for d in domains for k in kinds if (e := roster.get(d, k, name)) is not None]
    if not found:
        raise StudioConfigError(
            "name", name, f"a user or space recorded in {roster.source} for domain {', '.join(domains)} (see its lines)"
        )
    if len(found) > 1:
        raise StudioConfigError(
            "name", name, f"one entry, found {len(found)}: {'; '.join(e.render() for e in found)}; give --kind or --domain"
        )
    return found[0]


def retire(
    roster: Roster,
    specs: Sequence[StudioSpec],
    names: Sequence[str],
    *,
    kind: Kind | None = None,
    domain: str | None = None,
    every: bool = False,
) -> Roster:
    """The roster with ``names`` retired: each must be recorded and no longer declared by its spec.

    :param every: retire every active user and space of ``domain`` (a removed domain) besides ``names``.
    """
    problems: list[StudioConfigError] = []
    changed: list[Entry] = []
    targets: list[tuple[str, Kind | None]] = [(name, kind) for name in names]
    if every:
        if domain is None:
            raise StudioConfigError("--all", True, "--domain too: the domain whose users and spaces to retire")
        targets += [(e.name, e.kind) for e in roster.of_domain(domain) if e.state is State.ACTIVE]
    declared_keys = {e.key for s in specs for e in declared(s, roster)}
    for name, which in targets:
        try:
            entry = _find(roster, specs, name, which, domain)
        except StudioConfigError as err:
            problems.append(err)
            continue
        if entry.key in declared_keys:
            problems.append(
                StudioConfigError(
                    _field(entry), name, "a name the spec no longer declares: remove it from the spec first, then retire it"
                )
            )
        elif entry.state is State.ACTIVE:
            changed.append(replace(entry, state=State.RETIRED, line=0))
    if problems:
        raise StudioConfigError.combine(problems)
    return roster.with_entries(changed)


def reuse(roster: Roster, specs: Sequence[StudioSpec], names: Sequence[str], *, kind: Kind | None = None) -> Roster:
    """The roster with retired ``names`` given out again: each must be declared by a spec, and
    becomes the next generation of that name, placed where the spec puts it."""
    problems: list[StudioConfigError] = []
    changed: list[Entry] = []
    for name in names:
        try:
            entry = _find(roster, specs, name, kind, None)
        except StudioConfigError as err:
            problems.append(err)
            continue
        now = [e for s in specs for e in declared(s, roster) if e.key == entry.key]
        if entry.state is not State.RETIRED:
            problems.append(StudioConfigError(_field(entry), name, f"a retired name ({entry.where(roster.source)})"))
        elif not now:
            problems.append(
                StudioConfigError(_field(entry), name, "a name the spec declares: declare the new user or space first")
            )
        else:
            changed.append(replace(now[0], generation=entry.generation + 1))
    if problems:
        raise StudioConfigError.combine(problems)
    return roster.with_entries(changed)


# -- what CloudFormation writes on deployed domains and profiles (the settings resource's memory) ---------------

CFN_BLOCKS = "cfn"
"""The attribute listing the settings blocks CloudFormation writes (``cfn=DomainSettings.DockerSettings,...``)."""

CREATE_PREFIX = "create:"
"""Attributes ``create:<CloudFormation path>=<value>``: a create-only value as the resource was created."""

_SETTINGS_KINDS = {"AWS::SageMaker::Domain": "Domain", "AWS::SageMaker::UserProfile": "UserProfile"}


def deployed_settings(roster: Roster, domain: str, kind: Kind, name: str) -> DeployedSettings | None:
    """What the roster records of a deployed domain (``kind`` DOMAIN, ``name`` the domain) or
    profile for the settings resource; ``None`` when it records nothing."""
    from .constructs.api_settings import DeployedSettings

    entry = roster.get(domain, kind, name)
    if entry is None or not entry.attributes:
        return None
    attributes = dict(entry.attributes)
    blocks = frozenset(b for b in attributes.get(CFN_BLOCKS, "").split(",") if b)
    created = {k.removeprefix(CREATE_PREFIX): v for k, v in attributes.items() if k.startswith(CREATE_PREFIX)}
    return DeployedSettings(cfn_blocks=blocks, creation_values=created)


def apply_deployed_settings(roster: Roster, domain: StudioDomainBase, domain_name: str) -> None:
    """Give ``domain`` and its profiles what the roster records of them (``deployed_settings``)."""
    domain.deployed_settings = deployed_settings(roster, domain_name, Kind.DOMAIN, domain_name)
    for name, profile in domain.user_profiles.items():
        profile.deployed_settings = deployed_settings(roster, domain_name, Kind.USER, name)


def _attributes(kind: str, properties: dict[str, Any], before: Entry | None) -> tuple[tuple[str, str], ...]:
    from .constructs.api_settings import cfn_blocks, creation_values

    old = dict(before.attributes) if before is not None else {}
    blocks = set(b for b in old.get(CFN_BLOCKS, "").split(",") if b) | set(cfn_blocks(kind, properties))
    found = {**({CFN_BLOCKS: ",".join(sorted(blocks))} if blocks else {})}
    for path, value in creation_values(kind, properties).items():
        if " " not in value:
            found[f"{CREATE_PREFIX}{path}"] = value
    found.update({k: v for k, v in old.items() if k.startswith(CREATE_PREFIX)})  # a creation value never changes
    return tuple(sorted(found.items()))


def record_settings(roster: Roster, assembly: str | Path) -> Roster:
    """The roster with, for each active domain and user it records, the settings blocks the
    synthesized templates of ``assembly`` (``cdk.out``) write and their create-only values: blocks
    are added to what is recorded, creation values are recorded once. A domain gets a line of its
    own (``KIND`` ``domain``). Users are matched by name in the templates of their domain's stack."""
    from .assembly import load_templates

    changed: list[Entry] = []
    templates = load_templates(assembly)
    for template in templates:
        for resource in template.template.get("Resources", {}).values():
            if resource.get("Type") != "AWS::SageMaker::Domain":
                continue
            properties = resource.get("Properties") or {}
            name = properties.get("DomainName")
            if not isinstance(name, str) or not roster.of_domain(name):
                continue
            before = roster.get(name, Kind.DOMAIN, name)
            entry = before or Entry(name, Kind.DOMAIN, name, DOMAIN_STACK)
            changed.append(replace(entry, line=0, attributes=_attributes("Domain", properties, before)))
            stack = template.path[0]
            for other in templates:
                if other.path[0] != stack:
                    continue
                for profile in other.resources("AWS::SageMaker::UserProfile").values():
                    props = profile.get("Properties") or {}
                    user = roster.get(name, Kind.USER, str(props.get("UserProfileName")))
                    if user is not None and user.state is State.ACTIVE:
                        changed.append(replace(user, line=0, attributes=_attributes("UserProfile", props, user)))
    return roster.with_entries(changed)
