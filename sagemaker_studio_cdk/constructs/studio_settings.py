"""Studio settings CloudFormation lacks (or carries only in part), as typed props.

Each prop renders two ways: the members CloudFormation carries go into the L1 properties as
before, and the members only the SageMaker API has go into the construct's ``api_only_settings``:
API-shaped (botocore's PascalCase member names), keyed by the request member of the level
(``DefaultUserSettings``, ``DefaultSpaceSettings``, ``DomainSettings`` on a domain,
``UserSettings`` on a profile, ``SpaceSettings`` on a space), holding only the API-only members at
their real depth. The settings custom resource applies them (``docs/settings.md``). Every value
is checked against botocore's service model (:mod:`sagemaker_studio_cdk.limits`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from aws_cdk import aws_iam as iam
from constructs import Construct
from pydantic import ConfigDict

from .. import limits
from ..errors import StudioConfigError, collect
from .grants import grant_statements
from .image import StudioImage

ApiOnlySettings = dict[str, dict[str, Any]]
"""The ``api_only_settings`` of a domain, profile or space (see the module docs)."""


def status(enabled: bool) -> str:
    """A ``FeatureStatus`` value of the API."""
    return "ENABLED" if enabled else "DISABLED"


def merge(target: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Put ``value`` at ``path`` of ``target`` (nested dicts made as needed); a dict value is
    merged into a dict already there."""
    node = target
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if isinstance(value, Mapping) and isinstance(node.get(path[-1]), dict):
        for key, item in value.items():
            merge(node[path[-1]], [key], item)
    else:
        node[path[-1]] = value


def _check_role_arns(field: str, arns: Sequence[str], shape: str) -> None:
    if isinstance(arns, (str, bytes)) or not isinstance(arns, Sequence):
        raise StudioConfigError(field, arns, "a list of IAM role ARNs")
    maximum = int(limits._shape(shape).metadata["max"])
    if len(arns) > maximum:
        raise StudioConfigError(field, f"{len(arns)} roles", f"at most {maximum} role ARNs (the API's limit, {shape})")
    limits.check_unique(field, [a for a in arns if not limits.is_token(a)])
    collect(*(lambda i=i, a=a: check_role_arn(f"{field}[{i}]", a) for i, a in enumerate(arns)))


def check_role_arn(field: str, arn: str | None) -> None:
    """An IAM role ARN, per the API's ``RoleArn`` pattern; ``None`` and tokens pass."""
    limits.check_pattern(field, arn, "RoleArn", "an IAM role ARN (arn:aws:iam::123456789012:role/name)")


@dataclass(frozen=True)
class EmrRoles:
    """JupyterLab's ``EmrSettings``: the roles Studio uses to reach EMR clusters and EMR Serverless.

    A role in another account is given by ARN: make it there with :class:`CrossAccountEmrRole`.

    :param assumable_role_arns: roles the execution role assumes to list, connect to or
        terminate clusters and applications (typically in other accounts), at most 5.
        The library's execution role may assume them (``sts:AssumeRole``). Default: none.
    :param execution_role_arns: runtime roles clusters and jobs run as (EMR runtime roles), at
        most 5. Default: none.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    assumable_role_arns: tuple[str, ...] = ()
    execution_role_arns: tuple[str, ...] = ()

    def validate(self, field: str) -> None:
        """Each list within the API's size and every item a role ARN."""
        collect(
            lambda: _check_role_arns(f"{field}.assumable_role_arns", self.assumable_role_arns, "AssumableRoleArns"),
            lambda: _check_role_arns(f"{field}.execution_role_arns", self.execution_role_arns, "ExecutionRoleArns"),
        )

    def api(self) -> dict[str, Any]:
        """The API's ``EmrSettings``."""
        out: dict[str, Any] = {}
        if self.assumable_role_arns:
            out["AssumableRoleArns"] = list(self.assumable_role_arns)
        if self.execution_role_arns:
            out["ExecutionRoleArns"] = list(self.execution_role_arns)
        return out

    def cfn(self) -> dict[str, Any]:
        """The same for the L1 (``CfnUserProfile.EmrSettingsProperty``, camelCase)."""
        return {k[0].lower() + k[1:]: v for k, v in self.api().items()}

    def grant_assume(self, execution_role: iam.IRole) -> None:
        """Let ``execution_role`` assume the assumable roles (an imported role is left as it is)."""
        if self.assumable_role_arns:
            statement = iam.PolicyStatement(actions=["sts:AssumeRole"], resources=list(self.assumable_role_arns))
            grant_statements(execution_role, [statement])


class SessionNameMode(Enum):
    """How Studio names the execution role's sessions (``ExecutionRoleSessionNameMode``, API only)."""

    STATIC = "STATIC"
    """Studio's fixed session name (``SageMaker``)."""
    USER_IDENTITY = "USER_IDENTITY"
    """The signed-in user's identity, so CloudTrail shows who acted."""


@dataclass(frozen=True)
class DockerAccess:
    """Docker in Studio spaces (the domain's ``DockerSettings``, written whole by one writer).

    :param enabled: let apps build and run containers (``EnableDockerAccess``). Default: on.
    :param trusted_accounts: accounts whose ECR images a ``VpcOnly`` domain may pull, at most
        20 (``VpcOnlyTrustedAccounts``). Default: none.
    :param rootless: run Docker rootless (``RootlessDocker``, API only: the settings resource
        applies it). Default: not set (Studio's).
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    enabled: bool = True
    trusted_accounts: tuple[str, ...] = ()
    rootless: bool | None = None

    def validate(self, field: str, vpc_only: bool) -> None:
        """Accounts are 12-digit ids within the API's count; trusted accounts need a VPC-only
        domain and Docker on; rootless needs Docker on."""
        accounts = list(self.trusted_accounts)
        maximum = int(limits._shape("VpcOnlyTrustedAccounts").metadata["max"])
        if isinstance(self.trusted_accounts, (str, bytes)):
            raise StudioConfigError(f"{field}.trusted_accounts", self.trusted_accounts, "a list of 12-digit account ids")
        if len(accounts) > maximum:
            raise StudioConfigError(f"{field}.trusted_accounts", f"{len(accounts)} accounts", f"at most {maximum}")
        for i, account in enumerate(accounts):
            limits.check_pattern(f"{field}.trusted_accounts[{i}]", account, "AccountId", "a 12-digit AWS account id")
            if not limits.is_token(account) and (not isinstance(account, str) or len(account) != 12):
                raise StudioConfigError(f"{field}.trusted_accounts[{i}]", account, "a 12-digit AWS account id")
        limits.check_unique(f"{field}.trusted_accounts", accounts)
        if accounts and not vpc_only:
            raise StudioConfigError(
                f"{field}.trusted_accounts", accounts, "none: trusted accounts apply to a VpcOnly domain only (the API's docs)"
            )
        if accounts and not self.enabled:
            raise StudioConfigError(f"{field}.trusted_accounts", accounts, "none while Docker access is off (enabled=False)")
        if self.rootless is not None and not self.enabled:
            raise StudioConfigError(f"{field}.rootless", self.rootless, "unset while Docker access is off (enabled=False)")

    def cfn(self) -> dict[str, Any]:
        """The members CloudFormation carries (L1 ``DockerSettingsProperty``)."""
        out: dict[str, Any] = {"enableDockerAccess": status(self.enabled)}
        if self.trusted_accounts:
            out["vpcOnlyTrustedAccounts"] = list(self.trusted_accounts)
        return out

    def api_only(self) -> dict[str, Any]:
        """The members only the API has."""
        return {} if self.rootless is None else {"RootlessDocker": status(self.rootless)}


@dataclass(frozen=True)
class AmazonQ:
    """Amazon Q Developer in Studio (``DomainSettings.AmazonQSettings``, API only; SSO domains only).

    :param enabled: turn Amazon Q on. Default: on.
    :param q_profile_arn: the Amazon Q profile (``arn:aws:codewhisperer:...``) for the Pro tier.
        Default: none (the free tier).
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    enabled: bool = True
    q_profile_arn: str | None = None

    def validate(self, field: str) -> None:
        """The profile ARN matches the API's ``QProfileArn`` pattern."""
        limits.check_pattern(f"{field}.q_profile_arn", self.q_profile_arn, "QProfileArn", "an Amazon Q profile ARN")

    def api(self) -> dict[str, Any]:
        """The API's ``AmazonQSettings``."""
        out: dict[str, Any] = {"Status": status(self.enabled)}
        if self.q_profile_arn is not None:
            out["QProfileArn"] = self.q_profile_arn
        return out


@dataclass(frozen=True)
class AppResourceDefaults:
    """The default instance and image of an app Studio starts for a user (an app's ``DefaultResourceSpec``).

    :param instance_type: the app's default instance type. Default: Studio's.
    :param image: the app's default image; a version alias (``StudioImage.with_version_alias``)
        is kept. Default: Studio's.
    """

    instance_type: str | None = None
    image: StudioImage | None = None

    def validate(self, field: str) -> None:
        """The instance type is an app instance type of the service model."""
        collect(
            lambda: limits.check_instance_type(f"{field}.instance_type", self.instance_type),
            lambda: limits.check_optional_type(f"{field}.image", self.image, StudioImage, "a StudioImage"),
        )

    def api(self, scope: Construct, field: str) -> dict[str, Any]:
        """The API's app settings with this ``DefaultResourceSpec``."""
        spec: dict[str, Any] = {}
        if self.instance_type is not None:
            spec["InstanceType"] = self.instance_type
        if self.image is not None:
            spec["SageMakerImageArn"] = self.image.bind(scope, f"{field}.image")
            if self.image.version_alias is not None:
                spec["SageMakerImageVersionAlias"] = self.image.version_alias
        return {"DefaultResourceSpec": spec} if spec else {}


def check_jupyter_server_repositories(field: str, urls: Sequence[str]) -> None:
    """Jupyter Server (Studio Classic) code repositories: the same checks as JupyterLab's."""
    from .app_settings import check_code_repositories

    check_code_repositories(field, urls)


def jupyter_server_repositories(urls: Sequence[str]) -> dict[str, Any]:
    """The API's ``JupyterServerAppSettings`` with ``CodeRepositories`` (API only)."""
    return {"CodeRepositories": [{"RepositoryUrl": url} for url in urls]} if urls else {}


def image_alias(app_settings_key: str, image: StudioImage | None) -> dict[str, Any]:
    """The API-only ``SageMakerImageVersionAlias`` of a default image, under its app's settings
    key (``JupyterLabAppSettings``...): empty without an alias."""
    if image is None or image.version_alias is None:
        return {}
    return {app_settings_key: {"DefaultResourceSpec": {"SageMakerImageVersionAlias": image.version_alias}}}


def _check_sso_only(field: str, value: object, sso: bool, what: str) -> None:
    if value is not None and not sso:
        raise StudioConfigError(
            field, _shown(value), f"nothing in an IAM domain: {what} needs auth_mode SSO (IAM Identity Center)"
        )


def _shown(value: object) -> object:
    return value if isinstance(value, (bool, str)) else type(value).__name__


def check_domain_settings(
    *,
    sso: bool,
    vpc_only: bool,
    canvas: Any,
    emr: EmrRoles | None,
    shared_space_emr: EmrRoles | None,
    tensorboard: AppResourceDefaults | None,
    amazon_q: AmazonQ | None,
    trusted_identity_propagation: bool | None,
    docker: DockerAccess | None,
    jupyter_server_code_repositories: Sequence[str],
) -> None:
    """The domain's props of this module: each of its type and valid; Amazon Q and trusted
    identity propagation only in an SSO domain (the API's docs: ``AmazonQSettings`` needs
    ``AuthMode`` SSO; TIP propagates IAM Identity Center identities)."""
    from .canvas import CanvasSettings

    collect(
        lambda: limits.check_optional_type("canvas", canvas, CanvasSettings, "a CanvasSettings"),
        lambda: limits.check_optional_type("emr", emr, EmrRoles, "an EmrRoles"),
        lambda: limits.check_optional_type("shared_space_emr", shared_space_emr, EmrRoles, "an EmrRoles"),
        lambda: limits.check_optional_type("tensorboard", tensorboard, AppResourceDefaults, "an AppResourceDefaults"),
        lambda: limits.check_optional_type("amazon_q", amazon_q, AmazonQ, "an AmazonQ"),
        lambda: limits.check_optional_type("trusted_identity_propagation", trusted_identity_propagation, bool, "True or False"),
        lambda: limits.check_optional_type("docker", docker, DockerAccess, "a DockerAccess"),
    )
    collect(
        lambda: canvas.validate("canvas") if canvas is not None else None,
        lambda: emr.validate("emr") if emr is not None else None,
        lambda: shared_space_emr.validate("shared_space_emr") if shared_space_emr is not None else None,
        lambda: tensorboard.validate("tensorboard") if tensorboard is not None else None,
        lambda: amazon_q.validate("amazon_q") if amazon_q is not None else None,
        lambda: _check_sso_only("amazon_q", amazon_q, sso, "Amazon Q"),
        lambda: _check_sso_only(
            "trusted_identity_propagation", trusted_identity_propagation, sso, "trusted identity propagation"
        ),
        lambda: docker.validate("docker", vpc_only) if docker is not None else None,
        lambda: check_jupyter_server_repositories("jupyter_server_code_repositories", jupyter_server_code_repositories),
    )


def check_profile_settings(
    field: str,
    *,
    canvas: Any,
    emr: EmrRoles | None,
    tensorboard: AppResourceDefaults | None,
    rsession: AppResourceDefaults | None,
    jupyter_server_code_repositories: Sequence[str],
) -> None:
    """A profile's props of this module: each of its type and valid."""
    from .canvas import CanvasSettings

    collect(
        lambda: limits.check_optional_type(f"{field}.canvas", canvas, CanvasSettings, "a CanvasSettings"),
        lambda: limits.check_optional_type(f"{field}.emr", emr, EmrRoles, "an EmrRoles"),
        lambda: limits.check_optional_type(f"{field}.tensorboard", tensorboard, AppResourceDefaults, "an AppResourceDefaults"),
        lambda: limits.check_optional_type(f"{field}.rsession", rsession, AppResourceDefaults, "an AppResourceDefaults"),
    )
    collect(
        lambda: canvas.validate(f"{field}.canvas") if canvas is not None else None,
        lambda: emr.validate(f"{field}.emr") if emr is not None else None,
        lambda: tensorboard.validate(f"{field}.tensorboard") if tensorboard is not None else None,
        lambda: rsession.validate(f"{field}.rsession") if rsession is not None else None,
        lambda: check_jupyter_server_repositories(f"{field}.jupyter_server_code_repositories", jupyter_server_code_repositories),
    )


def default_image_aliases(image: StudioImage | None, apps: Sequence[str]) -> dict[str, Any]:
    """The API-only version alias of a default image in each app's settings it is the default of:
    a custom image only in its own app's, any other in each of ``apps`` (``JupyterLab``...)."""
    if image is None or image.version_alias is None:
        return {}
    own = image.custom_image.app_type.value if image.custom_image is not None else None
    out: dict[str, Any] = {}
    for app in apps:
        if own in (None, app):
            out.update(image_alias(f"{app}AppSettings", image))
    return out
