"""The image a new app starts: SageMaker Distribution of the stack's region, or a given image ARN."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING

import regex as re
from aws_cdk import CfnMapping, Fn, Stack
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError

if TYPE_CHECKING:
    from .custom_image import CustomImage

SAGEMAKER_DISTRIBUTION_ACCOUNTS: Mapping[str, str] = {
    "us-east-1": "885854791233",
    "us-east-2": "137914896644",
    "us-west-1": "053634841547",
    "us-west-2": "542918446943",
    "ap-northeast-1": "010972774902",
    "ap-northeast-2": "064688005998",
    "ap-northeast-3": "564864627153",
    "ap-southeast-1": "022667117163",
    "ap-southeast-2": "648430277019",
    "ap-southeast-3": "370607712162",
    "ap-south-1": "245090515133",
    "ap-east-1": "523751269255",
    "eu-central-1": "545423591354",
    "eu-west-1": "819792524951",
    "eu-west-2": "021081402939",
    "eu-west-3": "856416204555",
    "eu-north-1": "175620155138",
    "eu-south-1": "810671768855",
    "ca-central-1": "481561238223",
    "sa-east-1": "567556641782",
    "af-south-1": "238384257742",
    "me-south-1": "523774347010",
    "me-central-1": "358593528301",
    "il-central-1": "080319125002",
}
"""The AWS account that publishes SageMaker Distribution images in each region (AWS docs)."""

_MAPPING_ID = "SageMakerDistributionAccounts"


class Processor(Enum):
    """Which SageMaker Distribution build to start."""

    CPU = "cpu"
    GPU = "gpu"


class StudioImage:
    """The image a new JupyterLab or Code Editor app starts.

    Use :meth:`sagemaker_distribution` (the default everywhere), :meth:`custom` or :meth:`from_image_arn`.
    """

    def __init__(
        self, *, processor: Processor | None = None, image_arn: str | None = None, custom_image: CustomImage | None = None
    ) -> None:
        self._processor = processor
        self._image_arn = image_arn
        self.version_arn: str | None = None
        """The image version to start (``DefaultResourceSpec.SageMakerImageVersionArn``), when made
        with :meth:`from_image_version_arn`."""
        self.custom_image = custom_image
        """The :class:`CustomImage` this image is, when made with :meth:`custom`."""
        self.version_alias: str | None = None
        """The image version alias (``SageMakerImageVersionAlias``) apps start, when given with
        :meth:`with_version_alias`; ``None``: the image's latest version."""

    def with_version_alias(self, alias: str) -> StudioImage:
        """This image at a version alias, such as SageMaker Distribution ``2.1``
        (``ResourceSpec.SageMakerImageVersionAlias``).

        CloudFormation has no such property: the settings resource applies the alias, and the
        whole ``DefaultResourceSpec`` it sits in moves to it (``docs/settings.md``).

        :raises StudioConfigError: ``alias`` does not match the API's ``ImageVersionAlias`` pattern.
        """
        limits.check_type("version_alias", alias, str, "a version alias (str)")
        if not alias:
            raise StudioConfigError("version_alias", alias, "a version alias such as 2.1")
        limits.check_pattern("version_alias", alias, "ImageVersionAlias", "an image version alias such as 2.1")
        aliased = StudioImage(processor=self._processor, image_arn=self._image_arn, custom_image=self.custom_image)
        aliased.version_alias = alias
        return aliased

    @classmethod
    def custom(cls, image: CustomImage) -> StudioImage:
        """A :class:`CustomImage` of this app, as the default image of its own app type.

        It must be in the ``custom_images`` that apply where it is the default (the domain's, a
        profile's own, or a private space's owner's): Studio refuses to start an image that is
        not, and so does synth.
        """
        return cls(image_arn=image.image_arn, custom_image=image)

    @classmethod
    def sagemaker_distribution(cls, processor: Processor = Processor.CPU) -> StudioImage:
        """AWS's SageMaker Distribution image of the stack's region.

        In a stack with a concrete region the ARN is resolved at synth time, and a region without
        a published image is a :class:`StudioConfigError`. In an environment-agnostic stack the
        ARN comes from a ``SageMakerDistributionAccounts`` mapping keyed on ``AWS::Region``: the
        stack deploys in every region of :data:`SAGEMAKER_DISTRIBUTION_ACCOUNTS` and fails at
        deploy time elsewhere. Pass :meth:`from_image_arn` for other regions or partitions.
        """
        limits.check_enum("processor", processor, Processor)
        return cls(processor=processor)

    @classmethod
    def from_image_arn(cls, image_arn: str) -> StudioImage:
        """A SageMaker image by ARN (``arn:<partition>:sagemaker:<region>:<account>:image/<name>``)."""
        if not limits.is_token(image_arn):
            pattern = limits._shape("ImageArn").metadata["pattern"]
            if not isinstance(image_arn, str) or not re.fullmatch(pattern, image_arn):
                raise StudioConfigError("image_arn", image_arn, f"a SageMaker image ARN matching {pattern}")
            limits.check_cfn(
                "image_arn",
                image_arn,
                "AWS::SageMaker::Space",
                "SpaceSettings/JupyterLabAppSettings/DefaultResourceSpec/SageMakerImageArn",
                "a SageMaker image ARN",
            )
        return cls(image_arn=image_arn)

    @classmethod
    def from_image_version_arn(cls, image_version_arn: str) -> StudioImage:
        """One version of a SageMaker image, pinned
        (``arn:<partition>:sagemaker:<region>:<account>:image-version/<name>/<version>``).

        Settings carry both ``SageMakerImageArn`` (the image, which approvals name) and
        ``SageMakerImageVersionArn`` (the version Studio starts). The ARN must be a literal.
        """
        pattern = limits._shape("ImageVersionArn").metadata["pattern"]
        if not isinstance(image_version_arn, str) or limits.is_token(image_version_arn):
            raise StudioConfigError("image_version_arn", image_version_arn, "a literal SageMaker image version ARN")
        found = re.fullmatch(r"(arn:[^:]+:sagemaker:[^:]+:[0-9]{12}):image-version/([^/]+)/[0-9]+", image_version_arn)
        if found is None or not re.fullmatch(pattern, image_version_arn):
            raise StudioConfigError(
                "image_version_arn",
                image_version_arn,
                "a SageMaker image version ARN such as arn:aws:sagemaker:us-east-1:123456789012:image-version/team-lab/3",
            )
        image = cls.from_image_arn(f"{found[1]}:image/{found[2]}")
        image.version_arn = image_version_arn
        return image

    def resource_spec(self, scope: Construct, field: str) -> dict[str, str]:
        """The image keys of a ``DefaultResourceSpec`` (L1 names) for a resource in ``scope``'s stack."""
        spec = {"sageMakerImageArn": self.bind(scope, field)}
        if self.version_arn is not None:
            spec["sageMakerImageVersionArn"] = self.version_arn
        return spec

    @property
    def is_sagemaker_distribution(self) -> bool:
        """True when the image is SageMaker Distribution rather than a given ARN or custom image."""
        return self._image_arn is None

    def bind(self, scope: Construct, field: str) -> str:
        """The image ARN for a resource in ``scope``'s stack; ``field`` names the prop in errors."""
        if self._image_arn is not None:
            return self._image_arn
        stack = Stack.of(scope)
        name = f"image/sagemaker-distribution-{(self._processor or Processor.CPU).value}"
        region = stack.region
        if not limits.is_token(region):
            account = SAGEMAKER_DISTRIBUTION_ACCOUNTS.get(region)
            if account is None:
                raise StudioConfigError(
                    field,
                    f"SageMaker Distribution in {region}",
                    "a region with a published SageMaker Distribution image "
                    f"({', '.join(sorted(SAGEMAKER_DISTRIBUTION_ACCOUNTS))}), "
                    "or an image given with StudioImage.from_image_arn(...)",
                )
        else:
            mapping = stack.node.try_find_child(_MAPPING_ID)
            if not isinstance(mapping, CfnMapping):
                mapping = CfnMapping(
                    stack,
                    _MAPPING_ID,
                    mapping={r: {"account": a} for r, a in SAGEMAKER_DISTRIBUTION_ACCOUNTS.items()},
                )
            account = mapping.find_in_map(stack.region, "account")
        return Fn.join(":", ["arn", stack.partition, "sagemaker", region, account, name])
