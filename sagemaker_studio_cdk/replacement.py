"""Warnings, at synth time, for changes CloudFormation cannot apply to a named Studio resource.

Domains, user profiles and spaces always carry fixed names, and CloudFormation cannot replace a
named resource: a change to one of its create-only properties (CloudFormation's own schema, as
cfn-lint ships it) fails the update and rolls back. A removed space is deleted with its EBS volume
and the files on it. Neither can be seen from one synth alone; given the previous synth (a
:class:`Baseline`, for example the ``cdk.out`` of the last deploy), :class:`NamedReplacementCheck`
warns on the construct concerned before anything reaches CloudFormation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import Annotations, CfnResource, IAspect, Stack
from constructs import IConstruct

from .assembly import AssemblyError, load_templates
from .create_only import changed_create_only

NAMED_TYPES: Mapping[str, str] = {
    "AWS::SageMaker::Domain": "DomainName",
    "AWS::SageMaker::UserProfile": "UserProfileName",
    "AWS::SageMaker::Space": "SpaceName",
}
"""Studio resource types that always carry a fixed name, and the property holding it."""

WARNING_ID = "sagemaker-studio-cdk:named-replacement"

_CONSEQUENCES = {
    "AWS::SageMaker::Domain": "a new domain, without any of the old one's users or spaces",
    "AWS::SageMaker::UserProfile": "a new profile; the old one and its private spaces are deleted",
    "AWS::SageMaker::Space": "a new space on a new EBS volume: the files of the old one are lost",
}


@dataclass(frozen=True)
class BaselineResource:
    """A named resource as the previous synth declared it."""

    resource_type: str
    properties: Mapping[str, Any]
    parameters: frozenset[str] = frozenset()
    """The parameter names of the template the resource was in."""


class Baseline:
    """The named Studio resources of a previous synth, by construct path."""

    def __init__(self, resources: Mapping[str, BaselineResource]) -> None:
        self.resources = dict(resources)

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
        return cls(found)


@jsii.implements(IAspect)
class NamedReplacementCheck:
    """An aspect that warns where the app changes a named Studio resource in a way CloudFormation
    refuses, or removes one, compared with a :class:`Baseline`.

    Add it with ``Aspects.of(app).add(NamedReplacementCheck(baseline))``.
    """

    def __init__(self, baseline: Baseline) -> None:
        self._baseline = baseline
        self._seen: set[str] = set()

    def visit(self, node: IConstruct) -> None:
        """Check one construct; the app root also reports removed resources."""
        if isinstance(node, CfnResource) and node.cfn_resource_type in NAMED_TYPES:
            self._check_resource(node)
        elif node.node.scope is None:
            self._report_removed(node)

    def _check_resource(self, resource: CfnResource) -> None:
        path = resource.node.path
        self._seen.add(path)
        old = self._baseline.resources.get(path)
        if old is None or old.resource_type != resource.cfn_resource_type:
            return
        stack = Stack.of(resource)
        new = stack.resolve(resource._render_properties(stack.resolve(resource._cfn_properties)))
        changed = changed_create_only(resource.cfn_resource_type, old.properties, new, old.parameters)
        if changed:
            name = new.get(NAMED_TYPES[resource.cfn_resource_type])
            Annotations.of(resource).add_warning_v2(
                WARNING_ID,
                f"{resource.cfn_resource_type} {name!r}: {', '.join(changed)} changed, which needs "
                f"{_CONSEQUENCES[resource.cfn_resource_type]}. CloudFormation cannot replace a named "
                "resource and will fail the update; declare it under a new name instead.",
            )

    def _report_removed(self, root: IConstruct) -> None:
        # The root is visited first; collect every path the app declares before comparing.
        declared = {
            c.node.path for c in root.node.find_all() if isinstance(c, CfnResource) and c.cfn_resource_type in NAMED_TYPES
        }
        for path, old in sorted(self._baseline.resources.items()):
            if path not in declared and old.resource_type == "AWS::SageMaker::Space":
                name = old.properties.get("SpaceName")
                Annotations.of(_deepest_existing(root, path)).add_warning_v2(
                    WARNING_ID,
                    f"space {name!r} ({path}) is no longer declared: deploying deletes it with its EBS volume "
                    "and every file on it. Have its users save their work first.",
                )


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
