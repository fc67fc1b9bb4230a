"""The settings of issue 14 refuse bad input at synth with a StudioConfigError naming the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest
from aws_cdk import CfnElement, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3

from sagemaker_studio_cdk import (
    ClassicAppDefaults,
    EbsStorage,
    FsxLustreFileSystem,
    ImageVersionMetadata,
    NotebookOutputOption,
    NotebookSharing,
    S3FileSystem,
    SharedSpaceDefaults,
    StudioConfigError,
    StudioDomain,
    StudioImage,
    parse_spec,
)
from tests.support import new_stack


def _domain(**props: Any) -> tuple[Stack, StudioDomain]:
    stack, vpc = new_stack()
    return stack, StudioDomain(stack, "D", vpc=vpc, domain_name="d", **props)


def _bucket(stack: Stack) -> s3.IBucket:
    return s3.Bucket.from_bucket_name(stack, "B", "team-data")


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            lambda st: {"notebook_sharing": NotebookSharing(output_option=NotebookOutputOption.DISABLED, bucket=_bucket(st))},
            r"notebook_sharing.bucket: got 'given'; no bucket or key",
        ),
        (lambda st: {"notebook_sharing": NotebookSharing(bucket=_bucket(st), prefix="/x")}, r"notebook_sharing.prefix"),
        (
            lambda st: {"custom_file_systems": [S3FileSystem(bucket=_bucket(st), mount_path="data")]},
            r"custom_file_systems\[0\].mount_path: got 'data'; an absolute path",
        ),
        (
            lambda st: {"custom_file_systems": [FsxLustreFileSystem(file_system_id="fsx-1")]},
            r"custom_file_systems\[0\].file_system_id: got 'fsx-1'",
        ),
        (lambda st: {"kernel_gateway": ClassicAppDefaults(instance_type="ml.huge")}, r"kernel_gateway.instance_type"),
        (lambda st: {"tag_propagation": "yes"}, r"tag_propagation: got 'yes'; True or False"),
        (
            lambda st: {"shared_space_defaults": SharedSpaceDefaults(ebs=EbsStorage(default_gb=50, max_gb=10))},
            r"shared_space_defaults.ebs.default_gb",
        ),
    ],
)
def test_fails_when_a_setting_is_invalid(props: Callable[[Stack], dict[str, Any]], message: str) -> None:
    stack, vpc = new_stack()
    with pytest.raises(StudioConfigError, match=message):
        StudioDomain(stack, "D", vpc=vpc, domain_name="d", **props(stack))


def test_fails_when_an_image_version_arn_is_not_one() -> None:
    with pytest.raises(StudioConfigError, match=r"image_version_arn: got 'arn:aws:sagemaker:us-east-1:111122223333:image/x'"):
        StudioImage.from_image_version_arn("arn:aws:sagemaker:us-east-1:111122223333:image/x")


def test_fails_when_image_version_metadata_is_outside_cloudformations_schema() -> None:
    with pytest.raises(StudioConfigError, match=r"version_metadata.vendor_guidance: got 'MAYBE'"):
        parse_spec(
            {
                "domain": {"name": "d"},
                "custom_images": [
                    {
                        "name": "lab",
                        "repository": "team/images",
                        "tag_or_digest": "sha256:" + "0f" * 32,
                        "version_metadata": {"vendor_guidance": "MAYBE"},
                    }
                ],
            }
        )


def test_shared_spaces_are_bounded_by_the_shared_space_defaults() -> None:
    _, domain = _domain(ebs=EbsStorage(max_gb=100), shared_space_defaults=SharedSpaceDefaults(ebs=EbsStorage(max_gb=200)))
    domain.add_space("big", ebs_size_gb=180)
    with pytest.raises(StudioConfigError, match=r"spaces\[huge\].ebs_size_gb: got 250.*shared_space_defaults.ebs.max_gb"):
        domain.add_space("huge", ebs_size_gb=250)


def test_profile_groups_include_the_domains_group_first() -> None:
    stack, domain = _domain()
    extra = ec2.SecurityGroup.from_security_group_id(stack, "Extra", "sg-0123456789abcdef0")
    profile = domain.add_user("alice", security_groups=[extra])
    groups = stack.resolve(profile.resource.user_settings)["securityGroups"]
    assert groups == [stack.resolve(domain.security_group.security_group_id), "sg-0123456789abcdef0"]
    assert "securityGroups" not in (stack.resolve(domain.add_user("bob").resource.user_settings) or {})


def test_image_version_metadata_reaches_the_image_version() -> None:
    from aws_cdk import aws_ecr as ecr

    from sagemaker_studio_cdk import CustomImage

    stack, _ = new_stack()
    image = CustomImage(
        stack,
        "Lab",
        repository=ecr.Repository.from_repository_name(stack, "R", "team/images"),
        tag_or_digest="sha256:" + "0f" * 32,
        image_name="lab",
        version_metadata=ImageVersionMetadata(aliases=("1.0",), release_notes="first", processor="CPU", horovod=False),
    )
    version = stack.resolve(image.version._cfn_properties)
    assert (version["aliases"], version["releaseNotes"], version["processor"], version["horovod"]) == (
        ["1.0"],
        "first",
        "CPU",
        False,
    )


def test_file_systems_from_cdk_objects() -> None:
    from aws_cdk import aws_fsx as fsx

    stack, vpc = new_stack()
    lustre = fsx.LustreFileSystem.from_lustre_file_system_attributes(
        stack,
        "Lustre",
        dns_name="fs-0123456789abcdef0.fsx.us-east-1.amazonaws.com",
        file_system_id="fs-0123456789abcdef0",
        security_group=ec2.SecurityGroup.from_security_group_id(stack, "LustreGroup", "sg-0123456789abcdef0"),
    )
    bucket = s3.Bucket(stack, "Data")
    domain = StudioDomain(
        stack,
        "D",
        vpc=vpc,
        domain_name="d",
        custom_file_systems=[FsxLustreFileSystem.of(lustre, "/team"), S3FileSystem(bucket=bucket, prefix="shared")],
    )
    configs = stack.resolve(domain.resource.default_user_settings)["customFileSystemConfigs"]
    assert configs[0] == {"fSxLustreFileSystemConfig": {"fileSystemId": "fs-0123456789abcdef0", "fileSystemPath": "/team"}}
    bucket_ref = {"Ref": stack.get_logical_id(cast(CfnElement, bucket.node.default_child))}
    assert configs[1]["s3FileSystemConfig"]["s3Uri"] == {"Fn::Join": ["", ["s3://", bucket_ref, "/shared"]]}


def test_kernel_gateway_default_image_is_a_listed_kernel_gateway_image() -> None:
    from aws_cdk import aws_ecr as ecr

    from sagemaker_studio_cdk import CustomImage, ImageAppType, KernelSpec

    stack, vpc = new_stack()
    repository = ecr.Repository.from_repository_name(stack, "R", "team/images")
    kernels = CustomImage(
        stack,
        "Kernels",
        repository=repository,
        tag_or_digest="sha256:" + "0f" * 32,
        image_name="kernels",
        app_type=ImageAppType.KERNEL_GATEWAY,
        kernel_specs=[KernelSpec(name="python3")],
    )
    image = StudioImage.custom(kernels)
    domain = StudioDomain(
        stack, "D", vpc=vpc, domain_name="d", custom_images=[kernels], kernel_gateway=ClassicAppDefaults(image=image)
    )
    spec = stack.resolve(domain.resource.default_user_settings)["kernelGatewayAppSettings"]["defaultResourceSpec"]
    assert spec == {"sageMakerImageArn": stack.resolve(kernels.image_arn)}
    with pytest.raises(StudioConfigError, match=r"kernel_gateway.image: got 'kernels'; an image in the Kernel Gateway"):
        StudioDomain(stack, "E", vpc=vpc, domain_name="e", kernel_gateway=ClassicAppDefaults(image=image))
    with pytest.raises(StudioConfigError, match=r"jupyter_server.image: got 'kernels'; a SageMaker image ARN"):
        StudioDomain(
            stack, "F", vpc=vpc, domain_name="f", custom_images=[kernels], jupyter_server=ClassicAppDefaults(image=image)
        )
