"""RStudio on SageMaker: a domain's RStudio settings (:class:`RStudioSettings`) and a user's
(:class:`RStudioUser`).

RStudio runs as Posit Workbench: one ``RStudioServerPro`` app per domain, which SageMaker launches
under the profile ``domain-shared`` as the domain execution role, and one ``RSessionGateway`` app per
R session. It needs a Posit Workbench license in AWS License Manager: without one, SageMaker fails the
domain's creation (AWS's ``rstudio-create-cli`` guide), so the stack's first deploy fails and rolls
back. The library cannot check the license offline.

What is set at creation only (CloudFormation's create-only properties, so a change fails the update
of a named domain or profile): the server's ``DefaultResourceSpec`` on the domain, and a profile's
``AccessStatus`` and ``UserGroup``. The synth-time named-replacement check and ``guard`` report such
a change. Changing them in place goes through the API (a later release).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar

import regex as re
from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from constructs import Construct
from pydantic import ConfigDict

from .. import limits
from ..errors import StudioConfigError, collect
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import PERSONA_TAG, RSTUDIO_DOMAIN
from ..policies.rstudio import rstudio_domain_statements, rstudio_server_app_statements
from ..policies.wildcards import WILDCARD_REASONS
from .custom_image import CustomImage, ImageAppType
from .image import StudioImage
from .settings import AppNetworkAccess, AppSecurityGroupManagement

if TYPE_CHECKING:
    from .domain import StudioDomain

_DOMAIN = "AWS::SageMaker::Domain"
_SERVER_SETTINGS = "DomainSettings/RStudioServerProDomainSettings"
_SESSION_SETTINGS = "DefaultUserSettings/RSessionAppSettings"
_HTTPS_URL = re.compile(r"https://[^\s/?#]+(?:[/?#]\S*)?")


class RStudioAccess(Enum):
    """Whether a user may open RStudio (``RStudioServerProAppSettings.AccessStatus``)."""

    ENABLED = "ENABLED"
    """The user may open RStudio, and takes one seat of the Posit license."""
    DISABLED = "DISABLED"
    """No RStudio for this user."""


class RStudioUserGroup(Enum):
    """A user's level in RStudio (``RStudioServerProAppSettings.UserGroup``)."""

    USER = "R_STUDIO_USER"
    """A standard RStudio user."""
    ADMIN = "R_STUDIO_ADMIN"
    """Also opens Posit Workbench's administrative dashboard: every user's sessions, their resource use
    and logs (see ``docs/security.md``)."""


@dataclass(frozen=True)
class RStudioUser:
    """A user's RStudio settings, set when the profile is created (a change fails the update: the
    properties are create-only in CloudFormation).

    :param access: ``ENABLED`` (default) or ``DISABLED``.
    :param group: ``USER`` (default) or ``ADMIN`` (only when asked: an admin sees every user's
        sessions on the administrative dashboard).
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    access: RStudioAccess = RStudioAccess.ENABLED
    group: RStudioUserGroup = RStudioUserGroup.USER

    def validate(self, field: str) -> None:
        """Both values are members of their enums."""
        collect(
            lambda: limits.check_enum(f"{field}.access", self.access, RStudioAccess),
            lambda: limits.check_enum(f"{field}.group", self.group, RStudioUserGroup),
        )

    def render(self) -> dict[str, str]:
        """``RStudioServerProAppSettings`` (L1 keys)."""
        return {"accessStatus": self.access.value, "userGroup": self.group.value}


@dataclass(frozen=True)
class RStudioSettings:
    """RStudio on SageMaker for a domain (``StudioDomain(rstudio=...)``).

    Turning RStudio on also turns on the domain's home EFS (RStudio keeps users' home directories
    there) and, in a VPC-only domain, ``AppSecurityGroupManagement: Service``; see
    ``docs/operations.md`` for what that costs.

    :param domain_execution_role: the role the ``RStudioServerPro`` app runs as. Default: a new role
        (``studio:persona=rstudio-domain``) with the License Manager actions of AWS's guide, log
        writing and delivery, and ``sagemaker:CreateApp`` for this domain's server app only.
    :param connect_url: the ``https://`` URL of an RStudio (Posit) Connect server. Default: none.
    :param package_manager_url: the ``https://`` URL of a Posit Package Manager. Default: none.
    :param server_instance_type: the ``RStudioServerPro`` app's instance type. Create-only: a change
        fails the update. Default: AWS's.
    :param server_image: the server's SageMaker image (``StudioImage.from_image_arn``, an
        ``rstudio-workbench`` image). Create-only. Default: AWS's current Posit Workbench.
    :param default_access: the RStudio access of users that do not set their own. Default: ``ENABLED``.
    :param default_user_group: the group of users that do not set their own. Default: ``USER``.
    :param session_instance_type: the default instance type of R sessions. Default: AWS's.
    :param session_image: the default image of R sessions: an RSession :class:`CustomImage` of
        ``session_custom_images`` (``StudioImage.custom``) or an image ARN. Default: AWS's.
    :param session_custom_images: RSession :class:`CustomImage` s users may start (the domain's
        ``RSessionAppSettings.CustomImages``; a profile's list is API only). Default: none.
    """

    domain_execution_role: iam.IRole | None = None
    connect_url: str | None = None
    package_manager_url: str | None = None
    server_instance_type: str | None = None
    server_image: StudioImage | None = None
    default_access: RStudioAccess = RStudioAccess.ENABLED
    default_user_group: RStudioUserGroup = RStudioUserGroup.USER
    session_instance_type: str | None = None
    session_image: StudioImage | None = None
    session_custom_images: Sequence[CustomImage] = field(default_factory=tuple)

    def validate(self, field_name: str) -> None:
        """Every value one CloudFormation and the API accept; the session image is listed."""
        f = field_name
        collect(
            lambda: limits.check_optional_type(
                f"{f}.domain_execution_role", self.domain_execution_role, iam.IRole, "an iam.IRole"
            ),
            lambda: check_url(f"{f}.connect_url", self.connect_url, "RStudioConnectUrl"),
            lambda: check_url(f"{f}.package_manager_url", self.package_manager_url, "RStudioPackageManagerUrl"),
            lambda: check_instance_type(
                f"{f}.server_instance_type", self.server_instance_type, f"{_SERVER_SETTINGS}/DefaultResourceSpec"
            ),
            lambda: check_instance_type(
                f"{f}.session_instance_type", self.session_instance_type, f"{_SESSION_SETTINGS}/DefaultResourceSpec"
            ),
            lambda: _check_image(f"{f}.server_image", self.server_image, custom_allowed=False),
            lambda: _check_image(f"{f}.session_image", self.session_image, custom_allowed=True),
            lambda: limits.check_enum(f"{f}.default_access", self.default_access, RStudioAccess),
            lambda: limits.check_enum(f"{f}.default_user_group", self.default_user_group, RStudioUserGroup),
            lambda: _check_session_images(f"{f}.session_custom_images", self.session_custom_images),
        )
        custom = self.session_image.custom_image if self.session_image is not None else None
        if custom is not None and custom not in self.session_custom_images:
            names = ", ".join(i.image_name for i in self.session_custom_images) or "empty"
            raise StudioConfigError(
                f"{f}.session_image",
                custom.image_name,
                f"an image in session_custom_images (RSessionAppSettings.CustomImages: {names}): Studio refuses "
                "to start an image that is not listed",
            )

    @property
    def images(self) -> list[StudioImage]:
        """The images R sessions and the server may start (for the domain's approved image set)."""
        found = [i for i in (self.server_image, self.session_image) if i is not None]
        return [*found, *(StudioImage.custom(i) for i in self.session_custom_images)]


def check_network(
    *,
    rstudio: RStudioSettings | None,
    app_network_access: AppNetworkAccess,
    app_security_group_management: AppSecurityGroupManagement | None,
) -> AppSecurityGroupManagement | None:
    """The domain's ``AppSecurityGroupManagement``: ``Service`` when a VPC-only domain runs RStudio
    (AWS requires it; left out, the library sets it), else what was given."""
    if app_security_group_management is not None:
        limits.check_enum("app_security_group_management", app_security_group_management, AppSecurityGroupManagement)
    if rstudio is None or app_network_access is not AppNetworkAccess.VPC_ONLY:
        return app_security_group_management
    if app_security_group_management is AppSecurityGroupManagement.CUSTOMER:
        raise StudioConfigError(
            "app_security_group_management",
            AppSecurityGroupManagement.CUSTOMER.value,
            "Service (or left out) in a VpcOnly domain with rstudio: AWS requires SageMaker to manage the security "
            "groups between the RStudio server and its sessions",
        )
    return AppSecurityGroupManagement.SERVICE


def domain_settings(domain: StudioDomain, rstudio: RStudioSettings, role: iam.IRole) -> dict[str, Any]:
    """``DomainSettings.RStudioServerProDomainSettings`` (L1 keys)."""
    settings: dict[str, Any] = {"domainExecutionRoleArn": role.role_arn}
    if rstudio.connect_url is not None:
        settings["rStudioConnectUrl"] = rstudio.connect_url
    if rstudio.package_manager_url is not None:
        settings["rStudioPackageManagerUrl"] = rstudio.package_manager_url
    spec = _resource_spec(domain, "rstudio.server_image", rstudio.server_instance_type, rstudio.server_image)
    if spec:
        settings["defaultResourceSpec"] = spec
    return settings


def default_user_settings(domain: StudioDomain, rstudio: RStudioSettings) -> dict[str, Any]:
    """The RStudio part of the domain's ``DefaultUserSettings`` (L1 keys)."""
    settings: dict[str, Any] = {
        "rStudioServerProAppSettings": RStudioUser(rstudio.default_access, rstudio.default_user_group).render()
    }
    session: dict[str, Any] = {}
    spec = _resource_spec(domain, "rstudio.session_image", rstudio.session_instance_type, rstudio.session_image)
    if spec:
        session["defaultResourceSpec"] = spec
    if rstudio.session_custom_images:
        session["customImages"] = [i.list_entry() for i in dict.fromkeys(rstudio.session_custom_images)]
    if session:
        settings["rSessionAppSettings"] = session
    return settings


def domain_execution_role(scope: Construct, domain_name: str) -> iam.Role:
    """The default domain execution role: License Manager and logs in the role itself (the server
    starts while the domain is created); ``CreateApp`` for this domain's server app is added by
    :func:`grant_server_app` once the domain id exists."""
    stack = Stack.of(scope)
    statements = rstudio_domain_statements(partition=stack.partition, region=stack.region, account=stack.account)
    role = iam.Role(
        scope,
        "RStudioDomainRole",
        assumed_by=iam.ServicePrincipal("sagemaker.amazonaws.com"),
        description=f"SageMaker Studio domain {domain_name}: the RStudio server app (license, logs, its own restart)",
        inline_policies={"RStudio": iam.PolicyDocument(statements=statements)},
    )
    acknowledge_wildcards(role, statements, WILDCARD_REASONS)
    acknowledge_inline_policy(role)
    Tags.of(role).add(PERSONA_TAG, RSTUDIO_DOMAIN)
    return role


def grant_server_app(role: iam.Role, domain_id: str) -> None:
    """Let ``role`` start this domain's ``RStudioServerPro`` app again."""
    stack = Stack.of(role)
    statements = rstudio_server_app_statements(
        partition=stack.partition, region=stack.region, account=stack.account, domain_id=domain_id
    )
    for statement in statements:
        role.add_to_policy(statement)
    acknowledge_wildcards(role, statements, WILDCARD_REASONS)


def _resource_spec(domain: StudioDomain, field: str, instance_type: str | None, image: StudioImage | None) -> dict[str, str]:
    spec: dict[str, str] = {}
    if instance_type is not None:
        spec["instanceType"] = instance_type
    if image is not None:
        spec["sageMakerImageArn"] = image.bind(domain, field)
    return spec


def check_url(field: str, value: str | None, member: str) -> None:
    """An ``https://`` URL with a host that CloudFormation's ``RStudioServerProDomainSettings/<member>`` accepts."""
    if value is None or limits.is_token(value):
        return
    if not isinstance(value, str) or not _HTTPS_URL.fullmatch(value):
        raise StudioConfigError(field, value, "an https:// URL with a host and no spaces")
    limits.check_cfn(field, value, _DOMAIN, f"{_SERVER_SETTINGS}/{member}", "a URL")


def check_instance_type(field: str, value: str | None, spec_path: str) -> None:
    """An app instance type of the API that CloudFormation accepts at ``<spec_path>/InstanceType`` of a domain."""
    if value is None:
        return
    limits.check_type(field, value, str, "an instance type (str)")
    limits.check_instance_type(field, value)
    limits.check_cfn(field, value, _DOMAIN, f"{spec_path}/InstanceType", "an instance type CloudFormation accepts here")


def _check_image(field: str, image: StudioImage | None, *, custom_allowed: bool) -> None:
    if image is None:
        return
    limits.check_type(field, image, StudioImage, "a StudioImage (from_image_arn, or custom for sessions)")
    if image.is_sagemaker_distribution:
        raise StudioConfigError(
            field, "SageMaker Distribution", "an RStudio image (StudioImage.from_image_arn of an rstudio-workbench image)"
        )
    custom = image.custom_image
    if custom is not None and (not custom_allowed or custom.app_type is not ImageAppType.R_SESSION):
        raise StudioConfigError(
            field,
            f"{custom.image_name} ({custom.app_type.value})",
            "an RSessionGateway CustomImage (session_image only) or StudioImage.from_image_arn"
            if custom_allowed
            else "StudioImage.from_image_arn of an rstudio-workbench image (the server takes no custom image)",
        )


def _check_session_images(field: str, images: Sequence[CustomImage]) -> None:
    if isinstance(images, (str, CustomImage)):
        raise StudioConfigError(field, images, "a list of RSession CustomImages")
    maximum = int(limits._shape("CustomImages").metadata["max"])
    if len(images) > maximum:
        raise StudioConfigError(field, f"{len(images)} images", f"at most {maximum}")
    for i, image in enumerate(images):
        if not isinstance(image, CustomImage) or image.app_type is not ImageAppType.R_SESSION:
            shown = f"{image.image_name} ({image.app_type.value})" if isinstance(image, CustomImage) else image
            raise StudioConfigError(f"{field}[{i}]", shown, "a CustomImage with app_type=ImageAppType.R_SESSION")
