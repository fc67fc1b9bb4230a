"""Rows for every shape the library offers beyond the example's admin role (issue 11): the SCPs,
``grant_admin`` as it really is, user access with the user-access role's trust, the execution role,
the admin without settings writes, and the library's functions, state machines and roles.

Each finding of the review has a path named ``f<n>-...``; each row of it expects Deny, and a test
shows a weakened policy reopening it. Two-step chains (:class:`Chain`) feed the first step's
result (a session with tags, a widened user) into the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sagemaker_studio_cdk.policies.personas import CLEANUP, DOMAIN_ADMIN, MLFLOW_APP_FUNCTION, PERSONA_TAG, SETTINGS
from sagemaker_studio_cdk.policies.user_access import USER_PROFILE_TAG
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, Principal
from tests.policies.example_iam import ExampleIam
from tests.policies.shapes import SETTINGS_ROLE

ALLOW = "Allow"
DENY = "Deny"
Context = dict[str, str | list[str]]

RELAY_ROLE = f"arn:{PARTITION}:iam::{ACCOUNT}:role/relay"
"""A role made elsewhere whose trust lets the account assume it with session tags."""
ADMIN_ELSEWHERE = f"arn:{PARTITION}:iam::{ACCOUNT}:role/ops-admin-elsewhere"
"""An admin role made elsewhere (tagged ``studio:persona=domain-admin``) whose trust allows session tags."""
OPEN_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{PARTITION}:iam::{ACCOUNT}:root"},
            "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"],
        }
    ],
}
MALLORY = f"arn:{PARTITION}:iam::{ACCOUNT}:user/mallory"
GROUP = f"arn:{PARTITION}:iam::{ACCOUNT}:group/data-scientists"
SIGN_IN_ANYONE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sagemaker:CreatePresignedDomainUrl", "Resource": "*"}],
}
SHAPE_ADMINS = ("admin", "admin+AA", "granted+AA", "scp:admin")
"""Every admin shape: the role, the role with AdministratorAccess, grant_admin's, and the SCPs'."""
NON_PERSONAS = ("scp:other",)


def tags(**values: str) -> Context:
    """``aws:TagKeys`` and ``aws:RequestTag/...`` of a request setting ``values`` (``_`` in names: ``:``)."""
    keys = {k.replace("__", ":").replace("_", "-"): v for k, v in values.items()}
    return {"aws:TagKeys": list(keys), **{f"aws:RequestTag/{k}": v for k, v in keys.items()}}


def session_tags(pairs: dict[str, str]) -> Context:
    return {"aws:TagKeys": list(pairs), **{f"aws:RequestTag/{k}": v for k, v in pairs.items()}}


@dataclass(frozen=True)
class Chain:
    """Two steps: every request of ``first`` must be allowed before ``then`` (by the principal
    the first step made) is evaluated; the chain is allowed only when both are."""

    path: str
    first: tuple[Any, ...]
    then: Any
    expected: str = DENY


def extra_principals(e: ExampleIam) -> dict[str, Principal]:
    """The principals these rows add to the matrix's."""
    return {
        "stack-admin": e.stack_admin(),
        "stack-admin+AA": e.stack_admin(administrator_access=True),
        "scp:cleanup": e.scp_cleanup(),
        "scp:mlflow-app-function": e.scp_mlflow_app_function(),
        "scp:settings": e.scp_settings(),
        "settings": e.settings(),
        "person:alice": e.person("alice"),
        "person:untagged": e.person(None),
        "person:alice-variant": e.person("alice", key="Studio:User-Profile"),
        "scp:person:alice": e.person("alice", scps=True),
        # second steps of chains: what the first step would have made
        "relay:bob": e.under_scps(RELAY_ROLE, {USER_PROFILE_TAG: "bob"}),
        "relay:Bob-variant": e.under_scps(RELAY_ROLE, {"Studio:User-Profile": "bob"}),
        "escaped-admin": e.under_scps(ADMIN_ELSEWHERE, {PERSONA_TAG: "analyst"}),
        "mallory:tagged-bob": e.under_scps(MALLORY, {"Studio:User-Profile": "bob"}, policies=[SIGN_IN_ANYONE]),
        "mallory:widened": e.under_scps(MALLORY, policies=[SIGN_IN_ANYONE]),
        "execution:bob-forged": e.execution("bob"),
    }


def shape_rows(e: ExampleIam, row_type: Any) -> list[Any]:
    """Single-request rows (``row_type`` is :class:`tests.policies.matrix.Row`)."""
    found: list[Any] = []

    def row(
        path: str, persona: str, action: str, resource: str, expected: str, context: Context | None = None, **kw: Any
    ) -> None:
        found.append(row_type(path, persona, action, resource, expected, context or {}, **kw))

    def each(personas: tuple[str, ...], path: str, action: str, resource: str, context: Context | None = None) -> None:
        for persona in personas:
            row(path, persona, action, resource, DENY, context)

    user_role = e.roles["user-access"]
    execution_role = e.roles["execution"]
    bob_prefix = e.object("users/bob/notes.txt")
    group = f"arn:{PARTITION}:ec2:{REGION}:{ACCOUNT}:security-group/{e.security_group_id}"
    other_sg = ["sg-0123456789abcdef0"]

    # -- f1: the tags the isolation relies on, in any letter case ------------------------------------
    for key in ("Studio:User-Profile", "STUDIO:USER-PROFILE", "Studio:Persona"):
        variant = session_tags({key: "bob"})
        row("f1-tag-case", "scp:other", "iam:TagUser", MALLORY, DENY, variant)
        row("f1-tag-case", "scp:other", "iam:TagRole", RELAY_ROLE, DENY, variant)
        row("f1-tag-case", "scp:other", "iam:CreateRole", RELAY_ROLE, DENY, variant)
        row("f1-tag-case", "scp:other", "iam:UntagRole", e.roles["domain-admin"].arn, DENY, {"aws:TagKeys": [key]})
    row("f1-tag-case", "scp:deployer", "iam:TagRole", RELAY_ROLE, ALLOW, session_tags({"Studio:Persona": DOMAIN_ADMIN}))
    # -- f2: session tags; the user-access role's trust as a resource policy -------------------------
    trust = user_role.trust_policy
    for action in ("sts:AssumeRole", "sts:TagSession"):
        own = session_tags({USER_PROFILE_TAG: "alice"})
        row("user-access-trust", "person:alice", action, user_role.arn, ALLOW, own, resource_policy=trust)
        row("user-access-trust", "scp:person:alice", action, user_role.arn, ALLOW, own, resource_policy=trust)
        row(
            "f2-trust",
            "person:alice",
            action,
            user_role.arn,
            DENY,
            session_tags({USER_PROFILE_TAG: "bob"}),
            resource_policy=trust,
        )
        row(
            "f2-trust",
            "person:untagged",
            action,
            user_role.arn,
            DENY,
            session_tags({USER_PROFILE_TAG: "bob"}),
            resource_policy=trust,
        )
        row(
            "f2-trust",
            "person:alice",
            action,
            user_role.arn,
            DENY,
            session_tags({"Studio:User-Profile": "bob"}),
            resource_policy=trust,
        )
        row(
            "f2-trust",
            "person:alice",
            action,
            user_role.arn,
            DENY,
            session_tags({USER_PROFILE_TAG: "alice", PERSONA_TAG: "domain-admin"}),
            resource_policy=trust,
        )
        row("f2-trust", "person:untagged", action, user_role.arn, DENY, {}, resource_policy=trust)
    row("f2-session-tags", "scp:other", "sts:TagSession", RELAY_ROLE, DENY, session_tags({USER_PROFILE_TAG: "bob"}))
    row("f2-session-tags", "scp:other", "sts:TagSession", RELAY_ROLE, DENY, session_tags({"Studio:User-Profile": "bob"}))
    row("f2-session-tags", "scp:person:alice", "sts:TagSession", RELAY_ROLE, DENY, session_tags({USER_PROFILE_TAG: "bob"}))
    row("f2-session-tags", "scp:other", "sts:TagSession", ADMIN_ELSEWHERE, DENY, session_tags({PERSONA_TAG: "analyst"}))
    row("f2-session-tags", "scp:other", "sts:TagSession", ADMIN_ELSEWHERE, DENY, session_tags({"STUDIO:PERSONA": "analyst"}))
    row("f2-session-tags", "scp:other", "sts:TagSession", RELAY_ROLE, ALLOW, session_tags({"team": "ml"}))
    # -- f3: the network path to users' apps --------------------------------------------------------
    for persona in SHAPE_ADMINS:
        row("f3-network", persona, "ec2:AuthorizeSecurityGroupIngress", group, DENY)
        row("f3-network", persona, "ec2:RunInstances", group, DENY)
        row("f3-network", persona, "ec2:CreateNetworkInterface", group, DENY)
        row("f3-network", persona, "ec2:ModifyNetworkInterfaceAttribute", group, DENY)
        row("f3-network", persona, "sagemaker:UpdateDomain", e.domain, DENY, {"sagemaker:VpcSecurityGroupIds": other_sg})
        row(
            "f3-network",
            persona,
            "sagemaker:UpdateUserProfile",
            e.profile("bob"),
            DENY,
            {"sagemaker:VpcSecurityGroupIds": other_sg},
        )
        row(
            "f3-network",
            persona,
            "sagemaker:CreateUserProfile",
            e.profile("eve"),
            DENY,
            {"sagemaker:VpcSecurityGroupIds": other_sg},
        )
    # -- f4: IAM users and groups -----------------------------------------------------------------------
    for persona in SHAPE_ADMINS:
        each((persona,), "f4-users-groups", "iam:PutUserPolicy", MALLORY)
        each((persona,), "f4-users-groups", "iam:AttachUserPolicy", MALLORY)
        each((persona,), "f4-users-groups", "iam:AddUserToGroup", GROUP)
        each((persona,), "f4-users-groups", "iam:PutGroupPolicy", GROUP)
        each((persona,), "f4-users-groups", "iam:AttachGroupPolicy", GROUP)
    # -- f5: grant_admin (and the SCP's admin) on every library role, not only its own -----------------
    for persona in ("granted+AA", "scp:admin"):
        for role in (user_role.arn, execution_role.arn):
            for action in ("iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePolicy"):
                row("f5-other-roles", persona, action, role, DENY)
        row("f5-other-roles", persona, "sts:AssumeRole", execution_role.arn, DENY, {"sts:SourceIdentity": "bob"})
        row("f5-other-roles", persona, "sts:SetSourceIdentity", execution_role.arn, DENY, {"sts:SourceIdentity": "bob"})
    for persona in ("person:untagged", "granted+AA"):
        row(
            "f5-execution-trust",
            persona,
            "sts:AssumeRole",
            execution_role.arn,
            DENY,
            {"sts:SourceIdentity": "bob"},
            resource_policy=execution_role.trust_policy,
        )
    # -- f6: Identity Center, which maps a person to a profile in SSO-mode domains ---------------------
    for persona in SHAPE_ADMINS:
        sso_instance = f"arn:{PARTITION}:sso:::instance/ssoins-0123456789abcdef"
        each((persona,), "f6-sso", "sso:CreateAccountAssignment", sso_instance)
        each(
            (persona,), "f6-sso", "sso:CreateApplicationAssignment", f"arn:{PARTITION}:sso::{ACCOUNT}:application/ssoins-1/apl-1"
        )
        each(
            (persona,),
            "f6-sso",
            "identitystore:UpdateUser",
            f"arn:{PARTITION}:identitystore::{ACCOUNT}:identitystore/d-1234567890",
        )
        each(
            (persona,),
            "f6-sso",
            "identitystore:CreateGroupMembership",
            f"arn:{PARTITION}:identitystore::{ACCOUNT}:identitystore/d-1234567890",
        )
        each((persona,), "f6-sso", "sso-directory:UpdateUser", "*")
    # -- f7: per-user data ----------------------------------------------------------------------------------
    for persona in SHAPE_ADMINS:
        each((persona,), "f7-user-data", "s3:GetObject", bob_prefix)
        each((persona,), "f7-user-data", "s3:PutObject", e.object("users/bob/planted.py"))
        each((persona,), "f7-user-data", "s3:PutBucketPolicy", e.user_data_bucket)
        each((persona,), "f7-user-data", "s3:PutBucketAcl", e.user_data_bucket)
    # -- f8: the execution role fails closed without keys ----------------------------------------------------
    bob_owner = {"sagemaker:OwnerUserProfileArn": e.profile("bob")}
    for action, resource in (
        ("sagemaker:UpdateSpace", e.space("bob-lab")),
        ("sagemaker:DeleteSpace", e.space("bob-lab")),
        ("sagemaker:CreateApp", e.app("bob-lab")),
        ("sagemaker:DeleteApp", e.app("bob-lab")),
    ):
        row("f8-execution-keys", "alice", action, resource, DENY)
        row("f8-execution-keys", "alice", action, resource, DENY, {"sagemaker:SpaceSharingType": "Private"})
        row("f8-execution-keys", "alice", action, resource, DENY, bob_owner)
        row("f8-execution-keys", "alice", action, resource, DENY, {"sagemaker:SpaceSharingType": "Unknown", **bob_owner})
    own = {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": e.profile("alice")}
    for action, resource in (
        ("sagemaker:UpdateSpace", e.space("alice-lab")),
        ("sagemaker:DeleteSpace", e.space("alice-lab")),
        ("sagemaker:CreateApp", e.app("alice-lab")),
        ("sagemaker:DeleteApp", e.app("alice-lab")),
    ):
        row("execution-legit", "alice", action, resource, ALLOW, own)
    row(
        "execution-legit",
        "alice",
        "sagemaker:CreateSpace",
        e.space("team-3"),
        ALLOW,
        {"sagemaker:SpaceSharingType": "Shared", "sagemaker:OwnerUserProfileArn": e.profile("alice")},
    )
    row(
        "execution-legit",
        "alice",
        "sagemaker:DeleteApp",
        e.app("team"),
        ALLOW,
        {"sagemaker:SpaceSharingType": "Shared", **bob_owner},
    )
    # -- f9: the admin without direct settings writes ------------------------------------------------------
    shared = {"sagemaker:SpaceSharingType": "Shared"}
    for persona in ("stack-admin", "stack-admin+AA"):
        for action, resource, context in (
            ("sagemaker:UpdateDomain", e.domain, {}),
            ("sagemaker:UpdateUserProfile", e.profile("bob"), {}),
            ("sagemaker:CreateUserProfile", e.profile("eve"), {}),
            ("sagemaker:UpdateSpace", e.space("team"), shared),
            ("sagemaker:CreateSpace", e.space("team-2"), shared),
            ("sagemaker:UpdateDomain", e.domain, {"sagemaker:StudioLifecycleConfigArns": e.approved_lifecycle_configs}),
        ):
            row("f9-settings", persona, action, resource, DENY, context)
        for action, resource, context in (
            ("sagemaker:DescribeDomain", e.domain, {}),
            ("sagemaker:ListSpaces", "*", {}),
            ("sagemaker:DeleteApp", e.app("alice-lab"), own),
            ("sagemaker:DeleteSpace", e.space("team"), shared),
            ("sagemaker:DeleteUserProfile", e.profile("carol"), {}),
        ):
            row("stack-admin-job", persona, action, resource, ALLOW, context)
        row("stack-admin-private", persona, "sagemaker:CreatePresignedDomainUrl", e.profile("alice"), DENY)
        row("stack-admin-private", persona, "sagemaker:CreateApp", e.app("alice-lab"), DENY, own)
    # -- case-variant profile names in ARNs -----------------------------------------------------------------------
    for persona in ("admin", "admin+AA", "granted+AA", "scp:admin", "stack-admin+AA"):
        row("case-profile", persona, "sagemaker:CreatePresignedDomainUrl", e.profile("ALICE"), DENY)
        row("case-profile", persona, "sagemaker:CreatePresignedDomainUrl", e.profile("Bob"), DENY)
    row("case-profile", "access:alice", "sagemaker:CreatePresignedDomainUrl", e.profile("Alice"), DENY)
    row("case-profile", "access:alice", "sagemaker:CreatePresignedDomainUrl", e.profile("BOB"), DENY)
    row("case-profile", "alice", "sagemaker:CreatePresignedDomainUrl", e.profile("Alice"), DENY)
    row("case-profile", "alice", "s3:GetObject", e.object("users/Bob/notes.txt"), DENY)
    row(
        "case-profile",
        "alice",
        "sagemaker:UpdateSpace",
        e.space("bob-lab"),
        DENY,
        {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": e.profile("ALICE")},
    )
    # -- the settings function: updates and reads its one domain, its profiles and spaces; passes the named roles --
    row("settings", "settings", "sagemaker:UpdateDomain", e.domain, ALLOW)
    row("settings", "settings", "sagemaker:DescribeDomain", e.domain, ALLOW)
    row("settings", "settings", "sagemaker:UpdateUserProfile", e.profile("alice"), ALLOW)
    row("settings", "settings", "sagemaker:UpdateSpace", e.space("team"), ALLOW, {"sagemaker:SpaceSharingType": "Shared"})
    # DescribeSpace carries no SpaceSharingType: a condition on it would deny the handler's read every time
    row("settings", "settings", "sagemaker:DescribeSpace", e.space("team"), ALLOW)
    passed = {"iam:PassedToService": "sagemaker.amazonaws.com"}
    row("settings", "settings", "iam:PassRole", SETTINGS_ROLE, ALLOW, passed)
    for action, resource, context in (
        ("sagemaker:UpdateDomain", e.sagemaker("domain/d-otherdomain00"), {}),
        ("sagemaker:UpdateUserProfile", e.profile("alice", "d-otherdomain00"), {}),
        ("sagemaker:DeleteDomain", e.domain, {}),
        ("sagemaker:DeleteUserProfile", e.profile("alice"), {}),
        ("sagemaker:CreatePresignedDomainUrl", e.profile("alice"), {}),
        ("sagemaker:CreateApp", e.app("alice-lab"), {}),
        ("sagemaker:UpdateSpace", e.space("alice-lab"), {"sagemaker:SpaceSharingType": "Private"}),
        ("iam:PassRole", SETTINGS_ROLE, {"iam:PassedToService": "lambda.amazonaws.com"}),
        ("iam:PassRole", e.roles["execution"].arn, passed),
        ("lambda:UpdateFunctionCode", next(iter(e.tagged.functions)), {}),
    ):
        row("settings-nothing-more", "settings", action, resource, DENY, context)
    # -- the library's functions, state machines and roles: no persona runs or changes them ---------------------
    everyone = ("admin", "admin+AA", "granted+AA", "stack-admin+AA", "alice", "access:alice", "scp:admin", "scp:other")
    for arn, persona_value in e.tagged.functions.items():
        resource_tag: Context = {f"aws:ResourceTag/{PERSONA_TAG}": persona_value}
        for action in (
            "lambda:InvokeFunction",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
            "lambda:AddPermission",
            "lambda:DeleteFunction",
        ):
            each(everyone, "library-functions", action, arn, resource_tag)
        each(everyone, "library-functions", "lambda:UntagResource", arn, {**resource_tag, "aws:TagKeys": [PERSONA_TAG]})
        row("library-functions-legit", "scp:deployer", "lambda:UpdateFunctionCode", arn, ALLOW, resource_tag)
        if persona_value == CLEANUP:
            row("library-functions-legit", "scp:cleanup", "lambda:InvokeFunction", arn, ALLOW, resource_tag)
        if persona_value == MLFLOW_APP_FUNCTION:
            row("library-functions-legit", "scp:mlflow-app-function", "lambda:InvokeFunction", arn, ALLOW, resource_tag)
        if persona_value == SETTINGS:
            row("library-functions-legit", "scp:settings", "lambda:InvokeFunction", arn, ALLOW, resource_tag)
    for persona in SHAPE_ADMINS:  # the SCPs deny it to admins only: it names no resource whose tags IAM sees
        row(
            "library-functions",
            persona,
            "lambda:CreateEventSourceMapping",
            "*",
            DENY,
            {"lambda:FunctionArn": next(iter(e.tagged.functions))},
        )
    for arn, persona_value in e.tagged.state_machines.items():
        resource_tag = {f"aws:ResourceTag/{PERSONA_TAG}": persona_value}
        for action in (
            "states:StartExecution",
            "states:StartSyncExecution",
            "states:UpdateStateMachine",
            "states:DeleteStateMachine",
        ):
            each(everyone, "library-functions", action, arn, resource_tag)
        each(everyone, "library-functions", "states:TagResource", arn, {**resource_tag, **session_tags({PERSONA_TAG: "x"})})
        if persona_value == CLEANUP:
            row("library-functions-legit", "scp:cleanup", "states:StartExecution", arn, ALLOW, resource_tag)
        if persona_value == MLFLOW_APP_FUNCTION:
            row("library-functions-legit", "scp:mlflow-app-function", "states:StartExecution", arn, ALLOW, resource_tag)
        if persona_value == SETTINGS:
            row("library-functions-legit", "scp:settings", "states:StartExecution", arn, ALLOW, resource_tag)
    role_changers = ("admin", "admin+AA", "granted+AA", "stack-admin+AA", "scp:admin", "scp:other", "alice", "access:alice")
    for index, (arn, persona_value) in enumerate(e.tagged.roles.items()):
        resource_tag = {f"aws:ResourceTag/{PERSONA_TAG}": persona_value, f"iam:ResourceTag/{PERSONA_TAG}": persona_value}
        # every role: its trust and its policies; the rest of the table once (the same statements apply)
        more = ("iam:PutRolePolicy", "iam:DeleteRole", "iam:UntagRole") if index == 0 else ()
        for action in ("iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", *more):
            each(role_changers, "library-roles", action, arn, resource_tag)
        each(
            ("admin", "admin+AA", "granted+AA", "stack-admin+AA", "scp:admin", "alice", "access:alice"),
            "library-roles",
            "iam:PassRole",
            arn,
            resource_tag,
        )
        row("library-roles-legit", "scp:deployer", "iam:AttachRolePolicy", arn, ALLOW, resource_tag)
    return found


def chains(e: ExampleIam, row_type: Any) -> list[Chain]:
    """Two-step paths: the first step's session (or widened user) makes the second request."""
    user_role = e.roles["user-access"]
    execution_role = e.roles["execution"]

    def r(path: str, persona: str, action: str, resource: str, context: Context | None = None, policy: Any = None) -> Any:
        return row_type(path, persona, action, resource, ALLOW, context or {}, resource_policy=policy)

    def assume(path: str, persona: str, role: str, pairs: dict[str, str], trust: Any = OPEN_TRUST) -> tuple[Any, ...]:
        tagged = session_tags(pairs)
        return (r(path, persona, "sts:AssumeRole", role, tagged, trust), r(path, persona, "sts:TagSession", role, tagged, trust))

    into_user_access = assume("", "relay:bob", user_role.arn, {USER_PROFILE_TAG: "bob"}, user_role.trust_policy)
    found = [
        # f2: a relay role's session tagged bob, then the user-access role with bob (its trust compares with the caller's tag)
        Chain("f2-chain", assume("f2-chain", "scp:other", RELAY_ROLE, {USER_PROFILE_TAG: "bob"}), into_user_access[0]),
        Chain(
            "f2-chain",
            assume("f2-chain", "scp:other", RELAY_ROLE, {"Studio:User-Profile": "bob"}),
            r(
                "f2-chain",
                "relay:Bob-variant",
                "sts:AssumeRole",
                user_role.arn,
                session_tags({USER_PROFILE_TAG: "bob"}),
                user_role.trust_policy,
            ),
        ),
        Chain("f2-chain", assume("f2-chain", "scp:person:alice", RELAY_ROLE, {USER_PROFILE_TAG: "bob"}), into_user_access[1]),
        # f2: an admin role made elsewhere, its persona replaced by a session tag, then signing in as alice
        Chain(
            "f2-chain",
            assume("f2-chain", "scp:other", ADMIN_ELSEWHERE, {PERSONA_TAG: "analyst"}),
            r("f2-chain", "escaped-admin", "sagemaker:CreatePresignedDomainUrl", e.profile("alice")),
        ),
        # f1: tagging a user with a case variant of the profile tag, then signing in as bob with the user-access policy
        Chain(
            "f1-chain",
            (r("f1-chain", "scp:other", "iam:TagUser", MALLORY, session_tags({"Studio:User-Profile": "bob"})),),
            r("f1-chain", "mallory:tagged-bob", "sagemaker:CreatePresignedDomainUrl", e.profile("bob")),
        ),
        # f4: widening a user, then signing in as bob
        Chain(
            "f4-chain",
            (r("f4-chain", "scp:admin", "iam:PutUserPolicy", MALLORY),),
            r("f4-chain", "mallory:widened", "sagemaker:CreatePresignedDomainUrl", e.profile("bob")),
        ),
        Chain(
            "f4-chain",
            (r("f4-chain", "granted+AA", "iam:AttachUserPolicy", MALLORY),),
            r("f4-chain", "mallory:widened", "sagemaker:CreatePresignedDomainUrl", e.profile("bob")),
        ),
        Chain(
            "f4-chain",
            (r("f4-chain", "scp:admin", "iam:AddUserToGroup", GROUP),),
            r("f4-chain", "mallory:widened", "sagemaker:CreatePresignedDomainUrl", e.profile("bob")),
        ),
        # f5: rewriting the execution role's trust, then assuming it with source identity bob and reading bob's data
        Chain(
            "f5-chain",
            (r("f5-chain", "granted+AA", "iam:UpdateAssumeRolePolicy", execution_role.arn),),
            r("f5-chain", "execution:bob-forged", "s3:GetObject", e.object("users/bob/notes.txt")),
        ),
        Chain(
            "f5-chain",
            (
                r(
                    "f5-chain",
                    "granted+AA",
                    "sts:AssumeRole",
                    execution_role.arn,
                    {"sts:SourceIdentity": "bob"},
                    execution_role.trust_policy,
                ),
            ),
            r("f5-chain", "execution:bob-forged", "s3:GetObject", e.object("users/bob/notes.txt")),
        ),
        Chain("f5-chain", (r("f5-chain", "granted+AA", "iam:UpdateAssumeRolePolicy", user_role.arn),), into_user_access[0]),
        # the legitimate chain stays allowed: alice's own role, then the user-access role with her own tag
        Chain(
            "user-access-chain",
            assume("user-access-chain", "scp:person:alice", user_role.arn, {USER_PROFILE_TAG: "alice"}, user_role.trust_policy),
            r("user-access-chain", "access:alice", "sagemaker:CreatePresignedDomainUrl", e.profile("alice")),
            expected=ALLOW,
        ),
    ]
    return found


FINDING_PATHS = (
    "f1-tag-case",
    "f1-chain",
    "f2-trust",
    "f2-session-tags",
    "f2-chain",
    "f3-network",
    "f4-users-groups",
    "f4-chain",
    "f5-other-roles",
    "f5-execution-trust",
    "f5-chain",
    "f6-sso",
    "f7-user-data",
    "f8-execution-keys",
    "f9-settings",
    "case-profile",
    "library-functions",
    "library-roles",
)
"""Every finding of issue 11, each with rows that expect Deny."""
