"""Which resources a change of cloud assembly would replace, delete or fail on: one comparison for
the synth-time warning (:class:`NamedReplacementCheck`) and the ``guard`` command.

CloudFormation replaces a resource when one of its create-only properties changes (CloudFormation's
own schema, as cfn-lint ships it: :func:`create_only_properties`), and it cannot replace a resource
that carries a fixed name: the update fails and rolls back. A removed or replaced stateful resource
(a domain, a profile, a space, a key, a file system, a bucket ...) takes its data with it. Neither
can be seen from one synth alone; :func:`compare_assemblies` compares two, nested stacks included:

- a value is compared in the terms of the stack that owns it: a nested stack's parameter is
  replaced by what its parent passes, ``Fn::GetAtt Child.Outputs.X`` by the child's output, so a
  replacement propagates through ``Ref``, ``Fn::GetAtt`` and nested-stack parameters (a replaced
  key changes the domain's ``KmsKeyId`` even when the domain's JSON stays the same);
- a create-only value that depends on a condition (``Fn::If``), or a property CloudFormation marks
  *conditionally* create-only, counts as "may replace", with the same verdict as a replacement;
- a new resource whose fixed name an old resource holds in another place (a user moved to another
  nested stack: CloudFormation creates the new profile before it deletes the old) would fail.

Custom resources declare what CloudFormation's schemas cannot say about them: either the template
Metadata ``"studio:replacement": {"createOnly": [...], "stateful": true, "nameProperty": "Name"}``
on the resource (:func:`declare_replacement` writes it), or :func:`register_custom_type` for every
resource of a custom type. The metadata wins over the registry.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Annotations, CfnDeletionPolicy, CfnOutput, CfnParameter, CfnResource, IAspect, NestedStack, Stack
from constructs import IConstruct, IValidation

from .assembly import AssemblyError, StackTemplate, load_templates
from .create_only import known_create_only, value_at

NAMED_TYPES: Mapping[str, str] = {
    "AWS::SageMaker::Domain": "DomainName",
    "AWS::SageMaker::UserProfile": "UserProfileName",
    "AWS::SageMaker::Space": "SpaceName",
}
"""Studio resource types that always carry a fixed name, and the property holding it."""

NAME_PROPERTIES: Mapping[str, str] = {
    **NAMED_TYPES,
    "AWS::S3::Bucket": "BucketName",
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::SageMaker::Image": "ImageName",
    "AWS::SageMaker::AppImageConfig": "AppImageConfigName",
    "AWS::SageMaker::StudioLifecycleConfig": "StudioLifecycleConfigName",
    "AWS::SageMaker::MlflowTrackingServer": "TrackingServerName",
    "AWS::SageMaker::MlflowApp": "Name",
    "AWS::Glue::Database": "DatabaseInput/Name",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::IAM::Role": "RoleName",
    "AWS::KMS::Alias": "AliasName",
}
"""The property (a path below ``Properties``) that gives a resource of each type a fixed name; a
resource is custom-named when the template sets it."""

NAME_SCOPES: Mapping[str, str] = {"AWS::SageMaker::UserProfile": "DomainId", "AWS::SageMaker::Space": "DomainId"}
"""Types whose names are unique only within another resource (profiles and spaces: the domain)."""

STATEFUL_TYPES: frozenset[str] = frozenset(
    {
        "AWS::SageMaker::Domain",
        "AWS::SageMaker::UserProfile",
        "AWS::SageMaker::Space",
        "AWS::KMS::Key",
        "AWS::EFS::FileSystem",
        "AWS::S3::Bucket",
        "AWS::ECR::Repository",
        "AWS::SageMaker::Image",
        "AWS::SageMaker::MlflowTrackingServer",
        "AWS::SageMaker::MlflowApp",
        "AWS::Glue::Database",
        "AWS::Logs::LogGroup",
    }
)
"""Types whose deletion loses data (files, keys, images, experiments, logs) or users' work."""

REFUSED_UPDATES: Mapping[str, Mapping[str, Any]] = {
    "AWS::KMS::Key": {"KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT", "MultiRegion": False},
}
"""Properties (with their defaults) that CloudFormation refuses to change at all: neither update
nor replacement, whatever the UpdateReplacePolicy (the property descriptions of the schema say so)."""

_RSTUDIO_ROLE = "DomainSettings/RStudioServerProDomainSettings/DomainExecutionRoleArn"


def api_refusals(resource_type: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Updates CloudFormation would send that the SageMaker API refuses (both property maps resolved
    alike), so the update fails: a domain's ``AppNetworkAccessType`` once RStudio's domain execution
    role is set or set in the same update, and its home EFS from ``Enabled`` back to ``Disabled``
    (``UpdateDomain``'s documentation, WORKBENCH-FACTS §8)."""
    if resource_type != "AWS::SageMaker::Domain":
        return []
    reasons = []
    network = [p.get("AppNetworkAccessType", "PublicInternetOnly") for p in (old, new)]
    if network[0] != network[1] and any(value_at(p, _RSTUDIO_ROLE)[0] for p in (old, new)):
        reasons.append(
            f"AppNetworkAccessType {network[0]} -> {network[1]}: UpdateDomain refuses to change it once RStudio's "
            "DomainExecutionRoleArn is set (or set in the same update)"
        )
    if old.get("HomeEfsFileSystemCreation") == "Enabled" and new.get("HomeEfsFileSystemCreation") == "Disabled":
        reasons.append(
            "HomeEfsFileSystemCreation Enabled -> Disabled: UpdateDomain refuses to turn a domain's home EFS off "
            "(turning RStudio off does that)"
        )
    return reasons


METADATA_KEY = "studio:replacement"
"""Template Metadata key on a custom resource: ``{"createOnly": [paths], "stateful": bool,
"nameProperty": path}`` (paths are below ``Properties``, ``A/B`` for nested properties)."""

WARNING_ID = "sagemaker-studio-cdk:named-replacement"

WOULD_DELETE = "would delete data"
WOULD_FAIL = "would fail"

_CONSEQUENCES = {
    "AWS::SageMaker::Domain": "a new domain, without any of the old one's users or spaces",
    "AWS::SageMaker::UserProfile": "a new profile; the old one and its private spaces are deleted",
    "AWS::SageMaker::Space": "a new space on a new EBS volume: the files of the old one are lost",
}

_LOSSES = {
    "AWS::SageMaker::Space": "with its EBS volume and every file on it (have its users save their work first)",
    "AWS::SageMaker::UserProfile": "and its private spaces with their files",
    "AWS::SageMaker::Domain": "with every user profile and space in it",
}

_RETAINING = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})
_POLICY_RANK = {"Delete": 0, "Snapshot": 1, "RetainExceptOnCreate": 2, "Retain": 2}


@dataclass(frozen=True)
class ReplacementSpec:
    """What replaces a resource and what losing it means."""

    create_only: tuple[str, ...] = ()
    """Property paths below ``Properties`` (``A/B`` for nested ones) whose change replaces it."""
    stateful: bool = False
    """Whether deleting it loses data. Default: no."""
    name_property: str | None = None
    """The property that fixes its name (a replacement keeping the name fails). Default: none."""
    conditional: tuple[str, ...] = ()
    """Paths whose change *may* replace it (CloudFormation's conditionally create-only)."""


CUSTOM_TYPES: dict[str, ReplacementSpec] = {}
"""Custom resource types (``Custom::...``) registered with :func:`register_custom_type`."""


def register_custom_type(
    resource_type: str, *, create_only: Iterable[str] = (), stateful: bool = False, name_property: str | None = None
) -> None:
    """Declare, for every resource of a custom type, the properties whose change replaces it,
    whether it is stateful and which property fixes its name."""
    CUSTOM_TYPES[resource_type] = ReplacementSpec(tuple(create_only), stateful, name_property)


def declare_replacement(
    resource: CfnResource, *, create_only: Iterable[str] = (), stateful: bool = False, name_property: str | None = None
) -> None:
    """Write :data:`METADATA_KEY` into ``resource``'s template Metadata (one resource's declaration)."""
    value: dict[str, Any] = {"createOnly": list(create_only), "stateful": stateful}
    if name_property:
        value["nameProperty"] = name_property
    resource.add_metadata(METADATA_KEY, value)


def spec_of(resource: Mapping[str, Any]) -> ReplacementSpec:
    """The replacement facts of one template resource: its Metadata declaration, else the custom
    type registry, else CloudFormation's schema and the tables of this module."""
    resource_type = str(resource.get("Type"))
    metadata = resource.get("Metadata")
    declared = metadata.get(METADATA_KEY) if isinstance(metadata, Mapping) else None
    if declared is not None:
        create_only = declared.get("createOnly", []) if isinstance(declared, Mapping) else None
        name = declared.get("nameProperty") if isinstance(declared, Mapping) else None
        if (
            not isinstance(create_only, list)
            or not all(isinstance(p, str) for p in create_only)
            or not isinstance(declared.get("stateful", False), bool)
            or not isinstance(name, (str, type(None)))
        ):
            raise AssemblyError(
                f"{resource_type}: Metadata {METADATA_KEY} must be "
                '{"createOnly": [property paths], "stateful": true|false, "nameProperty": path}'
            )
        return ReplacementSpec(tuple(create_only), bool(declared.get("stateful", False)), name)
    if resource_type in CUSTOM_TYPES:
        return CUSTOM_TYPES[resource_type]
    return ReplacementSpec(
        known_create_only(resource_type),
        resource_type in STATEFUL_TYPES,
        NAME_PROPERTIES.get(resource_type),
        known_create_only(resource_type, conditional=True),
    )


Key = tuple[tuple[str, ...], str]
"""A resource's place: its stack's path (stack name, then nested stack logical ids) and logical id."""


class _Assembly:
    """Templates by stack path, with values rewritten into the terms of the stack that owns them."""

    def __init__(self, templates: Sequence[StackTemplate]) -> None:
        self.stacks = {t.path: t for t in templates}
        self.exports: dict[str, tuple[tuple[str, ...], Any]] = {}
        for t in templates:
            for output in (t.template.get("Outputs") or {}).values():
                if isinstance(output, Mapping) and isinstance(output.get("Export"), Mapping):
                    name = self.canon(t.path, output["Export"].get("Name"))
                    self.exports[json.dumps(name, sort_keys=True)] = (t.path, output.get("Value"))

    def resources(self, path: tuple[str, ...]) -> Mapping[str, Any]:
        resources: Mapping[str, Any] = self.stacks[path].template.get("Resources") or {}
        return resources

    def canon(self, path: tuple[str, ...], value: Any) -> Any:
        """``value`` with every Ref and GetAtt made absolute: ``{"@res": [stack..., id], "@att": a}``."""
        if isinstance(value, list):
            return [self.canon(path, v) for v in value]
        if not isinstance(value, Mapping):
            return value
        if len(value) == 1:
            ((fn, arg),) = value.items()
            if fn == "Ref" and isinstance(arg, str):
                return self._ref(path, arg)
            if fn == "Fn::GetAtt":
                parts = arg.split(".", 1) if isinstance(arg, str) else arg
                if isinstance(parts, list) and len(parts) == 2 and isinstance(parts[0], str):
                    return self._get_att(path, parts[0], self.canon(path, parts[1]))
            if fn == "Fn::ImportValue":
                export = self.exports.get(json.dumps(self.canon(path, arg), sort_keys=True))
                if export is not None:
                    return self.canon(*export)
        return {k: self.canon(path, v) for k, v in value.items()}

    def _ref(self, path: tuple[str, ...], name: str) -> Any:
        template = self.stacks[path].template
        if name in (template.get("Parameters") or {}):
            if len(path) > 1:
                parent = self.resources(path[:-1]).get(path[-1], {})
                passed = (parent.get("Properties") or {}).get("Parameters") or {}
                if name in passed:
                    return self.canon(path[:-1], passed[name])
            return {"@param": [*path, name]}
        if name.startswith("AWS::"):
            return {"Ref": name}
        # a resource (one the comparison may have left out of the templates, see ``types``)
        return {"@res": [*path, name], "@att": "Ref"}

    def _get_att(self, path: tuple[str, ...], logical_id: str, attribute: Any) -> Any:
        child = (*path, logical_id)
        if isinstance(attribute, str) and attribute.startswith("Outputs.") and child in self.stacks:
            output = (self.stacks[child].template.get("Outputs") or {}).get(attribute.removeprefix("Outputs."))
            if isinstance(output, Mapping):
                return self.canon(child, output.get("Value"))
        return {"@res": [*path, logical_id], "@att": attribute}


def _depends_on(value: Any) -> set[Key]:
    """The resources a canonical value refers to."""
    if isinstance(value, Mapping):
        if "@res" in value:
            *stack, logical_id = value["@res"]
            return {(tuple(stack), logical_id)}
        return set().union(*(_depends_on(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_depends_on(v) for v in value)) if value else set()
    return set()


@dataclass
class Change:
    """One resource the change of assembly affects."""

    stack: str
    """The stack's construct path (``Stack`` or ``Stack/UserGroup-research``)."""
    logical_id: str
    resource_type: str
    path: str
    """The resource's construct path (``aws:cdk:path``), else ``stack/logical id``."""
    action: str
    """``add``, ``remove``, ``replace``, ``may replace``, ``update``, ``policy``, ``type change``,
    ``refused update``."""
    verdict: str | None = None
    """:data:`WOULD_DELETE`, :data:`WOULD_FAIL`, or ``None`` for a change that loses nothing."""
    name: str | None = None
    """The fixed (physical) name, when the template sets a literal one."""
    reasons: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The change as a JSON object (camelCase keys)."""
        return {
            "stack": self.stack,
            "logicalId": self.logical_id,
            "type": self.resource_type,
            "path": self.path,
            "name": self.name,
            "action": self.action,
            "verdict": self.verdict,
            "reasons": self.reasons,
        }


def _policy(resource: Mapping[str, Any], key: str) -> str:
    value = resource.get(key, "Delete")
    return value if isinstance(value, str) else "Delete"


def _literal_name(resource: Mapping[str, Any], spec: ReplacementSpec) -> str | None:
    if not spec.name_property:
        return None
    name, _ = value_at(resource.get("Properties") or {}, spec.name_property)
    return name if isinstance(name, str) else None


def compare_assemblies(
    old: Sequence[StackTemplate], new: Sequence[StackTemplate], *, types: Container[str] | None = None
) -> list[Change]:
    """Every resource that differs between two assemblies, with its verdict; only resources of
    ``types`` when given (references to others count as unchanged)."""
    before, after = _Assembly(old), _Assembly(new)

    def collect(assembly: _Assembly) -> dict[Key, Mapping[str, Any]]:
        return {
            (path, lid): resource
            for path in assembly.stacks
            for lid, resource in assembly.resources(path).items()
            if types is None or resource.get("Type") in types
        }

    old_resources, new_resources = collect(before), collect(after)
    labels = {t.path: t.label for t in [*old, *new]}

    def change(key: Key, resource: Mapping[str, Any], action: str) -> Change:
        spec = spec_of(resource)
        metadata = resource.get("Metadata")
        cdk_path = metadata.get("aws:cdk:path") if isinstance(metadata, Mapping) else None
        return Change(
            stack=labels[key[0]],
            logical_id=key[1],
            resource_type=str(resource.get("Type")),
            path=str(cdk_path or f"{labels[key[0]]}/{key[1]}"),
            action=action,
            name=_literal_name(resource, spec),
        )

    changes: dict[Key, Change] = {}
    common = [k for k in new_resources if k in old_resources]
    for key in common:
        if old_resources[key].get("Type") != new_resources[key].get("Type"):
            found = changes[key] = change(key, new_resources[key], "type change")
            found.verdict = WOULD_FAIL
            found.reasons.append(
                f"type {old_resources[key].get('Type')} -> {new_resources[key].get('Type')}: CloudFormation refuses to "
                "change a resource's type"
            )

    for key in common:
        new_res = new_resources[key]
        for name, default in REFUSED_UPDATES.get(str(new_res.get("Type")), {}).items():
            was = before.canon(key[0], (old_resources[key].get("Properties") or {}).get(name, default))
            now = after.canon(key[0], (new_res.get("Properties") or {}).get(name, default))
            if was != now:
                found = changes.setdefault(key, change(key, new_res, "refused update"))
                found.verdict = WOULD_FAIL
                found.reasons.append(
                    f"{name} {_short(was)} -> {_short(now)}: CloudFormation refuses to change it and fails the update"
                )
        refusals = api_refusals(
            str(new_res.get("Type")),
            before.canon(key[0], old_resources[key].get("Properties") or {}),
            after.canon(key[0], new_res.get("Properties") or {}),
        )
        if refusals:
            found = changes.setdefault(key, change(key, new_res, "refused update"))
            found.verdict = WOULD_FAIL
            found.reasons.extend(refusals)

    # Replacement: a create-only value that differs, or that refers to a replaced resource.
    replaced: dict[Key, bool] = {}  # -> only "may" replace
    reasons: dict[Key, list[str]] = {}
    pending: list[tuple[Key, str, set[Key], bool]] = []
    for key in common:
        if key in changes:
            continue
        old_res, new_res = old_resources[key], new_resources[key]
        spec = spec_of(new_res)
        old_props, new_props = old_res.get("Properties") or {}, new_res.get("Properties") or {}
        paths = [(p, False) for p in spec.create_only] + [(p, True) for p in spec.conditional]
        for path, conditional in paths:
            old_value, old_uncertain = value_at(old_props, path)
            new_value, new_uncertain = value_at(new_props, path)
            old_canon, new_canon = before.canon(key[0], old_value), after.canon(key[0], new_value)
            may = conditional or old_uncertain or new_uncertain
            if old_canon != new_canon:
                replaced[key] = replaced.get(key, True) and may
                kind = (
                    "may replace it (conditionally create-only)"
                    if conditional
                    else "may replace it (the value depends on a condition)"
                    if may
                    else "replaces it"
                )
                reasons.setdefault(key, []).append(f"{path} changed ({_short(old_canon)} -> {_short(new_canon)}), which {kind}")
            else:
                dependencies = {d for d in _depends_on(new_canon) if d in new_resources}
                if dependencies:
                    pending.append((key, path, dependencies, may))
    progress = True
    while progress:
        progress = False
        for key, path, dependencies, may in pending:
            for dependency in sorted(d for d in dependencies if d in replaced):
                now_may = may or replaced[dependency]
                if key in replaced and (not replaced[key] or now_may):
                    continue
                replaced[key] = now_may
                reasons.setdefault(key, []).append(
                    f"{path} refers to {dependency[1]}, which is {'maybe ' if now_may else ''}replaced"
                )
                progress = True

    for key in common:
        if key in changes:
            continue
        old_res, new_res = old_resources[key], new_resources[key]
        spec = spec_of(new_res)
        if key in replaced:
            found = changes[key] = change(key, new_res, "may replace" if replaced[key] else "replace")
            found.reasons.extend(reasons[key])
            old_name, new_name = (
                value_at(old_res.get("Properties") or {}, spec.name_property or "")[0],
                value_at(new_res.get("Properties") or {}, spec.name_property or "")[0],
            )
            if spec.name_property and new_name is not None and before.canon(key[0], old_name) == after.canon(key[0], new_name):
                found.verdict = WOULD_FAIL
                if found.resource_type in _CONSEQUENCES:
                    found.reasons.append(f"replacing it means {_CONSEQUENCES[found.resource_type]}")
                found.reasons.append(
                    f"it keeps its fixed name {_short(new_name)}: CloudFormation cannot replace a custom-named resource "
                    "and fails the update (declare it under a new name instead)"
                )
            elif spec.stateful and _policy(old_res, "UpdateReplacePolicy") not in _RETAINING:
                found.verdict = WOULD_DELETE
                found.reasons.append("the replacement is a new, empty resource; the old one and its data are deleted")
            elif spec.stateful:
                found.reasons.append("the old one is kept (UpdateReplacePolicy); the new one starts empty")
        else:
            old_props = before.canon(key[0], old_res.get("Properties") or {})
            new_props = after.canon(key[0], new_res.get("Properties") or {})
            if old_props != new_props or any(d in replaced for d in _depends_on(new_props)):
                changes[key] = change(key, new_res, "update")
        if spec.stateful:
            for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
                was, now = _policy(old_res, policy), _policy(new_res, policy)
                if _POLICY_RANK.get(now, 0) < _POLICY_RANK.get(was, 0):
                    found = changes.setdefault(key, change(key, new_res, "policy"))
                    found.verdict = found.verdict or WOULD_DELETE
                    found.reasons.append(
                        f"{policy} {was} -> {now if policy in new_res else 'removed (Delete)'}: "
                        "a later removal or replacement deletes its data"
                    )

    for key, resource in old_resources.items():
        if key in new_resources:
            continue
        found = changes[key] = change(key, resource, "remove")
        policy = _policy(resource, "DeletionPolicy")
        if key[0] not in after.stacks:
            found.reasons.append(f"its stack {labels[key[0]]} is no longer in the assembly")
        if spec_of(resource).stateful and policy not in _RETAINING:
            found.verdict = WOULD_DELETE
            found.reasons.append(f"no longer declared: deploying deletes it {_LOSSES.get(found.resource_type, 'and its data')}")
        elif policy in _RETAINING:
            found.reasons.append(f"removed from the stack; the resource itself stays (DeletionPolicy {policy})")

    # Name clashes: a resource created under a fixed name that another resource holds.
    def name_key(assembly: _Assembly, key: Key, resource: Mapping[str, Any]) -> str | None:
        spec = spec_of(resource)
        name = _literal_name(resource, spec)
        if name is None:
            return None
        scope_property = NAME_SCOPES.get(str(resource.get("Type")))
        scope = assembly.canon(key[0], value_at(resource.get("Properties") or {}, scope_property)[0]) if scope_property else None
        return json.dumps([resource.get("Type"), scope, name], sort_keys=True)

    held = {k: key for key, resource in old_resources.items() if (k := name_key(before, key, resource)) is not None}
    declared: dict[str, list[Key]] = {}
    for key, resource in new_resources.items():
        if (k := name_key(after, key, resource)) is not None:
            declared.setdefault(k, []).append(key)
    for k, keys in declared.items():
        for key in keys:
            existing = changes.get(key)
            if key in old_resources and (existing is None or existing.action not in ("replace", "may replace")):
                continue  # not created by this update
            holder = held.get(k)
            others = [other for other in keys if other != key]
            if holder == key or (holder is None and not others):
                continue
            resource = new_resources[key]
            found = changes.setdefault(key, change(key, resource, "add"))
            found.verdict = WOULD_FAIL
            other = holder or others[0]
            where = f"{labels[other[0]]}/{other[1]}"
            found.reasons.append(
                f"name clash: {_literal_name(resource, spec_of(resource))!r} is "
                + (
                    f"still held by {where} when CloudFormation creates this one (it creates before it deletes)"
                    if holder
                    else f"also declared by {where}"
                )
            )

    for key, resource in new_resources.items():
        if key not in old_resources and key not in changes:
            changes[key] = change(key, resource, "add")
    order = {WOULD_FAIL: 0, WOULD_DELETE: 1, None: 2}
    return sorted(changes.values(), key=lambda c: (order[c.verdict], c.stack, c.path))


def _short(value: Any) -> str:
    """A canonical value for a message: literals as they are, references as ``<id.attribute>``."""
    if isinstance(value, Mapping) and "@res" in value:
        attribute = value.get("@att")
        return f"<{value['@res'][-1]}{'' if attribute == 'Ref' else '.' + str(attribute)}>"
    if isinstance(value, Mapping) and "@param" in value:
        return f"<{value['@param'][-1]}>"
    if isinstance(value, str):
        return repr(value)
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class BaselineResource:
    """A named resource as the previous synth declared it."""

    resource_type: str
    properties: Mapping[str, Any]
    parameters: frozenset[str] = frozenset()
    """The parameter names of the template the resource was in."""


class Baseline:
    """A previous synth: its templates, and its named Studio resources by construct path."""

    def __init__(self, resources: Mapping[str, BaselineResource], templates: Sequence[StackTemplate] = ()) -> None:
        self.resources = dict(resources)
        self.templates = list(templates)

    @classmethod
    def from_assembly(cls, directory: str | Path) -> Baseline | None:
        """Read a cloud assembly; ``None`` when there is none (a first synth)."""
        try:
            templates = load_templates(directory)
        except AssemblyError:
            return None
        found = {}
        for stack in templates:
            parameters = frozenset(stack.template.get("Parameters", {}))
            for logical_id, resource in stack.template.get("Resources", {}).items():
                if resource.get("Type") in NAMED_TYPES:
                    path = resource.get("Metadata", {}).get("aws:cdk:path", f"{stack.label}/{logical_id}")
                    found[path] = BaselineResource(resource["Type"], resource.get("Properties", {}), parameters)
        return cls(found, templates)


class _CheckedTypes:
    """What the synth-time check reads back from the construct tree (reading every resource costs
    about 5 ms each in jsii calls): stateful and named types, nested stacks, custom resources
    (which may declare themselves). ``guard`` on the written assembly reads every resource."""

    _types = STATEFUL_TYPES | set(NAME_PROPERTIES) | {"AWS::CloudFormation::Stack", "AWS::CloudFormation::CustomResource"}

    def __contains__(self, resource_type: object) -> bool:
        return isinstance(resource_type, str) and (
            resource_type in self._types or resource_type.startswith("Custom::") or resource_type in CUSTOM_TYPES
        )


_CHECKED_TYPES = _CheckedTypes()

_POLICY_NAMES = {
    CfnDeletionPolicy.DELETE: "Delete",
    CfnDeletionPolicy.RETAIN: "Retain",
    CfnDeletionPolicy.SNAPSHOT: "Snapshot",
    CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE: "RetainExceptOnCreate",
}


def templates_of(root: IConstruct, *, checked: Callable[[str], bool] = lambda t: True) -> list[StackTemplate]:
    """The templates of an app's construct tree as :func:`load_templates` reads them from an
    assembly, with their parameters and outputs and the resources of the ``checked`` types; valid
    once references are resolved, that is from validation on. About ten jsii calls a resource."""
    stacks: dict[str, dict[str, Any]] = {}
    order: list[Stack] = []
    pending: dict[str, list[tuple[str, str, Any]]] = {}  # stack path -> (section, logical id token, entry)
    stack_of: dict[str, Stack] = {}
    for node in root.node.find_all():
        if isinstance(node, Stack):
            order.append(node)
            stacks[node.node.path] = {"Resources": {}, "Parameters": {}, "Outputs": {}}
            continue
        if isinstance(node, CfnResource):
            resource_type = _type_of(node)
            if not checked(resource_type):
                continue
        elif not isinstance(node, (CfnParameter, CfnOutput)):
            continue
        stack = Stack.of(node)
        stack_path = stack.node.path
        stack_of[stack_path] = stack
        entry: dict[str, Any]
        if isinstance(node, CfnParameter):
            entry, section = {"Type": "String"}, "Parameters"
        elif isinstance(node, CfnOutput):
            entry, section = {"Value": stack.resolve(node.value)}, "Outputs"
            if node.export_name is not None:
                entry["Export"] = {"Name": stack.resolve(node.export_name)}
        else:
            section = "Resources"
            entry = {
                "Type": resource_type,
                "Properties": _overridden(node, stack.resolve(node._render_properties(stack.resolve(node._cfn_properties)))),
                "Metadata": {"aws:cdk:path": node.node.path},
            }
            if resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource":
                declared = node.get_metadata(METADATA_KEY)
                if declared is not None:
                    entry["Metadata"][METADATA_KEY] = declared
            if resource_type in STATEFUL_TYPES or resource_type in CUSTOM_TYPES or METADATA_KEY in entry["Metadata"]:
                options = node.cfn_options
                for key, policy in (
                    ("DeletionPolicy", options.deletion_policy),
                    ("UpdateReplacePolicy", options.update_replace_policy),
                ):
                    if policy is not None:
                        entry[key] = _POLICY_NAMES[policy]
        pending.setdefault(stack_path, []).append((section, stack.get_logical_id(node), entry))
    for stack_path, entries in pending.items():
        logical_ids = stack_of[stack_path].resolve([token for _, token, _ in entries])  # one call a stack
        for (section, _, entry), logical_id in zip(entries, logical_ids, strict=True):
            stacks[stack_path][section][str(logical_id)] = entry
    found: dict[str, StackTemplate] = {}
    for stack in order:
        nested = stack.nested_stack_resource if isinstance(stack, NestedStack) else None
        if nested is None:
            found[stack.node.path] = StackTemplate((stack.artifact_id,), stacks[stack.node.path], stack.artifact_id)
            continue
        parent = Stack.of(nested)
        parent_path = found[parent.node.path].path
        logical_id = str(parent.resolve(parent.get_logical_id(nested)))
        label = stack.node.path.split(".NestedStack/")[0]
        found[stack.node.path] = StackTemplate((*parent_path, logical_id), stacks[stack.node.path], label)
    return list(found.values())


_DELETED = object()
_OVERRIDES: weakref.WeakKeyDictionary[CfnResource, list[tuple[str, Any]]] = weakref.WeakKeyDictionary()
"""Property overrides made through :func:`override_property`, by resource (CDK keeps its own private)."""


def override_property(resource: CfnResource, path: str, value: Any = _DELETED) -> None:
    """Override (or, without ``value``, delete) the template property at ``path`` (dotted, template
    spelling) of ``resource``, so that :func:`templates_of` sees it too (it reads the construct
    tree, where CDK's overrides are not visible)."""
    if value is _DELETED:
        resource.add_property_deletion_override(path)
    else:
        resource.add_property_override(path, value)
    _OVERRIDES.setdefault(resource, []).append((path, value))


def _overridden(resource: CfnResource, properties: Any) -> Any:
    for path, value in _OVERRIDES.get(resource, ()):
        parts = path.split(".")
        node = properties
        for part in parts[:-1]:
            if not isinstance(node, dict):
                break
            node = node.setdefault(part, {})
        else:
            if isinstance(node, dict):
                if value is _DELETED:
                    node.pop(parts[-1], None)
                else:
                    node[parts[-1]] = value
    return properties


_L1_TYPES: dict[type, str] = {}


def _type_of(node: CfnResource) -> str:
    """The resource type, asked of Node once per L1 class (a plain ``CfnResource`` each time)."""
    cls = type(node)
    if cls is CfnResource:
        return str(node.cfn_resource_type)
    if cls not in _L1_TYPES:
        _L1_TYPES[cls] = str(node.cfn_resource_type)
    return _L1_TYPES[cls]


@jsii.implements(IAspect)
class NamedReplacementCheck:
    """An aspect that warns, at synth time, on every resource the app would delete with its data
    or that CloudFormation would refuse to replace, compared with a :class:`Baseline` (the same
    comparison as ``sagemaker-studio-cdk guard``, over the stateful and named resources only).

    Add it with ``Aspects.of(app).add(NamedReplacementCheck(baseline))``.
    """

    def __init__(self, baseline: Baseline) -> None:
        self._baseline = baseline
        self._registered = False

    def visit(self, node: IConstruct) -> None:
        """On the first construct visited, schedule the comparison of the whole app for validation
        time, when references are resolved (added to a stack, the aspect still checks the app)."""
        if not self._registered:
            self._registered = True
            root = node.node.root
            root.node.add_validation(_Compare(self._baseline, root))


@jsii.implements(IValidation)
class _Compare:
    def __init__(self, baseline: Baseline, root: IConstruct) -> None:
        self._baseline = baseline
        self._root = root

    def validate(self) -> list[str]:
        new = templates_of(self._root, checked=_CHECKED_TYPES.__contains__)
        for found in compare_assemblies(self._baseline.templates, new, types=_CHECKED_TYPES):
            if found.verdict is None:
                continue
            what = f"{found.resource_type} {found.name!r}" if found.name else f"{found.resource_type} {found.path}"
            Annotations.of(_deepest_existing(self._root, found.path)).add_warning_v2(
                WARNING_ID, f"{what} {found.verdict}: {'; '.join(found.reasons)}."
            )
        return []


def _deepest_existing(root: IConstruct, path: str) -> IConstruct:
    """The construct nearest to ``path`` that still exists, below the root when possible
    (messages on the app root reach no stack and are never shown)."""
    node = root
    for part in path.split("/"):
        child = node.node.try_find_child(part)
        if child is None:
            break
        node = child
    return node
