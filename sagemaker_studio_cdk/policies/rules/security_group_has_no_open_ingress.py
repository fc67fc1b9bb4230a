"""No security group admits traffic from anywhere (``0.0.0.0/0`` or ``::/0``)."""

from __future__ import annotations

from typing import Any

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule, as_list

OPEN = ("0.0.0.0/0", "::/0")


def _is_open(rule: Any) -> bool:
    return isinstance(rule, dict) and (rule.get("CidrIp") in OPEN or rule.get("CidrIpv6") in OPEN)


def check(resource: Resource) -> bool:
    if resource.type == "AWS::EC2::SecurityGroupIngress":
        return not _is_open(resource.props)
    return not any(_is_open(rule) for rule in as_list(resource.get("SecurityGroupIngress")))


RULE = Rule(
    name="NoOpenIngress",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress"),
    info="The security group admits inbound traffic from anywhere (0.0.0.0/0 or ::/0).",
    explanation=(
        "Studio apps, file systems and VPC endpoints are reached from inside the VPC only. An ingress rule from "
        "0.0.0.0/0 or ::/0 opens whatever the group protects to any address that can route to it. Allow the "
        "Studio security group itself, or the VPC's CIDR, on the ports needed (NFS 2049, HTTPS 443, 8192-65535 "
        "between apps)."
    ),
    check=check,
)
