"""The example app's IAM as the policy tests see it: resolved roles, ARNs of its resources, and
the principals (persona sessions) the decision matrix evaluates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sagemaker_studio_cdk.policies import scp
from sagemaker_studio_cdk.policies.personas import CLEANUP, DOMAIN_ADMIN, MLFLOW_APP_FUNCTION, PERSONA_TAG, SETTINGS
from sagemaker_studio_cdk.policies.resolver import AssemblyResolver, ResolvedRole
from sagemaker_studio_cdk.policies.user_access import USER_PROFILE_TAG
from tests.example import example_assembly
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, Principal
from tests.policies.shapes import ADMINISTRATOR_ACCESS_ARN, Shapes, TaggedResources, shapes, tagged_resources

ADMINISTRATOR_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
"""AWS's AdministratorAccess managed policy (``arn:aws:iam::aws:policy/AdministratorAccess``)."""

CDK_DEPLOY_ROLE = f"arn:{PARTITION}:iam::{ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{ACCOUNT}-{REGION}"


@dataclass(frozen=True)
class ExampleIam:
    """What the matrix needs of the synthesized example app."""

    roles: dict[str, ResolvedRole]
    """One role per persona (``domain-admin``, ``execution``, ``user-access``, ``cleanup``: its handler's)."""
    domain_id: str
    approved_lifecycle_configs: list[str]
    approved_images: list[str]
    user_data_bucket: str
    security_group_id: str
    shapes: Shapes
    """The test-only stack: grant_admin's real shape, the admin without settings writes, a Provider custom resource."""
    tagged: TaggedResources
    """Every persona-tagged function, state machine and role of the example assembly and of the test-only stack."""

    def sagemaker(self, resource: str) -> str:
        return f"arn:{PARTITION}:sagemaker:{REGION}:{ACCOUNT}:{resource}"

    @property
    def domain(self) -> str:
        return self.sagemaker(f"domain/{self.domain_id}")

    def profile(self, name: str, domain_id: str | None = None) -> str:
        return self.sagemaker(f"user-profile/{domain_id or self.domain_id}/{name}")

    def space(self, name: str) -> str:
        return self.sagemaker(f"space/{self.domain_id}/{name}")

    def app(self, space: str, app_type: str = "JupyterLab", name: str = "default") -> str:
        return self.sagemaker(f"app/{self.domain_id}/{space}/{app_type}/{name}")

    def object(self, key: str) -> str:
        return f"{self.user_data_bucket}/{key}"

    # -- principals --------------------------------------------------------------------------

    def admin(self) -> Principal:
        """A session of the example's ``DomainAdminRole``: identity policies and boundary."""
        role = self.roles["domain-admin"]
        return Principal(
            name="domain-admin",
            arn=role.arn,
            identity_policies=role.identity_policies,
            boundary=role.boundary,
            context={"aws:PrincipalTag/studio:persona": "domain-admin"},
        )

    def admin_with_administrator_access(self) -> Principal:
        """Someone attached ``AdministratorAccess`` to the admin role: the boundary still caps it."""
        return self.admin().with_policies(ADMINISTRATOR_ACCESS, name="domain-admin+AdministratorAccess")

    def granted(self) -> Principal:
        """``grant_admin`` as it really is: a synthesized role (of the test-only stack) that also
        has ``AdministratorAccess``, no boundary, tagged ``studio:persona=domain-admin``."""
        role = self.shapes.granted
        assert role.managed_policy_arns == [ADMINISTRATOR_ACCESS_ARN], role.managed_policy_arns
        return Principal(
            name="granted-admin+AdministratorAccess",
            arn=role.arn,
            identity_policies=[*role.identity_policies, ADMINISTRATOR_ACCESS],
            context={f"aws:PrincipalTag/{PERSONA_TAG}": DOMAIN_ADMIN},
        )

    def stack_admin(self, administrator_access: bool = False) -> Principal:
        """A ``DomainAdminRole`` with ``AdminSettingsAccess.THROUGH_STACK`` (and, optionally, ``AdministratorAccess``)."""
        role = self.shapes.through_stack
        return Principal(
            name="stack-admin" + ("+AdministratorAccess" if administrator_access else ""),
            arn=role.arn,
            identity_policies=[*role.identity_policies, *([ADMINISTRATOR_ACCESS] if administrator_access else [])],
            boundary=role.boundary,
            context={f"aws:PrincipalTag/{PERSONA_TAG}": DOMAIN_ADMIN},
        )

    def under_scps(
        self, name: str, tags: dict[str, str] | None = None, *, policies: list[dict[str, Any]] | None = None, scps: bool = True
    ) -> Principal:
        """A role session ``name`` with ``tags`` as principal tags (role or session tags), with
        ``AdministratorAccess`` unless ``policies`` says otherwise, under the SCPs unless ``scps`` is false."""
        return Principal(
            name=name,
            arn=name if name.startswith("arn:") else f"arn:{PARTITION}:iam::{ACCOUNT}:role/{name}",
            identity_policies=policies if policies is not None else [ADMINISTRATOR_ACCESS],
            context={f"aws:PrincipalTag/{k}": v for k, v in (tags or {}).items()},
            scps=scp.service_control_policies() if scps else [],
        )

    def person(self, profile_tag: str | None, *, key: str = USER_PROFILE_TAG, scps: bool = False) -> Principal:
        """Someone's own IAM role, tagged (``key``) with their profile or untagged, that may assume
        roles (the user-access role's trust decides)."""
        return self.under_scps(f"person-{profile_tag or 'untagged'}", {key: profile_tag} if profile_tag else {}, scps=scps)

    def execution(self, user: str | None) -> Principal:
        """A Studio session of ``user`` (``None``: a session without a profile or source identity)."""
        role = self.roles["execution"]
        return Principal(
            name=f"execution:{user}",
            arn=role.arn,
            identity_policies=role.identity_policies,
            context={"aws:SourceIdentity": user} if user else {},
            variables={"sagemaker:DomainId": self.domain_id, "sagemaker:UserProfileName": user or "unknown"},
        )

    def user_access(self, profile_tag: str | None) -> Principal:
        """A person's session of the user-access role, tagged with ``profile_tag`` (or untagged)."""
        role = self.roles["user-access"]
        context = {"aws:PrincipalTag/studio:persona": "user-access"}
        if profile_tag:
            context["aws:PrincipalTag/studio:user-profile"] = profile_tag
        return Principal(
            name=f"user-access:{profile_tag}", arn=role.arn, identity_policies=role.identity_policies, context=context
        )

    def cleanup(self) -> Principal:
        """The domain cleanup's handler (``DomainCleanup``)."""
        role = self.roles["cleanup"]
        return Principal(name="cleanup", arn=role.arn, identity_policies=role.identity_policies)

    def service_role(self, persona: str) -> Principal:
        """A session of a service role the library made (Canvas's Forecast, Bedrock, EMR Serverless roles)."""
        role = self.roles[persona]
        return Principal(name=persona, arn=role.arn, identity_policies=role.identity_policies)

    def scp_admin(self) -> Principal:
        """Any principal tagged ``studio:persona=domain-admin`` with ``AdministratorAccess``, under the SCPs alone."""
        return self.under_scps("ops-admin", {PERSONA_TAG: DOMAIN_ADMIN})

    def scp_other(self, arn: str = f"arn:{PARTITION}:iam::{ACCOUNT}:role/platform-engineer") -> Principal:
        """An untagged principal with ``AdministratorAccess`` under the SCPs."""
        return self.under_scps(arn)

    def scp_cleanup(self) -> Principal:
        """A role of the custom resource (persona ``cleanup``): the Provider framework invoking its handler."""
        role = next(a for a, p in self.tagged.roles.items() if p == CLEANUP)
        return self.under_scps(role, {PERSONA_TAG: CLEANUP})

    def scp_mlflow_app_function(self) -> Principal:
        """A role of ``MlflowApp``'s custom resource: the Provider framework invoking its handler."""
        role = next(a for a, p in self.tagged.roles.items() if p == MLFLOW_APP_FUNCTION)
        return self.under_scps(role, {PERSONA_TAG: MLFLOW_APP_FUNCTION})

    def settings(self) -> Principal:
        """The settings function of API-only settings on the example's domain (``StudioApiSettings``)."""
        role = self.shapes.settings
        return Principal(name="settings", arn=role.arn, identity_policies=role.identity_policies)

    def scp_settings(self) -> Principal:
        """A role of a domain's settings custom resource: the Provider framework invoking its handler."""
        role = next(a for a, p in self.tagged.roles.items() if p == SETTINGS)
        return self.under_scps(role, {PERSONA_TAG: SETTINGS})


def example_iam() -> ExampleIam:
    """Resolve the example app's assembly (synthesized once per process)."""
    directory, _ = example_assembly()
    resolver = AssemblyResolver(directory, partition=PARTITION, account=ACCOUNT, region=REGION)
    roles: dict[str, ResolvedRole] = {}
    for role in resolver.roles():
        handler = {CLEANUP: "/Cleanup/HandlerRole/", SETTINGS: "/ApiSettingsProvider/HandlerRole/"}.get(role.persona or "")
        if handler is not None and handler not in f"{role.path}/":
            continue  # the provider framework's roles (invoke the handler, run the waiter): not principals of the matrix
        if role.persona and role.persona not in ("network",):
            assert role.persona not in roles, f"two roles of persona {role.persona}: {roles[role.persona].path}, {role.path}"
            roles[role.persona] = role
    ((domain_stack, domain),) = resolver.find("AWS::SageMaker::Domain")
    ((bucket_stack, bucket),) = resolver.find("AWS::S3::Bucket")
    configs = [
        resolver.attribute(s, i, "StudioLifecycleConfigArn") for s, i in resolver.find("AWS::SageMaker::StudioLifecycleConfig")
    ]
    domain_props = resolver.properties(domain_stack, domain)
    image = domain_props["DefaultUserSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]["SageMakerImageArn"]
    group = domain_props["DomainSettings"]["SecurityGroupIds"][0]
    domain_id = resolver.attribute(domain_stack, domain, "DomainId")
    shaped = shapes(domain_id)
    own = tagged_resources(resolver)
    return ExampleIam(
        roles=roles,
        domain_id=domain_id,
        approved_lifecycle_configs=configs,
        approved_images=[image],
        user_data_bucket=resolver.attribute(bucket_stack, bucket, "Arn"),
        security_group_id=group,
        shapes=shaped,
        tagged=TaggedResources(
            functions={**own.functions, **shaped.tagged.functions},
            state_machines={**own.state_machines, **shaped.tagged.state_machines},
            roles={**own.roles, **shaped.tagged.roles},
        ),
    )
