"""``EfsMount``: an EFS file system that Studio mounts into spaces, with the network it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import Annotations, RemovalPolicy
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError
from ..policies.nag import acknowledge
from .domain import select_subnets
from .settings import AppNetworkAccess

if TYPE_CHECKING:
    from .domain import StudioDomain

NFS_PORT = ec2.Port.tcp(2049)
NO_POSIX_USER_WARNING = "sagemaker-studio-cdk:efs-without-posix-user"
"""The id of the synth warning on an :class:`EfsMount` whose domain sets no ``posix_user``."""


@dataclass(frozen=True)
class MountedFileSystem:
    """An :class:`EfsMount` attached at a directory of the file system.

    :param file_system: the mount.
    :param path: the directory of the file system Studio mounts, from its root. Default: ``/``.
        Only domain and profile settings take a path; a space mounts the whole file system.
    """

    file_system: EfsMount
    path: str = "/"

    def validate(self, field: str) -> None:
        """The path is an absolute path the API accepts."""
        limits.check_pattern(f"{field}.path", self.path, "FileSystemPath", "an absolute path such as /team")


class EfsMount(Construct):
    """An EFS file system for a VPC-only Studio domain: new (encrypted with the domain's key,
    retained) or existing, reachable over NFS from the domain's apps.

    Apps reach it over NFS from the domain's security group, or, with
    ``security_group_per_user``, from the domain's ``file_system_client_group`` that every
    profile's apps carry besides their own group.

    Studio mounts a custom file system at ``/mnt/custom-file-systems/efs/<file-system-id>`` inside
    a space, as the POSIX user of the domain's, profile's or shared spaces'
    ``CustomPosixUserConfig``. Studio's configuration has no access point or mount path. A
    mount on a domain without ``posix_user`` gets a synth warning (:data:`NO_POSIX_USER_WARNING`).

    :param domain: the domain whose apps mount it. It must be VPC-only.
    :param file_system: an existing file system. Default: a new one, encrypted with the domain's
        KMS key and retained when the stack is deleted, with one mount target in each
        Availability Zone of the domain's subnets.
    :param subnets: where a new file system's mount targets go. Default: the domain's subnets,
        one per zone. Two subnets in one zone are an error: EFS allows one mount target a zone.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomain,
        file_system: efs.IFileSystem | None = None,
        subnets: ec2.SubnetSelection | None = None,
    ) -> None:
        from .domain import StudioDomain

        field = f"file_systems[{construct_id}]"
        limits.check_optional_type(f"{field}.file_system", file_system, efs.IFileSystem, "an efs.IFileSystem")
        limits.check_optional_type(f"{field}.subnets", subnets, ec2.SubnetSelection, "an ec2.SubnetSelection")
        if not isinstance(domain, StudioDomain):
            raise StudioConfigError(
                f"{field}.domain",
                getattr(getattr(domain, "node", None), "path", domain),
                "a StudioDomain of this app (an imported domain's network is not known)",
            )
        if domain.app_network_access is not AppNetworkAccess.VPC_ONLY:
            raise StudioConfigError(
                f"{field}.domain", domain.app_network_access.value, "a VPC-only domain: Studio mounts EFS only in VpcOnly mode"
            )
        super().__init__(scope, construct_id)
        self.domain = domain
        if file_system is None:
            selected = select_subnets(f"{field}.subnets", domain.vpc, subnets) if subnets else domain.subnets
            _check_one_per_zone(f"{field}.subnets", selected)
            file_system = efs.FileSystem(
                self,
                "FileSystem",
                vpc=domain.vpc,
                vpc_subnets=ec2.SubnetSelection(subnets=selected.subnets),
                encrypted=True,
                kms_key=domain.encryption_key,
                removal_policy=RemovalPolicy.RETAIN,
                enable_automatic_backups=True,
                security_group=ec2.SecurityGroup(
                    self,
                    "SecurityGroup",
                    vpc=domain.vpc,
                    description=f"EFS {construct_id} of Studio domain {domain.domain_name}",
                    allow_all_outbound=False,
                ),
            )
            for finding_id in ("NIST.800.53.R5-EFSInBackupPlan", "HIPAA.Security-EFSInBackupPlan"):
                acknowledge(
                    file_system.node.default_child or file_system,
                    finding_id,
                    "Automatic backups are on (BackupPolicy ENABLED): AWS Backup's default plan for EFS "
                    "(aws/efs/automatic-backup-plan) backs the file system up daily and keeps each backup 35 days. "
                    "The rule only sees backup plans declared in the template.",
                )
        self.file_system: efs.IFileSystem = file_system
        self.file_system_id: str = file_system.file_system_id
        limits.check_pattern(f"{field}.file_system", self.file_system_id, "FileSystemId", "an EFS file system id")
        limits.check_cfn(
            f"{field}.file_system",
            self.file_system_id,
            "AWS::SageMaker::Space",
            "SpaceSettings/CustomFileSystems/*/EFSFileSystem/FileSystemId",
            "an EFS file system id such as fs-0123456789abcdef0",
        )
        self.allow_from(domain.security_group)
        if domain.posix_user is None:
            Annotations.of(self).add_warning_v2(
                NO_POSIX_USER_WARNING,
                f"EFS {construct_id} is mounted in Studio domain {domain.domain_name}, which sets no posix_user: "
                "apps then reach it as the image's default user, who may not own its files. "
                "Set posix_user (PosixUser(uid, gid)) on the domain to the uid and gid that own them.",
            )
        if domain.file_system_client_group is not None:
            self.allow_from(domain.file_system_client_group)

    def allow_from(self, group: ec2.ISecurityGroup) -> None:
        """Let apps in ``group`` reach the file system over NFS (TCP 2049)."""
        self.file_system.connections.allow_from(group, NFS_PORT, "NFS from Studio apps")

    def at(self, path: str = "/") -> MountedFileSystem:
        """This file system attached at ``path``."""
        return MountedFileSystem(self, path)


def _check_one_per_zone(field: str, selected: ec2.SelectedSubnets) -> None:
    zones = [s.availability_zone for s in selected.subnets]
    repeated = sorted({z for z in zones if zones.count(z) > 1})
    if repeated:
        raise StudioConfigError(
            field, f"two or more subnets in {', '.join(repeated)}", "one subnet per Availability Zone (one mount target a zone)"
        )
