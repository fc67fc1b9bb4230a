from aws_cdk import aws_ec2 as ec2

from sagemaker_studio_cdk.policies.rules.security_group_has_no_open_ingress import RULE
from tests.rules.support import assert_flags, assert_passes
from tests.support import new_stack


def test_ingress_from_the_vpc_passes() -> None:
    scope, vpc = new_stack()
    group = ec2.SecurityGroup(scope, "Group", vpc=vpc)
    group.add_ingress_rule(ec2.Peer.ipv4("10.0.0.0/16"), ec2.Port.tcp(443))
    group.add_ingress_rule(group, ec2.Port.tcp(2049))
    assert_passes(scope, RULE)


def test_fails_on_ingress_from_anywhere() -> None:
    scope, vpc = new_stack()
    group = ec2.SecurityGroup(scope, "Group", vpc=vpc)
    group.add_ingress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443))
    assert_flags(scope, RULE, "Test/Group")


def test_fails_on_a_separate_ingress_rule_from_anywhere_over_ipv6() -> None:
    scope, _ = new_stack()
    ec2.CfnSecurityGroupIngress(
        scope, "Open", group_id="sg-0123456789abcdef0", ip_protocol="tcp", from_port=22, to_port=22, cidr_ipv6="::/0"
    )
    assert_flags(scope, RULE, "Test/Open")
