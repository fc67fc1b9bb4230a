"""The network a VPC-only domain needs: private subnets and the endpoints Studio calls."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from constructs import Construct

STUDIO_INTERFACE_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService], ...] = (
    ("SageMakerApi", ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API),
    ("SageMakerRuntime", ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME),
    ("Sts", ec2.InterfaceVpcEndpointAwsService.STS),
    ("Logs", ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS),
)
"""Interface endpoints a VPC-only domain needs: the SageMaker API and runtime, STS and CloudWatch
Logs for the SDK's remote jobs. S3 comes through a gateway endpoint."""


@dataclass(frozen=True)
class ExistingVpc:
    """A VPC made elsewhere, given by attributes so synth needs no AWS credentials.

    :param vpc_id: the VPC's id.
    :param availability_zones: the zones of ``private_subnet_ids``, in the same order.
    :param private_subnet_ids: the subnets Studio apps run in.
    """

    vpc_id: str
    availability_zones: tuple[str, ...]
    private_subnet_ids: tuple[str, ...]

    @classmethod
    def from_context(cls, value: Any) -> ExistingVpc:
        """From the ``studio:vpc`` context value: ``{vpcId, availabilityZones, privateSubnetIds}``."""
        from ..errors import StudioConfigError

        if not isinstance(value, dict) or not {"vpcId", "availabilityZones", "privateSubnetIds"} <= value.keys():
            raise StudioConfigError("context studio:vpc", value, "an object with vpcId, availabilityZones and privateSubnetIds")
        if len(value["availabilityZones"]) != len(value["privateSubnetIds"]):
            raise StudioConfigError(
                "context studio:vpc.privateSubnetIds", value["privateSubnetIds"], "one subnet per entry of availabilityZones"
            )
        return cls(value["vpcId"], tuple(value["availabilityZones"]), tuple(value["privateSubnetIds"]))

    def import_into(self, scope: Construct, construct_id: str) -> ec2.IVpc:
        """The VPC as an ``IVpc`` in ``scope``."""
        return ec2.Vpc.from_vpc_attributes(
            scope,
            construct_id,
            vpc_id=self.vpc_id,
            availability_zones=list(self.availability_zones),
            private_subnet_ids=list(self.private_subnet_ids),
        )


class StudioNetworkStack(Stack):
    """A VPC for a VPC-only domain: isolated private subnets in two zones, no NAT, endpoints.

    The default security group keeps AWS's default rules: CDK's
    ``restrictDefaultSecurityGroup`` is turned off because it needs a Lambda-backed custom
    resource, and nothing in this stack or the domain is placed in the default group (Studio
    apps use the domain's group, endpoints their own), so its rules reach nothing.

    :param max_azs: how many zones. Default: 2.
    :param cidr: the VPC's address range. Default: ``10.0.0.0/16``.
    """

    def __init__(
        self, scope: Construct, construct_id: str, *, max_azs: int = 2, cidr: str = "10.0.0.0/16", **kwargs: Any
    ) -> None:
        super().__init__(scope, construct_id, **kwargs)
        self.vpc = ec2.Vpc(
            self,
            "Vpc",
            ip_addresses=ec2.IpAddresses.cidr(cidr),
            max_azs=max_azs,
            nat_gateways=0,
            restrict_default_security_group=False,
            subnet_configuration=[
                ec2.SubnetConfiguration(name="studio", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED, cidr_mask=20)
            ],
        )
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
        for endpoint_id, service in STUDIO_INTERFACE_ENDPOINTS:
            self.vpc.add_interface_endpoint(endpoint_id, service=service, private_dns_enabled=True)
