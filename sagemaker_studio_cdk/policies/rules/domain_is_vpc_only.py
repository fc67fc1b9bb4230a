"""The domain's apps reach the network only through its VPC (``AppNetworkAccessType: VpcOnly``)."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule


def check(domain: Resource) -> bool:
    # CloudFormation's default is PublicInternetOnly: a missing value is a finding.
    return bool(domain.get("AppNetworkAccessType") == "VpcOnly")


RULE = Rule(
    name="DomainVpcOnly",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::SageMaker::Domain",),
    info="The Studio domain is not VpcOnly: its apps get direct internet access from SageMaker.",
    explanation=(
        "With PublicInternetOnly (CloudFormation's default) SageMaker gives every app a route to the internet "
        "that no security group, NACL or VPC endpoint policy of yours controls, so data can leave without passing "
        "your network controls. Set AppNetworkAccessType to VpcOnly (StudioDomain's default) and give the VPC the "
        "endpoints Studio needs (StudioNetworkStack makes them)."
    ),
    check=check,
)
