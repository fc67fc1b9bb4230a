"""What every StudioChecks rule shares: the rule record, the view of a resource, the app index.

A rule is a pure function of one :class:`Resource` (its CloudFormation type, its resolved
properties in template form, its deletion policy) and, for the rules that need more than one
resource, the :class:`AppIndex` of the app it sits in (domains, images, lifecycle configs, IAM
roles and policies, exports), with references followed through ``Ref``, ``Fn::GetAtt``, nested
stack parameters and ``Fn::ImportValue``.

Rules see the properties an L1 resource renders, the same way cdk-nag's own rules do; an
escape-hatch override (``add_property_override``) is invisible in the app, but ``check`` of the
synthesized templates sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from aws_cdk import CfnMapping, CfnOutput, CfnResource, Stack
from cdk_nag import NagMessageLevel
from constructs import IConstruct

from ... import limits
from ..nag import flatten_reference

PACK_NAME = "StudioChecks"

RuleResult = bool | list[str]
"""``True``: compliant or not applicable; ``False``: non-compliant; a list: one finding per item,
reported as ``StudioChecks-<Rule>[<item>]``."""


@dataclass(frozen=True)
class Rule:
    """One StudioChecks rule.

    :param name: the rule's suffix: the finding id is ``StudioChecks-<name>``.
    :param level: ``ERROR`` fails synth and ``check``; ``WARN`` is reported.
    :param resource_types: the CloudFormation types the rule looks at; no other resource reaches it.
    :param info: what a finding says.
    :param explanation: why it matters and how to fix it.
    :param check: the rule itself.
    """

    name: str
    level: NagMessageLevel
    resource_types: tuple[str, ...]
    info: str
    explanation: str
    check: Callable[[Resource], RuleResult]

    @property
    def id(self) -> str:
        """The finding id: ``StudioChecks-<name>``."""
        return f"{PACK_NAME}-{self.name}"


def dig(node: Any, *keys: str | int) -> Any:
    """``node[k1][k2]...``, or ``None`` where a key is missing or a value is not a container."""
    for key in keys:
        if isinstance(key, int):
            if not isinstance(node, list) or not -len(node) <= key < len(node):
                return None
            node = node[key]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
    return node


def as_list(value: Any) -> list[Any]:
    """A template value that may be one item or a list, as a list (``None``: empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_intrinsic(value: Any) -> bool:
    """True for ``{"Ref": ...}`` / ``{"Fn::...": ...}``: a value known only at deploy time."""
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::"))


def flat(value: Any) -> str:
    """A template value as one string, intrinsics as ``<...>`` placeholders (cdk-nag's form)."""
    return flatten_reference(value)


_PLACEHOLDER = re.compile(r"<[^<>]*>")


def wildcard_pattern(value: str) -> re.Pattern[str]:
    """An IAM-style pattern (``*``, ``?``, case-insensitive) as a regular expression."""
    escaped = re.escape(value).replace(r"\*", ".*").replace(r"\?", ".")
    return re.compile(f"^{escaped}$", re.IGNORECASE)


def iam_match(pattern: str, value: str) -> bool:
    """True when the IAM pattern ``pattern`` (an action or ARN with wildcards) matches ``value``."""
    return bool(wildcard_pattern(pattern).match(value))


def render_properties(node: CfnResource, stack: Stack) -> Any:
    """``node``'s properties in template form (PascalCase). Lazy values are resolved before the L1
    class renders them: its type checks reject an unresolved ``Lazy``."""
    return node._render_properties(stack.resolve(node._cfn_properties))


@dataclass(frozen=True)
class LoadedTemplates:
    """What the synthesized templates say, for an app loaded from them with ``CfnInclude``
    (``check``): rules then read each resource as the template has it, escape-hatch overrides
    included, without asking the CDK to render it again.

    :param resources: construct path of each loaded resource -> (its logical id, its template entry).
    :param mappings: construct path of each loaded stack -> its template's ``Mappings``.
    """

    resources: Mapping[str, tuple[str, Mapping[str, Any]]]
    mappings: Mapping[str, Mapping[str, Any]]


class Resource:
    """One CloudFormation resource of the app, as a rule sees it."""

    def __init__(
        self,
        node: CfnResource,
        index: AppIndex | Callable[[], AppIndex],
        resource_type: str | None = None,
        loaded: LoadedTemplates | None = None,
    ) -> None:
        self.node = node
        self._index = index
        self.type = resource_type or node.cfn_resource_type
        self._loaded = loaded

    @cached_property
    def _entry(self) -> tuple[str, Mapping[str, Any]] | None:
        return self._loaded.resources.get(self.path) if self._loaded is not None else None

    @cached_property
    def index(self) -> AppIndex:
        """The app's index (built on first use: rules that read only their own resource never pay for it)."""
        return self._index if isinstance(self._index, AppIndex) else self._index()

    @cached_property
    def stack(self) -> Stack:
        """The stack (or nested stack) the resource is in."""
        return Stack.of(self.node)

    @cached_property
    def stack_path(self) -> str:
        return self.index.path_of(self.stack)

    @cached_property
    def path(self) -> str:
        """The construct path."""
        return str(self.node.node.path)

    @cached_property
    def logical_id(self) -> str:
        if self._entry is not None:
            return self._entry[0]
        return str(self.stack.resolve(self.node.logical_id))

    @property
    def key(self) -> tuple[str, str]:
        """What identifies the resource in the app: its stack's path and its logical id."""
        return (self.stack_path, self.logical_id)

    @cached_property
    def props(self) -> dict[str, Any]:
        """The resource's properties as the template has them (PascalCase), intrinsics as
        CloudFormation JSON."""
        if self._entry is not None:
            properties = self._entry[1].get("Properties")
            return dict(properties) if isinstance(properties, Mapping) else {}
        resolved = self.stack.resolve(render_properties(self.node, self.stack))
        return resolved if isinstance(resolved, dict) else {}

    def get(self, *keys: str | int) -> Any:
        """A property by path below ``Properties``."""
        return dig(self.props, *keys)

    @cached_property
    def deletion_policy(self) -> str | None:
        """``Retain``, ``Delete``, ``RetainExceptOnCreate``, ``Snapshot`` or ``None`` (CloudFormation's
        default: delete)."""
        if self._entry is not None:
            value = self._entry[1].get("DeletionPolicy")
            return value if isinstance(value, str) else None
        policy = self.node.cfn_options.deletion_policy
        if policy is None:
            return None
        return {
            "RETAIN": "Retain",
            "DELETE": "Delete",
            "RETAIN_EXCEPT_ON_CREATE": "RetainExceptOnCreate",
            "SNAPSHOT": "Snapshot",
        }.get(policy.name, policy.name)

    @cached_property
    def region(self) -> str | None:
        """The stack's region when it is known at synth time."""
        region = self.stack.region
        return None if limits.is_token(region) else str(region)

    def __repr__(self) -> str:
        return f"Resource({self.type} {self.path})"


INDEXED_TYPES = frozenset(
    {
        "AWS::SageMaker::Domain",
        "AWS::SageMaker::Image",
        "AWS::SageMaker::ImageVersion",
        "AWS::SageMaker::StudioLifecycleConfig",
        "AWS::IAM::Role",
        "AWS::IAM::Policy",
        "AWS::IAM::RolePolicy",
        "AWS::IAM::ManagedPolicy",
    }
)
"""The types rules look up across the app."""


class AppIndex:
    """The resources of one app that rules look up by reference or by name, built once a run."""

    def __init__(self, root: IConstruct, loaded: LoadedTemplates | None = None) -> None:
        self.root = root
        self._loaded = loaded
        self._template_mappings = loaded.mappings if loaded is not None else {}
        self._stack_paths: dict[str, str] = {}
        self._by_type: dict[str, list[Resource]] = {t: [] for t in INDEXED_TYPES}
        self._by_key: dict[tuple[str, str], Resource] = {}
        self._by_logical_id: dict[str, list[Resource]] = {}
        self._outputs: list[CfnOutput] = []
        self._mappings: dict[tuple[str, str], CfnMapping] = {}
        self._parameters: dict[str, dict[str, Any]] = {}
        self._exports: dict[str, tuple[Stack, Any]] | None = None
        for construct in root.node.find_all():
            if isinstance(construct, CfnResource):
                resource_type = construct.cfn_resource_type
                if resource_type in INDEXED_TYPES:
                    resource = Resource(construct, self, resource_type, loaded)
                    self._by_type[resource_type].append(resource)
                    self._by_key[resource.key] = resource
                    self._by_logical_id.setdefault(resource.logical_id, []).append(resource)
            elif isinstance(construct, CfnOutput):
                self._outputs.append(construct)
            elif isinstance(construct, CfnMapping):
                stack = Stack.of(construct)
                self._mappings[(self.path_of(stack), str(stack.resolve(construct.logical_id)))] = construct

    def path_of(self, stack: Stack) -> str:
        """``stack``'s construct path (looked up once per stack: jsii hands out a new Python object
        for the same stack, so the key is the kernel's reference)."""
        reference = getattr(getattr(stack, "__jsii_ref__", None), "ref", None)
        if reference is None:
            return str(stack.node.path)
        if reference not in self._stack_paths:
            self._stack_paths[reference] = str(stack.node.path)
        return self._stack_paths[reference]

    def of_type(self, resource_type: str) -> list[Resource]:
        """Every indexed resource of ``resource_type`` (one of :data:`INDEXED_TYPES`)."""
        return self._by_type[resource_type]

    def named(self, resource_type: str, name_property: str, name: str) -> Resource | None:
        """The resource of ``resource_type`` whose ``name_property`` is ``name``."""
        return next((r for r in self._by_type[resource_type] if r.get(name_property) == name), None)

    def mapping(self, stack: Stack, name: str) -> CfnMapping | None:
        """The ``Mappings`` entry ``name`` of ``stack``."""
        return self._mappings.get((self.path_of(stack), name))

    def mapping_values(self, stack: Stack, name: str) -> Mapping[str, Any] | None:
        """The contents of ``stack``'s mapping ``name`` when known: from the template, for an app
        loaded from a synthesized assembly (aws-cdk-lib offers no way to read a ``CfnMapping``)."""
        values = self._template_mappings.get(self.path_of(stack), {}).get(name)
        return values if isinstance(values, Mapping) else None

    # -- references ----------------------------------------------------------------------------

    def referenced(self, origin: Resource, value: Any) -> Resource | None:
        """The indexed resource that ``value`` (a property of ``origin``) refers to, if any."""
        return self._trace(origin.stack, value, 0)

    def referenced_all(self, origin: Resource, value: Any) -> list[Resource]:
        """Every indexed resource that ``value`` refers to, anywhere inside it."""
        found: list[Resource] = []
        for part in _intrinsics(value):
            resource = self._trace(origin.stack, part, 0)
            if resource is not None and resource not in found:
                found.append(resource)
        return found

    def _trace(self, stack: Stack, value: Any, depth: int) -> Resource | None:
        if depth > 8 or not is_intrinsic(value):
            if isinstance(value, (dict, list)) and depth <= 8:
                for part in _intrinsics(value):
                    if part is not value:
                        found = self._trace(stack, part, depth + 1)
                        if found is not None:
                            return found
            return None
        ((fn, arg),) = value.items()
        stack_path = self.path_of(stack)
        if fn == "Ref" and isinstance(arg, str):
            if (stack_path, arg) in self._by_key:
                return self._by_key[(stack_path, arg)]
            given = self._parameter(stack, arg)
            if given is not None:
                return self._trace(given[0], given[1], depth + 1)
            return self._unique(arg)
        if fn == "Fn::GetAtt":
            logical_id = arg[0] if isinstance(arg, list) and arg else str(arg).split(".", 1)[0]
            if isinstance(logical_id, str):
                return self._by_key.get((stack_path, logical_id)) or self._unique(logical_id)
            return None
        if fn == "Fn::ImportValue":
            exported = self._export(arg)
            return self._trace(exported[0], exported[1], depth + 1) if exported else None
        for part in _intrinsics(arg):
            found = self._trace(stack, part, depth + 1)
            if found is not None:
                return found
        return None

    def _unique(self, logical_id: str) -> Resource | None:
        """A resource of another stack, before synth turns cross-stack references into parameters
        and exports: only when exactly one stack has that logical id."""
        candidates = self._by_logical_id.get(logical_id, [])
        return candidates[0] if len(candidates) == 1 else None

    def _parameter(self, stack: Stack, name: str) -> tuple[Stack, Any] | None:
        """What the parent of a nested ``stack`` passes as its parameter ``name``."""
        key = self.path_of(stack)
        if key not in self._parameters:
            given: dict[str, Any] = {}
            parent = stack.nested_stack_parent
            resource = stack.nested_stack_resource
            if parent is not None and resource is not None:
                loaded = self._loaded.resources.get(str(resource.node.path)) if self._loaded is not None else None
                if loaded is not None:
                    values = dig(loaded[1], "Properties", "Parameters")
                else:
                    values = dig(parent.resolve(render_properties(resource, parent)), "Parameters")
                given = {"parent": parent, "values": values if isinstance(values, dict) else {}}
            self._parameters[key] = given
        known = self._parameters[key]
        if not known or name not in known["values"]:
            return None
        return known["parent"], known["values"][name]

    def _export(self, name: Any) -> tuple[Stack, Any] | None:
        if self._exports is None:
            self._exports = {}
            for output in self._outputs:
                if output.export_name is None:
                    continue
                stack = Stack.of(output)
                self._exports[str(stack.resolve(output.export_name))] = (stack, stack.resolve(output.value))
        return self._exports.get(str(name)) if isinstance(name, str) else None


def _intrinsics(value: Any) -> Iterator[Any]:
    """``value`` and the intrinsic calls nested anywhere inside it, outermost first."""
    if is_intrinsic(value):
        yield value
        ((_, arg),) = value.items()
        yield from _intrinsics(arg)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _intrinsics(item)
    elif isinstance(value, list):
        for item in value:
            yield from _intrinsics(item)


def strings_in(value: Any) -> list[str]:
    """A value that may be one string or a list of them, each flattened (``<...>`` for intrinsics)."""
    return [flat(v) for v in as_list(value)]


def placeholders_to_wildcards(value: str) -> str:
    """``arn:<AWS::Partition>:sagemaker:...`` -> ``arn:*:sagemaker:...``: a pattern that matches
    whatever the intrinsics become at deploy time."""
    return _PLACEHOLDER.sub("*", value)


def mapping_of(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    return dict(settings) if isinstance(settings, Mapping) else {}
