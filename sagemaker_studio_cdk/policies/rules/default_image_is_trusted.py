"""The image a new app starts is SageMaker Distribution of the region's publishing account, or an
image the app itself declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cdk_nag import NagMessageLevel

from ... import limits
from ...constructs.image import _MAPPING_ID as DISTRIBUTION_MAPPING_ID
from ...constructs.image import SAGEMAKER_DISTRIBUTION_ACCOUNTS
from ._base import Resource, Rule, dig, flat, is_intrinsic
from .lifecycle_config_matches_app_type import APP_SETTINGS, SETTINGS_OF

DISTRIBUTION_IMAGES = ("sagemaker-distribution-cpu", "sagemaker-distribution-gpu")


def default_images(resource: Resource) -> Iterator[Any]:
    """Every ``SageMakerImageArn`` / ``SageMakerImageVersionArn`` of a default resource spec."""
    for settings_key in SETTINGS_OF[resource.type]:
        settings = resource.get(settings_key)
        for block_key in APP_SETTINGS:
            spec = dig(settings, block_key, "DefaultResourceSpec")
            for key in ("SageMakerImageArn", "SageMakerImageVersionArn"):
                value = dig(spec, key)
                if value is not None:
                    yield value


def arn_segments(value: Any) -> list[Any]:
    """The ``:``-separated parts of an ARN that may be built with ``Fn::Join``: each part is a
    string, or the one intrinsic that makes it, or its flattened form when mixed."""
    pieces: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict) and set(node) == {"Fn::Join"}:
            delimiter, items = node["Fn::Join"]
            for i, item in enumerate(items):
                if i:
                    pieces.append(str(delimiter))
                walk(item)
        else:
            pieces.append(node)

    walk(value)
    segments: list[list[Any]] = [[]]
    for piece in pieces:
        if isinstance(piece, str):
            first, *rest = piece.split(":")
            if first:
                segments[-1].append(first)
            for part in rest:
                segments.append([part] if part else [])
        else:
            segments[-1].append(piece)
    result: list[Any] = []
    for segment in segments:
        if len(segment) == 1:
            result.append(segment[0])
        else:
            result.append("".join(s if isinstance(s, str) else flat(s) for s in segment))
    return result


def _account_is_distribution(resource: Resource, region: Any, account: Any) -> bool:
    """``account`` is the SageMaker Distribution account of ``region`` (or of every region, for an
    account looked up in a mapping keyed on ``AWS::Region``)."""
    if isinstance(region, str) and isinstance(account, str):
        return SAGEMAKER_DISTRIBUTION_ACCOUNTS.get(region) == account
    lookup = account.get("Fn::FindInMap") if isinstance(account, dict) else None
    if not isinstance(lookup, list) or len(lookup) < 3 or not isinstance(lookup[0], str) or lookup[1] != region:
        return False
    values = resource.index.mapping_values(resource.stack, lookup[0])
    if values is None:
        # In an app, aws-cdk-lib cannot read a mapping back: trust the one StudioImage makes from
        # SAGEMAKER_DISTRIBUTION_ACCOUNTS (check reads the synthesized values and verifies them).
        mapping = resource.index.mapping(resource.stack, lookup[0])
        return mapping is not None and lookup[0] == DISTRIBUTION_MAPPING_ID and mapping.node.id == DISTRIBUTION_MAPPING_ID
    if isinstance(region, str):
        return (
            region in SAGEMAKER_DISTRIBUTION_ACCOUNTS
            and dig(values, region, lookup[2]) == SAGEMAKER_DISTRIBUTION_ACCOUNTS[region]
        )
    return bool(values) and all(
        r in SAGEMAKER_DISTRIBUTION_ACCOUNTS and dig(values, r, lookup[2]) == SAGEMAKER_DISTRIBUTION_ACCOUNTS[r] for r in values
    )


def trusted(resource: Resource, value: Any) -> bool:
    """True when ``value`` names SageMaker Distribution of the right account or an image of the app."""
    target = resource.index.referenced(resource, value)
    if target is not None:
        return target.type in ("AWS::SageMaker::Image", "AWS::SageMaker::ImageVersion")
    segments = arn_segments(value)
    if len(segments) < 6 or segments[0] != "arn" or segments[2] != "sagemaker":
        return False
    region, account = segments[3], segments[4]
    kind, _, rest = (segments[5] if isinstance(segments[5], str) else flat(segments[5])).partition("/")
    name = rest.split("/", 1)[0]
    if kind not in ("image", "image-version") or not name:
        return False
    if name in DISTRIBUTION_IMAGES:
        if isinstance(region, str) and resource.region is not None and region != resource.region:
            return False  # another region's image: Studio cannot start it here
        if is_intrinsic(region) and region != {"Ref": "AWS::Region"}:
            return False
        return _account_is_distribution(resource, region, account)
    if isinstance(account, str) and account != _own_account(resource):
        return False  # an image of that name in another account is not the one the app declares
    return resource.index.named("AWS::SageMaker::Image", "ImageName", name) is not None


def _own_account(resource: Resource) -> str | None:
    """The stack's account when it is known at synth time."""
    account = resource.stack.account
    return None if limits.is_token(account) else str(account)


def check(resource: Resource) -> bool:
    return all(trusted(resource, value) for value in default_images(resource))


RULE = Rule(
    name="DefaultImageTrusted",
    level=NagMessageLevel.ERROR,
    resource_types=tuple(SETTINGS_OF),
    info=(
        "A default image is neither SageMaker Distribution from its region's AWS publishing account nor an image "
        "this app declares."
    ),
    explanation=(
        "The default image runs in every new app with the user's role and files. An image ARN pointing at another "
        "account (or at a look-alike named sagemaker-distribution in your own account) runs code nobody in this "
        "app reviewed. Use StudioImage.sagemaker_distribution() (the region's publishing account) or declare the "
        "image (AWS::SageMaker::Image) in the app and refer to it."
    ),
    check=check,
)
