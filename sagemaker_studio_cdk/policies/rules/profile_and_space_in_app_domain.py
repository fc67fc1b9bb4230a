"""User profiles and spaces belong to a Studio domain this app declares."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule


def check(resource: Resource) -> bool:
    domain_id = resource.get("DomainId")
    target = resource.index.referenced(resource, domain_id)
    return target is not None and target.type == "AWS::SageMaker::Domain"


RULE = Rule(
    name="DomainOfSameApp",
    level=NagMessageLevel.WARN,
    resource_types=("AWS::SageMaker::UserProfile", "AWS::SageMaker::Space"),
    info="The user profile or space refers to a Studio domain that this app does not declare (a literal or foreign DomainId).",
    explanation=(
        "A hard-coded DomainId (d-...) or one imported from elsewhere puts users and their files into a domain "
        "whose settings, key, network and isolation this app does not control or check; a copied app pointed at "
        "the wrong account's id adds users to the wrong domain. Refer to the domain construct (StudioDomain."
        "add_user / add_space). For a domain managed elsewhere on purpose "
        "(StudioDomain.from_domain_attributes), acknowledge this warning with the reason."
    ),
    check=check,
)
