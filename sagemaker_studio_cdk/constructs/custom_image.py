"""``CustomImage``: a container image in ECR made into a SageMaker image that Studio apps can start.

A custom image is three resources: an ``AWS::SageMaker::Image`` (the name and the role SageMaker
pulls with), an ``AWS::SageMaker::ImageVersion`` (one container image, by digest or tag) and an
``AWS::SageMaker::AppImageConfig`` (how an app runs it). It is listed in the ``CustomImages`` of the
app it serves on the domain or a profile; Studio refuses to start an image that is not in the list
of the settings that apply, and the constructs refuse that at synth.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

import regex as re
from aws_cdk import RemovalPolicy, Tags
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sagemaker as sm
from constructs import Construct
from pydantic import ConfigDict

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.image import image_pull_statements
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import IMAGE, PERSONA_TAG
from ..policies.wildcards import WILDCARD_REASONS
from .rendering import APP_SETTINGS_KEYS, cfn_tags

DIGEST = re.compile(r"sha256:[0-9a-f]{64}")
"""An image digest as ECR reports it."""
TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
"""A Docker image tag."""


class ImageAppType(Enum):
    """The app a custom image serves: one per image, and its ``CustomImages`` list."""

    JUPYTER_LAB = "JupyterLab"
    """A JupyterLab app (``JupyterLabAppSettings.CustomImages``); container entrypoint, arguments, environment."""
    CODE_EDITOR = "CodeEditor"
    """A Code Editor app (``CodeEditorAppSettings.CustomImages``); container entrypoint, arguments, environment."""
    KERNEL_GATEWAY = "KernelGateway"
    """Kernels (``KernelGatewayAppSettings.CustomImages``); kernel specs and file-system config."""
    R_SESSION = "RSessionGateway"
    """RStudio sessions (the domain's ``RSessionAppSettings.CustomImages``, through
    ``RStudioSettings.session_custom_images``); an app image config with no app config, as AWS's
    RStudio bring-your-own-image guide makes it. Needs a Posit Workbench base image of at least
    ``2025.05.1+513.pro3``."""


STUDIO_IMAGE_APPS: tuple[ImageAppType, ...] = (
    ImageAppType.JUPYTER_LAB,
    ImageAppType.CODE_EDITOR,
    ImageAppType.KERNEL_GATEWAY,
)
"""The apps whose images attach through ``custom_images`` of a domain or profile (RSession images
attach through the domain's RStudio settings)."""


@dataclass(frozen=True)
class KernelSpec:
    """A kernel of a Kernel Gateway image.

    :param name: the Jupyter kernel's name, as ``jupyter kernelspec list`` shows it in the image.
    :param display_name: the name Studio shows. Default: ``name``.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    name: str
    display_name: str | None = None


@dataclass(frozen=True)
class ImageVersionMetadata:
    """What an image version says about itself (``AWS::SageMaker::ImageVersion``); every field is
    updated in place, unlike the base image.

    :param aliases: version aliases such as ``1.2``. Default: none.
    :param release_notes: Default: none.
    :param vendor_guidance: ``NOT_PROVIDED``, ``STABLE``, ``TO_BE_ARCHIVED`` or ``ARCHIVED``. Default: none.
    :param job_type: ``TRAINING``, ``INFERENCE`` or ``NOTEBOOK_KERNEL``. Default: none.
    :param processor: ``CPU`` or ``GPU``. Default: none.
    :param ml_framework: such as ``PyTorch 2.3``. Default: none.
    :param programming_lang: such as ``Python 3.11``. Default: none.
    :param horovod: whether the image supports Horovod. Default: none.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    aliases: tuple[str, ...] = ()
    release_notes: str | None = None
    vendor_guidance: str | None = None
    job_type: str | None = None
    processor: str | None = None
    ml_framework: str | None = None
    programming_lang: str | None = None
    horovod: bool | None = None

    def render(self, field: str) -> dict[str, Any]:
        """The checked L1 keyword arguments of ``CfnImageVersion`` (CloudFormation's schema)."""
        given = {
            name: value
            for name, value in (
                ("aliases", list(self.aliases) or None),
                ("release_notes", self.release_notes),
                ("vendor_guidance", self.vendor_guidance),
                ("job_type", self.job_type),
                ("processor", self.processor),
                ("ml_framework", self.ml_framework),
                ("programming_lang", self.programming_lang),
                ("horovod", self.horovod),
            )
            if value is not None
        }
        collect(
            *(
                (lambda name=name, value=value: limits.check_cfn(f"{field}.{name}", value, _VERSION, _CFN_NAMES[name]))
                for name, value in given.items()
            )
        )
        return given


_VERSION = "AWS::SageMaker::ImageVersion"
_CFN_NAMES = {
    "aliases": "Aliases",
    "release_notes": "ReleaseNotes",
    "vendor_guidance": "VendorGuidance",
    "job_type": "JobType",
    "processor": "Processor",
    "ml_framework": "MLFramework",
    "programming_lang": "ProgrammingLang",
    "horovod": "Horovod",
}


@dataclass(frozen=True)
class ImageFileSystem:
    """Where a Kernel Gateway image mounts the user's home, and as whom it runs.

    :param mount_path: an empty directory of the image. Default: ``/home/sagemaker-user``.
    :param uid: the POSIX user id, 0-65535. Default: 1000.
    :param gid: the POSIX group id, 0-65535. Default: 100.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    mount_path: str = "/home/sagemaker-user"
    uid: int = 1000
    gid: int = 100


def parse_reference(field: str, tag_or_digest: str) -> tuple[str, str]:
    """``("digest", value)`` or ``("tag", value)``; anything else is a :class:`StudioConfigError`."""
    if isinstance(tag_or_digest, str) and DIGEST.fullmatch(tag_or_digest):
        return "digest", tag_or_digest
    if isinstance(tag_or_digest, str) and not tag_or_digest.startswith("sha256:") and TAG.fullmatch(tag_or_digest):
        return "tag", tag_or_digest
    raise StudioConfigError(
        field,
        tag_or_digest,
        "an image digest (sha256: and 64 hex digits, recommended) or a tag (letters, digits, _ . -, at most 128, "
        "not starting with . or -)",
    )


class CustomImage(Construct):
    """A container image of an ECR repository, registered as a SageMaker image for one app type.

    Pin images by digest. A tag can be re-pushed: the same ImageVersion would then start different
    code the next time an app starts, and whoever may push to the repository gets code into every
    private space that uses the image. A digest names one immutable image; a new digest makes a new
    image version (the ImageVersion is replaced under the same logical id).

    Old versions are kept: the ImageVersion has ``UpdateReplacePolicy`` and ``DeletionPolicy``
    ``Retain``, so an app started on version N keeps working after version N+1 is deployed. A
    retained version lives until the image itself is deleted (``DeleteImage`` removes all its
    versions) or someone deletes it with ``DeleteImageVersion``; its container image must stay in
    the repository for that long (mind the repository's lifecycle rules).

    The image's role (tagged ``studio:persona=image``) may pull from ``repository`` and nothing
    else. For a repository in another account, its repository policy must also let the role pull.

    Attach the image with ``custom_images=[...]`` on :class:`StudioDomain` or :class:`UserProfile`,
    and make it a default with ``StudioImage.custom(image)``. It joins the domain's approved image
    set (``approved_image_arns``; every version of it is approved) when it is attached.

    :param repository: the ECR repository holding the container image.
    :param tag_or_digest: ``sha256:...`` (recommended) or a tag.
    :param image_name: the SageMaker image's name, unique in the account and region. It cannot
        change: a new name is a new image.
    :param app_type: the app the image serves. Default: JupyterLab.
    :param entrypoint: JupyterLab / Code Editor only: the container's entrypoint (one string).
        Default: the image's own.
    :param arguments: JupyterLab / Code Editor only: arguments to the entrypoint. Default: none.
    :param environment: JupyterLab / Code Editor only: environment variables. Default: none.
    :param kernel_specs: Kernel Gateway only (required there): the kernels of the image, 1-5.
    :param file_system: Kernel Gateway only: home mount path and POSIX ids. Default: Studio's.
    :param app_image_config_name: the AppImageConfig's name. Default: ``image_name`` with dots
        replaced by hyphens.
    :param display_name: the name Studio shows. Default: none (Studio shows ``image_name``).
    :param description: Default: none.
    :param version_metadata: aliases, release notes and the like of the version
        (:class:`ImageVersionMetadata`), updated in place. Default: none.
    :param tags: tags on the image and app image config.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        repository: ecr.IRepository,
        tag_or_digest: str,
        image_name: str,
        app_type: ImageAppType = ImageAppType.JUPYTER_LAB,
        entrypoint: Sequence[str] = (),
        arguments: Sequence[str] = (),
        environment: Mapping[str, str] | None = None,
        kernel_specs: Sequence[KernelSpec] = (),
        file_system: ImageFileSystem | None = None,
        app_image_config_name: str | None = None,
        display_name: str | None = None,
        description: str | None = None,
        tags: Mapping[str, str] | None = None,
        version_metadata: ImageVersionMetadata | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        where = f"custom_images[{image_name}]"
        metadata: dict[str, Any] = {}
        config_name = app_image_config_name or (image_name if limits.is_token(image_name) else image_name.replace(".", "-"))
        reference: list[tuple[str, str]] = []
        collect(
            lambda: reference.append(parse_reference(f"{where}.tag_or_digest", tag_or_digest)),
            lambda: limits.check_pattern(f"{where}.image_name", image_name, "ImageName", "an image name"),
            lambda: limits.check_pattern(
                f"{where}.app_image_config_name", config_name, "AppImageConfigName", "an app image config name"
            ),
            lambda: limits.check_pattern(f"{where}.display_name", display_name, "ImageDisplayName", "a display name"),
            lambda: limits.check_pattern(f"{where}.description", description, "ImageDescription", "a description"),
            lambda: _check_app_config(where, app_type, entrypoint, arguments, environment, kernel_specs, file_system),
            lambda: limits.check_tags(f"{where}.tags", tags),
            lambda: limits.check_optional_type(
                f"{where}.version_metadata", version_metadata, ImageVersionMetadata, "an ImageVersionMetadata"
            ),
            lambda: metadata.update(version_metadata.render(f"{where}.version_metadata")) if version_metadata else None,
        )
        kind, value = reference[0]
        self.image_name = image_name
        self.app_type = app_type
        self.app_image_config_name: str = config_name
        self.repository = repository
        self.pinned_by_digest = kind == "digest"
        """True when the image is pinned by digest (immutable), False for a tag."""
        self.base_image: str = (
            repository.repository_uri_for_digest(value) if kind == "digest" else repository.repository_uri_for_tag(value)
        )
        """The container image the version is made from (``<repository uri>@sha256:...`` or ``:<tag>``)."""

        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
            description=f"SageMaker image {image_name}: pulls its container from one ECR repository",
        )
        statements = image_pull_statements(repository.repository_arn)
        for statement in statements:
            self.role.add_to_policy(statement)
        acknowledge_wildcards(self.role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(self.role)
        Tags.of(self.role).add(PERSONA_TAG, IMAGE)

        self.image = sm.CfnImage(
            self,
            "Image",
            image_name=image_name,
            image_role_arn=self.role.role_arn,
            image_display_name=display_name,
            image_description=description,
            tags=cfn_tags(tags),
        )
        self.version = sm.CfnImageVersion(self, "Version", image_name=image_name, base_image=self.base_image, **metadata)
        self.version.node.add_dependency(self.image, self.role)  # the version is checked with the role's pull rights
        self.version.apply_removal_policy(RemovalPolicy.RETAIN)
        self.app_image_config = sm.CfnAppImageConfig(
            self,
            "AppImageConfig",
            app_image_config_name=config_name,
            tags=cfn_tags(tags),
            **_app_image_config(app_type, entrypoint, arguments, environment, kernel_specs, file_system),
        )
        self.image_arn: str = self.image.attr_image_arn
        self.image_version_arn: str = self.version.attr_image_version_arn
        """The ARN of the version this app deploys (``.../image-version/NAME/N``)."""

    def list_entry(self) -> dict[str, Any]:
        """The image's entry in a ``CustomImages`` list (L1 keys). No version number: apps start
        the latest version."""
        return {"imageName": self.image_name, "appImageConfigName": self.app_image_config_name}


def _check_app_config(
    where: str,
    app_type: ImageAppType,
    entrypoint: Sequence[str],
    arguments: Sequence[str],
    environment: Mapping[str, str] | None,
    kernel_specs: Sequence[KernelSpec],
    file_system: ImageFileSystem | None,
) -> None:
    if not isinstance(app_type, ImageAppType):
        allowed = ", ".join(t.value for t in ImageAppType)
        raise StudioConfigError(f"{where}.app_type", app_type, f"an app an image config can serve ({allowed})")
    problems: list[StudioConfigError] = []
    if app_type is ImageAppType.R_SESSION:
        for name, given_part in (
            ("entrypoint", entrypoint),
            ("arguments", arguments),
            ("environment", environment),
            ("kernel_specs", kernel_specs),
            ("file_system", file_system),
        ):
            if given_part:
                problems.append(
                    StudioConfigError(
                        f"{where}.{name}",
                        given_part,
                        "nothing: an RSession image's app image config has no app config (Posit Workbench starts it)",
                    )
                )
    elif app_type is ImageAppType.KERNEL_GATEWAY:
        for name, given in (("entrypoint", entrypoint), ("arguments", arguments), ("environment", environment)):
            if given:
                problems.append(
                    StudioConfigError(
                        f"{where}.{name}",
                        given,
                        "nothing: a Kernel Gateway image config has kernel specs, not a container config",
                    )
                )
        specs = limits._shape("KernelSpecs").metadata
        if not 1 <= len(kernel_specs) <= int(specs["max"]):
            problems.append(
                StudioConfigError(
                    f"{where}.kernel_specs", list(kernel_specs), f"1-{specs['max']} kernel specs for a Kernel Gateway image"
                )
            )
        for i, spec in enumerate(kernel_specs):
            if not spec.name or (not limits.is_token(spec.name) and len(spec.name) > 1024):
                problems.append(StudioConfigError(f"{where}.kernel_specs[{i}].name", spec.name, "a kernel name, 1-1024"))
        if file_system is not None:
            fs, at = file_system, f"{where}.file_system"
            try:
                collect(
                    lambda: limits.check_pattern(f"{at}.mount_path", fs.mount_path, "MountPath", "an absolute path"),
                    lambda: limits.check_in_range(f"{at}.uid", fs.uid, limits.shape_range("DefaultUid"), "(uid)"),
                    lambda: limits.check_in_range(f"{at}.gid", fs.gid, limits.shape_range("DefaultGid"), "(gid)"),
                )
            except StudioConfigError as err:
                problems.append(err)
    else:
        for name, kernel_part in (("kernel_specs", kernel_specs), ("file_system", file_system)):
            if kernel_part:
                problems.append(
                    StudioConfigError(
                        f"{where}.{name}",
                        kernel_part,
                        f"nothing: a {app_type.value} image config has a container config (entrypoint, arguments, "
                        "environment), not kernels",
                    )
                )
        for name, shape, given_list in (
            ("entrypoint", "CustomImageContainerEntrypoint", list(entrypoint)),
            ("arguments", "CustomImageContainerArguments", list(arguments)),
        ):
            maximum = int(limits._shape(shape).metadata["max"])
            if len(given_list) > maximum:
                problems.append(StudioConfigError(f"{where}.{name}", given_list, f"at most {maximum}"))
            element = limits._shape(shape).member.name
            for i, item in enumerate(given_list):
                try:
                    limits.check_pattern(f"{where}.{name}[{i}]", item, element, "a non-blank string")
                except StudioConfigError as err:
                    problems.append(err)
                if isinstance(item, str) and not limits.is_token(item) and not item.strip():
                    problems.append(StudioConfigError(f"{where}.{name}[{i}]", item, "a non-blank string"))
        env = dict(environment or {})
        maximum = int(limits._shape("CustomImageContainerEnvironmentVariables").metadata["max"])
        if len(env) > maximum:
            problems.append(StudioConfigError(f"{where}.environment", f"{len(env)} variables", f"at most {maximum}"))
        for key, value in env.items():
            for part in (key, value):
                if not limits.is_token(part) and (not isinstance(part, str) or not part.strip() or len(part) > 256):
                    problems.append(
                        StudioConfigError(f"{where}.environment[{key!r}]", part, "a non-blank key and value, 1-256 characters")
                    )
    if problems:
        raise StudioConfigError.combine(problems)


def _app_image_config(
    app_type: ImageAppType,
    entrypoint: Sequence[str],
    arguments: Sequence[str],
    environment: Mapping[str, str] | None,
    kernel_specs: Sequence[KernelSpec],
    file_system: ImageFileSystem | None,
) -> dict[str, Any]:
    if app_type is ImageAppType.R_SESSION:
        return {}
    if app_type is ImageAppType.KERNEL_GATEWAY:
        config: dict[str, Any] = {
            "kernelSpecs": [{"name": s.name, **({"displayName": s.display_name} if s.display_name else {})} for s in kernel_specs]
        }
        if file_system is not None:
            config["fileSystemConfig"] = {
                "mountPath": file_system.mount_path,
                "defaultUid": file_system.uid,
                "defaultGid": file_system.gid,
            }
        return {"kernel_gateway_image_config": config}
    container: dict[str, Any] = {}
    if entrypoint:
        container["containerEntrypoint"] = list(entrypoint)
    if arguments:
        container["containerArguments"] = list(arguments)
    if environment:
        container["containerEnvironmentVariables"] = [{"key": k, "value": v} for k, v in sorted(environment.items())]
    key = "jupyter_lab_app_image_config" if app_type is ImageAppType.JUPYTER_LAB else "code_editor_app_image_config"
    return {key: {"containerConfig": container} if container else {}}


LIST_NAMES: Mapping[ImageAppType, str] = {
    t: f"{APP_SETTINGS_KEYS[t.value][0].upper()}{APP_SETTINGS_KEYS[t.value][1:]}.CustomImages" for t in ImageAppType
}
"""The ``CustomImages`` list each app's images go to, as CloudFormation names it."""


def lists_of(images: Sequence[CustomImage]) -> dict[ImageAppType, list[CustomImage]]:
    """``images`` by the app whose ``CustomImages`` list each goes to."""
    lists: dict[ImageAppType, list[CustomImage]] = {}
    for image in images:
        if image not in lists.setdefault(image.app_type, []):
            lists[image.app_type].append(image)
    return lists


def check_custom_images(field: str, images: Sequence[CustomImage]) -> None:
    """Each entry is a :class:`CustomImage`, and each list within the API's length."""
    maximum = int(limits._shape("CustomImages").metadata["max"])
    for i, image in enumerate(images):
        if not isinstance(image, CustomImage):
            raise StudioConfigError(f"{field}[{i}]", image, "a CustomImage")
        if image.app_type not in STUDIO_IMAGE_APPS:
            raise StudioConfigError(
                f"{field}[{i}]",
                f"{image.image_name} ({image.app_type.value})",
                "a JupyterLab, Code Editor or Kernel Gateway image: RSession images go to the domain's "
                "RStudioSettings(session_custom_images=...) (a profile's RSession settings are API only)",
            )
    for app, listed in lists_of(images).items():
        if len(listed) > maximum:
            raise StudioConfigError(field, f"{len(listed)} {app.value} images", f"at most {maximum} per app")


def check_classic_defaults(
    field: str,
    kernel_gateway_image: CustomImage | None,
    jupyter_server_image: CustomImage | None,
    listed: Mapping[ImageAppType, Sequence[CustomImage]] | None,
    where: str,
) -> None:
    """Studio Classic defaults: a Kernel Gateway default image is a Kernel Gateway image in the
    Kernel Gateway list that applies; Jupyter Server takes no custom image (it has no list)."""
    if jupyter_server_image is not None:
        raise StudioConfigError(
            f"{field}jupyter_server.image",
            jupyter_server_image.image_name,
            "a SageMaker image ARN: Jupyter Server takes no custom images (its settings have no CustomImages list)",
        )
    custom = kernel_gateway_image
    if custom is None:
        return
    if custom.app_type is not ImageAppType.KERNEL_GATEWAY:
        raise StudioConfigError(
            f"{field}kernel_gateway.image", f"{custom.image_name} ({custom.app_type.value})", "a Kernel Gateway image"
        )
    if listed is not None and custom not in listed.get(ImageAppType.KERNEL_GATEWAY, []):
        raise StudioConfigError(
            f"{field}kernel_gateway.image",
            custom.image_name,
            f"an image in the Kernel Gateway CustomImages of {where}: add it to custom_images",
        )


def check_listed(
    field: str,
    custom: CustomImage | None,
    *,
    app_type: ImageAppType | None,
    listed: Mapping[ImageAppType, Sequence[CustomImage]] | None,
    where: str,
) -> None:
    """A custom image chosen as a default (of its own app, or of a space of ``app_type``) is one
    that app can run and is in the ``CustomImages`` list that applies there.

    :param listed: the lists that apply; ``None`` when not known (an imported domain).
    :param where: whose list it is, for the message ("the domain", "user alice").
    """
    if custom is None:
        return
    if app_type is not None and custom.app_type is not app_type:
        raise StudioConfigError(
            field,
            f"{custom.image_name} ({custom.app_type.value})",
            f"an image whose app image config serves {app_type.value}, the app that runs here",
        )
    if custom.app_type is ImageAppType.R_SESSION:
        raise StudioConfigError(
            field,
            f"{custom.image_name} (RSessionGateway)",
            "a JupyterLab or Code Editor image: an RSession image is RStudio's; make it the default with "
            "RStudioSettings(session_image=...)",
        )
    if custom.app_type is ImageAppType.KERNEL_GATEWAY:
        raise StudioConfigError(
            field,
            f"{custom.image_name} (KernelGateway)",
            "a JupyterLab or Code Editor image: a Kernel Gateway image serves kernels inside JupyterLab; list it in "
            "custom_images instead",
        )
    if listed is None:
        return
    names = [i.image_name for i in listed.get(custom.app_type, [])]
    if custom not in listed.get(custom.app_type, []):
        raise StudioConfigError(
            field,
            custom.image_name,
            f"an image in the {LIST_NAMES[custom.app_type]} of {where} ({', '.join(names) or 'empty'}): Studio refuses "
            "to start an image that is not listed in the settings that apply; add it to custom_images",
        )
