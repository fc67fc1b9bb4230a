"""``StudioApiSettings``: the Studio settings CloudFormation lacks, applied through the API.

A domain, profile or space carries ``api_only_settings``: per API request member of its level
(``DefaultUserSettings``, ``DefaultSpaceSettings``, ``DomainSettings`` of a domain, in
``CreateDomain`` naming; ``UserSettings`` of a profile; ``SpaceSettings`` of a space), the members
CloudFormation lacks, API-shaped and nested at their real depth. When it is not empty (or a
create-only value changes in place, see below), the parent gets a ``StudioApiSettings``: a custom
resource (``handlers/api_settings.py`` behind CDK's provider framework, one function per domain)
that calls ``UpdateDomain``/``UpdateUserProfile``/``UpdateSpace``.

**One writer per block.** A *block* is a member of a settings member (``DefaultUserSettings.
CanvasAppSettings``, ``DefaultUserSettings.JupyterLabAppSettings``, ``DomainSettings.
DockerSettings``). When a block needs an API-only member, the settings resource writes the whole
block (the members CloudFormation would have written, converted to API shape, with the API-only
ones) and the template leaves the block out. Whether a member is API only is read from data: the
vendored CloudFormation schema against botocore's service model.

**What is deployed stays.** ``deployed_settings`` (a :class:`DeployedSettings`, from the roster)
says which blocks CloudFormation writes on the deployed resource: such a block never moves to the
settings resource (dropping it from the template is itself a change), and a move is refused.

**Create-only values change in place.** For the create-only paths of the parent's type that the
update call can change (a user's RStudio ``AccessStatus``/``UserGroup``, the domain's RStudio
server ``DefaultResourceSpec``), a declared value that differs from the recorded creation value
(``deployed_settings.creation_values``) keeps the creation value in the template and is applied by
the settings resource.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import jsii
from aws_cdk import (
    Aspects,
    CfnResource,
    CustomResource,
    Duration,
    IAnyProducer,
    IAspect,
    IResolveContext,
    Lazy,
    Reference,
    RemovalPolicy,
    Stack,
    Tags,
    Token,
    Tokenization,
)
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct, IConstruct

from ..api_model import LEVELS, api_shape, cfn_enum, cfn_path, member_name, norm_name
from ..create_only import known_create_only
from ..errors import StudioConfigError
from ..policies.api_settings import settings_statements
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import PERSONA_TAG, SETTINGS
from ..policies.wildcards import WILDCARD_REASONS
from ..replacement import override_property
from .provider import acknowledge_provider_findings, drop_redundant_role_dependencies, handler_provider

if TYPE_CHECKING:
    from .domain import StudioDomainBase

RESOURCE_TYPE = "Custom::StudioApiSettings"

HANDLER_MODULE = Path(__file__).resolve().parent.parent / "handlers" / "api_settings.py"


@dataclass(frozen=True)
class DeployedSettings:
    """What the roster records of a deployed domain or profile (see ``roster.py``).

    :param cfn_blocks: the blocks CloudFormation writes on the deployed resource
        (``DefaultUserSettings.JupyterLabAppSettings``): they never move to the settings resource.
    :param creation_values: the values of the create-only paths (CloudFormation schema paths,
        ``UserSettings/RStudioServerProAppSettings/AccessStatus``) at creation: the template keeps
        them, and a different declared value is applied in place by the settings resource.
    """

    cfn_blocks: frozenset[str] = frozenset()
    creation_values: Mapping[str, str] = field(default_factory=dict)


class _SettingsParent(Protocol):
    """A domain, profile or space as this module reads it."""

    api_only_settings: dict[str, dict[str, Any]]
    deployed_settings: DeployedSettings | None


def check_api_only(field_: str, kind: str, member: str, settings: Mapping[str, Any]) -> None:
    """Each entry of ``settings`` (one member of ``api_only_settings``) exists in the API at this
    level and is not something CloudFormation carries (a member CloudFormation lacks, or a whole
    list holding a value its enum lacks: such a list is written by the settings resource alone).

    :raises StudioConfigError: a setting on the wrong level, or one CloudFormation carries.
    """
    resource_type, _, members = LEVELS[kind]
    operation = dict(members).get(member)
    if operation is None:
        raise StudioConfigError(field_, member, f"one of {', '.join(m for m, _ in members)} (the API members of this level)")

    def walk(path: tuple[str, ...], value: Any) -> None:
        where = f"{field_}.{'.'.join(path[1:])}"
        shape = api_shape(operation, path)
        if shape is None:
            parent = api_shape(operation, path[:-1])
            have = sorted(parent.members) if parent is not None and parent.type_name == "structure" else []
            raise StudioConfigError(where, path[-1], f"a member of {'.'.join(path[:-1])} at this level: {', '.join(have)}")
        cfn = cfn_path(resource_type, path)
        if cfn is None:
            return  # the whole subtree is API only
        if isinstance(value, Mapping):
            for key, item in value.items():
                walk((*path, key), item)
            return
        enum = cfn_enum(resource_type, cfn)
        values = value if isinstance(value, list) else [value]
        if enum is not None and any(isinstance(v, str) and v not in enum for v in values):
            return  # a list with a value CloudFormation's enum lacks: API only as a whole
        raise StudioConfigError(
            where, value, f"only settings CloudFormation lacks; {resource_type} {cfn} carries this: use the construct's prop"
        )

    for key, value in settings.items():
        walk((member, key), value)


# -- plans ---------------------------------------------------------------------------------------------


def _get(node: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if hasattr(node, "_values") and not isinstance(node, Mapping):
            node = node._values
        if not isinstance(node, Mapping):
            return None
        match = next((k for k in node if norm_name(str(k)) == norm_name(part)), None)
        if match is None:
            return None
        node = node[match]
    return node


def _raw_properties(resource: CfnResource) -> Any:
    return resource._cfn_properties  # the declared properties, before overrides


@dataclass
class _Plan:
    """What the settings resource of one parent writes.

    :param moved: block (``Member.Block``) to its API-only part: written whole by the settings
        resource, left out of the template.
    :param overlaid: blocks the template keeps (creation values) and the settings resource writes
        with the declared values.
    :param creation: CloudFormation path to the recorded creation value kept in the template
        (a string, or a structure in the template's spelling).
    """

    kind: str
    moved: dict[str, dict[str, Any]] = field(default_factory=dict)
    overlaid: set[str] = field(default_factory=set)
    creation: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.moved and not self.overlaid

    @property
    def blocks(self) -> list[str]:
        return sorted({*self.moved, *self.overlaid})


@cache
def in_place_paths(kind: str) -> tuple[str, ...]:
    """The create-only CloudFormation paths of ``kind`` below a settings member that the update
    call can change: applied in place by the settings resource."""
    resource_type, update, members = LEVELS[kind]
    names = {m for m, _ in members}
    found = []
    for path in known_create_only(resource_type):
        parts = tuple(path.split("/"))
        if len(parts) > 2 and parts[0] in names and api_shape(update, parts) is not None:
            found.append(path)
    return tuple(found)


def _properties(source: CfnResource | Mapping[str, Any]) -> Any:
    """Declared L1 properties of a resource, or a template's properties."""
    return _raw_properties(source) if isinstance(source, CfnResource) else source


def _declared_scalar(resource: CfnResource | Mapping[str, Any] | None, path: str) -> str | None:
    """The value at ``path`` as the roster records it: a string, or a structure as compact JSON
    (resolved: the template's intrinsic functions stand for tokens)."""
    if resource is None:
        return None
    value = _get(_properties(resource), tuple(path.split("/")))
    if value is None:
        return None
    if isinstance(resource, CfnResource):
        value = _template_spelling(Stack.of(resource).resolve(value))
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _template_spelling(value: Any) -> Any:
    """An L1 value (camelCase keys) spelled as the template spells it (PascalCase), so a recorded
    creation value is a valid property override whichever it was read from."""
    if isinstance(value, Mapping):
        return {
            (k[:1].upper() + k[1:] if not k.startswith("Fn::") and k != "Ref" else k): _template_spelling(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_template_spelling(v) for v in value]
    return value


def _decode(recorded: str) -> Any:
    """A recorded creation value: JSON for a structure, else the string."""
    if recorded[:1] in ("{", "["):
        try:
            return json.loads(recorded)
        except ValueError:
            return recorded
    return recorded


def _canonical(value: Any) -> Any:
    """``value`` with every key spelled the same (L1 camelCase and template PascalCase compare equal)."""
    if isinstance(value, Mapping):
        return {norm_name(str(k)): _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def plan_for(field_: str, kind: str, parent: _SettingsParent, resource: CfnResource | None) -> _Plan:
    """The :class:`_Plan` of one parent; refuses moving a block CloudFormation writes on the
    deployed resource, or a block holding create-only values."""
    plan = _Plan(kind)
    resource_type = LEVELS[kind][0]
    deployed = parent.deployed_settings
    problems: list[StudioConfigError] = []
    sharing = getattr(getattr(parent, "sharing", None), "value", None)
    if kind == "Space" and sharing != "Shared" and any(parent.api_only_settings.values()):
        raise StudioConfigError(
            f"{field_}.api_only_settings",
            f"a {sharing or 'private'} space",
            "a shared space: the settings function may update only shared spaces (a private space is its owner's)",
        )
    for member, settings in sorted(parent.api_only_settings.items()):
        if not settings:
            continue
        check_api_only(f"{field_}.api_only_settings.{member}", kind, member, settings)
        for block, value in settings.items():
            name = f"{member}.{block}"
            plan.moved[name] = value if isinstance(value, dict) else {"": value}
            written = deployed is not None and name in deployed.cfn_blocks
            in_template = resource is not None and _get(_raw_properties(resource), (member, block)) is not None
            if written and in_template:
                problems.append(
                    StudioConfigError(
                        f"{field_}.{name}",
                        "needs an API-only member",
                        f"a block CloudFormation does not write on the deployed {kind}: the roster records that "
                        f"CloudFormation writes {name} (its `cfn=` attribute), and leaving it out of the template "
                        "would change it. Keep the block in CloudFormation: drop its API-only settings (or set them "
                        "where CloudFormation has them, such as EMR roles per user profile); or, to hand the block "
                        f"to the settings resource on purpose, remove {name} from that `cfn=` attribute of the "
                        "roster and commit it (the next deploy rewrites the whole block once)",
                    )
                )
            create_only = [p for p in known_create_only(resource_type) if p.startswith(f"{member}/{block}/")]
            if in_template and any(_declared_scalar(resource, p) is not None for p in create_only):
                problems.append(
                    StudioConfigError(
                        f"{field_}.{name}",
                        "needs an API-only member",
                        f"a block without create-only values: {', '.join(create_only)} must stay in the template "
                        "(leaving them out replaces the resource)",
                    )
                )
    if deployed is not None:
        for path in in_place_paths(kind):
            recorded = deployed.creation_values.get(path)
            declared = _declared_scalar(resource, path)
            if recorded is not None and declared is not None and _canonical(_decode(declared)) != _canonical(_decode(recorded)):
                plan.creation[path] = _decode(recorded)
                parts = path.split("/")
                block = f"{parts[0]}.{parts[1]}"
                if block not in plan.moved:
                    plan.overlaid.add(block)
    if problems:
        raise StudioConfigError.combine(problems)
    return plan


def needs_settings(kind: str, parent: _SettingsParent) -> bool:
    """Whether ``parent`` will get a settings resource at synth (its resource counts toward its
    stack's size before it exists)."""
    resource = getattr(parent, "resource", None)
    return not plan_for("", kind, parent, resource if isinstance(resource, CfnResource) else None).empty


def cfn_blocks(kind: str, source: CfnResource | Mapping[str, Any]) -> list[str]:
    """The blocks (``Member.Block``, API names) that ``source`` writes: a resource's declared
    properties, or a synthesized template's (what the roster records of a deployed domain or
    profile: blocks moved to the settings resource are no longer in its template)."""
    props = _properties(source)
    operation = LEVELS[kind][2][0][1]
    found = []
    for member, _ in LEVELS[kind][2]:
        settings = _get(props, (member,))
        if hasattr(settings, "_values") and not isinstance(settings, Mapping):
            settings = settings._values
        if not isinstance(settings, Mapping):
            continue
        for key, value in settings.items():
            shape = api_shape(operation, (member, str(key)))
            if value is not None and shape is not None and shape.type_name == "structure":
                found.append(f"{member}.{member_name(api_shape(operation, (member,)), str(key))}")
    return sorted(found)


def creation_values(kind: str, source: CfnResource | Mapping[str, Any]) -> dict[str, str]:
    """The values of the in-place create-only paths in ``source`` (what the roster records at creation)."""
    return {p: v for p in in_place_paths(kind) if (v := _declared_scalar(source, p)) is not None}


# -- values: CloudFormation's block in API shape, merged with the API-only part ----------------------------


def to_api(shape: Any, value: Any) -> Any:
    """A resolved CloudFormation value (L1 camelCase or template PascalCase) in API shape."""
    if shape is None:
        return value
    if shape.type_name == "structure" and isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            name = member_name(shape, str(key)) or str(key)
            out[name] = to_api(shape.members.get(name), item)
        return out
    if shape.type_name == "list" and isinstance(value, list):
        return [to_api(shape.member, v) for v in value]
    return value


def merge(cfn: Any, api_only: Any) -> Any:
    """The API-only part laid over CloudFormation's: structures member by member, lists joined
    (CloudFormation's items first, no repeats)."""
    if isinstance(cfn, Mapping) and isinstance(api_only, Mapping):
        out = dict(cfn)
        for key, value in api_only.items():
            out[key] = merge(out[key], value) if key in out else value
        return out
    if isinstance(cfn, list) and isinstance(api_only, list):
        return cfn + [v for v in api_only if v not in cfn]
    return api_only


def neutral(shape: Any, value: Any) -> Any:
    """What switches the members of ``value`` off, where the API has an off switch: enums with
    ``DISABLED`` set so, lists emptied, structures recursed; ``None``: nothing to send."""
    if shape is None:
        return None
    if shape.type_name == "structure" and isinstance(value, Mapping):
        out = {k: n for k, v in value.items() if (n := neutral(shape.members.get(k), v)) is not None}
        required = set(getattr(shape, "required_members", []) or [])
        return out if out and required <= set(out) else None
    if shape.type_name == "list":
        return []
    enum = getattr(shape, "enum", None) or []
    return "DISABLED" if "DISABLED" in enum else None


@jsii.implements(IAnyProducer)
class _Producer:
    def __init__(self, produce: Callable[[IResolveContext], Any]) -> None:
        self._produce = produce

    def produce(self, context: IResolveContext) -> Any:
        return self._produce(context)


def _lazy(produce: Callable[[IResolveContext], Any]) -> Any:
    return Lazy.uncached_any(_Producer(produce))


def _role_arns(value: Any, key: str = "") -> Iterator[str]:
    if isinstance(value, Mapping) or (hasattr(value, "_values") and not isinstance(value, (str, list))):
        items = value.items() if isinstance(value, Mapping) else value._values.items()
        for k, v in items:
            yield from _role_arns(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _role_arns(v, key)
    elif isinstance(value, str) and norm_name(key).endswith(("rolearn", "rolearns")):
        yield value


def passed_roles(parent: _SettingsParent, resource: CfnResource | None, plan: _Plan) -> list[str]:
    """The role ARNs the blocks of ``plan`` name (members ending in ``RoleArn(s)``)."""
    found: list[str] = []
    for block in plan.blocks:
        member, name = block.split(".", 1)
        found += _role_arns((parent.api_only_settings.get(member) or {}).get(name))
        if resource is not None:
            found += _role_arns(_get(_raw_properties(resource), (member, name)), name)
    return list(dict.fromkeys(found))


# -- constructs ------------------------------------------------------------------------------------------


class ApiSettingsProvider(Construct):
    """One domain's settings function behind CDK's provider framework: its role may update and
    describe only that domain, its profiles and spaces, and pass only ``passed_roles`` to SageMaker.
    Functions, role and waiter carry ``studio:persona=settings``."""

    def __init__(self, scope: Construct, construct_id: str, *, domain: StudioDomainBase, passed_roles: list[str]) -> None:
        super().__init__(scope, construct_id)
        from .mlflow import handler_asset

        stack = Stack.of(self)
        self.log_group = logs.LogGroup(self, "Logs", retention=logs.RetentionDays.ONE_YEAR, removal_policy=RemovalPolicy.RETAIN)
        self.role = iam.Role(
            self,
            "HandlerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="SageMaker Studio settings: updates the API-only settings of one domain, its profiles and spaces",
        )
        statements = settings_statements(
            partition=stack.partition,
            region=stack.region,
            account=stack.account,
            domain_id=domain.domain_id,
            log_group_arn=self.log_group.log_group_arn,
            passed_roles=passed_roles,
        )
        for statement in statements:
            self.role.add_to_policy(statement)
        acknowledge_wildcards(self.role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(self.role)
        self.functions, self.provider = handler_provider(
            self,
            module="api_settings",
            code=lambda_.Code.from_asset(str(handler_asset(HANDLER_MODULE))),
            role=self.role,
            log_group=self.log_group,
            memory_size=256,
            description="SageMaker Studio settings",
            query_interval=Duration.seconds(15),
            total_timeout=Duration.minutes(30),
        )
        Tags.of(self).add(PERSONA_TAG, SETTINGS)
        acknowledge_provider_findings(
            self,
            self.provider,
            self.functions,
            what="the settings custom resource",
            logs_hold="the Studio settings it applies (names, ARNs, switches)",
            calls="SageMaker",
        )
        drop_redundant_role_dependencies(self.provider, self.functions)


class StudioApiSettings(Construct):
    """The API-only settings (and in-place create-only changes) of one domain, profile or space.

    Made by the domain, profile or space itself when needed (see the module docstring); it
    depends on its parent, so it runs after every CloudFormation update of it, and its
    ``CfnHash`` property (a hash of the parent's declared CloudFormation properties) makes it
    re-apply whenever they change. Attributes: each block as the API reports it (JSON), ``CfnHash``.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        provider: ApiSettingsProvider,
        kind: str,
        parent: _SettingsParent,
        resource: CfnResource | None,
        ids: Mapping[str, str],
        plan: _Plan,
    ) -> None:
        super().__init__(scope, construct_id)
        self.plan = plan
        self.kind = kind
        """The level it applies: ``Domain``, ``UserProfile`` or ``Space``."""

        def block_shape(block: str) -> Any:
            member, name = block.split(".", 1)
            return api_shape(LEVELS[kind][2][0][1], (member, name))

        def declared(context: IResolveContext, block: str) -> Any:
            if resource is None:
                return None
            member, name = block.split(".", 1)
            raw = _get(_raw_properties(resource), (member, name))
            return to_api(block_shape(block), context.resolve(raw)) if raw is not None else None

        def blocks(context: IResolveContext) -> dict[str, Any]:
            out = {}
            for block in plan.blocks:
                cfn = declared(context, block)
                api_only = plan.moved.get(block)
                if api_only is not None and "" in api_only:
                    out[block] = api_only[""]
                else:
                    out[block] = merge(cfn or {}, api_only or {})
            return out

        def restore(context: IResolveContext) -> dict[str, Any]:
            out = {}
            for block in plan.blocks:
                cfn = declared(context, block)
                api_only = plan.moved.get(block) or {}
                value = merge(cfn or {}, neutral(block_shape(block), {k: v for k, v in api_only.items() if k}) or {})
                for path, recorded in plan.creation.items():
                    parts = path.split("/")
                    if f"{parts[0]}.{parts[1]}" == block and isinstance(value, dict):
                        target = value
                        for part in parts[2:-1]:
                            target = target.setdefault(part, {})
                        target[parts[-1]] = to_api(api_shape(LEVELS[kind][2][0][1], tuple(parts)), recorded)
                if value:
                    out[block] = value
            return out

        def cfn_hash(context: IResolveContext) -> str:
            if resource is None:
                return ""
            text = json.dumps(context.resolve(_raw_properties(resource)), sort_keys=True, default=str)
            return hashlib.sha256(text.encode()).hexdigest()[:16]

        self.resource = CustomResource(
            self,
            "Resource",
            service_token=provider.provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties={
                "Kind": kind,
                **ids,
                "Blocks": _lazy(blocks),
                "Restore": _lazy(restore),
                "CfnHash": _lazy(cfn_hash),
            },
        )
        if resource is not None and kind != "Domain":  # a domain's own DomainId (GetAtt) orders it already
            self.resource.node.add_dependency(resource)

    def applied(self, block: str) -> str:
        """The block (``DefaultUserSettings.CanvasAppSettings``) as the API reports it after the
        last apply, as JSON."""
        return self.resource.get_att_string(block)


@jsii.implements(IAspect)
class _ApiSettingsHook:
    """Made by every domain: when the domain is visited at synth (after the app has declared
    everything), plans the settings of the domain and of each of its profiles and spaces, leaves
    moved blocks out of their templates, and adds the provider and the settings resources."""

    def __init__(self, domain: StudioDomainBase) -> None:
        self.domain = domain
        self.done = False

    def visit(self, node: IConstruct) -> None:
        if node is not self.domain or self.done:
            return
        self.done = True
        apply_settings(self.domain)


def apply_settings_at_synth(domain: StudioDomainBase) -> None:
    """Plan and add ``domain``'s settings resources when the app is synthesized, after it has
    declared every profile and space (see :class:`_ApiSettingsHook`)."""
    Aspects.of(domain).add(_ApiSettingsHook(domain))


def _parents(domain: StudioDomainBase) -> list[tuple[str, str, Any, Mapping[str, str]]]:
    parents: list[tuple[str, str, Any, Mapping[str, str]]] = [("domain", "Domain", domain, {"DomainId": domain.domain_id})]
    for name, profile in sorted(domain.user_profiles.items()):
        parents.append(
            (f"user_profiles[{name}]", "UserProfile", profile, {"DomainId": domain.domain_id, "UserProfileName": name})
        )
    for name, space in sorted(domain.spaces.items()):
        parents.append((f"spaces[{name}]", "Space", space, {"DomainId": domain.domain_id, "SpaceName": name}))
    return parents


def apply_settings(domain: StudioDomainBase) -> list[StudioApiSettings]:
    """_Plan and add the settings resources of ``domain`` and its profiles and spaces (see
    :class:`_ApiSettingsHook`); the resources made."""
    planned = []
    problems: list[StudioConfigError] = []
    for field_, kind, parent, ids in _parents(domain):
        resource = getattr(parent, "resource", None)
        resource = resource if isinstance(resource, CfnResource) else None
        try:
            plan = plan_for(field_, kind, parent, resource)
        except StudioConfigError as err:
            problems.append(err)
            continue
        if not plan.empty:
            planned.append((kind, parent, resource, ids, plan))
    if problems:
        raise StudioConfigError.combine(problems)
    if not planned:
        return []
    roles: list[str] = []
    elsewhere: dict[Stack, list[str]] = {}
    """Role tokens of another stack (a profile's Canvas roles in its nested stack), by that stack."""
    waits: list[set[Stack]] = []
    """Per planned parent, the stacks whose pass-role policy its settings resource waits for."""
    for _kind, parent, resource, _, plan in planned:
        waits.append(set())
        for role in passed_roles(parent, resource, plan):
            target = _token_stack(role)
            if target is None or target is Stack.of(domain):
                roles.append(role)
            else:
                elsewhere.setdefault(target, []).append(role)
                waits[-1].add(target)
    provider = ApiSettingsProvider(domain, "ApiSettingsProvider", domain=domain, passed_roles=list(dict.fromkeys(roles)))
    pass_policies = {stack: _pass_role_policy(stack, provider, arns) for stack, arns in elsewhere.items()}
    made = []
    for kind, parent, resource, ids, plan in planned:
        if resource is not None:
            resource_type = LEVELS[kind][0]
            for block in plan.moved:
                member, name = block.split(".", 1)
                cfn = cfn_path(resource_type, (member, name))
                if cfn is not None:
                    override_property(resource, cfn.replace("/", "."))
            for path, recorded in plan.creation.items():
                override_property(resource, path.replace("/", "."), recorded)
        made.append(
            StudioApiSettings(
                parent, "ApiSettings", provider=provider, kind=kind, parent=parent, resource=resource, ids=ids, plan=plan
            )
        )
    for settings, stacks in zip(made, waits, strict=True):
        for stack in stacks:  # the roles it passes may be passed before it runs
            settings.resource.node.add_dependency(pass_policies[stack])
    _after_domain_settings(domain, made)
    parent_settings = getattr(domain, "_api_settings", None)
    if isinstance(parent_settings, list):
        parent_settings.extend(made)
    return made


def _after_domain_settings(domain: StudioDomainBase, made: list[StudioApiSettings]) -> None:
    """Profiles and spaces (their nested stacks) update after the domain's settings resource.

    A CloudFormation update of the domain may drop what the settings resource wrote, which is
    why it re-applies after every update of the domain. Were a profile or space to fail before
    the settings resource had run, the rollback would restore the domain without it, and the
    API-only settings would stay lost; ordered so, the settings resource has run by then and is
    rolled back (re-applied) too.
    """
    domain_settings = next((s for s in made if s.kind == "Domain"), None)
    if domain_settings is None:
        return
    home = Stack.of(domain)
    ordered: set[int] = set()
    for _field, _kind, parent, _ids in _parents(domain)[1:]:
        stack = Stack.of(parent)
        target: IConstruct = parent if stack is home else stack
        if id(target) not in ordered:
            ordered.add(id(target))
            target.node.add_dependency(domain_settings.resource)


def _token_stack(value: str) -> Stack | None:
    """The stack whose resource a role ARN token references; ``None`` for a plain ARN (or one made
    of pseudo parameters only)."""
    if not Token.is_unresolved(value):
        return None
    for found in Tokenization.reverse_string(value).tokens:
        if isinstance(found, Reference) and isinstance(found.target, CfnResource):
            return Stack.of(found.target)
    return None


def _pass_role_policy(stack: Stack, provider: ApiSettingsProvider, arns: list[str]) -> iam.Policy:
    """``iam:PassRole`` on roles made in ``stack`` (not the provider's), for the provider's role,
    as a policy in that stack: the role's stack already depends on the domain's, so referencing
    the provider's role from there adds no reverse dependency (a role token in the provider's
    policy would make the two stacks depend on each other)."""
    statement = iam.PolicyStatement(
        sid="SettingsPassRole",
        actions=["iam:PassRole"],
        resources=sorted(set(arns), key=str),
        conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    )
    policy = iam.Policy(stack, f"ApiSettingsPassRole{provider.node.addr[:8]}", statements=[statement])
    policy.attach_to_role(provider.role)
    acknowledge_inline_policy(policy)
    return policy
