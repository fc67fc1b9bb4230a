"""Which stack each user and space of a spec lives in.

A user lives in the nested stack of its group (``UserGroup-<group>``) with its private spaces; a
shared space in the domain's stack or a nested ``SharedSpaces-<n>`` stack. An explicit ``group``
wins; a name the roster records keeps the stack of its entry (a move deletes and recreates the
resource); anything else is placed here:

- On a first roster (it records nothing of the domain yet) or without a roster, the layout of
  release 0.1.0, so an app deployed before the roster keeps it: users without a group in
  ``users`` (0.1.0 allowed at most :data:`LEGACY_MAX_USERS` there), shared spaces in the
  domain's stack.
- Otherwise users without a group fill ``users``, ``users-2``, ``users-3``, ... and new shared
  spaces ``SharedSpaces-1``, ``SharedSpaces-2``, ..., each new name (in the spec's order) going to
  the first of them with room for it: its resources plus the room kept for each user
  (:data:`SETTINGS_RESERVE`) within :data:`STACK_LIMITS`.

Without a roster nothing remembers where a user went, so users without a group that do not fit
in ``users`` are an error rather than placed. Pure Python: no construct is made here.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .constructs.settings import SpaceSharing
from .constructs.space import SPACE_RESOURCES
from .constructs.user_profile import profile_resources
from .errors import StudioConfigError
from .spec import DEFAULT_GROUP, SpaceSpec, StudioSpec, UserSpec

DOMAIN_STACK = "domain"
"""The stack of entries that live in the domain's own stack rather than a nested one."""

USER_GROUP_PREFIX = "UserGroup-"
SHARED_SPACES_PREFIX = "SharedSpaces-"

LEGACY_MAX_USERS = 200
"""The users release 0.1.0 allowed in one group: a layout within it (and within the stack
limits) may be deployed already, so a first roster keeps it."""

SETTINGS_RESERVE = 1
"""Resources kept free per user in a group the library fills: room for the custom resource of
settings CloudFormation lacks (one per profile), so such settings never overflow the group."""

RESOURCE_BYTES = 2048
"""An upper bound of the template bytes of one resource apart from the values the spec gives it
(type, domain reference, ``aws:cdk:path`` and acknowledgement metadata); the spec's own values
are counted from the spec. A test checks the bound on real templates."""


@dataclass(frozen=True)
class StackLimits:
    """What one CloudFormation stack may hold.

    :param resources: resources in the template. Default: 500 (CloudFormation's limit).
    :param template_bytes: template size. Default: 1,000,000 (1 MB, CloudFormation's limit for a
        template read from S3, as nested stacks are).
    """

    resources: int = 500
    template_bytes: int = 1_000_000


STACK_LIMITS = StackLimits()
"""The limits placement and the size checks use (tests make them smaller)."""


@dataclass(frozen=True)
class Cost:
    """What a user (with its private spaces) or a space takes in a stack.

    :param resources: resources the constructs make for it.
    :param reserved: resources kept free for it (:data:`SETTINGS_RESERVE` per user).
    :param payload_bytes: bytes of the values the spec gives it (names, settings, tags).
    """

    resources: int = 0
    reserved: int = 0
    payload_bytes: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.resources + other.resources, self.reserved + other.reserved, self.payload_bytes + other.payload_bytes)

    def template_bytes(self, *, reserved: bool) -> int:
        """Estimated template bytes, with or without the reserved resources."""
        return (self.resources + (self.reserved if reserved else 0)) * RESOURCE_BYTES + self.payload_bytes

    def within(self, limits: StackLimits, *, reserved: bool) -> bool:
        """Whether a stack holding this stays within ``limits`` (counting the reserve or not)."""
        resources = self.resources + (self.reserved if reserved else 0)
        return resources <= limits.resources and self.template_bytes(reserved=reserved) <= limits.template_bytes


def capacity(cost: Cost, limits: StackLimits | None = None) -> int:
    """How many of one thing costing ``cost`` (the reserve included) one stack holds."""
    limits = limits or STACK_LIMITS
    return min(limits.resources // (cost.resources + cost.reserved), limits.template_bytes // cost.template_bytes(reserved=True))


def group_stack_id(group: str) -> str:
    """The construct id of the nested stack of a user group (``UserGroup-<group>``)."""
    return f"{USER_GROUP_PREFIX}{group}"


def group_of_stack(stack: str) -> str | None:
    """The group of a user group's stack id; ``None`` for any other stack."""
    return stack.removeprefix(USER_GROUP_PREFIX) if stack.startswith(USER_GROUP_PREFIX) else None


def auto_group(n: int) -> str:
    """The ``n``-th group the library fills with users that have none: ``users``, ``users-2``, ..."""
    return DEFAULT_GROUP if n == 1 else f"{DEFAULT_GROUP}-{n}"


def shared_spaces_stack_id(n: int) -> str:
    """The construct id of the ``n``-th nested stack of shared spaces (``SharedSpaces-<n>``)."""
    return f"{SHARED_SPACES_PREFIX}{n}"


def is_shared_spaces_stack(stack: str) -> bool:
    """Whether ``stack`` is a nested stack of shared spaces."""
    number = stack.removeprefix(SHARED_SPACES_PREFIX)
    return stack.startswith(SHARED_SPACES_PREFIX) and number.isdigit() and not number.startswith("0")


def _payload(item: UserSpec | SpaceSpec) -> int:
    return len(item.model_dump_json(exclude_defaults=True))


def space_cost(space: SpaceSpec) -> Cost:
    """What a space takes in its stack."""
    return Cost(SPACE_RESOURCES, 0, _payload(space))


def user_cost(spec: StudioSpec, user: UserSpec, private_spaces: Sequence[SpaceSpec]) -> Cost:
    """What a user takes in its group's stack: its profile (and security group), its private
    spaces, and :data:`SETTINGS_RESERVE`."""
    profile = profile_resources(security_group_per_user=spec.domain.security_group_per_user)
    payload = _payload(user) + sum(_payload(space) for space in private_spaces)
    return Cost(profile + SPACE_RESOURCES * len(private_spaces), SETTINGS_RESERVE, payload)


@dataclass(frozen=True)
class Recorded:
    """What the roster records of one domain.

    :param users: the stack of each active user, by case-folded profile name.
    :param spaces: the stack of each active space, by name.
    :param first: the roster records nothing of the domain yet (a first update keeps the layout
        of release 0.1.0).
    """

    users: Mapping[str, str] = field(default_factory=dict)
    spaces: Mapping[str, str] = field(default_factory=dict)
    first: bool = True


@dataclass(frozen=True)
class Placement:
    """The stack of every user and space of a spec.

    :param users: stack id by profile name.
    :param spaces: stack id by space name (:data:`DOMAIN_STACK` for the domain's stack).
    :param costs: what each stack holds: ``(kind, name, cost)`` for users (with their private
        spaces) and shared spaces, in the spec's order.
    """

    users: dict[str, str]
    spaces: dict[str, str]
    costs: dict[str, list[tuple[str, str, Cost]]]

    def load(self, stack: str) -> Cost:
        """Everything ``stack`` holds."""
        total = Cost()
        for _, _, cost in self.costs.get(stack, []):
            total = total + cost
        return total


def _owned(spec: StudioSpec) -> dict[str, list[SpaceSpec]]:
    owned: dict[str, list[SpaceSpec]] = defaultdict(list)
    for space in spec.spaces:
        if space.sharing is SpaceSharing.PRIVATE and space.owner:
            owned[space.owner].append(space)
    return owned


class _Stacks:
    """What each stack holds so far, while placing."""

    def __init__(self) -> None:
        self.members: dict[str, list[tuple[str, str, Cost]]] = defaultdict(list)
        self.loads: dict[str, Cost] = defaultdict(Cost)

    def add(self, stack: str, kind: str, name: str, cost: Cost) -> str:
        self.members[stack].append((kind, name, cost))
        self.loads[stack] = self.loads[stack] + cost
        return stack

    def first_with_room(self, stacks: Iterable[str], kind: str, name: str, cost: Cost, limits: StackLimits) -> str:
        if not cost.within(limits, reserved=True):
            raise StudioConfigError(
                f"{kind}s ({name})",
                f"{cost.resources} resources, about {cost.template_bytes(reserved=True)} bytes",
                f"at most {limits.resources} resources and {limits.template_bytes} bytes: what one nested stack holds",
            )
        for stack in stacks:
            if (self.loads[stack] + cost).within(limits, reserved=True):
                return self.add(stack, kind, name, cost)
        raise AssertionError("unreachable: an empty stack has room")


def place(spec: StudioSpec, recorded: Recorded | None, limits: StackLimits | None = None) -> Placement:
    """Where each user and space of ``spec`` lives; ``recorded`` is what the roster records
    (``None``: no roster). The same spec and roster always give the same placement.

    :param limits: default :data:`STACK_LIMITS`.
    """
    limits = limits or STACK_LIMITS
    remembered = recorded is not None
    recorded = recorded or Recorded()
    owned = _owned(spec)
    stacks = _Stacks()
    users: dict[str, str] = {}
    unplaced: list[tuple[UserSpec, Cost]] = []
    for user in spec.users:
        cost = user_cost(spec, user, owned.get(user.name, []))
        stack = group_stack_id(user.group) if user.group else recorded.users.get(user.name.casefold())
        if stack is None:
            unplaced.append((user, cost))
        else:
            users[user.name] = stacks.add(stack, "user", user.name, cost)
    legacy = group_stack_id(DEFAULT_GROUP)
    if unplaced and recorded.first:
        together = sum((c for _, c in unplaced), stacks.loads[legacy])
        members = len(stacks.members[legacy]) + len(unplaced)
        if members <= LEGACY_MAX_USERS and together.resources <= limits.resources:
            for user, cost in unplaced:
                users[user.name] = stacks.add(legacy, "user", user.name, cost)
            unplaced = []
        elif not remembered:
            raise StudioConfigError(
                "users (without a group)",
                f"{members} users in {legacy}, {together.resources} resources",
                f"at most {LEGACY_MAX_USERS} users and {limits.resources} resources in {legacy}, where users without a "
                "group go when there is no roster: the roster (RosterCheck, the example app's studio:roster) places "
                "them in more groups and remembers where, or give them a group",
            )
    for user, cost in unplaced:
        groups = (group_stack_id(auto_group(n)) for n in itertools.count(1))
        users[user.name] = stacks.first_with_room(groups, "user", user.name, cost, limits)
    spaces: dict[str, str] = {}
    for space in spec.spaces:
        if space.sharing is SpaceSharing.PRIVATE and space.owner in users:
            spaces[space.name] = users[space.owner]
            continue
        stack = recorded.spaces.get(space.name) or (DOMAIN_STACK if recorded.first else None)
        if stack is None:
            nested = (shared_spaces_stack_id(n) for n in itertools.count(1))
            spaces[space.name] = stacks.first_with_room(nested, "space", space.name, space_cost(space), limits)
        else:
            spaces[space.name] = stacks.add(stack, "space", space.name, space_cost(space))
    return Placement(users, spaces, dict(stacks.members))


def oversized(
    placement: Placement, limits: StackLimits | None = None, where: Callable[[str, str], str] | None = None
) -> list[StudioConfigError]:
    """A problem for each nested stack that holds more resources than CloudFormation takes,
    naming the users or spaces declared last and, through ``where(kind, name)``, their roster
    lines. Template bytes are not refused here: their estimate is an upper bound, which would
    refuse layouts release 0.1.0 deployed; groups the library fills stay within it."""
    limits = limits or STACK_LIMITS
    problems = []
    for stack, members in placement.costs.items():
        load = placement.load(stack)
        if stack == DOMAIN_STACK or load.resources <= limits.resources:
            continue
        group = group_of_stack(stack)
        last = [f"{kind} {name}{f' ({where(kind, name)})' if where else ''}" for kind, name, _ in reversed(members[-3:])]
        what = "users" if group is not None else "shared spaces"
        fix = (
            "A user cannot leave its stack (a move deletes its profile and private spaces): declare new private spaces "
            "of these users as shared spaces or give them to a user of another group, give new users another group "
            "(or none: the library places them), or retire users of this group"
            if group is not None
            else "A space cannot leave its stack (a move deletes it and its EBS volume): retire shared spaces of this stack"
        )
        problems.append(
            StudioConfigError(
                f"users[group={group}]" if group is not None else f"spaces[stack={stack}]",
                f"{len(members)} {what}, {load.resources} resources",
                f"at most {limits.resources} resources in one CloudFormation stack ({stack}). {fix}. Declared last: "
                f"{', '.join(last)}; any of them not deployed yet may be placed again: delete its roster lines and run "
                "`sagemaker-studio-cdk roster update`",
            )
        )
    return problems
