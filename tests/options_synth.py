"""One synth shared by the tests of issue 14's remaining settings (Unified Studio, training plans,
space-managed resources) and of what the library grants for the settings it wires (notebook
sharing, S3 file systems, FSx for Lustre)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_fsx as fsx
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from sagemaker_studio_cdk import (
    AppDefaults,
    FsxLustreFileSystem,
    NotebookSharing,
    S3FileSystem,
    SharedSpaceDefaults,
    Space,
    SpaceManagedResources,
    StudioDomain,
    UnifiedStudio,
    UserProfile,
)
from sagemaker_studio_cdk.policies.resolver import ResolvedRole, resolve_assembly
from tests.support import new_stack

PLAN = "arn:aws:sagemaker:us-east-1:111122223333:training-plan/gpu-reserved"
USER_PLAN = "arn:aws:sagemaker:us-east-1:111122223333:training-plan/bob-reserved"
SHARED_PLAN = "arn:aws:sagemaker:us-east-1:111122223333:training-plan/shared-reserved"
SPACE_PLAN = "arn:aws:sagemaker:us-east-1:111122223333:training-plan/lab-reserved"
FSX_ID = "fs-0123456789abcdef0"
FSX_GROUP = "sg-0f500000000000001"
SHARING_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
UNIFIED = UnifiedStudio(
    studio_web_portal_access=False,
    domain_id="dzd_abc123def456",
    domain_account_id="111122223333",
    domain_region="us-east-1",
    project_id="prj123",
    environment_id="env123",
    project_s3_path="s3://team-unified/project",
)


@dataclass(frozen=True)
class OptionsSynth:
    template: dict[str, Any]
    stack: Stack
    domain: StudioDomain
    users: dict[str, UserProfile]
    space: Space
    roles: dict[str, ResolvedRole]
    """The execution roles by who runs as them: ``domain`` (also dave's and shared spaces'), ``bob``, ``carol``."""


@lru_cache(maxsize=1)
def options_synth() -> OptionsSynth:
    """A domain with a user-data bucket, notebook sharing (with a key), a read-only S3 mount and an
    FSx for Lustre file system; bob with his own role, sharing and writable S3 mount; carol with her
    own role and the domain's settings; dave on the domain's role; erin on it with a mount of her
    own; a shared space with its own S3 mount, a training plan and space-managed resources."""
    stack, vpc = new_stack()
    data = s3.Bucket.from_bucket_name(stack, "Data", "team-data")
    sharing_key = kms.Key.from_key_arn(stack, "SharingKey", SHARING_KEY)
    sharing = s3.Bucket.from_bucket_attributes(stack, "Sharing", bucket_name="team-sharing")
    lustre = fsx.LustreFileSystem.from_lustre_file_system_attributes(
        stack,
        "Lustre",
        dns_name=f"{FSX_ID}.fsx.us-east-1.amazonaws.com",
        file_system_id=FSX_ID,
        security_group=ec2.SecurityGroup.from_security_group_id(stack, "LustreGroup", FSX_GROUP),
    )
    domain = StudioDomain(
        stack,
        "D",
        vpc=vpc,
        domain_name="options",
        user_data_bucket=data,
        app_defaults=AppDefaults(training_plan_arn=PLAN),
        notebook_sharing=NotebookSharing(bucket=sharing, prefix="shared", encryption_key=sharing_key),
        custom_file_systems=[
            S3FileSystem(bucket=data, prefix="curated", mount_path="/mnt/curated", read_only=True),
            FsxLustreFileSystem.of(lustre, "/scratch"),
        ],
        unified_studio=UNIFIED,
        shared_space_defaults=SharedSpaceDefaults(training_plan_arn=SHARED_PLAN),
    )
    bob_role = iam.Role(stack, "BobRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    carol_role = iam.Role(stack, "CarolRole", assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"))
    users = {
        "bob": domain.add_user(
            "bob",
            execution_role=bob_role,
            app_defaults=AppDefaults(training_plan_arn=USER_PLAN),
            notebook_sharing=NotebookSharing(bucket=sharing, prefix="bob"),
            custom_file_systems=[S3FileSystem(bucket=data, prefix="bob-scratch", mount_path="/mnt/scratch")],
        ),
        "carol": domain.add_user("carol", execution_role=carol_role),
        "dave": domain.add_user("dave"),
        "erin": domain.add_user(  # on the domain's role, her own mount: her sessions only (source identity)
            "erin", custom_file_systems=[S3FileSystem(bucket=data, prefix="erin-scratch", mount_path="/mnt/erin")]
        ),
    }
    space = domain.add_space(
        "lab",
        custom_file_systems=[S3FileSystem(bucket=data, prefix="lab")],
        managed_resources=SpaceManagedResources.ENABLED,
        training_plan_arn=SPACE_PLAN,
    )
    assembly = stack.node.root.synth()  # type: ignore[attr-defined]
    template = assembly.get_stack_by_name(stack.stack_name).template
    resolved = resolve_assembly(assembly.directory)
    roles = {
        "domain": next(r for r in resolved if r.persona == "execution"),
        "bob": next(r for r in resolved if "BobRole" in r.logical_id),
        "carol": next(r for r in resolved if "CarolRole" in r.logical_id),
    }
    return OptionsSynth(template, stack, domain, users, space, roles)
