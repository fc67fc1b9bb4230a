"""``DomainCleanup``: a domain that users worked in can still be deleted, and users retired.

Users start apps and make spaces in Studio. A profile with apps or spaces, a space with apps and a
domain with profiles or spaces cannot be deleted, so without help ``cdk destroy`` (or removing a
user) fails. ``DomainCleanup`` is one custom resource behind CDK's provider framework whose
handler (``sagemaker_studio_cdk/handlers/cleanup.py``) clears the way; see that module and
``docs/operations.md`` for what it deletes and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import ClassVar

from aws_cdk import Aws, CustomResource, Duration, RemovalPolicy, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct
from pydantic import ConfigDict

from ..errors import StudioConfigError
from ..handlers.cleanup import DELETE_DOMAIN_STEP
from ..policies.cleanup import cleanup_statements, delete_domain_statements
from ..policies.nag import acknowledge_inline_policy, acknowledge_wildcards
from ..policies.personas import CLEANUP, PERSONA_TAG
from ..policies.wildcards import WILDCARD_REASONS
from .domain import StudioDomainBase
from .provider import acknowledge_provider_findings, drop_redundant_role_dependencies, handler_provider
from .rendering import lazy_any
from .space import Space
from .user_profile import UserProfile

HANDLERS_DIR = Path(__file__).resolve().parent.parent / "handlers"
"""The Lambda asset: the handlers folder as it is (boto3 comes with Lambda's Python runtime)."""

RESOURCE_TYPE = "Custom::StudioDomainCleanup"
DELETE_DOMAIN_RESOURCE_TYPE = "Custom::StudioDomainDelete"

HOME_EFS_REFUSAL = (
    "RETAIN: only a domain with a home EFS (StudioDomain(rstudio=...)) has one to delete; this domain has none "
    "(HomeEfsFileSystemCreation: Disabled), or it is imported and not known to have one"
)
"""Why ``home_efs_retention`` DELETE is refused for a domain without a home EFS."""


class HomeEfsRetention(Enum):
    """What a stack delete does with the domain's home EFS (``DeleteDomain``'s
    ``RetentionPolicy.HomeEfsFileSystem``; values as the API spells them)."""

    RETAIN = "Retain"
    """Keep it: CloudFormation deletes the domain with Retain, and the file system, its mount
    targets and SageMaker's NFS security groups stay (billed; they block deleting the VPC)."""
    DELETE = "Delete"
    """Delete it, with its files: the cleanup deletes the domain itself with ``Delete``, then what
    SageMaker left of the home EFS (mount targets, file system, NFS security groups)."""


QUERY_INTERVAL = Duration.seconds(30)
"""How often the provider framework's waiter asks whether deleted apps are gone."""

MAX_TIMEOUT_MINUTES = 60
"""CloudFormation waits at most an hour for a custom resource."""


@dataclass(frozen=True)
class CleanupOptions:
    """The spec's ``domain.cleanup``: whether the stack gets a :class:`DomainCleanup`.

    :param enabled: add the cleanup. Default: off; without it, deleting a domain (or retiring a
        user) whose users started apps or made spaces fails, naming what blocks it.
    :param delete_unmanaged_spaces: let the cleanup delete spaces the stack did not make, and the
        files on their volumes. Default: off (the delete fails, listing them).
    :param timeout_minutes: how long to wait for apps and spaces to be deleted. Default: 60, the most
        CloudFormation waits for a custom resource.
    """

    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")  # the spec loader rejects unknown keys

    enabled: bool = False
    delete_unmanaged_spaces: bool = False
    timeout_minutes: int = MAX_TIMEOUT_MINUTES

    def validate(self, field: str) -> None:
        """``timeout_minutes`` within 1-60."""
        if not 1 <= self.timeout_minutes <= MAX_TIMEOUT_MINUTES:
            raise StudioConfigError(f"{field}.timeout_minutes", self.timeout_minutes, f"1-{MAX_TIMEOUT_MINUTES} minutes")


class DomainCleanup(Construct):
    """Deletes what blocks deleting a domain's profiles, spaces and the domain itself: apps first
    (waited for; volumes stay), spaces the stack did not make only when allowed, then profiles the
    stack did not make (RStudio's ``domain-shared``, console-made ones).

    - On stack delete it runs before every profile and space of ``domain`` (it depends on each,
      or on the nested stack holding it) and before the domain.
    - When a profile or space is no longer declared, the update deletes its apps (and a retired
      profile's own spaces, when allowed) in the update phase; CloudFormation's cleanup phase,
      which comes after the whole update phase of the root stack and its nested stacks, then
      deletes the profile or space.
    - Removing the cleanup itself deletes nothing.

    - With ``home_efs_retention=DELETE``, a second resource (``DeleteDomain``) runs after every
      profile and space is deleted and before CloudFormation deletes the domain (they depend on it;
      it depends on the domain): it deletes the domain with ``RetentionPolicy.HomeEfsFileSystem``
      Delete, then the home EFS's mount targets, file system and NFS security groups that
      SageMaker left, so the VPC can be deleted. CloudFormation's own delete of the domain then
      finds it gone.

    It tracks every profile and space declared on ``domain`` in this app, before or after it is
    made. Its functions, roles and waiter state machine carry ``studio:persona=cleanup``.

    :param domain: the domain to clean up (made here, or imported).
    :param delete_unmanaged_spaces: delete spaces the stack did not make, with their files.
        Default: off: a stack delete that would have to fails, listing them, before deleting
        anything.
    :param timeout: how long to wait for deleted apps and spaces. Default and maximum: 1 hour.
    :param home_efs_retention: what a stack delete does with the domain's home EFS
        (:class:`HomeEfsRetention`). ``DELETE`` only for a domain made here with a home EFS
        (``StudioDomain(rstudio=...)``), with the cleanup in the domain's own stack. Default:
        ``RETAIN`` (the file system is left; see docs/operations.md).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomainBase,
        delete_unmanaged_spaces: bool = False,
        timeout: Duration | None = None,
        home_efs_retention: HomeEfsRetention = HomeEfsRetention.RETAIN,
    ) -> None:
        super().__init__(scope, construct_id)
        if not isinstance(home_efs_retention, HomeEfsRetention):
            raise StudioConfigError("home_efs_retention", home_efs_retention, "a HomeEfsRetention")
        if home_efs_retention is HomeEfsRetention.DELETE and (domain.has_rstudio is not True or domain.vpc is None):
            raise StudioConfigError("home_efs_retention", home_efs_retention.name, HOME_EFS_REFUSAL)
        if home_efs_retention is HomeEfsRetention.DELETE and Stack.of(domain) is not Stack.of(scope):
            raise StudioConfigError(
                "home_efs_retention",
                home_efs_retention.name,
                "RETAIN here, or the cleanup in the domain's own stack: it deletes the domain when its own stack is deleted",
            )
        self.home_efs_retention = home_efs_retention
        timeout = timeout or Duration.minutes(MAX_TIMEOUT_MINUTES)
        minutes = timeout.to_minutes()
        if not 1 <= minutes <= MAX_TIMEOUT_MINUTES:
            raise StudioConfigError("timeout", f"{minutes} minutes", f"1-{MAX_TIMEOUT_MINUTES} minutes")
        self.domain = domain
        self.delete_unmanaged_spaces = delete_unmanaged_spaces
        stack = Stack.of(self)

        self.log_group = logs.LogGroup(
            self,
            "Logs",
            retention=logs.RetentionDays.ONE_YEAR,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.role = iam.Role(
            self,
            "HandlerRole",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="SageMaker Studio domain cleanup: deletes apps (and allowed spaces, profiles) of one domain",
        )
        statements = cleanup_statements(
            partition=stack.partition,
            region=stack.region,
            account=stack.account,
            domain_id=domain.domain_id,
            stack_id=Aws.STACK_ID,
            log_group_arn=self.log_group.log_group_arn,
            delete_unmanaged_spaces=delete_unmanaged_spaces,
        )
        if home_efs_retention is HomeEfsRetention.DELETE:
            assert domain.vpc is not None
            statements += delete_domain_statements(
                partition=stack.partition,
                region=stack.region,
                account=stack.account,
                domain_id=domain.domain_id,
                domain_arn=domain.domain_arn,
                vpc_id=domain.vpc.vpc_id,
            )
        for statement in statements:
            self.role.add_to_policy(statement)
        acknowledge_wildcards(self.role, statements, WILDCARD_REASONS)
        acknowledge_inline_policy(self.role)

        code = lambda_.Code.from_asset(str(HANDLERS_DIR), exclude=["__pycache__", "*.pyc"])
        self.functions, self.provider = handler_provider(
            self,
            module="cleanup",
            code=code,
            role=self.role,
            log_group=self.log_group,
            memory_size=256,
            description="SageMaker Studio domain cleanup",
            query_interval=QUERY_INTERVAL,
            total_timeout=timeout,
        )
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=self.provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties={
                "DomainId": domain.domain_id,
                "UserProfiles": lazy_any(lambda: sorted(domain.user_profiles)),
                "Spaces": lazy_any(lambda: sorted(domain.spaces)),
                "DeleteUnmanagedSpaces": delete_unmanaged_spaces,
            },
        )
        self.domain_delete: CustomResource | None = None
        """With ``home_efs_retention=DELETE``: the resource that deletes the domain and its home EFS."""
        if home_efs_retention is HomeEfsRetention.DELETE:
            self.domain_delete = CustomResource(
                self,
                "DeleteDomain",
                service_token=self.provider.service_token,
                resource_type=DELETE_DOMAIN_RESOURCE_TYPE,
                properties={"DomainId": domain.domain_id, "DomainArn": domain.domain_arn, "Step": DELETE_DOMAIN_STEP},
            )
        for profile in domain.user_profiles.values():
            self._cover(profile)
        for space in domain.spaces.values():
            self._cover(space)
        domain.on_register(self._cover)
        Tags.of(self).add(PERSONA_TAG, CLEANUP)
        acknowledge_provider_findings(
            self,
            self.provider,
            self.functions,
            what="the domain cleanup",
            logs_hold="the names and states of profiles, spaces and apps",
            calls="SageMaker, CloudFormation, Lambda and Step Functions",
        )
        drop_redundant_role_dependencies(self.provider, self.functions)

    def _cover(self, item: UserProfile | Space) -> None:
        """Run before ``item`` is deleted (depend on it, or on the nested stack holding it); the
        DeleteDomain step after (``item`` depends on it)."""
        self.resource.node.add_dependency(item)
        if self.domain_delete is not None:
            item.node.add_dependency(self.domain_delete)
