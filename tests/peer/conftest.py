"""Shared fixtures of the peer-scenario tests: one synthesized stack that declares every
CloudFormation row of PEER-SCENARIOS.md through the public constructs, and one moto deploy of a
studio.yaml followed by one update that changes every "update" row at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

from sagemaker_studio_cdk import (
    AppDefaults,
    AppType,
    ClassicAppDefaults,
    CustomImage,
    EbsStorage,
    EfsMount,
    ExecutionRoleIdentity,
    FsxLustreFileSystem,
    IdleShutdown,
    ImageAppType,
    IpAddressType,
    KernelSpec,
    LifecycleConfig,
    NotebookSharing,
    PortalSettings,
    PosixUser,
    S3FileSystem,
    SharedSpaceDefaults,
    SpaceSharing,
    StudioDomain,
    StudioImage,
)
from tests.support import new_stack, template_of

DIGEST = "sha256:" + "0f" * 32
KG_VERSION_ARN = "arn:aws:sagemaker:us-east-1:111122223333:image-version/team-kernels/3"
FSX_ID = "fs-0123456789abcdef0"


@dataclass
class Synth:
    """The shared stack's template and the constructs that made it."""

    template: Template
    stack: Stack
    full: StudioDomain
    basic: StudioDomain
    parts: dict[str, Any]

    def resource(self, resource_type: str, **match: Any) -> dict[str, Any]:
        """The properties of the one resource of ``resource_type`` whose properties include ``match``."""
        found = [
            r["Properties"]
            for r in self.template.find_resources(resource_type).values()
            if all(r["Properties"].get(k) == v for k, v in match.items())
        ]
        assert len(found) == 1, (resource_type, match, len(found))
        props: dict[str, Any] = found[0]
        return props

    def resolve(self, value: Any) -> Any:
        return self.stack.resolve(value)


@pytest.fixture(scope="session")
def synth() -> Synth:
    """Two domains (a basic one, and one with every CloudFormation setting), profiles, spaces."""
    stack, vpc = new_stack()
    basic = StudioDomain(stack, "Basic", vpc=vpc, domain_name="basic")
    key = kms.Key(stack, "DomainKey")
    sharing_bucket = s3.Bucket.from_bucket_name(stack, "Sharing", "team-notebook-sharing")
    sharing_key = kms.Key.from_key_arn(
        stack, "SharingKey", "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    )
    data = s3.Bucket.from_bucket_name(stack, "Data", "team-datasets")
    extra = [ec2.SecurityGroup.from_security_group_id(stack, f"Extra{i}", f"sg-0{i}23456789abcdef0") for i in range(2)]
    shared_role = iam.Role.from_role_arn(stack, "SharedRole", "arn:aws:iam::111122223333:role/studio-shared")
    lab = LifecycleConfig(stack, "LabStart", app_type=AppType.JUPYTER_LAB, script="echo lab")
    lab_builtin = LifecycleConfig(stack, "LabBuiltIn", app_type=AppType.JUPYTER_LAB, script="echo built-in")
    editor = LifecycleConfig(stack, "EditorStart", app_type=AppType.CODE_EDITOR, script="echo editor")
    kernels = LifecycleConfig(stack, "KernelStart", app_type=AppType.KERNEL_GATEWAY, script="echo kernels")
    server = LifecycleConfig(stack, "ServerStart", app_type=AppType.JUPYTER_SERVER, script="echo server")
    repository = ecr.Repository.from_repository_name(stack, "Images", "team/images")
    editor_image = CustomImage(
        stack,
        "EditorImage",
        repository=repository,
        tag_or_digest=DIGEST,
        image_name="team-editor",
        app_type=ImageAppType.CODE_EDITOR,
        environment={"TEAM": "ml"},
    )
    kernel_image = CustomImage(
        stack,
        "KernelImage",
        repository=repository,
        tag_or_digest=DIGEST,
        image_name="team-kernels",
        app_type=ImageAppType.KERNEL_GATEWAY,
        kernel_specs=[KernelSpec(name="python3", display_name="Python 3")],
    )
    full = StudioDomain(
        stack,
        "Full",
        vpc=vpc,
        domain_name="full",
        encryption_key=key,
        shared_space_execution_role=shared_role,
        app_defaults=AppDefaults(jupyter_lab_instance_type="ml.t3.large", code_editor_instance_type="ml.m5.large"),
        idle_shutdown=IdleShutdown(timeout_minutes=90, min_timeout_minutes=60, max_timeout_minutes=240),
        ebs=EbsStorage(default_gb=10, max_gb=150),
        posix_user=PosixUser(uid=10001, gid=1001),
        lifecycle_configs=[lab, kernels],
        default_lifecycle_configs=[editor, kernels, server],
        built_in_lifecycle_configs=[lab_builtin],
        custom_images=[editor_image, kernel_image],
        code_repositories=["https://github.com/example-org/notebooks.git"],
        portal=PortalSettings(
            hidden_app_types=("Canvas",), hidden_instance_types=("ml.p3.2xlarge",), hidden_ml_tools=("DataWrangler",)
        ),
        notebook_sharing=NotebookSharing(bucket=sharing_bucket, prefix="shared", encryption_key=sharing_key),
        execution_role_identity=ExecutionRoleIdentity.USER_PROFILE_NAME,
        security_groups=extra,
        shared_space_defaults=SharedSpaceDefaults(
            security_groups=extra[:1],
            jupyter_lab_instance_type="ml.m5.xlarge",
            idle_shutdown=IdleShutdown(timeout_minutes=120, min_timeout_minutes=60, max_timeout_minutes=240),
            ebs=EbsStorage(default_gb=20, max_gb=200),
            code_repositories=("https://github.com/example-org/shared.git",),
            built_in_lifecycle_config=lab,
        ),
        kernel_gateway=ClassicAppDefaults(instance_type="ml.t3.medium", image=StudioImage.from_image_version_arn(KG_VERSION_ARN)),
        jupyter_server=ClassicAppDefaults(instance_type="system"),
        custom_file_systems=[S3FileSystem(bucket=data, prefix="curated", mount_path="/mnt/curated")],
        tag_propagation=True,
        ip_address_type=IpAddressType.DUALSTACK,
        tags={"team": "ml"},
    )
    efs = EfsMount(stack, "TeamFiles", domain=full)
    full.add_file_system(efs, "/team")
    alice = full.add_user(
        "alice",
        execution_role=shared_role,
        app_defaults=AppDefaults(jupyter_lab_instance_type="ml.m5.large", code_editor_instance_type="ml.t3.large"),
        idle_shutdown=IdleShutdown(timeout_minutes=60, min_timeout_minutes=60, max_timeout_minutes=120),
        ebs=EbsStorage(default_gb=20, max_gb=50),
        posix_user=PosixUser(uid=10002, gid=1001),
        lifecycle_configs=[editor],
        default_lifecycle_configs=[lab],
        custom_images=[editor_image],
        default_image=StudioImage.custom(editor_image),
        portal=PortalSettings(hidden_app_types=("Canvas", "CodeEditor"), hidden_ml_tools=("DataWrangler", "Models")),
        notebook_sharing=NotebookSharing(bucket=sharing_bucket, prefix="alice"),
        security_groups=extra[1:],
        kernel_gateway=ClassicAppDefaults(instance_type="ml.t3.large"),
        jupyter_server=ClassicAppDefaults(instance_type="system"),
        file_systems=[efs.at("/alice")],
        custom_file_systems=[FsxLustreFileSystem(file_system_id=FSX_ID, path="/scratch")],
        tags={"owner": "alice"},
    )
    spaces = {
        "team": full.add_space("team", ebs_size_gb=50, file_systems=[efs], tags={"team": "ml"}),
        "alice-code": full.add_space(
            "alice-code",
            sharing=SpaceSharing.PRIVATE,
            owner=alice,
            app_type=AppType.CODE_EDITOR,
            instance_type="ml.t3.large",
            image=StudioImage.custom(editor_image),
            idle_timeout_minutes=90,
            display_name="Alice's editor",
        ),
        "lab": full.add_space(
            "lab",
            instance_type="ml.m5.large",
            image=StudioImage.from_image_version_arn(
                "arn:aws:sagemaker:us-east-1:885854791233:image-version/sagemaker-distribution-cpu/12"
            ),
            idle_timeout_minutes=120,
            custom_file_systems=[S3FileSystem(bucket=data, prefix="lab")],
        ),
        "scratch": full.add_space("scratch", custom_file_systems=[FsxLustreFileSystem(file_system_id=FSX_ID)]),
    }
    template = template_of(stack)
    return Synth(
        template=template,
        stack=stack,
        full=full,
        basic=basic,
        parts={
            "key": key,
            "extra": extra,
            "lab": lab,
            "lab_builtin": lab_builtin,
            "editor": editor,
            "kernels": kernels,
            "server": server,
            "editor_image": editor_image,
            "kernel_image": kernel_image,
            "efs": efs,
            "alice": alice,
            "spaces": spaces,
            "shared_role": shared_role,
            "sharing_key": sharing_key,
        },
    )


@pytest.fixture(scope="session")
def updated() -> Iterator[Any]:
    """The peer studio.yaml deployed to moto, then updated with every "update" row changed."""
    from tests.peer.deployed import deploy_and_update

    yield from deploy_and_update()


@pytest.fixture(scope="session")
def settings_deployed() -> Iterator[Any]:
    """The API-only and RStudio studio.yaml deployed to moto (roster recorded), then alice's RStudio
    group updated: shared by test_api_only.py and test_rstudio.py."""
    from tests.peer.deployed_settings import deploy_and_update

    yield from deploy_and_update()
