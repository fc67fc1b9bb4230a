"""Plain IAM policy documents from a synthesized cloud assembly.

CloudFormation templates hold IAM as intrinsics (``Ref``, ``Fn::GetAtt``, ``Fn::Join``, ...),
nested-stack parameters and cross-stack imports. :func:`resolve_assembly` evaluates them all,
the way CloudFormation would at deploy time, for a given partition, account and region, and
returns every IAM role of the assembly with its trust policy, identity policies and permissions
boundary as plain JSON documents that an IAM evaluator can read.

Resources have no physical ids before deployment, so each gets a deterministic fake one in the
format of its type (``sg-`` plus 17 hex digits, ``d-`` plus 12 characters for a Studio domain,
``StackName-LogicalId-HASH`` for an unnamed role, ...), the same on every run. ARNs are built
from those ids, so a policy that names a role, key or space reaches the same ARN the role or
space itself reports. Explicit names (``RoleName``, ``SpaceName``, ...) are used as given.

IAM policy variables (``${aws:username}``, ``${sagemaker:DomainId}``) are left as they are,
also inside ``Fn::Sub``, for the evaluator to fill.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..assembly import AssemblyError, StackTemplate, load_templates
from .personas import PERSONA_TAG

_NO_VALUE = object()
"""What ``Ref: AWS::NoValue`` resolves to; removed from the enclosing object or list."""


class ResolverError(AssemblyError):
    """A template uses an intrinsic the resolver cannot evaluate, or refers to something missing."""


@dataclass(frozen=True)
class ResolvedRole:
    """One IAM role of the assembly with every policy that applies to it, intrinsics resolved."""

    stack: str
    """The label of the stack that defines the role (:attr:`StackTemplate.label`)."""
    logical_id: str
    path: str
    """The role's construct path (``aws:cdk:path`` metadata); ``""`` when the template has none."""
    arn: str
    persona: str | None
    """The value of the role's ``studio:persona`` tag, if any."""
    trust_policy: dict[str, Any]
    identity_policies: list[dict[str, Any]]
    """Inline policies, then ``AWS::IAM::Policy``/``RolePolicy`` resources attached to the role, then
    the ``AWS::IAM::ManagedPolicy`` resources of the assembly attached to it (by ``Roles`` or by the
    role's ``ManagedPolicyArns``)."""
    managed_policy_arns: list[str]
    """Managed policies attached to the role that the assembly does not define (AWS-managed ones,
    or policies made elsewhere): their documents are not known here."""
    boundary: dict[str, Any] | None
    """The permissions boundary's document when it is a managed policy of the assembly."""
    boundary_arn: str | None
    """The permissions boundary's ARN whenever the role has one (known to the assembly or not)."""


@dataclass(frozen=True)
class ResolvedManagedPolicy:
    """A customer managed policy defined in the assembly."""

    stack: str
    logical_id: str
    path: str
    arn: str
    document: dict[str, Any]


def resolve_assembly(
    directory: str | Path, *, partition: str = "aws", account: str = "111122223333", region: str = "us-east-1"
) -> list[ResolvedRole]:
    """Every IAM role of the cloud assembly at ``directory`` (nested stacks included), resolved.

    :param partition: the value of ``AWS::Partition``.
    :param account: the value of ``AWS::AccountId`` (stacks with an explicit account keep theirs:
        CDK writes it into the template as a literal).
    :param region: the value of ``AWS::Region``.
    :raises AssemblyError: the directory is not a readable cloud assembly.
    :raises ResolverError: an intrinsic cannot be evaluated.
    """
    return AssemblyResolver(directory, partition=partition, account=account, region=region).roles()


def resolve_managed_policies(
    directory: str | Path, *, partition: str = "aws", account: str = "111122223333", region: str = "us-east-1"
) -> list[ResolvedManagedPolicy]:
    """Every customer managed policy of the assembly, attached to a role or not, resolved."""
    return AssemblyResolver(directory, partition=partition, account=account, region=region).managed_policies()


def _hash(*parts: str, length: int = 12) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


class _Stack:
    """One template with what resolving it needs: its name, parameter values, parent and children."""

    def __init__(self, template: StackTemplate, name: str) -> None:
        self.template = template
        self.name = name
        self.children: dict[str, _Stack] = {}
        self.resources: dict[str, dict[str, Any]] = template.template.get("Resources", {})
        self.conditions: dict[str, bool] = {}

    @property
    def key(self) -> str:
        return self.template.name


class AssemblyResolver:
    """Evaluates the intrinsics of every template of one cloud assembly.

    :func:`resolve_assembly` is the usual entry point; this class is for callers that need more
    than roles (:meth:`managed_policies`, or :meth:`resolve` on any template value).
    """

    def __init__(
        self, directory: str | Path, *, partition: str = "aws", account: str = "111122223333", region: str = "us-east-1"
    ) -> None:
        self.partition = partition
        self.account = account
        self.region = region
        self.url_suffix = "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com"
        templates = load_templates(directory)
        stack_names = _stack_names(Path(directory))
        self._parents: dict[str, tuple[_Stack, str]] = {}
        """Nested stack key -> its parent and the logical id of its ``AWS::CloudFormation::Stack``."""
        self.stacks: list[_Stack] = []
        by_path: dict[tuple[str, ...], _Stack] = {}
        for template in templates:  # parents come before their nested stacks
            if len(template.path) == 1:
                stack = _Stack(template, stack_names.get(template.path[0], template.path[0]))
            else:
                parent = by_path[template.path[:-1]]
                logical_id = template.path[-1]
                stack = _Stack(template, f"{parent.name}-{logical_id}-{_hash(template.name).upper()}"[:128])
                parent.children[logical_id] = stack
                self._parents[template.name] = (parent, logical_id)
            by_path[template.path] = stack
            self.stacks.append(stack)
        self._exports: dict[str, tuple[_Stack, Any]] | None = None
        self._resolving: set[tuple[str, str]] = set()

    # -- public ------------------------------------------------------------------------------

    def roles(self) -> list[ResolvedRole]:
        """Every ``AWS::IAM::Role`` of the assembly with the policies that apply to it."""
        policies = self._managed_policies()
        managed = {p.arn: p for p, _ in policies}
        attached_by_name = self._attachments()
        found: list[ResolvedRole] = []
        for stack in self.stacks:
            for logical_id, resource in self._live(stack, "AWS::IAM::Role"):
                props = resource.get("Properties", {})
                name = self._physical(stack, logical_id)
                documents = [self.resolve(stack, p["PolicyDocument"]) for p in props.get("Policies", []) if isinstance(p, dict)]
                documents += attached_by_name.get(name, [])
                arns = [a for a in self.resolve(stack, props.get("ManagedPolicyArns", [])) if isinstance(a, str)]
                documents += [managed[a].document for a in arns if a in managed]
                attached_arns = set(arns)
                documents += [p.document for p, roles in policies if name in roles and p.arn not in attached_arns]
                boundary_arn = self.resolve(stack, props["PermissionsBoundary"]) if "PermissionsBoundary" in props else None
                boundary = managed[boundary_arn].document if boundary_arn in managed else None
                tags = self.resolve(stack, props.get("Tags", []))
                persona = next((t.get("Value") for t in tags if isinstance(t, dict) and t.get("Key") == PERSONA_TAG), None)
                found.append(
                    ResolvedRole(
                        stack=stack.template.label,
                        logical_id=logical_id,
                        path=resource.get("Metadata", {}).get("aws:cdk:path", ""),
                        arn=self._attribute(stack, logical_id, "Arn"),
                        persona=persona,
                        trust_policy=self.resolve(stack, props.get("AssumeRolePolicyDocument", {})),
                        identity_policies=documents,
                        managed_policy_arns=[a for a in arns if a not in managed],
                        boundary=boundary,
                        boundary_arn=boundary_arn,
                    )
                )
        return found

    def managed_policies(self) -> list[ResolvedManagedPolicy]:
        """Every ``AWS::IAM::ManagedPolicy`` of the assembly."""
        return [policy for policy, _ in self._managed_policies()]

    def _managed_policies(self) -> list[tuple[ResolvedManagedPolicy, set[str]]]:
        """Every managed policy, with the names of the roles its ``Roles`` property attaches it to."""
        found = []
        for stack in self.stacks:
            for logical_id, resource in self._live(stack, "AWS::IAM::ManagedPolicy"):
                props = resource.get("Properties", {})
                policy = ResolvedManagedPolicy(
                    stack=stack.template.label,
                    logical_id=logical_id,
                    path=resource.get("Metadata", {}).get("aws:cdk:path", ""),
                    arn=self._ref(stack, logical_id),
                    document=self.resolve(stack, props.get("PolicyDocument", {})),
                )
                found.append((policy, set(self.resolve(stack, props.get("Roles", [])))))
        return found

    def find(self, resource_type: str) -> list[tuple[str, str]]:
        """``(stack name, logical id)`` of every resource of ``resource_type`` in the assembly."""
        return [(stack.key, logical_id) for stack in self.stacks for logical_id, _ in self._live(stack, resource_type)]

    def attribute(self, stack: str, logical_id: str, attribute: str) -> Any:
        """``Fn::GetAtt`` of a resource, as deployed with the fake physical ids (``Ref`` when
        ``attribute`` is ``"Ref"``). ``stack`` is a stack's name (``Stack/NestedLogicalId``) or label."""
        found = self._stack(stack)
        return self._ref(found, logical_id) if attribute == "Ref" else self._attribute(found, logical_id, attribute)

    def properties(self, stack: str, logical_id: str) -> dict[str, Any]:
        """A resource's ``Properties`` with every intrinsic evaluated."""
        found = self._stack(stack)
        resolved: dict[str, Any] = self.resolve(found, self._resource(found, logical_id).get("Properties", {}))
        return resolved

    def _stack(self, name: str) -> _Stack:
        found = next((s for s in self.stacks if name in (s.key, s.template.label)), None)
        if found is None:
            raise ResolverError(f"no stack {name} in the assembly")
        return found

    def resolve(self, stack: _Stack, value: Any) -> Any:
        """``value`` of ``stack``'s template with every intrinsic evaluated."""
        resolved = self._resolve(stack, value)
        return None if resolved is _NO_VALUE else resolved

    # -- attachments ---------------------------------------------------------------------------

    def _attachments(self) -> dict[str, list[dict[str, Any]]]:
        """Role name -> documents of ``AWS::IAM::Policy`` and ``AWS::IAM::RolePolicy`` resources."""
        found: dict[str, list[dict[str, Any]]] = {}
        for stack in self.stacks:
            for _, resource in self._live(stack, "AWS::IAM::Policy"):
                props = resource.get("Properties", {})
                document = self.resolve(stack, props.get("PolicyDocument", {}))
                for role in self.resolve(stack, props.get("Roles", [])):
                    found.setdefault(role, []).append(document)
            for _, resource in self._live(stack, "AWS::IAM::RolePolicy"):
                props = resource.get("Properties", {})
                found.setdefault(self.resolve(stack, props.get("RoleName")), []).append(
                    self.resolve(stack, props.get("PolicyDocument", {}))
                )
        return found

    def _live(self, stack: _Stack, resource_type: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for logical_id, resource in stack.resources.items():
            if resource.get("Type") == resource_type and self._condition_holds(stack, resource.get("Condition")):
                yield logical_id, resource

    # -- intrinsics ------------------------------------------------------------------------------

    def _resolve(self, stack: _Stack, value: Any) -> Any:
        if isinstance(value, list):
            items = [self._resolve(stack, v) for v in value]
            return [v for v in items if v is not _NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            if key == "Ref":
                return self._ref(stack, arg)
            if key == "Condition":
                return self._condition_holds(stack, arg)
            if key.startswith("Fn::"):
                handler = _FUNCTIONS.get(key)
                if handler is None:
                    raise ResolverError(f"{stack.key}: the intrinsic {key} is not supported by the resolver")
                return handler(self, stack, arg)
        fields = {k: self._resolve(stack, v) for k, v in value.items()}
        return {k: v for k, v in fields.items() if v is not _NO_VALUE}

    def _ref(self, stack: _Stack, name: Any) -> Any:
        if not isinstance(name, str):
            raise ResolverError(f"{stack.key}: Ref to {name!r}, not a name")
        pseudo = self._pseudo(stack, name)
        if pseudo is not None:
            return pseudo
        parameters = stack.template.template.get("Parameters", {})
        if name in parameters:
            return self._parameter(stack, name, parameters[name])
        if name in stack.resources:
            return self._physical_ref(stack, name)
        raise ResolverError(f"{stack.key}: Ref to {name}, which is neither a parameter nor a resource")

    def _pseudo(self, stack: _Stack, name: str) -> Any:
        match name:
            case "AWS::Partition":
                return self.partition
            case "AWS::AccountId":
                return self.account
            case "AWS::Region":
                return self.region
            case "AWS::URLSuffix":
                return self.url_suffix
            case "AWS::StackName":
                return stack.name
            case "AWS::StackId":
                uuid = _hash(stack.key, length=32)
                uuid = f"{uuid[:8]}-{uuid[8:12]}-{uuid[12:16]}-{uuid[16:20]}-{uuid[20:]}"
                return f"arn:{self.partition}:cloudformation:{self.region}:{self.account}:stack/{stack.name}/{uuid}"
            case "AWS::NoValue":
                return _NO_VALUE
            case "AWS::NotificationARNs":
                return []
        return None

    def _parameter(self, stack: _Stack, name: str, declaration: dict[str, Any]) -> Any:
        value: Any
        if stack.key in self._parents:
            parent, logical_id = self._parents[stack.key]
            given = parent.resources[logical_id].get("Properties", {}).get("Parameters", {})
            if name in given:
                value = self._guarded(parent, f"{logical_id}.Parameters.{name}", lambda: self.resolve(parent, given[name]))
            elif "Default" in declaration:
                value = declaration["Default"]
            else:
                raise ResolverError(f"{stack.key}: parameter {name} has no value from {parent.key}/{logical_id}")
        elif str(declaration.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
            value = f"ssm-{name}"
        elif "Default" in declaration:
            value = declaration["Default"]
        else:
            value = f"parameter-{name}"
        if str(declaration.get("Type", "")).startswith(("CommaDelimitedList", "List<")) and isinstance(value, str):
            return value.split(",")
        return value

    def _guarded(self, stack: _Stack, what: str, compute: Callable[[], Any]) -> Any:
        key = (stack.key, what)
        if key in self._resolving:
            raise ResolverError(f"{stack.key}: {what} refers to itself")
        self._resolving.add(key)
        try:
            return compute()
        finally:
            self._resolving.discard(key)

    def _condition_holds(self, stack: _Stack, name: Any) -> bool:
        if name is None:
            return True
        if name not in stack.conditions:
            declaration = stack.template.template.get("Conditions", {}).get(name)
            if declaration is None:
                raise ResolverError(f"{stack.key}: condition {name} is not declared")
            stack.conditions[name] = bool(self._guarded(stack, f"Conditions.{name}", lambda: self.resolve(stack, declaration)))
        return stack.conditions[name]

    # -- physical ids ------------------------------------------------------------------------

    def _resource(self, stack: _Stack, logical_id: str) -> dict[str, Any]:
        resource = stack.resources.get(logical_id)
        if resource is None:
            raise ResolverError(f"{stack.key}: no resource {logical_id}")
        return resource

    def _prop(self, stack: _Stack, logical_id: str, name: str) -> Any:
        props = self._resource(stack, logical_id).get("Properties", {})
        if name not in props:
            return None
        return self._guarded(stack, f"{logical_id}.{name}", lambda: self.resolve(stack, props[name]))

    def _physical(self, stack: _Stack, logical_id: str, max_length: int = 64) -> str:
        """The resource's name: its name property when the template sets one, else generated."""
        resource_type = self._resource(stack, logical_id).get("Type", "")
        name_property = _NAME_PROPERTIES.get(resource_type)
        if name_property:
            given = self._prop(stack, logical_id, name_property)
            if isinstance(given, str):
                return given
        suffix = _hash(stack.key, logical_id).upper()
        return f"{stack.name}-{logical_id}"[: max_length - len(suffix) - 1] + "-" + suffix

    def _id(self, stack: _Stack, logical_id: str, prefix: str, length: int = 17) -> str:
        return prefix + _hash(stack.key, logical_id, length=length)

    def _arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        return f"arn:{self.partition}:{service}:{self.region if region else ''}:{self.account if account else ''}:{resource}"

    def _physical_ref(self, stack: _Stack, logical_id: str) -> Any:
        resource = self._resource(stack, logical_id)
        resource_type = resource.get("Type", "")
        spec = _TYPES.get(resource_type)
        if spec is not None and spec.ref is not None:
            return self._attribute(stack, logical_id, spec.ref)
        if resource_type in ("AWS::CloudFormation::Stack",):
            return self._pseudo(stack.children[logical_id], "AWS::StackId") if logical_id in stack.children else None
        return self._physical(stack, logical_id)

    def _attribute(self, stack: _Stack, logical_id: str, attribute: str) -> Any:
        resource = self._resource(stack, logical_id)
        resource_type = resource.get("Type", "")
        if resource_type == "AWS::CloudFormation::Stack" and attribute.startswith("Outputs."):
            child = stack.children.get(logical_id)
            if child is None:
                raise ResolverError(f"{stack.key}: {logical_id} is a nested stack the assembly does not include")
            output = child.template.template.get("Outputs", {}).get(attribute.removeprefix("Outputs."))
            if output is None:
                raise ResolverError(f"{child.key}: no output {attribute.removeprefix('Outputs.')}")
            return self.resolve(child, output["Value"])
        spec = _TYPES.get(resource_type)
        if spec is not None and attribute in spec.attributes:
            return spec.attributes[attribute](self, stack, logical_id)
        if attribute == "Arn":
            service, kind = _service_and_kind(resource_type)
            return self._arn(service, f"{kind}/{self._physical(stack, logical_id)}")
        return f"{self._physical(stack, logical_id)}.{attribute}"

    def _export(self, stack: _Stack, name: Any) -> Any:
        if self._exports is None:
            self._exports = {}
            for exporter in self.stacks:
                for output in exporter.template.template.get("Outputs", {}).values():
                    if "Export" in output:
                        self._exports[self.resolve(exporter, output["Export"]["Name"])] = (exporter, output["Value"])
        if name not in self._exports:
            raise ResolverError(f"{stack.key}: Fn::ImportValue of {name!r}, which no stack of the assembly exports")
        exporter, value = self._exports[name]
        return self._guarded(exporter, f"Export {name}", lambda: self.resolve(exporter, value))


def _stack_names(root: Path) -> dict[str, str]:
    """Artifact id -> deployed stack name (``properties.stackName``, when the manifest sets one)."""
    manifest = json.loads((root / "manifest.json").read_text())
    return {
        artifact_id: artifact.get("properties", {}).get("stackName", artifact_id)
        for artifact_id, artifact in manifest.get("artifacts", {}).items()
        if artifact.get("type") == "aws:cloudformation:stack"
    }


def _service_and_kind(resource_type: str) -> tuple[str, str]:
    parts = resource_type.split("::")
    service = parts[1].lower() if len(parts) > 1 else "unknown"
    kind = re.sub(r"(?<!^)(?=[A-Z])", "-", parts[-1]).lower() if parts else "resource"
    return service, kind


# -- intrinsic functions -------------------------------------------------------------------------


def _fn_join(r: AssemblyResolver, stack: _Stack, arg: Any) -> str:
    delimiter, items = arg
    values = r.resolve(stack, items)
    return str(delimiter).join(_scalar(stack, "Fn::Join", v) for v in values)


def _scalar(stack: _Stack, fn: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ResolverError(f"{stack.key}: {fn} needs strings, got {value!r}")


def _fn_getatt(r: AssemblyResolver, stack: _Stack, arg: Any) -> Any:
    if isinstance(arg, str):
        logical_id, _, attribute = arg.partition(".")
    else:
        logical_id, attribute = arg[0], r.resolve(stack, arg[1])
    return r._attribute(stack, logical_id, attribute)


_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _fn_sub(r: AssemblyResolver, stack: _Stack, arg: Any) -> str:
    text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], r.resolve(stack, arg[1]))

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return _scalar(stack, "Fn::Sub", variables[name])
        pseudo = r._pseudo(stack, name)
        if pseudo is not None:
            return _scalar(stack, "Fn::Sub", pseudo)
        if name in stack.template.template.get("Parameters", {}) or name in stack.resources:
            return _scalar(stack, "Fn::Sub", r._ref(stack, name))
        logical_id, dot, attribute = name.partition(".")
        if dot and logical_id in stack.resources:
            return _scalar(stack, "Fn::Sub", r._attribute(stack, logical_id, attribute))
        return match.group(0)  # an IAM policy variable such as ${aws:username}: the evaluator fills it

    return _SUB_VARIABLE.sub(replace, str(text))


def _fn_select(r: AssemblyResolver, stack: _Stack, arg: Any) -> Any:
    index, items = r.resolve(stack, arg[0]), r.resolve(stack, arg[1])
    try:
        return items[int(index)]
    except (IndexError, ValueError, TypeError):
        raise ResolverError(f"{stack.key}: Fn::Select index {index!r} outside {items!r}") from None


def _fn_split(r: AssemblyResolver, stack: _Stack, arg: Any) -> list[str]:
    delimiter, text = arg[0], r.resolve(stack, arg[1])
    return _scalar(stack, "Fn::Split", text).split(delimiter)


def _fn_find_in_map(r: AssemblyResolver, stack: _Stack, arg: Any) -> Any:
    name, first, second = (r.resolve(stack, a) for a in arg[:3])
    default = arg[3].get("DefaultValue") if len(arg) > 3 and isinstance(arg[3], dict) else None
    try:
        return stack.template.template["Mappings"][name][first][second]
    except (KeyError, TypeError):
        if default is not None:
            return r.resolve(stack, default)
        raise ResolverError(f"{stack.key}: Fn::FindInMap {name}[{first}][{second}] is not in the template") from None


def _fn_import_value(r: AssemblyResolver, stack: _Stack, arg: Any) -> Any:
    return r._export(stack, r.resolve(stack, arg))


def _fn_if(r: AssemblyResolver, stack: _Stack, arg: Any) -> Any:
    name, when_true, when_false = arg
    return r._resolve(stack, when_true if r._condition_holds(stack, name) else when_false)


def _fn_equals(r: AssemblyResolver, stack: _Stack, arg: Any) -> bool:
    left, right = (r.resolve(stack, a) for a in arg)
    return bool(left == right or str(left) == str(right))


def _fn_and(r: AssemblyResolver, stack: _Stack, arg: Any) -> bool:
    return all(bool(r.resolve(stack, a)) for a in arg)


def _fn_or(r: AssemblyResolver, stack: _Stack, arg: Any) -> bool:
    return any(bool(r.resolve(stack, a)) for a in arg)


def _fn_not(r: AssemblyResolver, stack: _Stack, arg: Any) -> bool:
    return not bool(r.resolve(stack, arg[0]))


def _fn_get_azs(r: AssemblyResolver, stack: _Stack, arg: Any) -> list[str]:
    region = r.resolve(stack, arg) or r.region
    return [f"{region}{zone}" for zone in "abc"]


def _fn_base64(r: AssemblyResolver, stack: _Stack, arg: Any) -> str:
    return base64.b64encode(_scalar(stack, "Fn::Base64", r.resolve(stack, arg)).encode()).decode()


def _fn_to_json_string(r: AssemblyResolver, stack: _Stack, arg: Any) -> str:
    return json.dumps(r.resolve(stack, arg), separators=(",", ":"))


def _fn_length(r: AssemblyResolver, stack: _Stack, arg: Any) -> int:
    return len(r.resolve(stack, arg))


def _fn_cidr(r: AssemblyResolver, stack: _Stack, arg: Any) -> list[str]:
    count = int(r.resolve(stack, arg[1]))
    return [f"10.{i // 256}.{i % 256}.0/24" for i in range(count)]


_FUNCTIONS: dict[str, Callable[[AssemblyResolver, _Stack, Any], Any]] = {
    "Fn::Join": _fn_join,
    "Fn::GetAtt": _fn_getatt,
    "Fn::Sub": _fn_sub,
    "Fn::Select": _fn_select,
    "Fn::Split": _fn_split,
    "Fn::FindInMap": _fn_find_in_map,
    "Fn::ImportValue": _fn_import_value,
    "Fn::If": _fn_if,
    "Fn::Equals": _fn_equals,
    "Fn::And": _fn_and,
    "Fn::Or": _fn_or,
    "Fn::Not": _fn_not,
    "Fn::GetAZs": _fn_get_azs,
    "Fn::Base64": _fn_base64,
    "Fn::ToJsonString": _fn_to_json_string,
    "Fn::Length": _fn_length,
    "Fn::Cidr": _fn_cidr,
}


# -- resource types ------------------------------------------------------------------------------

_Attr = Callable[[AssemblyResolver, _Stack, str], Any]


@dataclass(frozen=True)
class _Type:
    ref: str | None
    """The attribute ``Ref`` returns; ``None``: the physical name."""
    attributes: dict[str, _Attr]


_NAME_PROPERTIES: dict[str, str] = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::Policy": "PolicyName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::Lambda::Function": "FunctionName",
    "AWS::StepFunctions::StateMachine": "StateMachineName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::KMS::Alias": "AliasName",
    "AWS::SageMaker::StudioLifecycleConfig": "StudioLifecycleConfigName",
    "AWS::SageMaker::Image": "ImageName",
    "AWS::SageMaker::AppImageConfig": "AppImageConfigName",
    "AWS::SageMaker::MlflowTrackingServer": "TrackingServerName",
    "AWS::SQS::Queue": "QueueName",
    "AWS::SNS::Topic": "TopicName",
}


def _iam_path(r: AssemblyResolver, stack: _Stack, logical_id: str) -> str:
    path = r._prop(stack, logical_id, "Path")
    return path if isinstance(path, str) else "/"


def _iam_arn(kind: str) -> _Attr:
    def arn(r: AssemblyResolver, stack: _Stack, logical_id: str) -> str:
        name = r._physical(stack, logical_id, 128 if kind == "policy" else 64)
        return r._arn("iam", f"{kind}{_iam_path(r, stack, logical_id)}{name}", region=False)

    return arn


def _prefixed(prefix: str, length: int = 17) -> _Attr:
    return lambda r, stack, logical_id: r._id(stack, logical_id, prefix, length)


def _key_id(r: AssemblyResolver, stack: _Stack, logical_id: str) -> str:
    h = _hash(stack.key, logical_id, length=32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _domain_id(r: AssemblyResolver, stack: _Stack, logical_id: str) -> str:
    digest = hashlib.sha256(f"{stack.key}/{logical_id}".encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "d-" + "".join(alphabet[b % len(alphabet)] for b in digest[:12])


def _sagemaker_arn(kind: str, *props: str) -> _Attr:
    def arn(r: AssemblyResolver, stack: _Stack, logical_id: str) -> str:
        values = []
        for prop in props:
            value = r._prop(stack, logical_id, prop)
            values.append(str(value) if value is not None else r._physical(stack, logical_id))
        return r._arn("sagemaker", f"{kind}/" + "/".join(values))

    return arn


def _named(kind: str, service: str, *, region: bool = True, account: bool = True) -> _Attr:
    return lambda r, stack, logical_id: r._arn(service, f"{kind}{r._physical(stack, logical_id)}", region=region, account=account)


def _image_version_arn(r: AssemblyResolver, stack: _Stack, logical_id: str) -> str:
    image = r._prop(stack, logical_id, "ImageName")
    return r._arn("sagemaker", f"image-version/{image}/1")


_TYPES: dict[str, _Type] = {
    "AWS::IAM::Role": _Type(None, {"Arn": _iam_arn("role"), "RoleId": _prefixed("AROA", 17)}),
    "AWS::IAM::ManagedPolicy": _Type("PolicyArn", {"PolicyArn": _iam_arn("policy"), "PolicyId": _prefixed("ANPA", 17)}),
    "AWS::IAM::User": _Type(None, {"Arn": _iam_arn("user")}),
    "AWS::IAM::Group": _Type(None, {"Arn": _iam_arn("group")}),
    "AWS::IAM::InstanceProfile": _Type(None, {"Arn": _iam_arn("instance-profile")}),
    "AWS::KMS::Key": _Type("KeyId", {"KeyId": _key_id, "Arn": lambda r, s, i: r._arn("kms", f"key/{_key_id(r, s, i)}")}),
    "AWS::EC2::VPC": _Type("VpcId", {"VpcId": _prefixed("vpc-"), "CidrBlock": lambda r, s, i: "10.0.0.0/16"}),
    "AWS::EC2::Subnet": _Type("SubnetId", {"SubnetId": _prefixed("subnet-")}),
    "AWS::EC2::SecurityGroup": _Type("GroupId", {"GroupId": _prefixed("sg-"), "Id": _prefixed("sg-")}),
    "AWS::EC2::VPCEndpoint": _Type("Id", {"Id": _prefixed("vpce-")}),
    "AWS::EC2::RouteTable": _Type("RouteTableId", {"RouteTableId": _prefixed("rtb-")}),
    "AWS::EC2::InternetGateway": _Type("InternetGatewayId", {"InternetGatewayId": _prefixed("igw-")}),
    "AWS::EC2::NatGateway": _Type("NatGatewayId", {"NatGatewayId": _prefixed("nat-")}),
    "AWS::EFS::FileSystem": _Type(
        "FileSystemId",
        {
            "FileSystemId": _prefixed("fs-"),
            "Arn": lambda r, s, i: r._arn("elasticfilesystem", f"file-system/{r._id(s, i, 'fs-')}"),
        },
    ),
    "AWS::EFS::AccessPoint": _Type(
        "AccessPointId",
        {
            "AccessPointId": _prefixed("fsap-"),
            "Arn": lambda r, s, i: r._arn("elasticfilesystem", f"access-point/{r._id(s, i, 'fsap-')}"),
        },
    ),
    "AWS::EFS::MountTarget": _Type("Id", {"Id": _prefixed("fsmt-")}),
    "AWS::S3::Bucket": _Type(
        None,
        {
            "Arn": lambda r, s, i: r._arn("s3", r._physical(s, i, 63).lower(), region=False, account=False),
            "DomainName": lambda r, s, i: f"{r._physical(s, i, 63).lower()}.s3.{r.url_suffix}",
            "RegionalDomainName": lambda r, s, i: f"{r._physical(s, i, 63).lower()}.s3.{r.region}.{r.url_suffix}",
        },
    ),
    "AWS::ECR::Repository": _Type(
        None,
        {
            "Arn": _named("repository/", "ecr"),
            "RepositoryUri": lambda r, s, i: f"{r.account}.dkr.ecr.{r.region}.{r.url_suffix}/{r._physical(s, i)}",
        },
    ),
    "AWS::Lambda::Function": _Type(None, {"Arn": _named("function:", "lambda")}),
    "AWS::StepFunctions::StateMachine": _Type(
        "Arn",
        {
            "Arn": _named("stateMachine:", "states"),
            "Name": lambda r, s, i: r._physical(s, i, 80),
        },
    ),
    "AWS::Logs::LogGroup": _Type(None, {"Arn": _named("log-group:", "logs")}),
    "AWS::SNS::Topic": _Type("TopicArn", {"TopicArn": _named("", "sns")}),
    "AWS::SageMaker::Domain": _Type(
        "DomainId",
        {
            "DomainId": _domain_id,
            "DomainArn": lambda r, s, i: r._arn("sagemaker", f"domain/{_domain_id(r, s, i)}"),
            "Url": lambda r, s, i: f"https://{_domain_id(r, s, i)}.studio.{r.region}.sagemaker.aws",
            "SecurityGroupIdForDomainBoundary": _prefixed("sg-"),
            "HomeEfsFileSystemId": _prefixed("fs-"),
            "SingleSignOnManagedApplicationInstanceId": _prefixed("ins-", 16),
            "SingleSignOnApplicationArn": lambda r, s, i: f"arn:{r.partition}:sso::{r.account}:application/{_hash(s.key, i)}",
        },
    ),
    "AWS::SageMaker::UserProfile": _Type(
        "UserProfileArn", {"UserProfileArn": _sagemaker_arn("user-profile", "DomainId", "UserProfileName")}
    ),
    "AWS::SageMaker::Space": _Type(
        "SpaceArn",
        {
            "SpaceArn": _sagemaker_arn("space", "DomainId", "SpaceName"),
            "Url": lambda r, s, i: f"https://{r._prop(s, i, 'DomainId')}.studio.{r.region}.sagemaker.aws/space",
        },
    ),
    "AWS::SageMaker::StudioLifecycleConfig": _Type(
        None, {"StudioLifecycleConfigArn": _named("studio-lifecycle-config/", "sagemaker")}
    ),
    "AWS::SageMaker::Image": _Type("ImageArn", {"ImageArn": _named("image/", "sagemaker")}),
    "AWS::SageMaker::ImageVersion": _Type(
        "ImageVersionArn",
        {
            "ImageVersionArn": _image_version_arn,
            "ImageArn": lambda r, s, i: r._arn("sagemaker", f"image/{r._prop(s, i, 'ImageName')}"),
            "Version": lambda r, s, i: 1,
        },
    ),
    "AWS::SageMaker::AppImageConfig": _Type(None, {"AppImageConfigArn": _named("app-image-config/", "sagemaker")}),
    "AWS::SageMaker::MlflowTrackingServer": _Type(None, {"TrackingServerArn": _named("mlflow-tracking-server/", "sagemaker")}),
}
