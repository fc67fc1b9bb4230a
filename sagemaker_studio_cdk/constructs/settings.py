"""Value types shared by the domain, user profile and space constructs.

Each type checks itself against the API limits (``limits.py``) when a construct binds it, with the
field path of the construct that received it, so an error names where the value was given.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from pydantic import ConfigDict

from .. import limits
from ..errors import StudioConfigError, collect


class AuthMode(Enum):
    """How users sign in to the domain."""

    IAM = "IAM"
    """IAM users or roles open Studio through a presigned URL (``CreatePresignedDomainUrl``)."""
    SSO = "SSO"
    """Users sign in through IAM Identity Center; each profile names its Identity Center user."""


class AppNetworkAccess(Enum):
    """Where Studio apps send traffic."""

    VPC_ONLY = "VpcOnly"
    """All traffic goes through the domain's VPC (the default): no direct internet access."""
    PUBLIC_INTERNET_ONLY = "PublicInternetOnly"
    """SageMaker gives apps direct internet access; the VPC carries only VPC-bound traffic."""


class AppSecurityGroupManagement(Enum):
    """Who makes the security groups between a VPC-only domain's apps (``AppSecurityGroupManagement``)."""

    SERVICE = "Service"
    """SageMaker makes and manages them (one rule per user profile); required for RStudio in a VPC-only domain."""
    CUSTOMER = "Customer"
    """The account provides them."""


class AppType(Enum):
    """The app a space runs (JupyterLab or Code Editor), or a lifecycle config runs in (any of these)."""

    JUPYTER_LAB = "JupyterLab"
    CODE_EDITOR = "CodeEditor"
    KERNEL_GATEWAY = "KernelGateway"
    """Studio Classic's kernels: lifecycle configs and defaults only, no space runs it."""
    JUPYTER_SERVER = "JupyterServer"
    """Studio Classic's Jupyter server: lifecycle configs and defaults only, no space runs it."""


SPACE_APP_TYPES = (AppType.JUPYTER_LAB, AppType.CODE_EDITOR)
"""The apps a space runs."""


class SpaceSharing(Enum):
    """Who may use a space."""

    PRIVATE = "Private"
    """Only its owner: the owner's EBS volume, invisible to other users."""
    SHARED = "Shared"
    """Every user of the domain; a shared space has no owner."""


class RemoteAccess(Enum):
    """Whether a local IDE (VS Code) may connect to a space (CloudFormation ``SpaceSettings.RemoteAccess``)."""

    ENABLED = "ENABLED"
    """The space's owner (or, in a shared space, any user) may start a remote session from a local IDE."""
    DISABLED = "DISABLED"
    """No remote IDE sessions; Studio in the browser only."""


@dataclass(frozen=True)
class EbsStorage:
    """EBS volume sizes for the spaces a domain or user profile creates.

    :param default_gb: size of a new space's volume. Default: 5 GB.
    :param max_gb: the largest volume a space may ask for. Default: 100 GB.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    default_gb: int = 5
    max_gb: int = 100

    def validate(self, field: str) -> None:
        """Both sizes within the API's range and ``default_gb <= max_gb``."""
        _required(field, default_gb=self.default_gb, max_gb=self.max_gb)
        allowed = limits.ebs_range()
        collect(
            lambda: limits.check_in_range(f"{field}.default_gb", self.default_gb, allowed, "GB"),
            lambda: limits.check_in_range(f"{field}.max_gb", self.max_gb, allowed, "GB"),
        )
        limits.check_not_above(f"{field}.default_gb", self.default_gb, f"{field}.max_gb", self.max_gb, "GB")


@dataclass(frozen=True)
class IdleShutdown:
    """Idle shutdown of JupyterLab and Code Editor apps.

    Users may pick their own timeout between ``min_timeout_minutes`` and ``max_timeout_minutes``.

    :param timeout_minutes: idle time after which an app stops. Default: 60.
    :param min_timeout_minutes: the shortest timeout users may set. Default: 60.
    :param max_timeout_minutes: the longest timeout users may set. Default: 480 (8 hours), so no
        app runs unattended for more than a working day.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    timeout_minutes: int = 60
    min_timeout_minutes: int = 60
    max_timeout_minutes: int = 480

    def validate(self, field: str) -> None:
        """Each value within the API's range and ``min <= timeout <= max``."""
        _required(
            field,
            timeout_minutes=self.timeout_minutes,
            min_timeout_minutes=self.min_timeout_minutes,
            max_timeout_minutes=self.max_timeout_minutes,
        )
        allowed = limits.idle_range()
        collect(
            lambda: limits.check_in_range(f"{field}.timeout_minutes", self.timeout_minutes, allowed, "minutes"),
            lambda: limits.check_in_range(f"{field}.min_timeout_minutes", self.min_timeout_minutes, allowed, "minutes"),
            lambda: limits.check_in_range(f"{field}.max_timeout_minutes", self.max_timeout_minutes, allowed, "minutes"),
        )
        collect(
            lambda: limits.check_not_above(
                f"{field}.min_timeout_minutes",
                self.min_timeout_minutes,
                f"{field}.timeout_minutes",
                self.timeout_minutes,
                "minutes",
            ),
            lambda: limits.check_not_above(
                f"{field}.timeout_minutes",
                self.timeout_minutes,
                f"{field}.max_timeout_minutes",
                self.max_timeout_minutes,
                "minutes",
            ),
        )

    def check_timeout(self, field: str, timeout: int | None) -> None:
        """A space's own timeout lies within these bounds."""
        limits.check_in_range(field, timeout, limits.idle_range(), "minutes")
        if timeout is None or limits.is_token(timeout):
            return
        if limits.is_token(self.min_timeout_minutes) or limits.is_token(self.max_timeout_minutes):
            return
        if not self.min_timeout_minutes <= timeout <= self.max_timeout_minutes:
            raise StudioConfigError(
                field,
                timeout,
                f"within the idle bounds {self.min_timeout_minutes}-{self.max_timeout_minutes} minutes",
            )


@dataclass(frozen=True)
class PosixUser:
    """The POSIX identity apps run as, which custom file systems see.

    :param uid: user id, 10000-4000000.
    :param gid: group id, 1001-4000000.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    uid: int
    gid: int

    def validate(self, field: str) -> None:
        """Both ids within the API's ranges."""
        _required(field, uid=self.uid, gid=self.gid)
        limits.check_posix(field, self.uid, self.gid)


@dataclass(frozen=True)
class AppDefaults:
    """Default instance types of the apps a new space starts.

    :param jupyter_lab_instance_type: Default: ``ml.t3.medium``.
    :param code_editor_instance_type: Default: ``ml.t3.medium``.
    :param training_plan_arn: a SageMaker training plan whose reserved capacity JupyterLab and Code
        Editor apps launch on (``DefaultResourceSpec.TrainingPlanArn``; the API supports it for
        those two apps only). The plan must reserve the instance types above. Default: none (on-demand).
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    jupyter_lab_instance_type: str = "ml.t3.medium"
    code_editor_instance_type: str = "ml.t3.medium"
    training_plan_arn: str | None = None

    def validate(self, field: str) -> None:
        """Both instance types are app instance types of the service model; a training plan ARN
        matches the API's and CloudFormation's patterns."""
        for resource_type, settings in _USER_SETTINGS_SCHEMAS:
            path = f"{settings}/JupyterLabAppSettings/DefaultResourceSpec/TrainingPlanArn"
            check_training_plan(f"{field}.training_plan_arn", self.training_plan_arn, resource_type, path)
        _required(
            field,
            jupyter_lab_instance_type=self.jupyter_lab_instance_type,
            code_editor_instance_type=self.code_editor_instance_type,
        )
        collect(
            lambda: limits.check_instance_type(f"{field}.jupyter_lab_instance_type", self.jupyter_lab_instance_type),
            lambda: limits.check_instance_type(f"{field}.code_editor_instance_type", self.code_editor_instance_type),
        )
        collect(
            lambda: _check_schema_instance_type(
                f"{field}.jupyter_lab_instance_type", "JupyterLab", self.jupyter_lab_instance_type
            ),
            lambda: _check_schema_instance_type(
                f"{field}.code_editor_instance_type", "CodeEditor", self.code_editor_instance_type
            ),
        )


_USER_SETTINGS_SCHEMAS = (("AWS::SageMaker::Domain", "DefaultUserSettings"), ("AWS::SageMaker::UserProfile", "UserSettings"))
"""Where a domain's and a profile's default instance types go; lint.py lists no gap for them, so
their schemas' instance-type lists apply as well as the API's."""


def _check_schema_instance_type(field: str, app: str, value: str) -> None:
    for resource_type, settings in _USER_SETTINGS_SCHEMAS:
        path = f"{settings}/{app}AppSettings/DefaultResourceSpec/InstanceType"
        limits.check_cfn(field, value, resource_type, path, f"an app instance type for {resource_type}")


def check_training_plan(field: str, arn: str | None, resource_type: str | None = None, path: str | None = None) -> None:
    """A training plan ARN (``ResourceSpec.TrainingPlanArn``): botocore's pattern and length and,
    given ``resource_type`` and ``path``, CloudFormation's schema there."""
    limits.check_optional_type(field, arn, str, "a training plan ARN (str)")
    what = "a training plan ARN such as arn:aws:sagemaker:us-east-1:111122223333:training-plan/my-plan"
    limits.check_pattern(field, arn, "TrainingPlanArn", what)
    minimum = int(limits._shape("TrainingPlanArn").metadata.get("min", 0))
    if arn is not None and not limits.is_token(arn) and len(arn) < minimum:
        raise StudioConfigError(field, arn, f"{what} (at least {minimum} characters, the API's limit)")
    if resource_type is not None and path is not None:
        limits.check_cfn(field, arn, resource_type, path, what)


def _required(field: str, **values: object) -> None:
    """Every value given (a settings type has no optional fields)."""
    missing = [name for name, value in values.items() if value is None]
    if missing:
        raise StudioConfigError(f"{field}.{missing[0]}", None, f"a value: {', '.join(missing)} may not be None")
