"""``summary --mermaid``: a synthesized assembly drawn as a Mermaid flowchart.

One subgraph per stack, nested stacks inside their parent: the network (VPC, its subnets and
endpoints), the domain, users and their private spaces, shared spaces, EFS file systems and the
roles tagged ``studio:persona``. Node ids are made of letters, digits and ``_`` only; labels
have Mermaid's special characters written as entity codes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .assembly import StackTemplate
from .tables import dig
from .tables import refs as _refs
from .tables import show as _show

PERSONA_TAG = "studio:persona"


def label(text: str) -> str:
    """``text`` safe inside a quoted Mermaid label: ``#``, ``"``, ``&``, ``<`` and ``>`` as entity codes."""
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("&", "#amp;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return text


def node_id(text: str) -> str:
    """``text`` as a Mermaid node id: letters, digits and ``_``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", text)


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    tags = dig(resource, "Properties", "Tags")
    return {str(t.get("Key")): str(t.get("Value")) for t in tags or [] if isinstance(t, dict)}


def _construct_name(stack: StackTemplate, resource: dict[str, Any], logical_id: str) -> str:
    """The resource's construct path below its stack, without ``/Resource``."""
    path = str(dig(resource, "Metadata", "aws:cdk:path") or logical_id).removesuffix("/Resource")
    return path.removeprefix(stack.label + "/")


@dataclass
class _Drawing:
    ids: set[str] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)
    edges: list[str] = field(default_factory=list)

    def new_id(self, kind: str, name: str) -> str:
        base = node_id(f"{kind}_{name}")
        found, n = base, 2
        while found in self.ids:
            found, n = f"{base}_{n}", n + 1
        self.ids.add(found)
        return found

    def node(self, indent: str, kind: str, name: str, text: str) -> str:
        found = self.new_id(kind, name)
        self.lines.append(f'{indent}{found}["{text}"]')
        return found


@dataclass
class _Root:
    """What one top-level stack (with its nested stacks) holds, by node id."""

    domains: dict[str, str] = field(default_factory=dict)
    """(stack name, logical id) joined -> node id."""
    users: dict[str, str] = field(default_factory=dict)
    """profile name -> node id."""


def mermaid(templates: Sequence[StackTemplate]) -> str:
    """The assembly as a Mermaid flowchart (``flowchart LR``)."""
    drawing = _Drawing()
    vpcs: list[str] = []
    all_domains: list[str] = []
    by_parent: dict[tuple[str, ...], list[StackTemplate]] = {}
    for template in templates:
        by_parent.setdefault(template.path[:-1], []).append(template)
    roots = by_parent.get((), [])
    for stack in roots:
        root = _Root()
        _draw_stack(drawing, stack, by_parent, root, vpcs, "  ")
        all_domains += root.domains.values()
    if len(vpcs) == 1:  # one network: every domain runs in it
        drawing.edges += [f"  {vpcs[0]} --> {domain}" for domain in all_domains]
    return "\n".join(["flowchart LR", *drawing.lines, *drawing.edges])


def _draw_stack(
    drawing: _Drawing,
    stack: StackTemplate,
    by_parent: dict[tuple[str, ...], list[StackTemplate]],
    root: _Root,
    vpcs: list[str],
    indent: str,
) -> None:
    nested = len(stack.path) > 1
    title = stack.label.rsplit("/", 1)[-1] + (" (nested stack)" if nested else "")
    drawing.lines.append(f'{indent}subgraph {drawing.new_id("stack", stack.label)} ["{label(title)}"]')
    inner = indent + "  "

    for logical_id, vpc in stack.resources("AWS::EC2::VPC").items():
        vpc_id = drawing.new_id("vpc", _construct_name(stack, vpc, logical_id))
        vpcs.append(vpc_id)
        cidr = _show(dig(vpc, "Properties", "CidrBlock"))
        drawing.lines.append(f'{inner}subgraph {vpc_id} ["{label(f"VPC {cidr}")}"]')
        for subnet_logical_id, subnet in stack.resources("AWS::EC2::Subnet").items():
            name = _tags(subnet).get("Name", _construct_name(stack, subnet, subnet_logical_id)).rsplit("/", 1)[-1]
            drawing.node(
                inner + "  ",
                "subnet",
                name,
                f"{label(f'subnet {name}')}<br/>{label(_show(dig(subnet, 'Properties', 'CidrBlock')))}",
            )
        services = [
            re.sub(r"^com\.amazonaws\.[^.]+\.", "", _show(dig(e, "Properties", "ServiceName")))
            for e in stack.resources("AWS::EC2::VPCEndpoint").values()
        ]
        if services:
            drawing.node(inner + "  ", "endpoints", vpc_id, f"VPC endpoints<br/>{label(', '.join(services))}")
        drawing.lines.append(f"{inner}end")

    for logical_id, domain in stack.resources("AWS::SageMaker::Domain").items():
        props = domain.get("Properties", {})
        domain_id = drawing.node(
            inner,
            "domain",
            _show(props.get("DomainName")),
            f"{label('Domain ' + _show(props.get('DomainName')))}<br/>"
            f"{label(_show(props.get('AppNetworkAccessType')) + ', ' + _show(props.get('AuthMode')))}",
        )
        root.domains[f"{stack.name}/{logical_id}"] = domain_id

    for profile in stack.resources("AWS::SageMaker::UserProfile").values():
        name = _show(dig(profile, "Properties", "UserProfileName"))
        root.users[name] = drawing.node(inner, "user", name, label(f"user {name}"))
        drawing.edges += [f"  {d} --> {root.users[name]}" for d in _domains_of(stack, profile, root)]

    for space in stack.resources("AWS::SageMaker::Space").values():
        props = space.get("Properties", {})
        name = _show(props.get("SpaceName"))
        sharing = _show(dig(props, "SpaceSharingSettings", "SharingType"))
        app = _show(dig(props, "SpaceSettings", "AppType") or "JupyterLab")
        space_id = drawing.node(inner, "space", name, f"{label(f'space {name}')}<br/>{label(f'{sharing}, {app}')}")
        owner = _show(dig(props, "OwnershipSettings", "OwnerUserProfileName"))
        if owner in root.users:
            drawing.edges.append(f"  {root.users[owner]} --> {space_id}")
        else:
            drawing.edges += [f"  {d} --> {space_id}" for d in _domains_of(stack, space, root)]

    domains_here = stack.resources("AWS::SageMaker::Domain")
    for logical_id, file_system in stack.resources("AWS::EFS::FileSystem").items():
        name = _construct_name(stack, file_system, logical_id).removesuffix("/FileSystem").rsplit("/", 1)[-1]
        fs_id = drawing.node(inner, "efs", name, label(f"EFS {name}"))
        for domain_logical_id, domain in domains_here.items():
            for config in dig(domain, "Properties", "DefaultUserSettings", "CustomFileSystemConfigs") or []:
                if logical_id in _refs(config):
                    path = _show(dig(config, "EFSFileSystemConfig", "FileSystemPath") or "/")
                    target = root.domains[f"{stack.name}/{domain_logical_id}"]
                    drawing.edges.append(f'  {fs_id} -->|"{label("mounted at " + path)}"| {target}')

    for logical_id, role in stack.resources("AWS::IAM::Role").items():
        persona = _tags(role).get(PERSONA_TAG)
        if persona is None:
            continue
        role_name = dig(role, "Properties", "RoleName")
        name = _show(role_name) if role_name else _construct_name(stack, role, logical_id)
        role_id = drawing.node(inner, "role", name, f"{label(f'role {name}')}<br/>{label(f'persona: {persona}')}")
        for domain_logical_id, domain in domains_here.items():
            if logical_id in _refs(dig(domain, "Properties", "DefaultUserSettings", "ExecutionRole")):
                drawing.edges.append(f'  {root.domains[f"{stack.name}/{domain_logical_id}"]} -->|"apps run as"| {role_id}')

    for child in by_parent.get(stack.path, []):
        _draw_stack(drawing, child, by_parent, root, vpcs, inner)
    drawing.lines.append(f"{indent}end")


def _domains_of(stack: StackTemplate, resource: dict[str, Any], root: _Root) -> list[str]:
    """The node of the domain ``resource`` belongs to: the one its ``DomainId`` points at in the
    same template, else the only domain of its top-level stack (nested stacks get the domain id as
    a parameter), else none."""
    refs = _refs(dig(resource, "Properties", "DomainId"))
    here = [root.domains[f"{stack.name}/{r}"] for r in sorted(refs) if f"{stack.name}/{r}" in root.domains]
    if here:
        return here
    return list(root.domains.values()) if len(root.domains) == 1 else []
