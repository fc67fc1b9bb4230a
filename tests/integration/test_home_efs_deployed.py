"""An RStudio domain deployed to moto and destroyed: with ``home_efs_retention: Delete`` the
cleanup deletes the domain with its home EFS, mount targets and NFS security groups (the VPC could
go next); with ``Retain`` CloudFormation's own delete keeps them, as AWS does."""

from __future__ import annotations

from tests.home_efs import ZONES, Destroyed


def test_the_rstudio_domain_has_a_home_efs_tagged_as_aws_does(home_efs_destroyed: Destroyed) -> None:
    for retention, arn in home_efs_destroyed.domain_arn.items():
        made = home_efs_destroyed.before[retention]
        domain_id = arn.rsplit("/", 1)[1]
        assert len(made["file systems"]) == 1 and len(made["mount targets"]) == len(ZONES)
        assert made["security groups"] == {f"security-group-for-{d}-nfs-{domain_id}" for d in ("inbound", "outbound")}


def test_delete_leaves_no_home_efs_nor_its_security_groups(home_efs_destroyed: Destroyed) -> None:
    assert home_efs_destroyed.after["Delete"] == {"file systems": set(), "mount targets": set(), "security groups": set()}


def test_retain_leaves_the_home_efs_as_cloudformation_does(home_efs_destroyed: Destroyed) -> None:
    assert home_efs_destroyed.after["Retain"] == home_efs_destroyed.before["Retain"]
