"""CloudFormation's create, update and delete, in place of moto's (moto 5.2.5, pinned).

moto creates resources lazily in whatever order references pull them, updates by removing, then
adding, then modifying, leaves replacement to each model, ignores ``DeletionPolicy`` on update
and ``UpdateReplacePolicy`` always, never re-resolves a resource whose template text did not
change, and has no rollback. This module does what CloudFormation does:

- **Order**: resources in dependency order (``DependsOn``, ``Ref``, ``Fn::GetAtt``, ``Fn::Sub``);
  deletes in the reverse order.
- **Update versus replacement**: a resource whose resolved properties changed is replaced when a
  changed property is create-only in CloudFormation's schema (cfn-lint's copy, read by
  :func:`sagemaker_studio_cdk.create_only.create_only_properties`), else updated in place.
  Replacing a custom-named resource under the same name fails the update with CloudFormation's
  error. A resource whose properties resolve differently because something it references was
  replaced is updated too.
- **Two phases**: the update phase creates, updates and creates replacements; only when it
  succeeds does the cleanup phase delete replaced and removed resources, honouring
  ``UpdateReplacePolicy`` and ``DeletionPolicy`` (``Retain``, ``RetainExceptOnCreate``).
- **Rollback**: a failure undoes the update phase (in-place updates re-applied with the old
  properties, new resources deleted unless they carry ``DeletionPolicy: Retain``), restores the
  template, parameters and outputs, and leaves the stack in ``UPDATE_ROLLBACK_COMPLETE`` with
  the failed resource's event carrying the reason; a failed create rolls back to
  ``ROLLBACK_COMPLETE``. Like CloudFormation, the API call itself succeeds: read the stack's
  status and events.
- **Nested stacks** (``AWS::CloudFormation::Stack``) update in place through the same engine,
  roll back and clean up with their parent, and ``Fn::GetAtt Child.Outputs.X`` works.
- **Coverage**: a template with a resource type that neither moto nor this extension models is
  refused (``ValidationError``), instead of being skipped while the stack reports success. So
  is an in-place update or delete of a type whose moto model cannot perform it.
- **Exports** in use by another stack cannot be deleted, or changed by an update.
"""

from __future__ import annotations

import base64
import copy
import ipaddress
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import regex as re
from moto.cloudformation import parsing
from moto.cloudformation.exceptions import ExportNotFound, UnformattedGetAttTemplateException, ValidationError
from moto.cloudformation.models import CloudFormationBackend, Event, Stack, cloudformation_backends
from moto.cloudformation.utils import get_stack_from_s3_url
from moto.core.common_models import CloudFormationModel
from moto.utilities.utils import get_partition

from ..create_only import changed_create_only
from ..create_only import create_only_properties as _create_only_properties

NO_VALUE = object()
"""What ``{"Ref": "AWS::NoValue"}`` resolves to: the key or list item disappears."""

RETAINING = ("Retain", "RetainExceptOnCreate")

PSEUDO_PARAMETERS = ("AWS::AccountId", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix",
                     "AWS::NoValue", "AWS::Partition", "AWS::NotificationARNs")  # fmt: skip


class ResourceFailure(Exception):
    """A resource operation failed; ``reason`` is what CloudFormation's event would say."""

    def __init__(self, logical_id: str, reason: str) -> None:
        super().__init__(f"{logical_id}: {reason}")
        self.logical_id = logical_id
        self.reason = reason


class StackFailure(Exception):
    """A stack operation failed and was rolled back."""

    def __init__(self, reason: str, failed: list[str]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.failed = failed


# -- what the extension knows about types -----------------------------------------------------------

_EXTRA: dict[str, type[CloudFormationModel]] = {}
"""Models this extension adds or replaces, by type (filled by :mod:`.install`)."""

_CUSTOM: list[type[CloudFormationModel]] = []
"""The model of ``Custom::*`` and ``AWS::CloudFormation::CustomResource`` (filled by :mod:`.install`)."""

BOOTSTRAP_GAPS: dict[tuple[str, str], str] = {}
"""``(type, logical id)`` of the CDK bootstrap template that may pass unmodelled, with the reason.
Empty: every resource of the bootstrap template (``cdk bootstrap`` of the pinned CLI) is modelled,
``AWS::S3::BucketPolicy`` by this extension."""


def model_class(resource_type: str) -> type[CloudFormationModel] | None:
    """The model of ``resource_type``: this extension's, else moto's; ``None`` when neither has one."""
    if resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource":
        return _CUSTOM[0] if _CUSTOM else None
    if resource_type == "AWS::CloudFormation::Stack":
        return NestedStack
    if resource_type in _EXTRA:
        return _EXTRA[resource_type]
    if resource_type in parsing.NULL_MODELS:
        return None
    return parsing.get_model_map().get(resource_type)


def resource_class_from_type(resource_type: str) -> type[CloudFormationModel]:
    """moto's lookup, made loud: an unmodelled type is an error, never a skipped resource."""
    found = model_class(resource_type)
    if found is None:
        raise ValidationError(message=unmodelled_message([resource_type]))
    return found


def unmodelled_message(types: Iterable[str]) -> str:
    return (
        f"Template format error: Unrecognized resource types: [{', '.join(sorted(set(types)))}] "
        "(neither moto 5.2.5 nor sagemaker_studio_cdk.testing models them; deploying would skip them)"
    )


def check_template(template: Mapping[str, Any], old: Mapping[str, Any] | None = None) -> None:
    """Refuse a template whose types are not all modelled, or an update that changes a type."""
    resources = template.get("Resources") or {}
    missing = [
        r.get("Type", "?")
        for lid, r in resources.items()
        if model_class(r.get("Type", "")) is None and (r.get("Type"), lid) not in BOOTSTRAP_GAPS
    ]
    if missing:
        raise ValidationError(message=unmodelled_message(missing))
    if old is not None:
        changed = sorted(
            lid
            for lid, r in resources.items()
            if lid in (old.get("Resources") or {}) and old["Resources"][lid]["Type"] != r["Type"]
        )
        if changed:
            raise ValidationError(
                message="Update of resource type is not permitted. The new template modifies resource type of "
                f"the following resources: [{', '.join(changed)}]"
            )


def create_only_paths(resource_type: str) -> tuple[str, ...]:
    try:
        return _create_only_properties(resource_type)
    except Exception:  # a type cfn-lint has no schema for (Custom::*, AWS::CDK::Metadata)
        return ()


def name_property(resource_type: str) -> str:
    cls = model_class(resource_type)
    if cls is None:
        return ""
    if hasattr(cls, "_name_property"):
        return str(cls._name_property())
    try:
        return cls.cloudformation_name_type() or ""
    except Exception:
        return ""


# -- intrinsic functions ------------------------------------------------------------------------------


def _lookup(ctx: Any, name: str) -> tuple[bool, Any]:
    parsed = ctx._parsed_resources if isinstance(ctx, parsing.ResourceMap) else ctx
    if name in parsed:
        return True, parsed[name]
    return False, None


def _template_resources(ctx: Any) -> Mapping[str, Any]:
    return ctx._resource_json_map if isinstance(ctx, parsing.ResourceMap) else {}


def _ref(name: str, ctx: Any) -> Any:
    if name == "AWS::NoValue":
        return NO_VALUE
    found, value = _lookup(ctx, name)
    if not found:
        if name in _template_resources(ctx):
            raise ValidationError(message=f"Template error: {name} is referenced before it exists (or its condition is false)")
        raise ValidationError(
            message=f"Template format error: Unresolved resource dependencies [{name}] in the Resources block of the template"
        )
    if isinstance(value, CloudFormationModel) or hasattr(value, "physical_resource_id"):
        return value.physical_resource_id
    return value


def _get_att(name: str, attribute: str, ctx: Any) -> Any:
    found, resource = _lookup(ctx, name)
    if not found or resource is None or isinstance(resource, (str, list, dict)):
        raise ValidationError(message=f"Template error: instance of Fn::GetAtt references undefined resource {name}")
    try:
        value = resource.get_cfn_attribute(attribute)
    except (NotImplementedError, UnformattedGetAttTemplateException, AttributeError, KeyError):
        value = None
    if value is None:
        raise ValidationError(
            message=f"Template error: resource {name} does not support attribute type {attribute} in Fn::GetAtt"
        )
    return value


def _condition(name: str, ctx: Any) -> bool:
    if not isinstance(ctx, parsing.ResourceMap):
        raise ValidationError(message=f"Template error: condition {name} used where no conditions are known")
    return bool(ctx.lazy_condition_map[name])


_SUB = re.compile(r"\$\{([^}]*)\}")


def _sub(argument: Any, ctx: Any) -> str:
    if isinstance(argument, list):
        text, variables = argument[0], {k: _resolve(v, ctx) for k, v in argument[1].items()}
    else:
        text, variables = argument, {}

    def replace(match: Any) -> str:
        inner = match.group(1)
        if inner.startswith("!"):
            return "${" + str(inner[1:]) + "}"
        if inner in variables:
            return _text(variables[inner])
        if "." in inner and not inner.startswith("AWS::"):
            name, attribute = inner.split(".", 1)
            return _text(_get_att(name, attribute, ctx))
        return _text(_ref(inner, ctx))

    return str(_SUB.sub(replace, text))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _azs(region: Any, ctx: Any) -> list[str]:
    from moto.ec2.models import ec2_backends

    if not region:
        region = ctx._region_name if isinstance(ctx, parsing.ResourceMap) else _lookup(ctx, "AWS::Region")[1]
    account = ctx._account_id if isinstance(ctx, parsing.ResourceMap) else _lookup(ctx, "AWS::AccountId")[1]
    zones = ec2_backends[account][region].describe_availability_zones()
    return sorted(z.name for z in zones)


def _cidr(block: str, count: int, bits: int) -> list[str]:
    network = ipaddress.ip_network(block, strict=False)
    prefix = network.max_prefixlen - int(bits)
    return [str(n) for _, n in zip(range(int(count)), network.subnets(new_prefix=prefix), strict=False)]


def _import(name: str, ctx: Any) -> Any:
    exports = ctx.cross_stack_resources if isinstance(ctx, parsing.ResourceMap) else None
    for export in (exports or {}).values():
        if export.name == name:
            return export.value
    raise ExportNotFound(name)


def _function(key: str, argument: Any, ctx: Any) -> Any:  # noqa: C901 - one branch per intrinsic
    if key == "Ref":
        return _ref(_resolve(argument, ctx), ctx)
    if key == "Fn::GetAtt":
        if isinstance(argument, str):
            name, attribute = argument.split(".", 1)
        else:
            name, attribute = argument[0], _resolve(argument[1], ctx)
        return _get_att(name, attribute, ctx)
    if key == "Fn::Join":
        delimiter, items = argument
        resolved = _resolve(items, ctx)
        return _resolve(delimiter, ctx).join(_text(i) for i in resolved if i is not NO_VALUE)
    if key == "Fn::Sub":
        return _sub(argument, ctx)
    if key == "Fn::Select":
        index, items = _resolve(argument[0], ctx), _resolve(argument[1], ctx)
        return items[int(index)]
    if key == "Fn::Split":
        return _resolve(argument[1], ctx).split(_resolve(argument[0], ctx))
    if key == "Fn::If":
        name, when_true, when_false = argument
        return _resolve(when_true if _condition(name, ctx) else when_false, ctx)
    if key == "Fn::FindInMap":
        mapping, top, second = (_resolve(a, ctx) for a in argument[:3])
        mappings = ctx._template.get("Mappings", {}) if isinstance(ctx, parsing.ResourceMap) else {}
        try:
            return copy.deepcopy(mappings[mapping][top][second])
        except KeyError:
            if len(argument) > 3 and isinstance(argument[3], Mapping) and "DefaultValue" in argument[3]:
                return _resolve(argument[3]["DefaultValue"], ctx)
            raise ValidationError(message=f"Template error: Unable to get mapping for {mapping}::{top}::{second}") from None
    if key == "Fn::ImportValue":
        return _import(_resolve(argument, ctx), ctx)
    if key == "Fn::GetAZs":
        return _azs(_resolve(argument, ctx), ctx)
    if key == "Fn::Base64":
        return base64.b64encode(_text(_resolve(argument, ctx)).encode()).decode()
    if key == "Fn::ToJsonString":
        return json.dumps(_resolve(argument, ctx), separators=(",", ":"))
    if key == "Fn::Length":
        return len(_resolve(argument, ctx))
    if key == "Fn::Cidr":
        block, count, bits = (_resolve(a, ctx) for a in argument)
        return _cidr(block, count, bits)
    raise ValidationError(message=f"Template error: unsupported intrinsic function {key}")


_FUNCTIONS = {"Ref", "Fn::GetAtt", "Fn::Join", "Fn::Sub", "Fn::Select", "Fn::Split", "Fn::If", "Fn::FindInMap",
              "Fn::ImportValue", "Fn::GetAZs", "Fn::Base64", "Fn::ToJsonString", "Fn::Length", "Fn::Cidr"}  # fmt: skip


def _resolve(value: Any, ctx: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            key = next(iter(value))
            if key in _FUNCTIONS:
                return _function(key, value[key], ctx)
        out = {}
        for key, item in value.items():
            resolved = _resolve(item, ctx)
            if resolved is NO_VALUE or resolved is None:
                continue
            out[key] = resolved
        return out
    if isinstance(value, list):
        return [r for r in (_resolve(v, ctx) for v in value) if r is not NO_VALUE]
    return value


def resolve(value: Any, resources_map: Any) -> Any:
    """moto's ``clean_json``, done as CloudFormation does: every intrinsic, ``AWS::NoValue``
    removing its key or item, and any reference that cannot be resolved is an error."""
    resolved = _resolve(value, resources_map)
    return None if resolved is NO_VALUE else resolved


# -- dependency order ---------------------------------------------------------------------------------


def references(value: Any) -> set[str]:
    """Logical ids (and parameters) that ``value`` refers to."""
    found: set[str] = set()
    if isinstance(value, dict):
        if len(value) == 1:
            key, argument = next(iter(value.items()))
            if key == "Ref" and isinstance(argument, str):
                found.add(argument)
            elif key == "Fn::GetAtt":
                found.add(argument.split(".", 1)[0] if isinstance(argument, str) else argument[0])
            elif key == "Fn::Sub":
                text = argument[0] if isinstance(argument, list) else argument
                for inner in _SUB.findall(text) if isinstance(text, str) else []:
                    if not inner.startswith("!"):
                        found.add(inner.split(".", 1)[0] if not inner.startswith("AWS::") else inner)
        for item in value.values():
            found |= references(item)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def dependencies(resources: Mapping[str, Any]) -> dict[str, set[str]]:
    found = {}
    for lid, resource in resources.items():
        depends = resource.get("DependsOn") or []
        depends = [depends] if isinstance(depends, str) else list(depends)
        needed = (set(depends) | references({k: v for k, v in resource.items() if k != "DependsOn"})) & set(resources)
        found[lid] = needed - {lid}
    return found


def creation_order(resources: Mapping[str, Any]) -> list[str]:
    """Logical ids so that each comes after everything it depends on (template order otherwise)."""
    needs = dependencies(resources)
    order: list[str] = []
    done: set[str] = set()
    pending = list(resources)
    while pending:
        ready = [lid for lid in pending if needs[lid] <= done]
        if not ready:
            raise ValidationError(message=f"Circular dependency between resources: [{', '.join(sorted(pending))}]")
        for lid in ready:
            order.append(lid)
            done.add(lid)
        pending = [lid for lid in pending if lid not in done]
    return order


# -- per-resource operations ---------------------------------------------------------------------------

UpdateFn = Callable[[Any, Mapping[str, Any], Mapping[str, Any], str, str], Any]
DeleteFn = Callable[[Any, str, str], None]

UPDATE_ADAPTERS: dict[str, UpdateFn] = {}
"""In-place updates of moto types whose own update is missing or wrong (filled by :mod:`.adapters`)."""

DELETE_ADAPTERS: dict[str, DeleteFn] = {}
"""Deletes of moto types that have no delete of their own (filled by :mod:`.adapters`)."""

AFTER_CREATE: dict[str, Callable[[Any, Mapping[str, Any], str, str], None]] = {}
"""What moto's create of a type leaves out, completed from the resolved properties (:mod:`.adapters`)."""

TRUSTED_MOTO_UPDATES = frozenset({"AWS::IAM::Policy"})
"""moto types whose own in-place update does what CloudFormation does (reviewed for moto 5.2.5)."""


def _state(rm: Any) -> dict[str, Any]:
    state = rm.__dict__.get("_studio_cdk_state")
    if state is None:
        state = {"props": {}, "status": {}}
        rm.__dict__["_studio_cdk_state"] = state
    found: dict[str, Any] = state
    return found


def _is_model(value: Any) -> bool:
    return value is not None and not isinstance(value, (str, int, float, bool, list, dict))


def _failure(lid: str, error: BaseException) -> ResourceFailure:
    if isinstance(error, ResourceFailure):
        return error
    code = getattr(error, "code", None) or getattr(error, "error_type", None) or type(error).__name__
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    from .cfn_models import PropertyError

    if isinstance(error, PropertyError):
        return ResourceFailure(lid, f"Properties validation failed for resource {lid} with message: {message}")
    handler_code = {
        "ValidationException": "InvalidRequest",
        "ValidationError": "InvalidRequest",
        "ResourceInUse": "ResourceConflict",
        "ResourceNotFound": "NotFound",
        "ResourceLimitExceeded": "ServiceLimitExceeded",
    }.get(str(code), "GeneralServiceException")
    return ResourceFailure(lid, f'Resource handler returned message: "{message}" (HandlerErrorCode: {handler_code}, {code})')


def _create(rm: Any, lid: str, resource: Mapping[str, Any], props: Mapping[str, Any]) -> Any:
    resource_json = copy.deepcopy(dict(resource))
    try:
        model = parsing.parse_and_create_resource(lid, resource_json, rm, rm._account_id, rm._region_name)
        if model is not None and resource["Type"] in AFTER_CREATE:
            AFTER_CREATE[resource["Type"]](model, props, rm._account_id, rm._region_name)
    except Exception as error:
        raise _failure(lid, error) from error
    if model is None:
        raise ResourceFailure(lid, f"{resource['Type']} was not created")
    model.cf_resource_type = resource["Type"]
    model.logical_resource_id = lid
    from moto.ec2.models import ec2_backends
    from moto.ec2.models.core import TaggedEC2Resource

    if isinstance(model, TaggedEC2Resource):
        tags = {**rm.tags, "aws:cloudformation:logical-id": lid}
        ec2_backends[rm._account_id][rm._region_name].create_tags([model.physical_resource_id], tags)
    return model


def _update(rm: Any, lid: str, model: Any, resource_type: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> Any:
    account, region = rm._account_id, rm._region_name
    cls = model_class(resource_type)
    try:
        if resource_type in UPDATE_ADAPTERS:
            updated = UPDATE_ADAPTERS[resource_type](model, old, new, account, region)
        elif cls is not None and (cls in _EXTRA.values() or cls in _CUSTOM or resource_type in TRUSTED_MOTO_UPDATES):
            name = str(new.get(name_property(resource_type)) or getattr(model, "physical_resource_id", lid))
            updated = cls.update_from_cloudformation_json(
                original_resource=model,
                new_resource_name=name,
                cloudformation_json={"Type": resource_type, "Properties": copy.deepcopy(dict(new))},
                account_id=account,
                region_name=region,
            )
        else:
            changed = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
            raise ResourceFailure(
                lid,
                f"sagemaker_studio_cdk.testing cannot update {resource_type} in place "
                f"(changed: {', '.join(changed)}): moto 5.2.5's model has no faithful update",
            )
    except ResourceFailure:
        raise
    except Exception as error:
        raise _failure(lid, error) from error
    updated = updated if updated is not None else model
    updated.cf_resource_type = resource_type
    updated.logical_resource_id = lid
    return updated


def _delete(rm: Any, lid: str, model: Any, resource: Mapping[str, Any], props: Mapping[str, Any] | None) -> None:
    account, region = rm._account_id, rm._region_name
    resource_type = resource["Type"]
    cls = model_class(resource_type)
    try:
        if resource_type in DELETE_ADAPTERS:
            DELETE_ADAPTERS[resource_type](model, account, region)
        else:
            deleted = False
            if callable(getattr(type(model), "delete", None)):
                try:
                    model.delete(account, region)
                    deleted = True
                except (TypeError, AttributeError):  # moto's own fallback: the class-level delete
                    deleted = False
            if not deleted:
                if cls is None or hasattr(cls.delete_from_cloudformation_json, "__isabstractmethod__"):
                    raise ResourceFailure(
                        lid, f"sagemaker_studio_cdk.testing cannot delete {resource_type}: moto 5.2.5's model has no delete"
                    )
                cls.delete_from_cloudformation_json(
                    model.physical_resource_id,
                    {"Type": resource_type, "Properties": copy.deepcopy(dict(props or {}))},
                    account,
                    region,
                )
    except ResourceFailure:
        raise
    except Exception as error:
        raise _failure(lid, error) from error


def _event(stack: Any, lid: str, resource_type: str, status: str, physical: str | None = None, reason: str | None = None) -> None:
    if stack is None:
        return
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=lid,
            physical_resource_id=physical or "",
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
    )


def _set_reason(stack: Any, reason: str | None) -> None:
    """``StackStatusReason`` (moto's stack has no such field; its serializer reads this attribute)."""
    stack.__dict__["stack_status_reason"] = reason


def _reason(stack: Any) -> str:
    return str(stack.__dict__.get("stack_status_reason") or "")


def _stack_event(stack: Any, status: str, reason: str | None = None) -> None:
    _event(stack, stack.name, "AWS::CloudFormation::Stack", status, stack.stack_id, reason)


# -- transactions ----------------------------------------------------------------------------------------


@dataclass
class Transaction:
    """The update phase of one stack: how to undo it, and what its cleanup phase deletes."""

    rm: Any
    stack: Any
    snapshot: dict[str, Any]
    undo: list[Callable[[], None]] = field(default_factory=list)
    undo_updates: list[Callable[[], None]] = field(default_factory=list)
    """Undoing in-place updates: run in update order, as CloudFormation's rollback is an update
    back to the previous template (a resource after what it depends on), before ``undo``."""
    cleanup_items: list[tuple[int, str, Any, Mapping[str, Any], Mapping[str, Any] | None, str]] = field(default_factory=list)
    children: list[Transaction] = field(default_factory=list)

    @classmethod
    def begin(cls, rm: Any, stack: Any) -> Transaction:
        state = _state(rm)
        snapshot = {
            "template": rm._template,
            "json": rm._resource_json_map,
            "parsed": dict(rm._parsed_resources),
            "input_parameters": rm.input_parameters,
            "resolved_parameters": dict(rm.resolved_parameters),
            "conditions": getattr(rm, "lazy_condition_map", None),
            "props": dict(state["props"]),
            "stack": (stack.template, stack.template_dict, stack.parameters, stack.output_map) if stack is not None else None,
        }
        return cls(rm, stack, snapshot)

    def rollback(self) -> list[str]:
        """Undo the update phase; returns what could not be undone."""
        problems = []
        for child in reversed(self.children):
            problems += child.rollback()
        for action in [*self.undo_updates, *reversed(self.undo)]:
            try:
                action()
            except Exception as error:  # keep undoing the rest, as CloudFormation does
                problems.append(str(error))
        s = self.snapshot
        rm = self.rm
        rm._template, rm._resource_json_map = s["template"], s["json"]
        rm._parsed_resources = s["parsed"]
        rm.input_parameters, rm.resolved_parameters = s["input_parameters"], s["resolved_parameters"]
        if s["conditions"] is not None:
            rm.lazy_condition_map = s["conditions"]
        _state(rm)["props"] = s["props"]
        if self.stack is not None and s["stack"] is not None:
            self.stack.template, self.stack.template_dict, self.stack.parameters, self.stack.output_map = s["stack"]
        return problems

    def cleanup(self) -> None:
        """Delete what the update replaced or removed, dependents first; honour the policies."""
        for child in self.children:
            child.cleanup()
        for _, lid, model, resource, props, policy_key in sorted(self.cleanup_items, key=lambda item: -item[0]):
            policy = resource.get(policy_key)
            if policy in RETAINING:
                _event(self.stack, lid, resource["Type"], "DELETE_SKIPPED", getattr(model, "physical_resource_id", None))
                continue
            try:
                _delete(self.rm, lid, model, resource, props)
                _event(self.stack, lid, resource["Type"], "DELETE_COMPLETE", getattr(model, "physical_resource_id", None))
            except ResourceFailure as failure:
                _event(
                    self.stack,
                    lid,
                    resource["Type"],
                    "DELETE_FAILED",
                    getattr(model, "physical_resource_id", None),
                    failure.reason,
                )


def _load_template_state(rm: Any, template: Mapping[str, Any], parameters: Mapping[str, Any] | None) -> None:
    rm._template = template
    rm._resource_json_map = template.get("Resources", {})
    if parameters is not None:
        rm.input_parameters = dict(parameters)
    rm._parsed_resources = {k: v for k, v in rm._parsed_resources.items() if k in PSEUDO_PARAMETERS}
    rm.resolved_parameters = {}
    rm.load_mapping()
    rm.load_parameters()
    rm.load_conditions()


def _active(rm: Any, resource: Mapping[str, Any]) -> bool:
    condition = resource.get("Condition")
    return not condition or bool(rm.lazy_condition_map[condition])


def apply_template(rm: Any, stack: Any, template: Mapping[str, Any], parameters: Mapping[str, Any] | None) -> Transaction:
    """The update phase (a create is an update from nothing). On failure everything done is
    undone and :class:`StackFailure` raised; on success the caller runs :meth:`Transaction.cleanup`."""
    tx = Transaction.begin(rm, stack)
    state = _state(rm)
    old_json: Mapping[str, Any] = tx.snapshot["json"] or {}
    old_parsed: Mapping[str, Any] = tx.snapshot["parsed"]
    old_props: dict[str, Any] = dict(tx.snapshot["props"])
    old_rank = {lid: i for i, lid in enumerate(creation_order(old_json))} if old_json else {}
    failed: list[str] = []
    try:
        _load_template_state(rm, template, parameters)
        new_json = rm._resource_json_map
        for lid, resource in new_json.items():
            if lid in old_json and _is_model(old_parsed.get(lid)) and old_json[lid]["Type"] == resource["Type"]:
                rm._parsed_resources[lid] = old_parsed[lid]
        removed = [lid for lid in old_json if _is_model(old_parsed.get(lid))]
        for lid in creation_order(new_json):
            resource = new_json[lid]
            existing = old_parsed.get(lid) if lid in old_json and _is_model(old_parsed.get(lid)) else None
            if not _active(rm, resource):
                rm._parsed_resources.pop(lid, None)
                continue
            if existing is not None:
                removed.remove(lid)
            try:
                _apply_resource(
                    tx, lid, resource, existing, old_json.get(lid), old_props.get(lid), old_rank.get(lid, len(old_rank))
                )
            except ResourceFailure as failure:
                failed.append(lid)
                status = "CREATE_FAILED" if existing is None else "UPDATE_FAILED"
                _event(stack, lid, resource["Type"], status, None, failure.reason)
                raise
        for lid in removed:
            tx.cleanup_items.append((old_rank[lid], lid, old_parsed[lid], old_json[lid], old_props.get(lid), "DeletionPolicy"))
            state["props"].pop(lid, None)
    except ResourceFailure as failure:
        tx.rollback()
        raise StackFailure(failure.reason, failed) from failure
    except Exception:
        tx.rollback()
        raise
    return tx


def _apply_resource(
    tx: Transaction,
    lid: str,
    resource: Mapping[str, Any],
    existing: Any,
    old_resource: Mapping[str, Any] | None,
    old_props: Mapping[str, Any] | None,
    old_rank: int,
) -> None:
    rm, stack = tx.rm, tx.stack
    state = _state(rm)
    resource_type = resource["Type"]
    try:
        new_props = resolve(resource.get("Properties") or {}, rm)
    except ResourceFailure:
        raise
    except Exception as error:
        raise _failure(lid, error) from error

    if existing is None:
        _event(stack, lid, resource_type, "CREATE_IN_PROGRESS")
        model = _create(rm, lid, resource, new_props)
        rm._parsed_resources[lid] = model
        state["props"][lid] = new_props

        def undo_create(model: Any = model) -> None:
            if resource.get("DeletionPolicy") == "Retain":
                return
            _delete(rm, lid, model, resource, new_props)

        tx.undo.append(undo_create)
        _event(stack, lid, resource_type, "CREATE_COMPLETE", model.physical_resource_id)
        return

    assert old_resource is not None
    if old_props is not None and new_props == old_props:
        state["props"][lid] = new_props
        return
    old_props = old_props or {}
    changed = changed_create_only(resource_type, old_props, new_props)
    if changed:
        name_key = name_property(resource_type)
        name = new_props.get(name_key) if name_key else None
        if name is not None and name == old_props.get(name_key):
            raise ResourceFailure(
                lid,
                "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
                f"Rename {name} and update the stack again.",
            )
        _event(
            stack,
            lid,
            resource_type,
            "UPDATE_IN_PROGRESS",
            existing.physical_resource_id,
            "Requested update requires the creation of a new physical resource; hence creating one.",
        )
        model = _create(rm, lid, resource, new_props)
        rm._parsed_resources[lid] = model
        state["props"][lid] = new_props

        def undo_replace(model: Any = model) -> None:
            if resource.get("DeletionPolicy") != "Retain":
                _delete(rm, lid, model, resource, new_props)

        tx.undo.append(undo_replace)
        tx.cleanup_items.append((old_rank, lid, existing, old_resource, old_props, "UpdateReplacePolicy"))
        _event(stack, lid, resource_type, "UPDATE_COMPLETE", model.physical_resource_id)
        return

    _event(stack, lid, resource_type, "UPDATE_IN_PROGRESS", existing.physical_resource_id)
    if resource_type == "AWS::CloudFormation::Stack":
        updated = existing.update_nested(tx, lid, new_props)
    else:
        updated = _update(rm, lid, existing, resource_type, old_props, new_props)
    rm._parsed_resources[lid] = updated
    state["props"][lid] = new_props
    if resource_type != "AWS::CloudFormation::Stack":

        def undo_update(updated: Any = updated, old_props: Mapping[str, Any] = old_props) -> None:
            _update(rm, lid, updated, resource_type, new_props, old_props)

        tx.undo_updates.append(undo_update)
    _event(stack, lid, resource_type, "UPDATE_COMPLETE", updated.physical_resource_id)


# -- nested stacks ------------------------------------------------------------------------------------


class NestedStack(CloudFormationModel):
    """``AWS::CloudFormation::Stack``: a child stack created, updated in place and deleted by the
    engine, whose ``Ref`` is its stack id and whose ``Fn::GetAtt Outputs.X`` is its output."""

    def __init__(self, child: Stack) -> None:
        self.child = child

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::Stack"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def _body(properties: Mapping[str, Any], account_id: str, region_name: str) -> str:
        if "TemplateURL" not in properties:
            raise ValidationError(message="Nested stack needs TemplateURL")
        return get_stack_from_s3_url(properties["TemplateURL"], account_id=account_id, partition=get_partition(region_name))

    @staticmethod
    def _parameters(properties: Mapping[str, Any]) -> dict[str, Any]:
        return {
            k: ",".join(map(str, v)) if isinstance(v, list) else _text(v) for k, v in (properties.get("Parameters") or {}).items()
        }

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> NestedStack:
        properties = cloudformation_json["Properties"]
        backend: CloudFormationBackend = cloudformation_backends[account_id][region_name]
        child = backend.create_stack(
            name=resource_name,
            template=cls._body(properties, account_id, region_name),
            parameters=cls._parameters(properties),
            tags={t["Key"]: t["Value"] for t in properties.get("Tags") or []},
        )
        if child.status != "CREATE_COMPLETE":
            raise ValidationError(message=f"Embedded stack {child.stack_id} was not successfully created: {_reason(child)}")
        return cls(child)

    @classmethod
    def update_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> NestedStack:
        raise NotImplementedError("the engine updates nested stacks through update_nested()")

    def update_nested(self, tx: Transaction, lid: str, properties: Mapping[str, Any]) -> NestedStack:
        child = self.child
        account, region = child.account_id, child.region_name
        try:
            body = self._body(properties, account, region)
        except Exception as error:
            raise _failure(lid, error) from error
        template = Stack.parse_template(body)
        try:
            check_template(template, child.template_dict)
        except ValidationError as error:
            raise ResourceFailure(lid, error.message) from error
        _stack_event(child, "UPDATE_IN_PROGRESS", "User Initiated")
        child_tx = Transaction.begin(child.resource_map, child)
        try:
            inner = apply_template(child.resource_map, child, template, self._parameters(properties))
        except StackFailure as failure:
            child.status = "UPDATE_ROLLBACK_COMPLETE"
            _set_reason(child, failure.reason)
            _stack_event(child, "UPDATE_ROLLBACK_COMPLETE")
            raise ResourceFailure(
                lid,
                f"Embedded stack {child.stack_id} was not successfully updated. "
                f"Currently in UPDATE_ROLLBACK_IN_PROGRESS with reason: {failure.reason}",
            ) from failure
        child.template, child.template_dict = body, template
        child.parameters = self._parameters(properties)
        child.output_map = child._create_output_map()
        child.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
        inner.snapshot["stack"] = child_tx.snapshot["stack"]
        tx.children.append(_NestedTransaction(inner, child))
        return self

    def delete(self, account_id: str, region_name: str) -> None:
        backend: CloudFormationBackend = cloudformation_backends[account_id][region_name]
        backend.delete_stack(self.child.stack_id)
        if self.child.status != "DELETE_COMPLETE":
            raise ValidationError(
                message=f"Embedded stack {self.child.stack_id} was not successfully deleted: {_reason(self.child)}"
            )

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the engine deletes nested stacks through delete()")

    @property
    def physical_resource_id(self) -> str:
        return str(self.child.stack_id)

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr.startswith("Outputs.")

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if not attribute_name.startswith("Outputs."):
            raise UnformattedGetAttTemplateException()
        key = attribute_name.removeprefix("Outputs.")
        output = self.child.output_map[key] if key in (self.child.output_map._output_json_map or {}) else None
        if output is None:
            raise UnformattedGetAttTemplateException()
        return output.value

    def is_created(self) -> bool:
        return True


class _NestedTransaction(Transaction):
    """A child stack's update, rolled back and cleaned up with its parent's."""

    def __init__(self, inner: Transaction, child: Stack) -> None:
        super().__init__(
            inner.rm, inner.stack, inner.snapshot, inner.undo, inner.undo_updates, inner.cleanup_items, inner.children
        )
        self.child = child

    def rollback(self) -> list[str]:
        _stack_event(self.child, "UPDATE_ROLLBACK_IN_PROGRESS")
        problems = super().rollback()
        self.child.status = "UPDATE_ROLLBACK_COMPLETE"
        _stack_event(self.child, "UPDATE_ROLLBACK_COMPLETE")
        return problems

    def cleanup(self) -> None:
        super().cleanup()
        self.child.status = "UPDATE_COMPLETE"
        _stack_event(self.child, "UPDATE_COMPLETE")


# -- stack operations (installed on moto's classes) ---------------------------------------------------------


def _resolve_outputs(stack: Stack) -> None:
    """Every output resolves, or the operation fails (CloudFormation checks them as it goes)."""
    for key in stack.output_map.outputs:
        output_json = stack.template_dict["Outputs"][key]
        condition = output_json.get("Condition")
        if condition and not stack.resource_map.lazy_condition_map[condition]:
            continue
        resolve(output_json.get("Value"), stack.resource_map)


def stack_create_resources(stack: Stack) -> None:
    """``Stack.create_resources``: create in order; on failure roll back to ``ROLLBACK_COMPLETE``."""
    rm = stack.resource_map
    rm.tags.update({"aws:cloudformation:stack-name": stack.name, "aws:cloudformation:stack-id": stack.stack_id})
    stack.status = "CREATE_IN_PROGRESS"
    template = stack.template_dict
    rm._template, rm._resource_json_map = {}, {}
    try:
        tx = apply_template(rm, stack, template, None)
        try:
            _resolve_outputs(stack)
        except ValidationError as error:
            tx.rollback()
            raise StackFailure(error.message, []) from error
    except StackFailure as failure:
        rm._template, rm._resource_json_map = template, template.get("Resources", {})
        rm._parsed_resources = {k: v for k, v in rm._parsed_resources.items() if not _is_model(v)}
        _set_reason(
            stack, f"The following resource(s) failed to create: [{', '.join(failure.failed)}]. Rollback requested by user."
        )
        _stack_event(stack, "ROLLBACK_IN_PROGRESS", _reason(stack))
        stack.status = "ROLLBACK_COMPLETE"
        _stack_event(stack, "ROLLBACK_COMPLETE")
        return
    stack.description = template.get("Description")
    stack.status = "CREATE_COMPLETE"
    _stack_event(stack, "CREATE_COMPLETE")


def stack_update(
    stack: Stack,
    template: str,
    role_arn: str | None = None,
    parameters: dict[str, Any] | None = None,
    tags: dict[str, str] | None = None,
) -> None:
    """``Stack.update``: the update phase, then cleanup; on failure ``UPDATE_ROLLBACK_COMPLETE``."""
    template_dict = Stack.parse_template(template)
    check_template(template_dict, stack.template_dict)
    if template_dict == stack.template_dict and (parameters is None or dict(parameters) == dict(stack.parameters or {})):
        raise ValidationError(stack.stack_id, message="No updates are to be performed.")
    previous = stack.status
    _stack_event(stack, "UPDATE_IN_PROGRESS", "User Initiated")
    stack.status = "UPDATE_IN_PROGRESS"
    old_exports = {e.name: e.value for e in stack.exports}
    try:
        tx = apply_template(stack.resource_map, stack, template_dict, parameters if parameters is not None else stack.parameters)
    except StackFailure as failure:
        _rolled_back(stack, failure)
        return
    except Exception:
        stack.status = previous  # a template error: CloudFormation refuses the call itself
        raise
    stack.template, stack.template_dict = template, template_dict
    if parameters:
        stack.parameters = parameters
    stack.output_map = stack._create_output_map()
    try:
        _resolve_outputs(stack)
        _check_exports_in_use(stack, old_exports)
    except ValidationError as error:
        tx.rollback()
        _rolled_back(stack, StackFailure(error.message, []))
        return
    stack.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
    _stack_event(stack, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    tx.cleanup()
    _refresh_exports(stack)
    stack.role_arn = role_arn
    if tags is not None:
        stack.tags = tags
    stack.status = "UPDATE_COMPLETE"
    _set_reason(stack, None)
    _stack_event(stack, "UPDATE_COMPLETE")


def _rolled_back(stack: Stack, failure: StackFailure) -> None:
    summary = f"The following resource(s) failed to update: [{', '.join(failure.failed)}]. " if failure.failed else ""
    _set_reason(stack, summary + failure.reason)
    _stack_event(stack, "UPDATE_ROLLBACK_IN_PROGRESS", _reason(stack))
    stack.status = "UPDATE_ROLLBACK_COMPLETE"
    _stack_event(stack, "UPDATE_ROLLBACK_COMPLETE")


def resource_map_update(rm: Any, template: dict[str, Any], parameters: dict[str, Any] | None = None) -> None:
    """``ResourceMap.update`` (change sets call it): the engine's update, then cleanup; a failure
    is rolled back and raised."""
    tx = apply_template(rm, None, template, parameters)
    tx.cleanup()


def stack_delete(stack: Stack) -> None:
    """``Stack.delete``: dependents first; ``Retain`` and ``RetainExceptOnCreate`` keep a resource;
    a failure leaves the stack in ``DELETE_FAILED``, and what a resource that failed to delete
    depends on stays too (CloudFormation never deletes a resource before its dependents), so a
    retry finds it."""
    _stack_event(stack, "DELETE_IN_PROGRESS", "User Initiated")
    stack.status = "DELETE_IN_PROGRESS"
    rm = stack.resource_map
    state = _state(rm)
    failed: list[str] = []
    kept: set[str] = set()
    needs = dependencies(rm._resource_json_map)
    for lid in reversed(creation_order(rm._resource_json_map)):
        model: Any = rm._parsed_resources.get(lid)
        if not _is_model(model):
            continue
        resource = rm._resource_json_map[lid]
        if any(lid in needs[other] for other in kept):
            kept.add(lid)
            continue
        if resource.get("DeletionPolicy") in RETAINING:
            _event(stack, lid, resource["Type"], "DELETE_SKIPPED", model.physical_resource_id)
            rm._parsed_resources.pop(lid)
            continue
        try:
            _delete(rm, lid, model, resource, state["props"].get(lid))
        except ResourceFailure as failure:
            failed.append(lid)
            kept.add(lid)
            _event(stack, lid, resource["Type"], "DELETE_FAILED", model.physical_resource_id, failure.reason)
            continue
        rm._parsed_resources.pop(lid)
        state["props"].pop(lid, None)
        _event(stack, lid, resource["Type"], "DELETE_COMPLETE", model.physical_resource_id)
    if failed:
        stack.status = "DELETE_FAILED"
        _set_reason(stack, f"The following resource(s) failed to delete: [{', '.join(failed)}]. ")
        _stack_event(stack, "DELETE_FAILED", _reason(stack))
        return
    stack.status = "DELETE_COMPLETE"
    _stack_event(stack, "DELETE_COMPLETE")


_NO_OUTPUTS = ("CREATE_IN_PROGRESS", "CREATE_FAILED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE",
               "REVIEW_IN_PROGRESS", "DELETE_COMPLETE")  # fmt: skip


def stack_outputs(stack: Stack) -> list[dict[str, Any]] | None:
    """``Stack.outputs``: none while the stack's resources do not exist (a failed create); an
    output whose resource is gone (a failed delete) is left out."""
    if stack.status in _NO_OUTPUTS:
        return None
    exports: dict[Any, Any] = {}
    outputs = []
    for key in stack.output_map.outputs:
        try:
            output = stack.output_map[key]
        except Exception:
            continue
        if output is None:
            continue
        if not exports:
            exports = {e.value: e.name for e in stack_exports(stack)}
        outputs.append(
            {
                "OutputKey": output.key,
                "OutputValue": output.value,
                "Description": output.description,
                "ExportName": exports.get(output.value),
            }
        )
    return outputs or None


def stack_exports(stack: Stack) -> list[Any]:
    """``Stack.exports``: none while the stack's resources do not exist."""
    if stack.status in _NO_OUTPUTS and stack.status != "CREATE_IN_PROGRESS":
        return []
    try:
        return list(stack.output_map.exports)
    except Exception:
        return []


def stack_resources(stack: Stack) -> list[Any]:
    """``Stack.stack_resources``: the resources that exist, never creating one by looking."""
    rm = stack.resource_map
    return [rm._parsed_resources[lid] for lid in rm._resource_json_map if _is_model(rm._parsed_resources.get(lid))]


# -- backend operations -----------------------------------------------------------------------------------


def _importers(backend: CloudFormationBackend, export_name: str, exclude: str | None = None) -> list[str]:
    found = []
    for stack in backend.stacks.values():
        if stack.stack_id == exclude or stack.status in ("DELETE_COMPLETE",):
            continue
        if export_name in _imports_of(stack):
            found.append(stack.name)
    return found


def _imports_of(stack: Stack) -> set[str]:
    names: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if len(value) == 1 and "Fn::ImportValue" in value:
                try:
                    names.add(str(resolve(value["Fn::ImportValue"], stack.resource_map)))
                except Exception:
                    pass
                return
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(stack.template_dict.get("Resources", {}))
    walk(stack.template_dict.get("Outputs", {}))
    return names


def _check_exports_in_use(stack: Stack, old_exports: Mapping[str, Any]) -> None:
    backend = cloudformation_backends[stack.account_id][stack.region_name]
    new_exports = {e.name: e.value for e in stack.exports}
    for name, value in old_exports.items():
        users = _importers(backend, name, exclude=stack.stack_id)
        if users and name not in new_exports:
            raise ValidationError(message=f"Export {name} cannot be deleted as it is in use by {', '.join(users)}")
        if users and new_exports.get(name) != value:
            raise ValidationError(message=f"Cannot update export {name} as it is in use by {', '.join(users)}")


def _refresh_exports(stack: Stack) -> None:
    backend = cloudformation_backends[stack.account_id][stack.region_name]
    for name in [n for n, e in backend.exports.items() if e.exporting_stack_id == stack.stack_id]:
        backend.exports.pop(name)
    for export in stack.exports:
        backend.exports[export.name] = export


def backend_create_stack(
    backend: CloudFormationBackend, name: str, template: str, parameters: dict[str, Any], **kwargs: Any
) -> Stack:
    """``CloudFormationBackend.create_stack``: check the template, create the stack's resources in
    order, register its exports only once it exists."""
    from moto.cloudformation.exceptions import AlreadyExistsException
    from moto.cloudformation.utils import generate_stack_id

    if name in [s.name for s in backend.stacks.values()]:
        raise AlreadyExistsException(f"Stack {name} already exists")
    check_template(Stack.parse_template(template))
    stack_id = generate_stack_id(name, backend.region_name, backend.account_id)
    stack = Stack(  # type: ignore[abstract]
        stack_id=stack_id,
        name=name,
        template=template,
        parameters=parameters,
        account_id=backend.account_id,
        region_name=backend.region_name,
        cross_stack_resources=backend.exports,
        **{
            k: v
            for k, v in kwargs.items()
            if k
            in ("notification_arns", "tags", "role_arn", "enable_termination_protection", "timeout_in_mins", "stack_policy_body")
        },
    )
    _set_reason(stack, None)
    backend.stacks[stack_id] = stack
    _stack_event(stack, "CREATE_IN_PROGRESS", "User Initiated")
    stack.create_resources()
    if stack.status == "CREATE_COMPLETE":
        backend._validate_export_uniqueness(stack)
        for export in stack.exports:
            backend.exports[export.name] = export
    return stack


def backend_delete_stack(backend: CloudFormationBackend, name_or_stack_id: str) -> None:
    """``CloudFormationBackend.delete_stack``: refuse while another stack imports an export; a
    stack whose delete failed stays, in ``DELETE_FAILED``."""
    stack = backend.stacks.get(name_or_stack_id) or next((s for s in backend.stacks.values() if s.name == name_or_stack_id), None)
    if stack is None:
        return
    for export in stack.exports:
        users = _importers(backend, export.name, exclude=stack.stack_id)
        if users:
            raise ValidationError(message=f"Export {export.name} cannot be deleted as it is in use by {', '.join(users)}")
    export_names = [e.name for e in stack.exports]
    stack.delete()
    if stack.status != "DELETE_COMPLETE":
        return
    backend.stacks.pop(stack.stack_id, None)
    backend.deleted_stacks[stack.stack_id] = stack
    for export_name in export_names:
        backend.exports.pop(export_name, None)


def backend_execute_change_set(backend: CloudFormationBackend, change_set_name: str, stack_name: str | None = None) -> None:
    """``CloudFormationBackend.execute_change_set``: a CREATE change set creates the stack as
    ``create_stack`` does, an UPDATE one updates it as ``update_stack`` does."""
    change_set = backend.change_sets.get(change_set_name) or next(
        (c for c in backend.change_sets.values() if c.change_set_name == change_set_name), None
    )
    if change_set is None:
        raise ValidationError(stack_name)
    stack = backend.stacks[change_set.stack_id]
    if change_set.change_set_type == "CREATE":
        check_template(change_set.template_dict)
        stack.template = change_set.template
        stack._parse_template()
        stack.parameters = change_set.parameters
        stack.resource_map = stack._create_resource_map()
        stack.output_map = stack._create_output_map()
        _set_reason(stack, None)
        _stack_event(stack, "CREATE_IN_PROGRESS", "User Initiated")
        stack.create_resources()
        if stack.status == "CREATE_COMPLETE":
            backend._validate_export_uniqueness(stack)
            for export in stack.exports:
                backend.exports[export.name] = export
    else:
        stack.update(change_set.template, parameters=change_set.parameters or stack.parameters)
    change_set.execution_status = "EXECUTE_COMPLETE"
