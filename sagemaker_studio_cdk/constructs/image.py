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
        self.custom_image = custom_image
        """The :class:`CustomImage` this image is, when made with :meth:`custom`."""

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
