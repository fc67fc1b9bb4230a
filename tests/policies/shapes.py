"""The shapes of the library the example app does not show, synthesized once in a small test-only
stack: ``grant_admin`` on a role that also has ``AdministratorAccess``, a ``DomainAdminRole`` without
direct settings writes, and a custom resource on CDK's Provider framework (with a waiter state
machine) tagged ``studio:persona=cleanup``, and an ``MlflowApp`` (its custom resource tagged
``mlflow-app-function``, its MLflow role ``mlflow``) on a domain with RStudio (its domain role
``rstudio-domain``) and a custom image (its role ``image``), an ``MlflowTrackingServer``, a
``DomainCleanup`` that deletes the home EFS (its role ``cleanup``), and
API-only settings on the example's domain (its settings custom resource, tagged ``settings``,
passing :data:`SETTINGS_ROLE`). Plus every persona-tagged function, state machine and role of an
assembly, so the matrix covers the example's own once it has some.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from aws_cdk import CfnResource, CustomResource, Stack, Tags
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import custom_resources as cr

from sagemaker_studio_cdk import (
    AdminSettingsAccess,
    CustomImage,
    DomainAdminRole,
    DomainCleanup,
    HomeEfsRetention,
    ImageAppType,
    MlflowApp,
    MlflowTrackingServer,
    RStudioSettings,
    StudioDomain,
)
from sagemaker_studio_cdk.policies.personas import CLEANUP, DOMAIN_ADMIN, PERSONA_TAG
from sagemaker_studio_cdk.policies.resolver import AssemblyResolver, ResolvedRole
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION
from tests.support import ENV, new_app

ADMINISTRATOR_ACCESS_ARN = f"arn:{PARTITION}:iam::aws:policy/AdministratorAccess"
SETTINGS_ROLE = f"arn:{PARTITION}:iam::{ACCOUNT}:role/canvas-forecast"
"""The role the test-only settings name: the only one the settings function may pass."""
HANDLER = "def handler(event, context):\n    return {'IsComplete': True}\n"


@dataclass(frozen=True)
class TaggedResources:
    """Persona-tagged resources of an assembly that no other persona may run or change."""

    functions: dict[str, str]
    """ARN -> the ``studio:persona`` tag's value."""
    state_machines: dict[str, str]
    roles: dict[str, str]


@dataclass(frozen=True)
class Shapes:
    granted: ResolvedRole
    """A role with ``AdministratorAccess`` given ``grant_admin`` on the example's domain (imported)."""
    through_stack: ResolvedRole
    """A ``DomainAdminRole`` with ``AdminSettingsAccess.THROUGH_STACK`` on the same domain."""
    tagged: TaggedResources
    """The custom resource's functions, state machine and roles."""
    settings: ResolvedRole
    """The settings function's role of API-only settings on the example's domain (imported)."""
    workbench: dict[str, list[ResolvedRole]]
    """The roles of the workbench stack (MLflow, RStudio, a custom image) by persona."""
    workbench_domain_id: str
    """The resolved id of the workbench stack's domain (whose RStudio server app its role may start)."""
    image_repository: str
    """The ARN of the custom image's repository (an approved repository)."""


def tagged_resources(resolver: AssemblyResolver) -> TaggedResources:
    """Every Lambda function, state machine and IAM role of the assembly tagged ``studio:persona``."""

    def tagged(resource_type: str, attribute: str) -> dict[str, str]:
        found = {}
        for stack, logical_id in resolver.find(resource_type):
            tags = resolver.properties(stack, logical_id).get("Tags") or []
            persona = next((t["Value"] for t in tags if isinstance(t, dict) and t.get("Key") == PERSONA_TAG), None)
            if persona is not None:
                found[resolver.attribute(stack, logical_id, attribute)] = persona
        return found

    return TaggedResources(
        functions=tagged("AWS::Lambda::Function", "Arn"),
        state_machines=tagged("AWS::StepFunctions::StateMachine", "Arn"),
        roles={r.arn: r.persona for r in resolver.roles() if r.persona},
    )


def _drop_role_depends_on(stack: Stack) -> None:
    """cfn-lint warns (W3005) on the DependsOn CDK adds from a function to the role it already
    references; this stack is never deployed, so drop them rather than acknowledge them."""
    for child in stack.node.find_all():
        if isinstance(child, CfnResource) and child.cfn_resource_type in (
            "AWS::Lambda::Function",
            "AWS::StepFunctions::StateMachine",
        ):
            child.add_deletion_override("DependsOn")


@lru_cache(maxsize=1)
def shapes(domain_id: str) -> Shapes:
    """Synthesize the test-only stack (once per process) for the domain ``domain_id``."""
    app = new_app()
    stack = Stack(app, "IsolationShapes", env=ENV)
    domain = StudioDomain.from_domain_attributes(stack, "Domain", domain_id=domain_id)
    domain.api_only_settings["DefaultUserSettings"] = {
        "CanvasAppSettings": {"TimeSeriesForecastingSettings": {"Status": "ENABLED", "AmazonForecastRoleArn": SETTINGS_ROLE}}
    }
    granted = iam.Role(
        stack,
        "GrantedAdmin",
        assumed_by=iam.AccountRootPrincipal(),
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess")],
    )
    Tags.of(granted).add(PERSONA_TAG, DOMAIN_ADMIN)
    domain.grant_admin(granted)
    DomainAdminRole(
        stack,
        "StackAdmin",
        domain=domain,
        assumed_by=iam.AccountRootPrincipal(),
        settings_access=AdminSettingsAccess.THROUGH_STACK,
    )
    cleanup = Stack(app, "IsolationCleanup", env=ENV)
    handler = lambda_.Function(
        cleanup,
        "Handler",
        runtime=lambda_.Runtime.PYTHON_3_12,
        handler="index.handler",
        code=lambda_.Code.from_inline(HANDLER),
    )
    provider = cr.Provider(cleanup, "Provider", on_event_handler=handler, is_complete_handler=handler)
    CustomResource(cleanup, "Cleanup", service_token=provider.service_token)
    Tags.of(cleanup).add(PERSONA_TAG, CLEANUP)
    _drop_role_depends_on(cleanup)
    mlflow = Stack(app, "IsolationMlflow", env=ENV)
    vpc = ec2.Vpc.from_vpc_attributes(
        mlflow, "Vpc", vpc_id="vpc-0123456789abcdef0", availability_zones=["us-east-1a"], private_subnet_ids=["subnet-0a"]
    )
    repository = ecr.Repository.from_repository_name(mlflow, "Repository", "team/r")
    r_image = CustomImage(
        mlflow,
        "RImage",
        repository=repository,
        tag_or_digest="sha256:" + "ab" * 32,
        image_name="team-r",
        app_type=ImageAppType.R_SESSION,
    )
    workbench_domain = StudioDomain(
        mlflow, "Domain", vpc=vpc, domain_name="mlflow", rstudio=RStudioSettings(session_custom_images=[r_image])
    )
    DomainCleanup(mlflow, "Cleanup", domain=workbench_domain, home_efs_retention=HomeEfsRetention.DELETE)
    MlflowApp(mlflow, "Mlflow", domain=workbench_domain, name="team")
    MlflowTrackingServer(mlflow, "Tracking", domain=workbench_domain, name="team-server")
    directory = app.synth().directory  # linted by conftest.py
    resolver = AssemblyResolver(directory, partition=PARTITION, account=ACCOUNT, region=REGION)
    roles = {r.path: r for r in resolver.roles()}
    workbench: dict[str, list[ResolvedRole]] = {}
    for role in roles.values():
        if role.persona and (role.path or "").startswith("IsolationMlflow/"):
            workbench.setdefault(role.persona, []).append(role)
    (domain_stack, domain_logical_id), *_ = resolver.find("AWS::SageMaker::Domain")
    return Shapes(
        granted=roles["IsolationShapes/GrantedAdmin/Resource"],
        through_stack=roles["IsolationShapes/StackAdmin/Role/Resource"],
        tagged=tagged_resources(resolver),
        workbench=workbench,
        workbench_domain_id=str(resolver.attribute(domain_stack, domain_logical_id, "DomainId")),
        image_repository=f"arn:{PARTITION}:ecr:{REGION}:{ACCOUNT}:repository/team/r",
        settings=roles["IsolationShapes/Domain/ApiSettingsProvider/HandlerRole/Resource"],
    )
