"""Several domains in one app: a ``studio.yaml`` with ``domains:``, each one domain's document.

A file without ``domains:`` is one domain, read as before. With it::

    region: us-east-1          # the default of every domain that names none
    domains:
      - domain: {name: dev}    # one domain's document, as a single-domain studio.yaml
        users: [...]
      - spec_file: prod.yaml   # or another spec file (of one domain), relative to this one

Each domain gets its own stacks (``StudioDomain-<name>``). Profile and space names are per domain;
names that are unique in an account and Region are checked across domains, and a name used
twice is a :class:`StudioConfigError` naming both places.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import regex as re
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from .errors import StudioConfigError
from .spec import StudioSpec, read_document, spec_of_document

DOMAIN_STACK = "StudioDomain"
"""The domain stack's id, and the prefix of each domain's stack id when an app has several."""

NETWORK_STACK = "StudioNetwork"
"""The network stack's id, and the prefix of each Region's when an app's domains span Regions."""


class SpecFileRef(BaseModel):
    """A domain of its own spec file (one domain), relative to this file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    spec_file: str = Field(description="a spec file of one domain, relative to this file")
    stack: str | None = Field(None, description="the id (and name) of the domain's stack. Default: StudioDomain-<domain name>")


class DomainEntry(StudioSpec):
    """One domain of ``domains:``: one domain's document, and the id of its stack."""

    model_config = ConfigDict(title="DomainEntry")

    stack: str | None = Field(
        None,
        description="the id (and name) of the domain's stack. Default: StudioDomain-<domain name>. Give StudioDomain "
        "to the domain of an app that had one domain, so its stack stays the same",
    )


class DomainsDocument(BaseModel):
    """Several domains in one app, each with its own stacks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    region: str | None = Field(None, description="the region of every domain that names none")
    domains: list[DomainEntry | SpecFileRef] = Field(
        min_length=1, description="the domains: each one domain's document, or a spec_file"
    )


def document_schema() -> dict[str, Any]:
    """The JSON Schema of a spec file: one domain's document, or several domains' (``domains:``)."""
    schema: dict[str, Any] = TypeAdapter(StudioSpec | DomainsDocument).json_schema()
    return {"title": "sagemaker-studio-cdk domain spec", **schema}


def load_specs(path: str | Path) -> list[StudioSpec]:
    """Every domain of a spec file: the one domain of a single-domain file, or each of
    ``domains:``. Any problem is one :class:`StudioConfigError` naming ``file:line``; names that
    would collide in the account (see :func:`check_domains`) name both places."""
    path = Path(path)
    raw, lines = read_document(path)
    if not (isinstance(raw, dict) and "domains" in raw):
        return [spec_of_document(raw, lines, str(path), path.parent)]
    source = str(path)

    def at(*where: str | int) -> str:
        line = lines.get(tuple(where))
        return f"{source}:{line}" if line else source

    unknown = sorted(str(k) for k in raw if k not in ("region", "domains"))
    if unknown:
        raise StudioConfigError(
            f"{at(unknown[0])}: {unknown[0]}",
            unknown,
            "only region and domains at the top of a file of several domains (each domain's keys go in its entry)",
        )
    region, entries = raw.get("region"), raw["domains"]
    if region is not None and not isinstance(region, str):
        raise StudioConfigError(f"{at('region')}: region", region, "a region name such as us-east-1")
    if not isinstance(entries, list) or not entries:
        raise StudioConfigError(f"{at('domains')}: domains", entries, "a list of at least one domain")
    specs = []
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and "spec_file" in entry:
            specs.append(_spec_file(entry, at("domains", i), path.parent, region))
            continue
        stack = None
        if isinstance(entry, dict):
            entry = {"region": region, **entry} if region is not None else dict(entry)
            stack = _stack_id(entry.pop("stack", None), at("domains", i, "stack"))
        inner = {k[2:]: v for k, v in lines.items() if k[:2] == ("domains", i)}
        spec = spec_of_document(entry, inner, source, path.parent)
        spec._stack_id = stack
        specs.append(spec)
    check_domains(specs)
    return specs


_STACK_ID = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,127}")


def _stack_id(value: Any, where: str) -> str | None:
    if value is not None and not (isinstance(value, str) and _STACK_ID.fullmatch(value)):
        raise StudioConfigError(
            f"{where}: stack", value, "a stack name: a letter, then letters, digits and hyphens (at most 128)"
        )
    return value


def _spec_file(entry: dict[str, Any], where: str, base: Path, region: str | None) -> StudioSpec:
    if not set(entry) <= {"spec_file", "stack"} or not isinstance(entry["spec_file"], str):
        raise StudioConfigError(f"{where}: spec_file", entry, "spec_file (and stack) alone: a spec file of one domain")
    path = base / entry["spec_file"]
    raw, lines = read_document(path)
    if isinstance(raw, dict) and "domains" in raw:
        raise StudioConfigError(f"{where}: spec_file", str(path), "a spec file of one domain (no domains: of its own)")
    if isinstance(raw, dict) and region is not None:
        raw = {"region": region, **raw}
    spec = spec_of_document(raw, lines, str(path), path.parent)
    spec._stack_id = _stack_id(entry.get("stack"), where)
    return spec


def _same_region(a: StudioSpec, b: StudioSpec) -> bool:
    return a.region is None or b.region is None or a.region == b.region


Name = tuple[str, str, tuple[str | int, ...], str]
"""An account-wide name of a domain: its namespace, what it names, its location in the spec, the name."""


def _account_names(spec: StudioSpec) -> Iterator[Name]:
    """The names a domain takes in its account and Region, beside its profile and space names."""
    for i, image in enumerate(spec.custom_images):
        yield "image", "a SageMaker image name", ("custom_images", i, "name"), image.name
        config = image.name.replace(".", "-")
        yield "config", f"an app image config name ({config}, made of the image's)", ("custom_images", i, "name"), config
    for i, app in enumerate(spec.mlflow.apps):
        yield "mlflow-app", "an MLflow App name", ("mlflow", "apps", i, "name"), app.name
    for i, server in enumerate(spec.mlflow.tracking_servers):
        yield "tracking-server", "an MLflow tracking server name", ("mlflow", "tracking_servers", i, "name"), server.name


def _label(path: tuple[str | int, ...]) -> str:
    """``("custom_images", 0, "name")`` as ``custom_images[0].name``."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _overlap(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def check_domains(specs: Sequence[StudioSpec]) -> None:
    """Refuse domains of one app that would share what belongs to one domain: a domain name
    (each domain's stacks are named after it), a name unique in the account and Region (custom
    images and their app image configs, MLflow Apps and tracking servers), or feature groups
    (overlapping ``feature_store.prefix`` or offline store prefixes in one bucket), which would
    give one domain's execution role another's data. Domains in different Regions may share the
    Regional names. Every domain names a region, or none does (stacks of an unknown environment
    cannot use one of a known one).

    Lifecycle configs, roles and buckets need no check: their names are made from the stack's
    name, so they differ per domain.
    """
    problems: list[StudioConfigError] = []

    def clash(
        what: str, b: StudioSpec, b_at: tuple[str | int, ...], value: str, a: StudioSpec, a_at: tuple[str | int, ...]
    ) -> None:
        problems.append(
            StudioConfigError(
                f"{b.location(*b_at)}: domain {b.domain.name}: {_label(b_at)}",
                value,
                f"{what} of its own: domain {a.domain.name} uses it at {a.location(*a_at)}",
            )
        )

    regions = {s.region is None for s in specs}
    if len(regions) > 1:
        first = next(s for s in specs if s.region is None)
        problems.append(
            StudioConfigError(
                f"{first.location('domain')}: domain {first.domain.name}: region",
                None,
                "a region for every domain, or for none (give the file a top-level region as the default)",
            )
        )
    stacks: dict[str, StudioSpec] = {}
    for spec in specs:
        stack = domain_stack_id(spec, specs)
        first = stacks.setdefault(stack.casefold(), spec)
        if stack in (NETWORK_STACK, *(network_stack_id(s, specs) for s in specs)) or first is not spec:
            problems.append(
                StudioConfigError(
                    f"{spec.location('domain')}: domain {spec.domain.name}: stack",
                    stack,
                    "a stack id of its own"
                    + (f" (domain {first.domain.name} has it)" if first is not spec else " (the network stack has it)"),
                )
            )
    for j, b in enumerate(specs):
        for a in specs[:j]:
            if a.domain.name.casefold() == b.domain.name.casefold():
                clash(
                    "a domain name (its stacks are named after it; in any letter case)",
                    b,
                    ("domain", "name"),
                    b.domain.name,
                    a,
                    ("domain", "name"),
                )
                continue
            if not _same_region(a, b):
                continue
            taken = {(namespace, name): where for namespace, _, where, name in _account_names(a)}
            reported = set()
            for namespace, what, where, name in _account_names(b):
                other = taken.get((namespace, name))
                if other is not None and (where, other) not in reported:
                    reported.add((where, other))
                    clash(what, b, where, name, a, other)
            _feature_store_clash(a, b, clash)
    if problems:
        raise StudioConfigError.combine(problems)


def _feature_store_clash(a: StudioSpec, b: StudioSpec, clash: Callable[..., None]) -> None:
    fa, fb = a.feature_store, b.feature_store
    if fa is None or fb is None:
        return
    if _overlap(fa.prefix, fb.prefix):
        what = "a feature group prefix (not overlapping: overlapping prefixes share feature groups)"
        clash(what, b, ("feature_store", "prefix"), fb.prefix, a, ("feature_store", "prefix"))
    if fa.offline_store_bucket and fa.offline_store_bucket == fb.offline_store_bucket:
        if _overlap(fa.offline_store_prefix.rstrip("/") + "/", fb.offline_store_prefix.rstrip("/") + "/"):
            what = (
                f"an offline store prefix in bucket {fb.offline_store_bucket} (not overlapping: overlapping prefixes share data)"
            )
            clash(
                what,
                b,
                ("feature_store", "offline_store_prefix"),
                fb.offline_store_prefix,
                a,
                ("feature_store", "offline_store_prefix"),
            )


def domain_stack_id(spec: StudioSpec, specs: Sequence[StudioSpec]) -> str:
    """The id of ``spec``'s domain stack: the ``stack`` its entry of ``domains:`` gives, else
    ``StudioDomain`` when the app has one domain (as always), ``StudioDomain-<domain name>``
    when it has several."""
    if spec._stack_id is not None:
        return spec._stack_id
    return DOMAIN_STACK if len(specs) == 1 else f"{DOMAIN_STACK}-{spec.domain.name}"


def network_stack_id(spec: StudioSpec, specs: Sequence[StudioSpec]) -> str:
    """The id of the network stack ``spec``'s domain runs in: one ``StudioNetwork`` for every
    domain of a Region, ``StudioNetwork-<region>`` when the domains span Regions."""
    regions = {s.region for s in specs}
    return NETWORK_STACK if len(regions) == 1 else f"{NETWORK_STACK}-{spec.region}"


__all__ = [
    "DomainsDocument",
    "SpecFileRef",
    "check_domains",
    "document_schema",
    "domain_stack_id",
    "load_specs",
    "network_stack_id",
]
