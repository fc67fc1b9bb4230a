"""The security group Studio apps need: traffic within the group on the ports Studio uses."""

from __future__ import annotations

from aws_cdk import aws_ec2 as ec2
from constructs import Construct

STUDIO_PORTS: tuple[ec2.Port, ...] = (ec2.Port.tcp(2049), ec2.Port.tcp_range(8192, 65535))
"""NFS for file systems and the app-to-app range, each allowed from the group itself (AWS docs)."""

STUDIO_SECURITY_GROUP_RESOURCES = 1 + len(STUDIO_PORTS)
"""CloudFormation resources :func:`studio_security_group` makes: the group, and one ingress rule
per port (a rule whose source is the group itself is a resource of its own)."""


def studio_security_group(scope: Construct, construct_id: str, *, vpc: ec2.IVpc, description: str) -> ec2.SecurityGroup:
    """A group that allows the Studio ports from itself and all outbound traffic.

    Outbound stays open so apps reach the VPC endpoints and whatever the VPC routes to; in a
    VPC-only domain without a NAT that is the endpoints alone. No inbound rule from outside the
    group is ever added here.
    """
    group = ec2.SecurityGroup(scope, construct_id, vpc=vpc, description=description, allow_all_outbound=True)
    for port in STUDIO_PORTS:
        group.add_ingress_rule(group, port, f"Studio: {port.to_string()} within the group")
    return group
