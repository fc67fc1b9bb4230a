"""Small helpers of the peer-scenario tests."""

from __future__ import annotations

import re
from typing import Any

from tests.peer.deployed import Updated


def slug(text: str) -> str:
    """A row's name as a test name: lowercase words joined by underscores."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def same_physical_ids(updated: Updated) -> None:
    """Every resource of the first deploy is still there with its physical id: nothing was replaced."""
    changed = {k: (v, updated.ids_after.get(k)) for k, v in updated.ids_before.items() if updated.ids_after.get(k) != v}
    assert not changed, changed


def in_place(updated: Updated, kind: str) -> dict[str, Any]:
    """The resource ``kind`` (domain, profile, space) kept its id, name and ARN; its state after the update."""
    same_physical_ids(updated)
    before, after = updated.before[kind], updated.after[kind]
    for key in ("DomainId", "DomainArn", "DomainName", "UserProfileArn", "UserProfileName", "SpaceArn", "SpaceName"):
        assert after.get(key) == before.get(key), key
    assert after.get("CreationTime") == before.get("CreationTime")
    state: dict[str, Any] = after
    return state
