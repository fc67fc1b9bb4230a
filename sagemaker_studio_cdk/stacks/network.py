"""The network a VPC-only domain needs: private subnets and the endpoints Studio calls."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from aws_cdk import RemovalPolicy, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.nag import acknowledge
from ..policies.personas import NETWORK, PERSONA_TAG

STUDIO_INTERFACE_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService], ...] = (
    ("SageMakerApi", ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API),
    ("SageMakerRuntime", ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME),
    ("Sts", ec2.InterfaceVpcEndpointAwsService.STS),
    ("Logs", ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS),
)
"""Interface endpoints a VPC-only domain needs: the SageMaker API and runtime, STS and CloudWatch
Logs for the SDK's remote jobs. S3 comes through a gateway endpoint."""

MLFLOW_INTERFACE_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService, str], ...] = (
    (
        "Mlflow",
        ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_EXPERIMENTS,
        "https://docs.aws.amazon.com/sagemaker/latest/dg/mlflow-interface-endpoint.html",
    ),
)
"""Interface endpoints (id, service, source) a VPC-only domain needs to reach MLflow:
``aws.sagemaker.<region>.experiments`` (the tracking servers' ``*.experiments.sagemaker.aws``
hosts); presigned URLs go through the SageMaker API endpoint already there. That MLflow Apps are
reached through the same endpoint is not documented."""

FEATURE_STORE_INTERFACE_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService, str], ...] = (
    (
        "FeatureStoreRuntime",
        ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_FEATURESTORE_RUNTIME,
        "https://docs.aws.amazon.com/sagemaker/latest/dg/interface-vpc-endpoint.html",
    ),
)
"""Interface endpoints (id, service, source) for Feature Store's runtime
(``com.amazonaws.<region>.sagemaker.featurestore-runtime``: botocore's endpoint prefix
``featurestore-runtime.sagemaker``): PutRecord, GetRecord, DeleteRecord, BatchGetRecord."""

RSTUDIO_INTERFACE_ENDPOINTS: tuple[tuple[str, ec2.InterfaceVpcEndpointAwsService, str], ...] = (
    (
        "LicenseManager",
        ec2.InterfaceVpcEndpointAwsService.LICENSE_MANAGER,
        "https://github.com/awsdocs/amazon-sagemaker-developer-guide/blob/master/doc_source/rstudio-create-cli.md",
    ),
)
"""Interface endpoints (id, service, source) RStudio needs in a VPC-only domain besides the SageMaker
ones: License Manager (``com.amazonaws.<region>.license-manager``), where the RStudio server checks
out the Posit Workbench license (AWS's RStudio guide: the subnets need internet access or endpoints
for SageMaker and License Manager)."""


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

    def __post_init__(self) -> None:
        """The ids CloudFormation's schemas accept: a VPC id, 1-16 subnet ids (the domain's limit)
        in the form EFS mount targets take, one zone per subnet."""
        collect(
            lambda: limits.check_type("vpc_id", self.vpc_id, str, "a VPC id (str)"),
            lambda: limits.check_items("availability_zones", self.availability_zones, str, "zone names (str)"),
            lambda: limits.check_items("private_subnet_ids", self.private_subnet_ids, str, "subnet ids (str)"),
        )
        collect(
            lambda: limits.check_cfn("vpc_id", self.vpc_id, "AWS::SageMaker::Domain", "VpcId", "a VPC id"),
            lambda: limits.check_cfn(
                "private_subnet_ids", list(self.private_subnet_ids), "AWS::SageMaker::Domain", "SubnetIds", "the subnets"
            ),
            *(
                (lambda i=i, s=s: limits.check_cfn(f"private_subnet_ids[{i}]", s, "AWS::EFS::MountTarget", "SubnetId"))
                for i, s in enumerate(self.private_subnet_ids)
            ),
            lambda: self._check_zones(),
        )

    def _check_zones(self) -> None:
        if len(self.availability_zones) != len(self.private_subnet_ids):
            raise StudioConfigError(
                "availability_zones", list(self.availability_zones), "one zone per entry of private_subnet_ids"
            )
        for i, zone in enumerate(self.availability_zones):
            if not limits.is_token(zone) and not zone:
                raise StudioConfigError(f"availability_zones[{i}]", zone, "an Availability Zone name such as us-east-1a")

    @classmethod
    def from_context(cls, value: Any) -> ExistingVpc:
        """From the ``studio:vpc`` context value: ``{vpcId, availabilityZones, privateSubnetIds}``."""
        if not isinstance(value, dict) or not {"vpcId", "availabilityZones", "privateSubnetIds"} <= value.keys():
            raise StudioConfigError("context studio:vpc", value, "an object with vpcId, availabilityZones and privateSubnetIds")
        for key in ("availabilityZones", "privateSubnetIds"):
            if not isinstance(value[key], list):
                raise StudioConfigError(f"context studio:vpc.{key}", value[key], "a list of strings")
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


FLOW_LOG_RETENTION = logs.RetentionDays.ONE_YEAR
"""How long the VPC's flow logs are kept."""

_DEFAULT_GROUP_REASON = (
    "The default security group keeps AWS's default rules: CDK's restrictDefaultSecurityGroup needs a "
    "Lambda-backed custom resource, and nothing in this stack or the Studio domain is placed in the default "
    "group (apps use the domain's group, the endpoints their own), so its rules reach nothing."
)


class StudioNetworkStack(Stack):
    """A VPC for a VPC-only domain: isolated private subnets in two zones, no NAT, endpoints.

    Flow logs of all traffic go to a CloudWatch Logs group kept for a year (retained when the
    stack is deleted). The interface endpoints share one security group that admits HTTPS from
    the VPC's address range only.

    The default security group keeps AWS's default rules: CDK's
    ``restrictDefaultSecurityGroup`` is turned off because it needs a Lambda-backed custom
    resource, and nothing in this stack or the domain is placed in the default group (Studio
    apps use the domain's group, endpoints their own), so its rules reach nothing.

    :param max_azs: how many zones. Default: 2.
    :param cidr: the VPC's address range. Default: ``10.0.0.0/16``.
    :param mlflow_endpoints: add the endpoints of :data:`MLFLOW_INTERFACE_ENDPOINTS`. Default: no.
    :param feature_store_endpoint: add Feature Store's runtime endpoint. Default: no.
    :param rstudio_endpoints: add the endpoints of :data:`RSTUDIO_INTERFACE_ENDPOINTS` (License
        Manager), for a domain with ``rstudio``. Default: no.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        max_azs: int = 2,
        cidr: str = "10.0.0.0/16",
        mlflow_endpoints: bool = False,
        feature_store_endpoint: bool = False,
        rstudio_endpoints: bool = False,
        **kwargs: Any,
    ) -> None:
        collect(
            lambda: limits.check_type("max_azs", max_azs, int, "a whole number of zones (int)"),
            lambda: limits.check_type("cidr", cidr, str, "an IPv4 CIDR block (str)"),
        )
        collect(lambda: _check_zone_count(max_azs), lambda: _check_cidr(cidr))
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
        for finding in ("NIST.800.53.R5-VPCDefaultSecurityGroupClosed", "HIPAA.Security-VPCDefaultSecurityGroupClosed"):
            acknowledge(self.vpc.node.default_child or self.vpc, finding, _DEFAULT_GROUP_REASON)
        self.flow_logs = self._flow_logs()
        self.vpc.add_gateway_endpoint("S3", service=ec2.GatewayVpcEndpointAwsService.S3)
        # One group for the endpoints, with the VPC's range as a literal: CDK's default per-endpoint
        # group admits Fn::GetAtt Vpc.CidrBlock, which no rule can read before deploy time.
        self.endpoint_security_group = ec2.SecurityGroup(
            self,
            "EndpointSecurityGroup",
            vpc=self.vpc,
            description="Studio VPC endpoints: HTTPS from the VPC",
            allow_all_outbound=False,
        )
        self.endpoint_security_group.add_ingress_rule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), "HTTPS from the VPC")
        optional = [
            *(MLFLOW_INTERFACE_ENDPOINTS if mlflow_endpoints else ()),
            *(FEATURE_STORE_INTERFACE_ENDPOINTS if feature_store_endpoint else ()),
            *(RSTUDIO_INTERFACE_ENDPOINTS if rstudio_endpoints else ()),
        ]
        for endpoint_id, service in [*STUDIO_INTERFACE_ENDPOINTS, *((i, s) for i, s, _ in optional)]:
            self.vpc.add_interface_endpoint(
                endpoint_id,
                service=service,
                private_dns_enabled=True,
                open=False,
                security_groups=[self.endpoint_security_group],
            )

    def _flow_logs(self) -> logs.LogGroup:
        """Flow logs of all the VPC's traffic, to a log group kept for :data:`FLOW_LOG_RETENTION`."""
        group = logs.LogGroup(self, "FlowLogs", retention=FLOW_LOG_RETENTION, removal_policy=RemovalPolicy.RETAIN)
        for finding in ("NIST.800.53.R5-CloudWatchLogGroupEncrypted", "HIPAA.Security-CloudWatchLogGroupEncrypted"):
            acknowledge(
                group.node.default_child or group,
                finding,
                "Flow-log records hold addresses, ports and byte counts, never payloads; CloudWatch Logs encrypts them at "
                "rest with its own keys. A customer key would add a stateful key to the network stack for no user data.",
            )
        # A role with a managed policy of exactly what flow logs need (the role CDK makes gets an inline policy).
        role = iam.Role(self, "FlowLogsRole", assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com"))
        Tags.of(role).add(PERSONA_TAG, NETWORK)  # every library role names its persona (docs/security.md)
        iam.ManagedPolicy(
            self,
            "FlowLogsPolicy",
            roles=[role],
            statements=[
                iam.PolicyStatement(
                    actions=["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                    resources=[group.log_group_arn],
                )
            ],
        )
        self.vpc.add_flow_log(
            "FlowLog",
            destination=ec2.FlowLogDestination.to_cloud_watch_logs(group, role.without_policy_updates()),
            traffic_type=ec2.FlowLogTrafficType.ALL,
        )
        return group


def _check_zone_count(max_azs: int) -> None:
    if not limits.is_token(max_azs) and max_azs < 1:
        raise StudioConfigError("max_azs", max_azs, "at least 1 zone (Studio and EFS want 2 or more)")


def _check_cidr(cidr: str) -> None:
    """An IPv4 network, as the schema's ``ipv4-network`` format of ``AWS::EC2::VPC`` ``CidrBlock`` wants."""
    if limits.is_token(cidr):
        return
    try:
        network = ipaddress.IPv4Network(cidr, strict=False)
    except ValueError as err:
        raise StudioConfigError("cidr", cidr, f"an IPv4 CIDR block such as 10.0.0.0/16 ({err})") from None
    if not 16 <= network.prefixlen <= 28:
        raise StudioConfigError("cidr", cidr, "a VPC block from /16 to /28 (Amazon VPC's sizes)")
