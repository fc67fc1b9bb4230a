"""Docker access in Studio apps is off, or limited to the ECR registries of trusted accounts."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule, as_list


def check(domain: Resource) -> bool:
    docker = domain.get("DomainSettings", "DockerSettings")
    if not isinstance(docker, dict) or docker.get("EnableDockerAccess") != "ENABLED":
        return True
    return bool(as_list(docker.get("VpcOnlyTrustedAccounts")))


RULE = Rule(
    name="DockerAccessRestricted",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::SageMaker::Domain",),
    info="The Studio domain enables Docker access in apps without naming the trusted accounts images may come from.",
    explanation=(
        "With EnableDockerAccess ENABLED, users build and run containers inside their apps; without "
        "VpcOnlyTrustedAccounts they can pull images from any account's registry reachable from the VPC. "
        "Leave DomainSettings.DockerSettings.EnableDockerAccess DISABLED (the default), or list the accounts whose "
        "ECR images are trusted in VpcOnlyTrustedAccounts."
    ),
    check=check,
)
