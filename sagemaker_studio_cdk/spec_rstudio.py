"""The spec's ``domain.rstudio`` section (``studio.yaml``): RStudio on SageMaker for the domain.

Users set their own access and group with ``users[].rstudio`` (an :class:`RStudioUser`). Images
are named as elsewhere in the spec: an RSession custom image by its ``custom_images`` name
(``app_type: RSessionGateway``), the server's image by ARN.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .constructs.custom_image import CustomImage, ImageAppType
from .constructs.image import StudioImage
from .constructs.rstudio import RStudioAccess, RStudioSettings, RStudioUserGroup, check_instance_type, check_url
from .errors import StudioConfigError

_SERVER = "DomainSettings/RStudioServerProDomainSettings/DefaultResourceSpec"
_SESSION = "DefaultUserSettings/RSessionAppSettings/DefaultResourceSpec"


class RStudioSpec(BaseModel):
    """RStudio on SageMaker (needs a Posit Workbench license in License Manager; turns the domain's
    home EFS on)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    connect_url: str | None = Field(None, description="https:// URL of an RStudio (Posit) Connect server")
    package_manager_url: str | None = Field(None, description="https:// URL of a Posit Package Manager")
    server_instance_type: str | None = Field(None, description="the RStudio server's instance type; set at creation only")
    server_image_arn: str | None = Field(None, description="the RStudio server's SageMaker image ARN; set at creation only")
    default_access: RStudioAccess = Field(RStudioAccess.ENABLED, description="ENABLED or DISABLED for users that set none")
    default_user_group: RStudioUserGroup = Field(
        RStudioUserGroup.USER, description="R_STUDIO_USER or R_STUDIO_ADMIN for users that set none"
    )
    session_instance_type: str | None = Field(None, description="the default instance type of R sessions")
    session_image: str | None = Field(
        None, description="the default image of R sessions: a custom_images name (RSessionGateway) or an image ARN"
    )
    session_custom_images: list[str] = Field(
        default_factory=list, description="names of custom_images (app_type RSessionGateway) R sessions may start"
    )

    @field_validator("connect_url")
    @classmethod
    def _connect_url(cls, value: str | None) -> str | None:
        check_url("value", value, "RStudioConnectUrl")
        return value

    @field_validator("package_manager_url")
    @classmethod
    def _package_manager_url(cls, value: str | None) -> str | None:
        check_url("value", value, "RStudioPackageManagerUrl")
        return value

    @field_validator("server_instance_type")
    @classmethod
    def _server_instance(cls, value: str | None) -> str | None:
        check_instance_type("value", value, _SERVER)
        return value

    @field_validator("session_instance_type")
    @classmethod
    def _session_instance(cls, value: str | None) -> str | None:
        check_instance_type("value", value, _SESSION)
        return value

    @field_validator("server_image_arn")
    @classmethod
    def _server_image(cls, value: str | None) -> str | None:
        if value is not None:
            StudioImage.from_image_arn(value)
        return value

    def settings(self, custom_images: Mapping[str, CustomImage], image: Callable[[str], StudioImage]) -> RStudioSettings:
        """The :class:`RStudioSettings` this section declares; ``custom_images`` are the spec's by name."""
        listed = []
        for i, name in enumerate(self.session_custom_images):
            found = custom_images.get(name)
            if found is None or found.app_type is not ImageAppType.R_SESSION:
                raise StudioConfigError(
                    f"rstudio.session_custom_images[{i}]", name, "the name of a custom_images entry with app_type RSessionGateway"
                )
            listed.append(found)
        return RStudioSettings(
            connect_url=self.connect_url,
            package_manager_url=self.package_manager_url,
            server_instance_type=self.server_instance_type,
            server_image=StudioImage.from_image_arn(self.server_image_arn) if self.server_image_arn else None,
            default_access=self.default_access,
            default_user_group=self.default_user_group,
            session_instance_type=self.session_instance_type,
            session_image=image(self.session_image) if self.session_image else None,
            session_custom_images=listed,
        )
