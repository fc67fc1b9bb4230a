"""``check``: cfn-lint and the cdk-nag packs over every template of a synthesized cloud assembly.

The assembly may come from any app that uses these constructs, synthesized anywhere: the
templates are loaded back into a construct tree with ``cloudformation_include.CfnInclude``
(nested stacks as nested stacks, so references through their parameters still resolve), the
acknowledgements the app wrote into template metadata (``Metadata.cdk_nag.rules_to_suppress``)
are applied again, and AwsSolutions and StudioChecks run over that tree in this process.
cfn-lint runs on each template, less the reviewed gaps of :mod:`sagemaker_studio_cdk.lint`.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assembly import AssemblyError, StackTemplate, load_templates
from .lint import LintFinding, Shape, differences, findings_for, lint_template, same_findings, template_shape

CFN_LINT = "cfn-lint"
PACKS_CHECKED = ("AwsSolutions-", "StudioChecks-", "AwsSolutions::", "StudioChecks::")
"""Acknowledgements of these findings are read back; others (compliance packs, aws-cdk-lib's
own template validation) concern rules ``check`` does not run."""
CFN_LINT_RULES_URL = "https://github.com/aws-cloudformation/cfn-lint/blob/main/docs/rules.md"

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Finding:
    """One finding of one tool on one resource (or on the template as a whole)."""

    tool: str
    """``cfn-lint``, ``AwsSolutions`` or ``StudioChecks``."""
    rule_id: str
    level: str
    """``error`` or ``warning``."""
    stack: str
    """The stack's label (``StudioDomain``, ``StudioDomain/UserGroup-research``)."""
    logical_id: str | None
    path: str
    """The resource's construct path in the app (``aws:cdk:path``), else its logical id."""
    message: str
    fix: str
    file: str | None = None
    """The template file, as a path from the current directory when it lies below it."""
    line: int | None = None
    """The line of the resource in :attr:`file`."""

    @property
    def is_error(self) -> bool:
        return self.level == "error"


@dataclass
class CheckResult:
    """Everything ``check`` found in one assembly."""

    findings: list[Finding]
    templates: list[StackTemplate]
    acknowledged: int = 0
    """How many acknowledgements of AwsSolutions and StudioChecks findings were read back from
    template metadata and applied."""
    rules: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    """Rule id -> (tool, level, how to fix), for every rule that has a finding."""
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per phase: ``load``, ``include``, ``AwsSolutions``, ``StudioChecks``, ``cfn-lint``."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def resource_count(self) -> int:
        return sum(len(t.template.get("Resources", {})) for t in self.templates)


def _display_path(file: Path | None) -> str | None:
    if file is None:
        return None
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.resolve().as_posix()


class _Lines:
    """The line of each resource in a template file, found on first use."""

    def __init__(self) -> None:
        self._cache: dict[Path, list[str]] = {}

    def of(self, file: Path | None, logical_id: str | None) -> int | None:
        if file is None or logical_id is None:
            return None
        if file not in self._cache:
            try:
                self._cache[file] = file.read_text().splitlines()
            except OSError:
                self._cache[file] = []
        pattern = re.compile(rf'^\s*"{re.escape(logical_id)}"\s*:\s*\{{')
        lines = self._cache[file]
        start = next((i for i, line in enumerate(lines) if re.match(r'^\s*"Resources"\s*:', line)), 0)
        for i in range(start, len(lines)):
            if pattern.match(lines[i]):
                return i + 1
        return None


class _RecordedPaths:
    """:func:`recorded_paths` of one assembly, read on first use (only templates without
    ``aws:cdk:path`` need it)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = directory
        self._paths: dict[str, dict[str, str]] | None = None

    def of(self, file: Path | None, logical_id: str) -> str | None:
        if file is None:
            return None
        if self._paths is None:
            self._paths = recorded_paths(self.directory)
        return self._paths.get(file.name, {}).get(logical_id)


def _cdk_path(stack: StackTemplate, logical_id: str | None, recorded: _RecordedPaths | None = None) -> str:
    """The resource's construct path: its ``aws:cdk:path`` metadata, else the path the assembly's
    metadata records for its logical id (apps synthesized without path metadata), else
    ``stack label/logical id``."""
    if logical_id is None:
        return stack.label
    metadata = stack.template.get("Resources", {}).get(logical_id, {}).get("Metadata", {})
    path = metadata.get("aws:cdk:path") if isinstance(metadata, dict) else None
    if not path and recorded is not None:
        path = recorded.of(stack.file, logical_id)
    return str(path) if path else f"{stack.label}/{logical_id}"


def recorded_paths(directory: str | Path) -> dict[str, dict[str, str]]:
    """Template file name -> logical id -> construct path, from the stacks' metadata in the
    assembly (``aws:cdk:logicalId`` entries, written whether or not templates carry
    ``aws:cdk:path``); nested stacks by their ``aws:cdk:templateFile`` entries. Empty when the
    assembly records none."""
    root = Path(directory)
    try:
        manifest = json.loads((root / "manifest.json").read_text())
    except (OSError, ValueError):
        return {}
    found: dict[str, dict[str, str]] = {}
    for artifact in (manifest.get("artifacts") or {}).values():
        if not isinstance(artifact, dict) or artifact.get("type") != "aws:cloudformation:stack":
            continue
        entries = artifact.get("metadata") or {}
        extra = artifact.get("additionalMetadataFile")
        if isinstance(extra, str):
            try:
                entries = {**entries, **json.loads((root / extra).read_text())}
            except (OSError, ValueError):
                pass
        if not isinstance(entries, dict):
            continue
        templates: dict[str, str] = {}
        ids: dict[str, str] = {}
        for path, items in entries.items():
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and item.get("type") == "aws:cdk:templateFile" and isinstance(item.get("data"), str):
                    templates[path] = item["data"]
                if isinstance(item, dict) and item.get("type") == "aws:cdk:logicalId" and isinstance(item.get("data"), str):
                    ids[path] = item["data"]
        owners = sorted(templates, key=len, reverse=True)
        for path, logical_id in ids.items():
            owner = next((o for o in owners if path.startswith(o + "/")), None)
            if owner is not None:
                found.setdefault(templates[owner], {}).setdefault(logical_id, path.lstrip("/"))
    return found


def check_assembly(directory: str | Path, *, progress: Progress | None = None) -> CheckResult:
    """Run cfn-lint, AwsSolutions and StudioChecks over the assembly at ``directory``.

    :raises AssemblyError: not a cloud assembly, no stacks, or a template that cannot be read or
        loaded.
    """
    started = time.perf_counter()
    say = progress or (lambda _message: None)
    templates = load_templates(directory)
    lines = _Lines()
    recorded = _RecordedPaths(directory)
    result = CheckResult(findings=[], templates=templates)
    result.timings["load"] = time.perf_counter() - started

    # cfn-lint is pure Python and the packs run in the jsii kernel: on a large assembly lint in
    # worker processes while the packs run here.
    same_shapes = _same_shapes(templates)
    lint = _Linter(templates, parallel=result.resource_count >= PARALLEL_LINT_RESOURCES, same_as=same_shapes)
    try:
        groups = _pack_groups(templates, same_shapes) if GROUP_PACKS else {}
        pack_findings = _run_packs(templates, groups, say, result)
        if pack_findings is None:  # a representative's finding names what differs: run on every template
            pack_findings = _run_packs(templates, {}, say, result)
        assert pack_findings is not None

        for finding in pack_findings:
            stack, logical_id = finding.pop("stack"), finding.pop("logical_id")
            result.rules.setdefault(finding["rule_id"], (finding["tool"], finding["level"], finding["fix"]))
            result.findings.append(
                Finding(
                    stack=stack.label,
                    logical_id=logical_id,
                    path=_cdk_path(stack, logical_id, recorded),
                    file=_display_path(stack.file),
                    line=lines.of(stack.file, logical_id),
                    **finding,
                )
            )

        for i, (stack, findings) in enumerate(lint.results(), 1):
            say(f"cfn-lint {i}/{len(templates)}: {stack.label}")
            for lint_finding in findings:
                result.findings.append(_lint_finding(stack, lint_finding, lines, result, recorded))
        result.timings[CFN_LINT] = lint.seconds
    finally:
        lint.close()
    order = {t.label: i for i, t in enumerate(templates)}
    result.findings.sort(key=lambda f: (order.get(f.stack, 0), f.path, f.level != "error", f.tool, f.rule_id))
    result.seconds = time.perf_counter() - started
    return result


PARALLEL_LINT_RESOURCES = 400
"""From this many resources on, cfn-lint runs in worker processes, alongside the packs."""


def _lint_one(body: str, region: str) -> tuple[list[LintFinding], float]:
    """cfn-lint of one template (a worker's job): its findings and the seconds it took."""
    started = time.perf_counter()
    findings = lint_template(json.loads(body), regions=(region,))
    return findings, time.perf_counter() - started


class _Linter:
    """cfn-lint over every template: in this process, or in worker processes started before the
    packs run (forked where the OS can, so workers start with everything already imported).

    Templates of one shape (the nested stacks of user groups, built the same way and differing only
    in names, see ``lint.same_findings``) are linted once: the others get the same findings, moved
    to their own resources."""

    def __init__(
        self,
        templates: Sequence[StackTemplate],
        *,
        parallel: bool,
        same_as: Mapping[tuple[str, ...], tuple[tuple[str, ...], Shape, Shape]] | None = None,
    ) -> None:
        self.templates = templates
        self.seconds = 0.0
        self._started = time.perf_counter()
        self._pool: ProcessPoolExecutor | None = None
        self._jobs: dict[tuple[str, ...], Future[tuple[list[LintFinding], float]]] = {}
        self._same_as = _same_shapes(templates) if same_as is None else same_as
        """Template path -> (its representative's path, the two shapes), for templates not linted themselves."""
        linted = [t for t in templates if t.path not in self._same_as]
        if parallel and len(linted) > 1:
            import cfnlint.api  # noqa: F401 - imported once here, not in every worker

            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            workers = max(1, min(len(linted), os.cpu_count() or 1))
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            for template in sorted(linted, key=lambda t: -len(t.template.get("Resources", {}))):
                self._jobs[template.path] = self._pool.submit(
                    _lint_one, json.dumps(template.template), template.region or "us-east-1"
                )

    def _findings(self, template: StackTemplate) -> list[LintFinding]:
        job = self._jobs.get(template.path)
        if job is not None:
            return job.result()[0]
        return lint_template(template.template, regions=(template.region or "us-east-1",))

    def results(self) -> Iterable[tuple[StackTemplate, list[LintFinding]]]:
        """Each template with its findings, in the assembly's order."""
        by_path = {t.path: t for t in self.templates}
        for template in self.templates:
            same = self._same_as.get(template.path)
            if same is None:
                yield template, self._findings(template)
            else:
                representative, shape, own = same
                yield template, findings_for(self._findings(by_path[representative]), shape, own)
        self.seconds = time.perf_counter() - self._started

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


SHAPE_MIN_RESOURCES = 50
"""Templates this large or larger are grouped by shape; smaller ones are cheap to lint on their own."""


def _same_shapes(templates: Sequence[StackTemplate]) -> dict[tuple[str, ...], tuple[tuple[str, ...], Shape, Shape]]:
    """Template path -> (the path of the template linted in its place, its shape, this one's shape)."""
    found: dict[tuple[str, ...], tuple[tuple[str, ...], Shape, Shape]] = {}
    groups: dict[tuple[str | None, str], list[tuple[StackTemplate, Shape]]] = {}
    for template in templates:
        if len(template.template.get("Resources", {})) < SHAPE_MIN_RESOURCES:
            continue
        shape = template_shape(template.template)
        candidates = groups.setdefault((template.region, shape.key), [])
        for representative, representative_shape in candidates:
            types = {k: str(v.get("Type")) for k, v in representative.template["Resources"].items()}
            if same_findings(representative_shape, shape, types):
                found[template.path] = (representative.path, representative_shape, shape)
                break
        else:
            candidates.append((template, shape))
    return found


GROUP_PACKS = True
"""Run AwsSolutions and StudioChecks once per group of same-shaped user-group templates (see
:func:`_pack_groups`); ``False`` loads and checks every template."""

PACK_RENAMEABLE: frozenset[tuple[str, tuple[str, ...]]] = frozenset(
    {
        ("AWS::SageMaker::UserProfile", ("UserProfileName",)),
        ("AWS::SageMaker::UserProfile", ("Tags", "*", "Value")),
        ("AWS::SageMaker::Space", ("SpaceName",)),
        ("AWS::SageMaker::Space", ("SpaceDisplayName",)),
        ("AWS::SageMaker::Space", ("OwnershipSettings", "OwnerUserProfileName")),
        ("AWS::SageMaker::Space", ("Tags", "*", "Value")),
    }
)
"""Properties that only name a profile or space (and tag values): no AwsSolutions or StudioChecks
rule judges them, so two templates that differ only there get the same findings."""

Group = tuple[tuple[str, ...], Shape, Shape, frozenset[str]]
"""(the representative's path, its shape, this template's shape, the representative's strings
that differ)."""


def _pack_groups(
    templates: Sequence[StackTemplate], same_shapes: Mapping[tuple[str, ...], tuple[tuple[str, ...], Shape, Shape]]
) -> dict[tuple[str, ...], Group]:
    """Nested templates the packs need not load: each gets its representative's findings, moved to
    its own resources.

    Of the templates cfn-lint groups by shape, those that are nested stacks of the same parent
    (which passes both the same parameters), with no nested stacks or outputs of their own and no
    resource another resource's rule looks up (StudioChecks' indexed types: domains, images,
    lifecycle configs, IAM), and that differ from their representative only in
    :data:`PACK_RENAMEABLE` properties, ``aws:cdk:path`` metadata and the description, as one
    consistent renaming. cdk-nag's rules look no further than the resource's own stack and
    StudioChecks' no further than the index, so nothing outside the template sees the difference."""
    from .policies.rules._base import INDEXED_TYPES

    by_path = {t.path: t for t in templates}
    parents = {t.path[:-1] for t in templates if len(t.path) > 1}

    def plain(template: StackTemplate) -> bool:
        resources = template.template.get("Resources", {})
        return (
            len(template.path) > 1
            and template.path not in parents
            and not template.template.get("Outputs")
            and not any(isinstance(r, dict) and r.get("Type") in INDEXED_TYPES for r in resources.values())
        )

    def given(template: StackTemplate) -> Any:
        parent = by_path.get(template.path[:-1])
        resource = parent.template.get("Resources", {}).get(template.path[-1], {}) if parent else {}
        return resource.get("Properties", {}).get("Parameters") if isinstance(resource, dict) else None

    found: dict[tuple[str, ...], Group] = {}
    for path, (representative_path, representative_shape, shape) in same_shapes.items():
        template, representative = by_path[path], by_path[representative_path]
        if path[:-1] != representative_path[:-1] or not plain(template) or not plain(representative):
            continue
        if given(template) != given(representative):
            continue
        types = {k: str(v.get("Type")) for k, v in representative.template["Resources"].items()}
        differing = _renamed_only(representative_shape, shape, types)
        if differing is not None:
            found[path] = (representative_path, representative_shape, shape, differing)
    return found


def _renamed_only(representative: Shape, other: Shape, types: Mapping[str, str]) -> frozenset[str] | None:
    """The representative's strings that differ, when every difference is a string at an
    ``aws:cdk:path``, the description or a :data:`PACK_RENAMEABLE` property and all of them are
    one consistent renaming; else ``None``."""
    renamed: dict[str, str] = {}
    back: dict[str, str] = {}
    differing: set[str] = set()
    for path, mine, theirs in differences(representative.canonical, other.canonical, ()):
        if not isinstance(mine, str) or not isinstance(theirs, str):
            return None
        if renamed.setdefault(mine, theirs) != theirs or back.setdefault(theirs, mine) != mine:
            return None
        if path == ("Description",):
            continue
        if len(path) == 4 and path[0] == "Resources" and path[2:] == ("Metadata", "aws:cdk:path"):
            continue
        if len(path) < 4 or path[0] != "Resources" or path[2] != "Properties":
            return None
        resource_type = types.get(representative.logical_ids[int(path[1][1:])], "")
        if (resource_type, tuple("*" if p.isdigit() else p for p in path[3:])) not in PACK_RENAMEABLE:
            return None
        differing.add(mine)
    return frozenset(differing)


def _run_packs(
    templates: Sequence[StackTemplate], groups: Mapping[tuple[str, ...], Group], say: Progress, result: CheckResult
) -> list[dict[str, Any]] | None:
    """AwsSolutions and StudioChecks over the templates not in ``groups`` (loaded with
    ``CfnInclude``), their findings copied to the grouped ones; ``None`` when a representative's
    finding mentions a name its group renames (the copies would name the wrong thing)."""
    loading = [t for t in templates if t.path not in groups]
    resources = sum(len(t.template.get("Resources", {})) for t in loading)
    say(f"loading {len(loading)} of {len(templates)} templates ({resources} resources)")
    mark = time.perf_counter()
    loaded = _IncludedAssembly(templates, skip=frozenset(groups))
    acknowledged = loaded.acknowledge()
    result.acknowledged = sum(acknowledged.values()) + sum(acknowledged.get(g[0], 0) for g in groups.values())
    result.timings["include"] = time.perf_counter() - mark
    found = loaded.run_packs(say, result.timings)
    if not groups:
        return found
    by_representative: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for finding in found:
        by_representative.setdefault(finding["stack"].path, []).append(finding)
    by_path = {t.path: t for t in templates}
    for path, (representative_path, representative_shape, shape, differing) in groups.items():
        position = {logical_id: i for i, logical_id in enumerate(representative_shape.logical_ids)}
        for finding in by_representative.get(representative_path, []):
            text = f"{finding['rule_id']} {finding['message']}"
            if any(name in text for name in differing):
                return None
            logical_id = finding["logical_id"]
            if logical_id in position:
                logical_id = shape.logical_ids[position[logical_id]]
            found.append({**finding, "stack": by_path[path], "logical_id": logical_id})
    return found


def _lint_finding(
    stack: StackTemplate, lint: LintFinding, lines: _Lines, result: CheckResult, recorded: _RecordedPaths
) -> Finding:
    logical_id = lint.path[1] if len(lint.path) > 1 and lint.path[0] == "Resources" else None
    fix = f"Correct {'/'.join(lint.path) or 'the template'} as the message says; rule {lint.rule_id}: {CFN_LINT_RULES_URL}"
    result.rules.setdefault(lint.rule_id, (CFN_LINT, lint.level, fix))
    return Finding(
        tool=CFN_LINT,
        rule_id=lint.rule_id,
        level=lint.level,
        stack=stack.label,
        logical_id=logical_id,
        path=_cdk_path(stack, logical_id, recorded),
        message=f"{'/'.join(lint.path[2:]) + ': ' if len(lint.path) > 2 else ''}{lint.message}",
        fix=fix,
        file=_display_path(stack.file),
        line=lines.of(stack.file, logical_id),
    )


class _IncludedAssembly:
    """The assembly's templates loaded into one CDK app with ``CfnInclude``."""

    def __init__(self, templates: Sequence[StackTemplate], *, skip: frozenset[tuple[str, ...]] = frozenset()) -> None:
        """:param skip: nested templates not to load (their stack resource stays a plain resource)."""
        from aws_cdk import App, Environment, Stack
        from aws_cdk import cloudformation_include as cfn_include

        templates = [t for t in templates if t.path not in skip]
        self.templates = templates
        self.app = App()
        self._includes: dict[tuple[str, ...], Any] = {}
        """Template path -> its ``CfnInclude``."""
        self.prefixes: list[tuple[str, StackTemplate]] = []
        """``<construct path of the include>/`` -> template, longest first."""
        self.mappings: dict[str, Mapping[str, Any]] = {}
        """Construct path of each loaded stack -> its template's ``Mappings``."""
        self.resources: dict[str, tuple[str, Mapping[str, Any]]] = {}
        """Construct path of each loaded resource -> its logical id and template entry."""
        children: dict[tuple[str, ...], list[StackTemplate]] = {}
        for template in templates:
            children.setdefault(template.path[:-1], []).append(template)

        def props(template: StackTemplate) -> Any:
            return cfn_include.CfnIncludeProps(
                template_file=str(template.file),
                load_nested_stacks={child.path[-1]: props(child) for child in children.get(template.path, [])} or None,
            )

        for index, template in enumerate(t for t in templates if len(t.path) == 1):
            stack_name = re.sub(r"[^A-Za-z0-9-]", "-", f"S{index}-{template.path[0]}")[:128]
            env = Environment(region=template.region) if template.region else None
            stack = Stack(self.app, template.path[0].replace("/", "-"), stack_name=stack_name, env=env)
            top_props = props(template)
            try:
                include = cfn_include.CfnInclude(
                    stack, "Template", template_file=top_props.template_file, load_nested_stacks=top_props.load_nested_stacks
                )
            except RuntimeError as err:
                raise AssemblyError(
                    f"{template.file}: cannot be loaded as a CloudFormation template: {_first_line(err)}"
                ) from None
            self._register(template, include, str(stack.node.path))
        self.prefixes.sort(key=lambda entry: -len(entry[0]))

    def _register(self, template: StackTemplate, include: Any, stack_path: str) -> None:
        self._includes[template.path] = include
        prefix = f"{include.node.path}/"
        self.prefixes.append((prefix, template))
        self.mappings[stack_path] = template.template.get("Mappings", {}) or {}
        for logical_id, resource in template.template.get("Resources", {}).items():
            self.resources[prefix + logical_id] = (logical_id, resource)
        for child in self.templates:
            if child.path[:-1] == template.path and len(child.path) == len(template.path) + 1:
                nested = include.get_nested_stack(child.path[-1])
                self._register(child, nested.included_template, str(nested.stack.node.path))

    def acknowledge(self) -> dict[tuple[str, ...], int]:
        """Apply every acknowledgement the app wrote into template metadata; how many, by template."""
        from aws_cdk import Acknowledgment, Validations

        counts: dict[tuple[str, ...], int] = {}
        for template in self.templates:
            include = self._includes[template.path]
            count = 0
            for logical_id, resource in template.template.get("Resources", {}).items():
                metadata = resource.get("Metadata")
                rules = metadata.get("cdk_nag", {}).get("rules_to_suppress") if isinstance(metadata, dict) else None
                if not isinstance(rules, list) or not rules:
                    continue
                acknowledgments = [
                    Acknowledgment(id=_bare_id(rule["id"]), reason=str(rule.get("reason", "")))
                    for rule in rules
                    if isinstance(rule, dict) and isinstance(rule.get("id"), str) and rule["id"].startswith(PACKS_CHECKED)
                ]
                if not acknowledgments:
                    continue
                resource = include.get_resource(logical_id)
                try:
                    Validations.of(resource).acknowledge(*acknowledgments)
                    count += len(acknowledgments)
                except RuntimeError:  # an id aws-cdk-lib cannot parse: apply the others one by one
                    for acknowledgment in acknowledgments:
                        try:
                            Validations.of(resource).acknowledge(acknowledgment)
                            count += 1
                        except RuntimeError:
                            continue
            counts[template.path] = count
        return counts

    def locate(self, construct_path: str) -> tuple[StackTemplate, str | None]:
        """The template and logical id of a construct of the loaded app."""
        for prefix, template in self.prefixes:
            if construct_path.startswith(prefix):
                return template, construct_path[len(prefix) :].split("/", 1)[0]
        return self.templates[0], None

    def run_packs(self, say: Progress, timings: dict[str, float]) -> list[dict[str, Any]]:
        """The findings of AwsSolutions and StudioChecks, as fields of :class:`Finding`."""
        from cdk_nag import AwsSolutionsChecks

        from .policies.rules import LoadedTemplates, StudioChecks

        found: list[dict[str, Any]] = []
        say("cdk-nag AwsSolutions")
        mark = time.perf_counter()
        brief = AwsSolutionsChecks().validate_scope(self.app)
        if brief.violations:  # the explanations, for "how to fix", only when there is something to fix
            verbose = {v.rule_name: v.description for v in AwsSolutionsChecks(verbose=True).validate_scope(self.app).violations}
        for violation in brief.violations:
            long = verbose.get(violation.rule_name, violation.description)
            fix = long[len(violation.description) :].strip() if long.startswith(violation.description) else long
            found += self._findings("AwsSolutions", violation, fix or violation.description)
        timings["AwsSolutions"] = time.perf_counter() - mark

        say("StudioChecks")
        mark = time.perf_counter()
        pack = StudioChecks(loaded=LoadedTemplates(resources=self.resources, mappings=self.mappings))
        explanations = {rule.id: rule.explanation for rule in pack.rules}
        for violation in pack.validate_scope(self.app).violations:
            base = violation.rule_name.split("[", 1)[0]
            found += self._findings("StudioChecks", violation, explanations.get(base, ""))
        timings["StudioChecks"] = time.perf_counter() - mark
        return found

    def _findings(self, tool: str, violation: Any, fix: str) -> Iterable[dict[str, Any]]:
        for resource in violation.violating_resources:
            template, logical_id = self.locate(resource.construct_path or "")
            yield {
                "tool": tool,
                "rule_id": violation.rule_name,
                "level": "error" if violation.severity in ("error", "fatal") else "warning",
                "stack": template,
                "logical_id": logical_id,
                "message": violation.description,
                "fix": fix,
            }


def _bare_id(finding_id: str) -> str:
    """``AwsSolutions-VPC7`` for ``AwsSolutions::AwsSolutions-VPC7``: aws-cdk-lib's report suggests the
    plugin-qualified form, which it honours itself during synth but cdk-nag's own filter (what
    ``validate_scope`` uses here) does not."""
    namespace, separator, rule = finding_id.partition("::")
    if separator and "[" not in namespace and rule.startswith(f"{namespace}-"):
        return rule
    return finding_id


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
