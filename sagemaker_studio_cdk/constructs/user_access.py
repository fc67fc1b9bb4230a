"""``UserAccessPolicy``: the managed policy (and optionally the role) people open Studio with."""

from __future__ import annotations

from aws_cdk import Stack, Tags
from aws_cdk import aws_iam as iam
from constructs import Construct

from .. import limits
from ..errors import StudioConfigError
from ..policies import PERSONA_TAG
from ..policies.nag import acknowledge_wildcards
from ..policies.user_access import USER_PROFILE_TAG, user_access_statements
from ..policies.wildcards import WILDCARD_REASONS
from .domain import StudioDomainBase
from .settings import AuthMode


class UserAccessPolicy(Construct):
    """The ``user-access`` persona: sign in to Studio as one's own profile, and nothing more.

    A managed policy allowing ``CreatePresignedDomainUrl`` only on the profile named by the
    caller's principal tag ``tag_key`` (attribute-based: one policy for everyone), and
    ``StartSession`` (remote access from a local IDE) only into spaces whose ``studio:space-owner``
    tag, which the library writes on private spaces, names that same profile. Attach it to
    people's IAM roles, users or groups (:meth:`attach_to_role` and friends), or let it make a
    role with ``assumed_by``.

    The tag must be set by whoever manages identities (an IAM administrator, or the identity
    provider as a session tag); the domain admin cannot set it (:class:`DomainAdminRole` denies
    ``iam:TagRole``, ``iam:TagUser`` and ``sts:TagSession``).

    IAM-mode domains only: in an SSO domain people sign in through IAM Identity Center, which maps
    each Identity Center user to its profile; use permission sets there (see ``docs/security.md``).

    :param domain: the domain people sign in to.
    :param tag_key: the principal tag naming a person's profile. Default: ``studio:user-profile``.
    :param assumed_by: when given, also make a role (tagged ``studio:persona=user-access``) with
        the policy attached, which ``assumed_by`` may assume and must tag its session with its
        **own** ``tag_key`` value: the trust policy requires the session tag to equal the caller's
        principal tag. Default: no role.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        domain: StudioDomainBase,
        tag_key: str = USER_PROFILE_TAG,
        assumed_by: iam.IPrincipal | None = None,
    ) -> None:
        limits.check_type("domain", domain, StudioDomainBase, "a StudioDomain")
        limits.check_optional_type("assumed_by", assumed_by, iam.IPrincipal, "an iam.IPrincipal")
        if domain.auth_mode is AuthMode.SSO:
            raise StudioConfigError(
                "domain.auth_mode",
                "SSO",
                "an IAM-mode domain: SSO users sign in through IAM Identity Center, not CreatePresignedDomainUrl",
            )
        limits.check_type("tag_key", tag_key, str, "a principal tag key")
        limits.check_tags("tag_key", {tag_key: "x"})
        super().__init__(scope, construct_id)
        stack = Stack.of(self)
        self.tag_key = tag_key
        statements = user_access_statements(
            partition=stack.partition, region=stack.region, account=stack.account, domain_id=domain.domain_id, tag_key=tag_key
        )
        self.managed_policy = iam.ManagedPolicy(
            self,
            "Resource",
            description="SageMaker Studio user access: sign in as the profile your principal tag names",
            statements=statements,
        )
        """The managed policy."""
        acknowledge_wildcards(self.managed_policy, statements, WILDCARD_REASONS)
        self.role: iam.Role | None = None
        """The role made with ``assumed_by``; ``None`` without it."""
        if assumed_by is not None:
            own_tag = f"${{aws:PrincipalTag/{tag_key}}}"
            principal = iam.PrincipalWithConditions(
                iam.SessionTagsPrincipal(assumed_by),
                {
                    # the caller's own tag, passed on unchanged: no other key (in any letter
                    # case), and a caller without the tag gets nothing
                    "StringEquals": {f"aws:RequestTag/{tag_key}": own_tag},
                    "ForAllValues:StringEquals": {"aws:TagKeys": [tag_key]},
                    "Null": {f"aws:PrincipalTag/{tag_key}": "false", f"aws:RequestTag/{tag_key}": "false"},
                },
            )
            self.role = iam.Role(
                self,
                "Role",
                assumed_by=principal,
                managed_policies=[self.managed_policy],
                description="SageMaker Studio user access: assume with your own profile tag as a session tag",
            )
            Tags.of(self.role).add(PERSONA_TAG, "user-access")

    @property
    def managed_policy_arn(self) -> str:
        """The managed policy's ARN."""
        return self.managed_policy.managed_policy_arn

    def attach_to_role(self, role: iam.IRole) -> None:
        """Attach the policy to a role whose sessions carry the profile tag."""
        self.managed_policy.attach_to_role(role)

    def attach_to_user(self, user: iam.IUser) -> None:
        """Attach the policy to an IAM user tagged with its profile."""
        self.managed_policy.attach_to_user(user)

    def attach_to_group(self, group: iam.IGroup) -> None:
        """Attach the policy to a group whose users are tagged with their profiles."""
        self.managed_policy.attach_to_group(group)
