"""The spec's keys for the settings CloudFormation carries beyond the basics (notebook sharing,
security groups, Studio Classic defaults, S3 and FSx file systems, shared-space defaults, domain
settings), made into construct props. Existing buckets, keys and security groups named in the
spec are imported once each into the domain stack."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..constructs.image import StudioImage
from ..constructs.lifecycle_config import LifecycleConfig
from ..constructs.studio_options import (
    ClassicAppDefaults,
    CustomFileSystem,
    FsxLustreFileSystem,
    NotebookSharing,
    S3FileSystem,
    SharedSpaceDefaults,
)
from ..spec import ClassicAppSpec, CustomFileSystemSpec, DomainSpec, NotebookSharingSpec, SpaceSpec, UserSpec


class SpecOptions:
    """Construct props of a spec's settings; imports go into ``scope``.

    :param image: turns a spec's image reference into a :class:`StudioImage`.
    :param configs: turns lifecycle config names into :class:`LifecycleConfig` s.
    """

    def __init__(
        self,
        scope: Construct,
        image: Callable[[str], StudioImage],
        configs: Callable[[list[str]], list[LifecycleConfig]],
    ) -> None:
        self._scope = scope
        self._image = image
        self._configs = configs
        self._buckets: dict[str, s3.IBucket] = {}
        self._keys: dict[str, kms.IKey] = {}
        self._groups: dict[str, ec2.ISecurityGroup] = {}

    def domain(self, d: DomainSpec) -> dict[str, Any]:
        """The props of :class:`StudioDomain` these keys set."""
        shared = d.shared_space_defaults
        return {
            **self._common(d),
            "execution_role_identity": d.execution_role_identity,
            "shared_space_defaults": SharedSpaceDefaults(
                security_groups=self._security_groups(shared.security_group_ids),
                jupyter_lab_instance_type=shared.jupyter_lab_instance_type,
                idle_shutdown=shared.idle_shutdown,
                default_lifecycle_configs=self._configs(shared.default_lifecycle_configs),
                code_repositories=shared.code_repositories,
                built_in_lifecycle_config=self._configs([shared.built_in_lifecycle_config])[0]
                if shared.built_in_lifecycle_config
                else None,
                ebs=shared.ebs,
                posix_user=shared.posix_user,
                training_plan_arn=shared.training_plan_arn,
            )
            if shared is not None
            else None,
            "tag_propagation": d.tag_propagation,
            "ip_address_type": d.ip_address_type,
            "unified_studio": d.unified_studio,
        }

    def user(self, user: UserSpec) -> dict[str, Any]:
        """The props of :class:`UserProfile` these keys set."""
        return self._common(user)

    def space(self, space: SpaceSpec) -> dict[str, Any]:
        """The props of :class:`Space` these keys set."""
        return {
            "custom_file_systems": self._file_systems(space.custom_file_systems),
            "managed_resources": space.managed_resources,
            "training_plan_arn": space.training_plan_arn,
        }

    def _common(self, item: DomainSpec | UserSpec) -> dict[str, Any]:
        return {
            "notebook_sharing": self._sharing(item.notebook_sharing),
            "security_groups": self._security_groups(item.security_group_ids),
            "kernel_gateway": self._classic(item.kernel_gateway),
            "jupyter_server": self._classic(item.jupyter_server),
            "custom_file_systems": self._file_systems(item.custom_file_systems),
        }

    def _bucket(self, name: str) -> s3.IBucket:
        if name not in self._buckets:
            self._buckets[name] = s3.Bucket.from_bucket_name(self._scope, f"Bucket-{name}", name)
        return self._buckets[name]

    def _key(self, arn: str) -> kms.IKey:
        if arn not in self._keys:
            self._keys[arn] = kms.Key.from_key_arn(self._scope, f"Key-{len(self._keys)}", arn)
        return self._keys[arn]

    def _security_groups(self, ids: Sequence[str]) -> list[ec2.ISecurityGroup]:
        for group in ids:
            if group not in self._groups:
                self._groups[group] = ec2.SecurityGroup.from_security_group_id(self._scope, f"SecurityGroup-{group}", group)
        return [self._groups[group] for group in ids]

    def _sharing(self, sharing: NotebookSharingSpec | None) -> NotebookSharing | None:
        if sharing is None:
            return None
        return NotebookSharing(
            output_option=sharing.output_option,
            bucket=self._bucket(sharing.bucket) if sharing.bucket else None,
            prefix=sharing.prefix,
            encryption_key=self._key(sharing.kms_key_arn) if sharing.kms_key_arn else None,
        )

    def _classic(self, classic: ClassicAppSpec | None) -> ClassicAppDefaults | None:
        if classic is None:
            return None
        return ClassicAppDefaults(
            instance_type=classic.instance_type, image=self._image(classic.image) if classic.image else None
        )

    def _file_systems(self, file_systems: Sequence[CustomFileSystemSpec]) -> list[CustomFileSystem]:
        made: list[CustomFileSystem] = []
        for fs in file_systems:
            if fs.s3_bucket is not None:
                made.append(
                    S3FileSystem(
                        bucket=self._bucket(fs.s3_bucket), prefix=fs.s3_prefix, mount_path=fs.mount_path, read_only=fs.read_only
                    )
                )
            else:
                assert fs.fsx_file_system_id is not None  # the spec allows exactly one of the two
                made.append(FsxLustreFileSystem(file_system_id=fs.fsx_file_system_id, path=fs.path))
        return made
