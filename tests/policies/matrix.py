"""The decision matrix: persona x request x expected decision, over the example app's IAM.

Every row names the path it covers (``path``): the isolation paths of docs/security.md, the
admin's job, owners and members reaching their spaces and data, and user access. The personas:

- ``admin``: a session of the example's ``DomainAdminRole`` (identity policy + boundary);
- ``admin+AA``: the same role after someone attached ``AdministratorAccess`` (the boundary caps it);
- ``granted+AA``: ``grant_admin`` as it really is: a role of a test-only stack given
  ``grant_admin`` on the example's domain (imported), with ``AdministratorAccess`` and no boundary;
- ``alice``, ``bob``, ``nobody``: Studio sessions of the execution role (``nobody`` has no
  profile and no source identity);
- ``access:alice``, ``access:none``: people's sessions of the user-access role, tagged or not;
- ``scp:admin``, ``scp:other``, ``scp:deployer``: principals with ``AdministratorAccess`` under
  the optional SCPs alone;
- the principals of :mod:`tests.policies.shape_rows` (the admin without settings writes, people's
  own roles for the user-access role's trust, the second steps of chains).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal, simulation
from tests.policies.example_iam import CDK_DEPLOY_ROLE, ExampleIam
from tests.policies.shape_rows import Chain, chains, extra_principals, shape_rows

ALLOW = "Allow"
DENY = "Deny"
OWNER_TAG = "aws:ResourceTag/studio:space-owner"
"""The tag the library writes on every private space, naming its owner: what StartSession is scoped by."""
ADMINS = ("admin", "admin+AA", "granted+AA")
CANVAS_ROLES: dict[str, str] = {
    "canvas-forecast": "forecast.amazonaws.com",
    "canvas-bedrock": "bedrock.amazonaws.com",
    "canvas-emr-serverless": "emr-serverless.amazonaws.com",
}
"""The roles the example's Canvas settings make, by persona, and the one service each is passed to."""
CANVAS_WORKSPACE = f"arn:{PARTITION}:s3:::ml-research-canvas"
"""The example's Canvas workspace bucket (studio.yaml ``domain.canvas.workspace_s3_uri``)."""

Context = dict[str, str | list[str]]


@dataclass(frozen=True)
class Row:
    path: str
    """What the row proves (an isolation path, the admin's job, ...)."""
    persona: str
    action: str
    resource: str
    expected: str
    context: Context = field(default_factory=dict)
    resource_policy: dict[str, Any] | None = field(default=None, compare=False)
    """The resource's own policy, evaluated with the principal's: a role's trust policy for
    ``sts:AssumeRole``, ``sts:TagSession`` and ``sts:SetSourceIdentity``."""

    def describe(self) -> str:
        context = f" {self.context}" if self.context else ""
        return f"[{self.path}] {self.persona}: {self.action} on {self.resource}{context}"


@dataclass(frozen=True)
class Mismatch:
    row: Row
    actual: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.row.describe()}: expected {self.row.expected}, got {self.actual} {self.detail}".rstrip()


def principals(example: ExampleIam) -> dict[str, Principal]:
    """Every persona of the matrix, by name."""
    return {
        "admin": example.admin(),
        "admin+AA": example.admin_with_administrator_access(),
        "granted+AA": example.granted(),
        "alice": example.execution("alice"),
        "bob": example.execution("bob"),
        "nobody": example.execution(None),
        "access:alice": example.user_access("alice"),
        "access:none": example.user_access(None),
        "cleanup": example.cleanup(),
        "scp:admin": example.scp_admin(),
        "scp:other": example.scp_other(),
        "scp:deployer": example.scp_other(CDK_DEPLOY_ROLE),
        **{persona: example.service_role(persona) for persona in CANVAS_ROLES},
        **extra_principals(example),
    }


def run(evaluator: IamEvaluator, people: dict[str, Principal], rows: list[Row]) -> list[Mismatch]:
    """Evaluate every row in one batch; the rows whose decision differs from the expected one."""
    results = evaluator.simulate(
        [simulation(people[r.persona], r.action, r.resource, r.context, r.resource_policy) for r in rows]
    )
    mismatches = []
    for row, result in zip(rows, results, strict=True):
        if result["result"] == "error":
            mismatches.append(Mismatch(row, "error", str(result.get("errors"))))
            continue
        actual = ALLOW if result["result"] == "Allowed" else DENY
        if actual != row.expected:
            mismatches.append(Mismatch(row, f"{actual} ({result['result']})"))
    return mismatches


def run_chains(evaluator: IamEvaluator, people: dict[str, Principal], found: list[Chain]) -> list[Mismatch]:
    """Evaluate every chain's first steps in one batch, then the second steps of those whose first
    steps were all allowed in another; a chain is allowed only when every step is."""
    firsts = [r for c in found for r in c.first]
    first_results = evaluator.simulate(
        [simulation(people[r.persona], r.action, r.resource, r.context, r.resource_policy) for r in firsts]
    )
    allowed = iter([result["result"] == "Allowed" for result in first_results])
    passed = [all(next(allowed) for _ in c.first) for c in found]
    seconds = [c.then for c, ok in zip(found, passed, strict=True) if ok]
    second_results = iter(
        evaluator.simulate([simulation(people[r.persona], r.action, r.resource, r.context, r.resource_policy) for r in seconds])
    )
    mismatches = []
    for chain, ok in zip(found, passed, strict=True):
        actual = ALLOW if ok and next(second_results)["result"] == "Allowed" else DENY
        if actual != chain.expected:
            steps = " then ".join(r.describe() for r in (*chain.first, chain.then))
            mismatches.append(Mismatch(Row(chain.path, chain.first[0].persona, "chain", steps, chain.expected), actual))
    return mismatches


def all_chains(example: ExampleIam) -> list[Chain]:
    """The matrix's two-step chains."""
    return chains(example, Row)


def rows(example: ExampleIam) -> list[Row]:
    """The example app's decision matrix."""
    e = example
    found: list[Row] = []

    def admins(path: str, action: str, resource: str, context: Context | None = None, **expected: str) -> None:
        """One row per admin persona; every one is expected to be denied unless ``expected`` says
        otherwise (keys ``admin``, ``admin_aa``, ``granted_aa``, or ``all``)."""
        default = expected.get("all", DENY)
        for persona, key in zip(ADMINS, ("admin", "admin_aa", "granted_aa"), strict=True):
            found.append(Row(path, persona, action, resource, expected.get(key, default), context or {}))

    def row(path: str, persona: str, action: str, resource: str, expected: str, context: Context | None = None) -> None:
        found.append(Row(path, persona, action, resource, expected, context or {}))

    private = {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": e.profile("alice")}
    bobs = {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": e.profile("bob")}
    shared: Context = {"sagemaker:SpaceSharingType": "Shared"}
    unapproved_config = e.sagemaker("studio-lifecycle-config/admin-backdoor")
    unapproved_image = e.sagemaker("image/admin-image")
    approved_version = e.approved_images[0].replace(":image/", ":image-version/") + "/7"
    user_role = e.roles["user-access"].arn
    admin_role = e.roles["domain-admin"].arn
    boundary = e.roles["domain-admin"].boundary_arn or ""
    new_role = f"arn:{PARTITION}:iam::{ACCOUNT}:role/new-role"

    # -- 1. signing in as another user: CreatePresignedDomainUrl carries no SpaceSharingType ----
    admins("sign-in-as-user", "sagemaker:CreatePresignedDomainUrl", e.profile("alice"))
    admins("sign-in-as-user", "sagemaker:CreatePresignedDomainUrl", e.profile("alice"), {"sagemaker:SpaceSharingType": "Private"})
    admins("sign-in-as-user", "sagemaker:CreatePresignedDomainUrl", e.profile("someone-new"))
    # -- 2. remote access into a space: StartSession carries no SageMaker key --------------------
    admins("remote-access", "sagemaker:StartSession", e.space("alice-lab"))
    admins("remote-access", "sagemaker:StartSession", e.space("alice-made-in-studio"))
    admins("remote-access", "sagemaker:StartSession", e.space("alice-lab"), {OWNER_TAG: "alice"})
    # -- 3. apps in private spaces, including user-made ones without any key of ours ------------
    admins("create-app-private", "sagemaker:CreateApp", e.app("alice-lab"), private)
    admins("create-app-private", "sagemaker:CreateApp", e.app("alice-made-in-studio"))
    admins(
        "create-app-private", "sagemaker:CreateApp", e.app("alice-lab", "CodeEditor"), {"sagemaker:SpaceSharingType": "Private"}
    )
    admins("create-app-shared", "sagemaker:CreateApp", e.app("team"), shared, granted_aa=ALLOW)
    # -- 4. changing, deleting or creating private spaces -----------------------------------------
    admins("update-space-private", "sagemaker:UpdateSpace", e.space("alice-lab"), private)
    admins("update-space-private", "sagemaker:UpdateSpace", e.space("alice-made-in-studio"))
    admins("update-space-private", "sagemaker:DeleteSpace", e.space("bob-lab"), bobs)
    admins("update-space-private", "sagemaker:DeleteSpace", e.space("bob-made-in-studio"))
    admins("update-space-private", "sagemaker:CreateSpace", e.space("alice-second"), private)
    # -- 5. new code for spaces: lifecycle configs, images, new versions, pushes -----------------
    admins("new-code", "sagemaker:CreateStudioLifecycleConfig", unapproved_config)
    admins("new-code", "sagemaker:CreateImage", unapproved_image)
    admins("new-code", "sagemaker:CreateImageVersion", e.sagemaker("image/team-image"))
    admins("new-code", "sagemaker:UpdateImage", e.sagemaker("image/team-image"))
    admins("new-code", "sagemaker:CreateAppImageConfig", e.sagemaker("app-image-config/admin-config"))
    admins("new-code", "sagemaker:UpdateAppImageConfig", e.sagemaker("app-image-config/team-config"))
    for action in ("ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:CompleteLayerUpload", "ecr:SetRepositoryPolicy"):
        admins("new-code", action, f"arn:{PARTITION}:ecr:{REGION}:{ACCOUNT}:repository/team-image")
    # -- 6. attaching anything outside the approved set -------------------------------------------
    lcc = "sagemaker:StudioLifecycleConfigArns"
    admins("attach-unapproved", "sagemaker:UpdateDomain", e.domain, {lcc: [unapproved_config]})
    admins("attach-unapproved", "sagemaker:UpdateDomain", e.domain, {lcc: [*e.approved_lifecycle_configs, unapproved_config]})
    admins("attach-unapproved", "sagemaker:UpdateUserProfile", e.profile("alice"), {lcc: [unapproved_config]})
    admins("attach-unapproved", "sagemaker:CreateUserProfile", e.profile("dave"), {lcc: [unapproved_config]})
    admins("attach-unapproved", "sagemaker:UpdateSpace", e.space("team"), {**shared, lcc: [unapproved_config]})
    admins("attach-unapproved", "sagemaker:CreateSpace", e.space("team-2"), {**shared, lcc: [unapproved_config]})
    admins("attach-unapproved", "sagemaker:CreateApp", e.app("team"), {**shared, lcc: [unapproved_config]})
    admins("attach-unapproved", "sagemaker:UpdateDomain", e.domain, {"sagemaker:ImageArns": [unapproved_image]})
    admins("attach-unapproved", "sagemaker:UpdateUserProfile", e.profile("bob"), {"sagemaker:ImageArns": [unapproved_image]})
    admins("attach-unapproved", "sagemaker:UpdateSpace", e.space("team"), {**shared, "sagemaker:ImageArns": [unapproved_image]})
    admins(
        "attach-unapproved",
        "sagemaker:UpdateUserProfile",
        e.profile("bob"),
        {"sagemaker:ImageVersionArns": [unapproved_image.replace(":image/", ":image-version/") + "/1"]},
    )
    # grant_admin's principal administers an imported domain, for which the app approves nothing
    approved = {"all": ALLOW, "granted_aa": DENY}
    admins("attach-approved", "sagemaker:UpdateDomain", e.domain, {lcc: e.approved_lifecycle_configs}, **approved)
    admins(
        "attach-approved", "sagemaker:UpdateUserProfile", e.profile("bob"), {"sagemaker:ImageArns": e.approved_images}, **approved
    )
    admins("attach-approved", "sagemaker:UpdateDomain", e.domain, {"sagemaker:ImageVersionArns": [approved_version]}, **approved)
    # -- 7. passing roles --------------------------------------------------------------------------
    for service in ("sagemaker.amazonaws.com", "lambda.amazonaws.com"):
        admins("pass-role", "iam:PassRole", e.roles["execution"].arn, {"iam:PassedToService": service})
    # -- 8. forging the principal tag user access relies on; other people's credentials ----------
    tag_user_profile: Context = {"aws:TagKeys": ["studio:user-profile"], "aws:RequestTag/studio:user-profile": "alice"}
    admins("forge-identity", "iam:TagRole", admin_role, tag_user_profile)
    admins("forge-identity", "iam:TagRole", user_role, tag_user_profile)
    admins("forge-identity", "iam:TagUser", f"arn:{PARTITION}:iam::{ACCOUNT}:user/alice", tag_user_profile)
    admins("forge-identity", "sts:TagSession", user_role, tag_user_profile)
    admins("forge-identity", "iam:CreateAccessKey", f"arn:{PARTITION}:iam::{ACCOUNT}:user/alice")
    admins("forge-identity", "iam:CreateLoginProfile", f"arn:{PARTITION}:iam::{ACCOUNT}:user/alice")
    admins("assume-role", "sts:AssumeRole", user_role)
    admins("assume-role", "sts:AssumeRole", CDK_DEPLOY_ROLE)
    admins("assume-role", "sts:AssumeRole", e.roles["execution"].arn)
    # -- 9. opening the domain's security groups, or attaching others -----------------------------
    group = f"arn:{PARTITION}:ec2:{REGION}:{ACCOUNT}:security-group/{e.security_group_id}"
    admins("security-groups", "ec2:AuthorizeSecurityGroupIngress", group)
    admins("security-groups", "ec2:ModifySecurityGroupRules", group)
    admins("security-groups", "sagemaker:UpdateDomain", e.domain, {"sagemaker:VpcSecurityGroupIds": ["sg-0123456789abcdef0"]})
    admins(
        "security-groups",
        "sagemaker:UpdateUserProfile",
        e.profile("alice"),
        {"sagemaker:VpcSecurityGroupIds": ["sg-0123456789abcdef0"]},
    )
    # -- 10. EFS: shared spaces may be created and changed by the admin (docs: EFS is not admin-proof);
    #        the admin role itself cannot mount or read file systems or bucket data
    admins("efs-not-admin-proof", "sagemaker:CreateSpace", e.space("team-2"), shared, all=ALLOW)
    admins("efs-not-admin-proof", "sagemaker:UpdateSpace", e.space("team"), shared, all=ALLOW)
    file_system = f"arn:{PARTITION}:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/fs-0123456789abcdef0"
    admins("efs-not-admin-proof", "elasticfilesystem:ClientMount", file_system, granted_aa=ALLOW)
    admins("user-data", "s3:GetObject", e.object("users/alice/notes.txt"))
    # -- 11. editing itself --------------------------------------------------------------------------
    for action in (
        "iam:PutRolePermissionsBoundary",
        "iam:DeleteRolePermissionsBoundary",
        "iam:PutRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:AttachRolePolicy",
        "iam:DetachRolePolicy",
        "iam:UpdateAssumeRolePolicy",
    ):
        admins("self-edit", action, admin_role)
    admins("self-edit", "iam:DeleteRolePermissionsBoundary", new_role)
    for action in ("iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy"):
        admins("self-edit", action, boundary)
    admins("self-edit", "iam:CreateRole", new_role)
    admins("self-edit", "iam:CreateUser", f"arn:{PARTITION}:iam::{ACCOUNT}:user/new-user")
    # not even a role with the admin's own boundary (the boundary denies every IAM action;
    # grant_admin's principal, with no boundary of its own, may make no role at all)
    admins("self-edit", "iam:CreateRole", new_role, {"iam:PermissionsBoundary": boundary})
    # -- 12. the admin still administers -----------------------------------------------------------
    for action, resource, context in (
        ("sagemaker:DescribeDomain", e.domain, {}),
        ("sagemaker:ListUserProfiles", "*", {}),
        ("sagemaker:ListSpaces", "*", {}),
        ("sagemaker:DescribeSpace", e.space("alice-lab"), {}),
        ("sagemaker:DescribeUserProfile", e.profile("alice"), {}),
        ("sagemaker:DescribeStudioLifecycleConfig", e.approved_lifecycle_configs[0], {}),
        ("sagemaker:UpdateDomain", e.domain, {}),
        ("sagemaker:CreateUserProfile", e.profile("dave"), {}),
        ("sagemaker:UpdateUserProfile", e.profile("bob"), {"sagemaker:InstanceTypes": ["ml.t3.large"]}),
        ("sagemaker:DeleteUserProfile", e.profile("carol"), {}),
        ("sagemaker:DeleteSpace", e.space("team"), shared),
        ("sagemaker:DeleteApp", e.app("team"), shared),
        ("sagemaker:DeleteApp", e.app("alice-lab"), private),
        ("sagemaker:AddTags", e.profile("dave"), {"sagemaker:TaggingAction": "CreateUserProfile"}),
    ):
        admins("admin-job", action, resource, context, all=ALLOW)
    other_domain = e.sagemaker("domain/d-otherdomain01")
    admins("admin-job-scoped", "sagemaker:UpdateDomain", other_domain, granted_aa=ALLOW)
    admins("admin-job-scoped", "sagemaker:AddTags", e.space("alice-lab"), granted_aa=ALLOW)

    # -- owners reach their own spaces and data; nobody else's -------------------------------------
    for who, own, other, other_space in (("alice", private, bobs, "bob-lab"), ("bob", bobs, private, "alice-lab")):
        own_space = f"{who}-lab"
        row("owner", who, "sagemaker:CreateApp", e.app(own_space), ALLOW, own)
        row("owner", who, "sagemaker:DeleteApp", e.app(own_space), ALLOW, own)
        row("owner", who, "sagemaker:UpdateSpace", e.space(own_space), ALLOW, own)
        row("owner", who, "sagemaker:CreateSpace", e.space(f"{who}-second"), ALLOW, own)
        row("owner", who, "sagemaker:CreatePresignedDomainUrl", e.profile(who), ALLOW)
        row("owner", who, "s3:GetObject", e.object(f"users/{who}/notes.txt"), ALLOW)
        row("owner", who, "s3:PutObject", e.object(f"users/{who}/model.pkl"), ALLOW)
        row("owner", who, "s3:ListBucket", e.user_data_bucket, ALLOW, {"s3:prefix": f"users/{who}/"})
        row("not-owner", who, "sagemaker:CreateApp", e.app(other_space), DENY, other)
        row("not-owner", who, "sagemaker:UpdateSpace", e.space(other_space), DENY, other)
        row("not-owner", who, "sagemaker:DeleteSpace", e.space(other_space), DENY, other)
        row("not-owner", who, "sagemaker:CreateSpace", e.space("planted"), DENY, other)
        row("not-owner", who, "sagemaker:CreateApp", e.app(other_space), DENY, {"sagemaker:SpaceSharingType": "Private"})
        row("not-owner", who, "sagemaker:UpdateSpace", e.space(other_space), DENY, {"sagemaker:SpaceSharingType": "Private"})
        row("not-owner", who, "sagemaker:CreatePresignedDomainUrl", e.profile("carol"), DENY)
        row("not-owner", who, "sagemaker:StartSession", e.space(other_space), DENY)
        row("not-owner", who, "s3:GetObject", e.object("users/carol/notes.txt"), DENY)
        row("not-owner", who, "s3:ListBucket", e.user_data_bucket, DENY, {"s3:prefix": "users/carol/"})
        row("not-owner", who, "s3:ListBucket", e.user_data_bucket, DENY, {"s3:prefix": ""})
        row("not-owner", who, "iam:PassRole", e.roles["execution"].arn, DENY)
    row("not-owner", "nobody", "s3:GetObject", e.object("users/alice/notes.txt"), DENY)
    row("not-owner", "nobody", "s3:GetObject", e.object("users/unknown/notes.txt"), DENY)
    # -- members reach shared spaces -----------------------------------------------------------------
    for who in ("alice", "bob"):
        row("member", who, "sagemaker:CreateApp", e.app("team"), ALLOW, shared)
        row("member", who, "sagemaker:DeleteApp", e.app("team"), ALLOW, shared)
        row("member", who, "sagemaker:UpdateSpace", e.space("team"), ALLOW, shared)
        row("member", who, "sagemaker:DescribeSpace", e.space("team"), ALLOW)

    # -- user access: one's own profile, nothing more --------------------------------------------------
    row("user-access", "access:alice", "sagemaker:CreatePresignedDomainUrl", e.profile("alice"), ALLOW)
    row("user-access", "access:alice", "sagemaker:CreatePresignedDomainUrl", e.profile("bob"), DENY)
    row("user-access", "access:alice", "sagemaker:CreatePresignedDomainUrl", e.profile("alice", "d-otherdomain01"), DENY)
    row("user-access", "access:none", "sagemaker:CreatePresignedDomainUrl", e.profile("alice"), DENY)
    for action, resource in (
        ("sagemaker:CreateApp", e.app("alice-lab")),
        ("sagemaker:StartSession", e.space("alice-lab")),
        ("sagemaker:DescribeDomain", e.domain),
        ("sagemaker:UpdateUserProfile", e.profile("alice")),
        ("s3:GetObject", e.object("users/alice/notes.txt")),
    ):
        row("user-access-nothing-more", "access:alice", action, resource, DENY)

    # -- remote access from a local IDE: only into one's own space, by its studio:space-owner tag -------
    row("remote-owner", "access:alice", "sagemaker:StartSession", e.space("alice-lab"), ALLOW, {OWNER_TAG: "alice"})
    row("remote-not-owner", "access:alice", "sagemaker:StartSession", e.space("bob-lab"), DENY, {OWNER_TAG: "bob"})
    row("remote-not-owner", "access:alice", "sagemaker:StartSession", e.space("alice-made-in-studio"), DENY)
    row("remote-not-owner", "access:alice", "sagemaker:StartSession", e.space("team"), DENY)
    row("remote-no-profile", "access:none", "sagemaker:StartSession", e.space("alice-lab"), DENY, {OWNER_TAG: "alice"})
    row("remote-no-profile", "access:none", "sagemaker:StartSession", e.space("alice-made-in-studio"), DENY)
    # nobody but the deploy role sets or removes the owner tag, in any letter case, on create or after
    for who in (*ADMINS, "alice", "bob", "access:alice"):
        for key in ("studio:space-owner", "Studio:Space-Owner"):
            claim: Context = {"aws:TagKeys": [key], f"aws:RequestTag/{key}": "alice"}
            row("space-owner-tag", who, "sagemaker:AddTags", e.space("bob-lab"), DENY, claim)
            row(
                "space-owner-tag",
                who,
                "sagemaker:AddTags",
                e.space("planted"),
                DENY,
                {**claim, "sagemaker:TaggingAction": "CreateSpace"},
            )
            row("space-owner-tag", who, "sagemaker:DeleteTags", e.space("alice-lab"), DENY, {"aws:TagKeys": [key]})

    # -- the domain cleanup: apps and undeclared profiles of this domain, nothing else ----------------
    row("cleanup", "cleanup", "sagemaker:DeleteApp", e.app("alice-lab"), ALLOW, private)
    row("cleanup", "cleanup", "sagemaker:DeleteUserProfile", e.profile("domain-shared"), ALLOW)
    row("cleanup", "cleanup", "sagemaker:ListApps", "*", ALLOW)
    for action, resource in (
        ("sagemaker:DeleteApp", e.sagemaker("app/d-otherdomain01/alice-lab/JupyterLab/default")),
        ("sagemaker:DeleteUserProfile", e.profile("alice", "d-otherdomain01")),
        ("sagemaker:DeleteSpace", e.space("alice-lab")),  # the example leaves delete_unmanaged_spaces off
        ("sagemaker:CreateApp", e.app("alice-lab")),
        ("sagemaker:CreatePresignedDomainUrl", e.profile("alice")),
        ("sagemaker:StartSession", e.space("alice-lab")),
        ("sagemaker:UpdateSpace", e.space("alice-lab")),
        ("sagemaker:UpdateDomain", e.domain),
        ("s3:GetObject", e.object("users/alice/notes.txt")),
        # the example keeps home_efs_retention at Retain: no domain or home EFS delete at all
        ("sagemaker:DeleteDomain", e.domain),
        ("elasticfilesystem:DeleteFileSystem", e.sagemaker("file-system/fs-01234567").replace("sagemaker", "elasticfilesystem")),
    ):
        row("cleanup-nothing-more", "cleanup", action, resource, DENY)

    # -- the optional SCP, alone, on principals with AdministratorAccess ----------------------------
    for action, resource, context in (
        ("sagemaker:CreatePresignedDomainUrl", e.profile("alice"), {}),
        ("sagemaker:StartSession", e.space("alice-lab"), {}),
        ("sagemaker:CreateApp", e.app("alice-lab"), private),
        ("sagemaker:UpdateSpace", e.space("alice-made-in-studio"), {}),
        ("sagemaker:CreateStudioLifecycleConfig", unapproved_config, {}),
        ("sagemaker:CreateImageVersion", e.sagemaker("image/team-image"), {}),
        ("ecr:PutImage", f"arn:{PARTITION}:ecr:{REGION}:{ACCOUNT}:repository/team-image", {}),
        ("iam:PassRole", e.roles["execution"].arn, {}),
        ("iam:TagRole", user_role, tag_user_profile),
        ("sts:AssumeRole", CDK_DEPLOY_ROLE, {}),
        ("iam:PutRolePolicy", admin_role, {}),
        ("iam:CreateRole", new_role, {}),
    ):
        row("scp", "scp:admin", action, resource, DENY, context)
    row("scp", "scp:admin", "sagemaker:UpdateDomain", e.domain, ALLOW)
    row("scp", "scp:admin", "sagemaker:CreateApp", e.app("team"), ALLOW, shared)
    row("scp", "scp:other", "sagemaker:CreatePresignedDomainUrl", e.profile("alice"), ALLOW)
    persona_tag: Context = {"aws:TagKeys": ["studio:persona"], "aws:RequestTag/studio:persona": "domain-admin"}
    row("scp-tags", "scp:other", "iam:TagRole", new_role, DENY, persona_tag)
    row("scp-tags", "scp:other", "iam:UntagRole", admin_role, DENY, {"aws:TagKeys": ["studio:persona"]})
    row("scp-tags", "scp:other", "iam:TagUser", f"arn:{PARTITION}:iam::{ACCOUNT}:user/mallory", DENY, tag_user_profile)
    row("scp-tags", "scp:other", "iam:CreateRole", new_role, DENY, tag_user_profile)
    row("scp-tags", "scp:other", "iam:TagRole", new_role, ALLOW, {"aws:TagKeys": ["team"], "aws:RequestTag/team": "ml"})
    row("scp-tags", "scp:deployer", "iam:TagRole", new_role, ALLOW, persona_tag)
    owner_claim: Context = {"aws:TagKeys": ["Studio:Space-Owner"], "aws:RequestTag/Studio:Space-Owner": "mallory"}
    for who in ("scp:admin", "scp:other"):
        row("scp-space-owner-tag", who, "sagemaker:AddTags", e.space("alice-lab"), DENY, owner_claim)
        row(
            "scp-space-owner-tag",
            who,
            "sagemaker:DeleteTags",
            e.space("alice-lab"),
            DENY,
            {"aws:TagKeys": ["studio:space-owner"]},
        )
    row("scp-space-owner-tag", "scp:other", "sagemaker:AddTags", e.space("team"), ALLOW, {"aws:TagKeys": ["project"]})
    row("scp-space-owner-tag", "scp:deployer", "sagemaker:AddTags", e.space("alice-lab"), ALLOW, owner_claim)
    # -- Canvas's service roles: the workspace path only; passed by the execution role to their service only
    workspace_object = f"{CANVAS_WORKSPACE}/workspace/flows/sales.flow"
    for persona, service in CANVAS_ROLES.items():
        canvas_role = e.roles[persona].arn
        for action in ("s3:GetObject", "s3:PutObject"):
            row("canvas-role", persona, action, workspace_object, ALLOW)
        row("canvas-role", persona, "s3:ListBucket", CANVAS_WORKSPACE, ALLOW, {"s3:prefix": "workspace/flows/"})
        for action, resource in (
            ("s3:GetObject", f"{CANVAS_WORKSPACE}/elsewhere/data.csv"),
            ("s3:ListBucket", CANVAS_WORKSPACE),
            ("s3:GetObject", e.object("users/alice/notes.txt")),
            ("sagemaker:CreateApp", e.app("alice-lab")),
            ("iam:PassRole", e.roles["execution"].arn),
            ("sts:AssumeRole", e.roles["execution"].arn),
        ):
            row("canvas-role-nothing-more", persona, action, resource, DENY)
        row("canvas-pass-role", "alice", "iam:PassRole", canvas_role, ALLOW, {"iam:PassedToService": service})
        row("canvas-pass-role", "alice", "iam:PassRole", canvas_role, DENY, {"iam:PassedToService": "sagemaker.amazonaws.com"})
        admins("pass-role", "iam:PassRole", canvas_role, {"iam:PassedToService": service})
    row("canvas-workspace", "alice", "s3:GetObject", workspace_object, ALLOW)
    row("canvas-workspace", "alice", "s3:GetObject", f"{CANVAS_WORKSPACE}/elsewhere/data.csv", DENY)
    found += shape_rows(e, Row)
    return found


ADMIN_PATHS = (
    "sign-in-as-user",
    "remote-access",
    "space-owner-tag",
    "create-app-private",
    "update-space-private",
    "new-code",
    "attach-unapproved",
    "pass-role",
    "forge-identity",
    "assume-role",
    "security-groups",
    "efs-not-admin-proof",
    "self-edit",
)
"""Every path into a private space the issue and docs/security.md list, each covered by rows."""


def weaken(principal: Principal, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Principal:
    """``principal`` with ``change`` applied to every statement of its identity policies and boundary
    (``None`` drops the statement)."""

    def apply(document: dict[str, Any] | None) -> dict[str, Any] | None:
        if document is None:
            return None
        statements = [change(dict(s)) for s in document["Statement"]]
        return {**document, "Statement": [s for s in statements if s is not None]}

    return Principal(
        name=principal.name,
        arn=principal.arn,
        identity_policies=[p for p in (apply(d) for d in principal.identity_policies) if p is not None],
        boundary=apply(principal.boundary),
        context=principal.context,
        variables=principal.variables,
        scps=principal.scps,
    )
