"""``users_file``: the users of a domain listed in a CSV file rather than one YAML entry each.

Thousands of SSO users (one IAM Identity Center identity per profile) are a list exported from
the identity store, not something to write by hand. The file has a header naming its columns,
then one user a line::

    # the ML platform's Studio users
    name,sso_user_name,group
    alice,alice@example.com,research
    bob,bob@example.com

``name`` is required; ``sso_user_name`` (SSO domains) and ``group`` may be left empty (``group``
empty: the default, see ``UserSpec.group``). Blank lines and lines starting with ``#`` are
skipped. Every value is checked as the same field of ``users:`` in studio.yaml is, and every
error names ``file:line``; a profile name or an SSO identity given twice (in the file, or in the
file and in ``users:``) names both places.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import limits
from .errors import StudioConfigError
from .spec import UserSpec

COLUMNS = ("name", "sso_user_name", "group")
"""The columns a users file may have; ``name`` is required."""

Path_ = tuple[str | int, ...]


def read_users_file(
    raw: dict[str, Any], path: Path, where: str, locate: Callable[..., str]
) -> tuple[dict[str, Any], dict[Path_, str]]:
    """``raw`` (a domain's document) with the users of ``path`` appended to its ``users``, and
    the ``file:line`` of each appended user by its location (``("users", i)``).

    :param where: where ``users_file`` is in the spec, for errors about the file as a whole.
    :param locate: the ``file:line`` of a location of the spec (for users declared in it).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise StudioConfigError(where, str(path), f"a readable users file ({err.strerror})") from None
    except UnicodeDecodeError:
        raise StudioConfigError(where, str(path), "a UTF-8 CSV file") from None
    rows = [
        (number, line) for number, line in enumerate(text.splitlines(), 1) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        raise StudioConfigError(where, str(path), f"a header line ({','.join(COLUMNS)}) and one user a line")
    (header_line, header_text), *users = rows
    header = [cell.strip() for cell in next(csv.reader([header_text]))]
    unknown = [c for c in header if c not in COLUMNS]
    if unknown or "name" not in header or len(set(header)) != len(header):
        raise StudioConfigError(
            f"{path}:{header_line}: header", header_text, f"a header of distinct columns among {', '.join(COLUMNS)}, with name"
        )
    declared = list(raw.get("users") or [])
    first = len(declared)
    seen_names: dict[str, str] = {}
    seen_sso: dict[str, str] = {}
    for i, user in enumerate(declared):
        if isinstance(user, dict):
            _remember(seen_names, seen_sso, user.get("name"), user.get("sso_user_name"), locate("users", i))
    problems: list[StudioConfigError] = []
    parsed: list[UserSpec] = []
    elsewhere: dict[Path_, str] = {}
    for number, line in users:
        at = f"{path}:{number}"
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if len(cells) > len(header):
            problems.append(StudioConfigError(f"{at}: {path.name}", line, f"at most {len(header)} values ({','.join(header)})"))
            continue
        values = {column: cell for column, cell in zip(header, cells, strict=False) if cell}
        try:
            user = UserSpec.model_validate(values)
        except ValidationError as err:
            problems += [_problem(at, e) for e in err.errors()]
            continue
        problems += _duplicates(seen_names, seen_sso, user, at)
        elsewhere[("users", first + len(parsed))] = at
        parsed.append(user)
    if problems:
        raise StudioConfigError.combine(problems)
    return {**raw, "users": [*declared, *parsed]}, elsewhere


def _remember(names: dict[str, str], sso: dict[str, str], name: Any, sso_user_name: Any, at: str) -> None:
    if isinstance(name, str):
        names.setdefault(_name_key(name), at)
    if isinstance(sso_user_name, str):
        sso.setdefault(sso_user_name, at)


def _name_key(name: str) -> str:
    return name.lower() if limits.case_insensitive("CreateUserProfile", "UserProfileName") else name


def _duplicates(names: dict[str, str], sso: dict[str, str], user: UserSpec, at: str) -> list[StudioConfigError]:
    """The user's name or SSO identity already given (at its first place), then remembers them."""
    problems = []
    first = names.get(_name_key(user.name))
    if first is not None:
        problems.append(StudioConfigError(f"{at}: name", user.name, f"a profile name not already given (it is at {first})"))
    if user.sso_user_name is not None:
        other = sso.get(user.sso_user_name)
        if other is not None:
            problems.append(
                StudioConfigError(
                    f"{at}: sso_user_name",
                    user.sso_user_name,
                    f"one profile per IAM Identity Center user in a domain (it is already at {other})",
                )
            )
    _remember(names, sso, user.name, user.sso_user_name, at)
    return problems


def _problem(at: str, error: Any) -> StudioConfigError:
    """One validation error of a row as ``file:line: column``."""
    column = ".".join(str(p) for p in error["loc"]) or "(row)"
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, StudioConfigError):
        part = cause.parts[0]
        return StudioConfigError(f"{at}: {column}{part.field.removeprefix('value')}", part.value, part.allowed)
    return StudioConfigError(f"{at}: {column}", error.get("input"), error["msg"])
