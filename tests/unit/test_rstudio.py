"""RStudio on SageMaker: domain settings, its execution role, per-user access and group, RSession
images, the network rules AWS sets, and what the named-replacement check says about create-only
RStudio values."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from sagemaker_studio_cdk import (
    AppNetworkAccess,
    AppSecurityGroupManagement,
    CustomImage,
    ImageAppType,
    RStudioAccess,
    RStudioSettings,
    RStudioUser,
    RStudioUserGroup,
    StudioConfigError,
    StudioDomain,
    StudioImage,
)
from sagemaker_studio_cdk.replacement import WOULD_FAIL, compare_assemblies, templates_of
from tests.support import new_stack, template_of

PERSONA_FILTER = {"Properties": {"Tags": [{"Key": "studio:persona", "Value": "rstudio-domain"}]}}
DIGEST = "sha256:" + "cd" * 32
ADMIN = RStudioUser(group=RStudioUserGroup.ADMIN)
SERVER_IMAGE = "arn:aws:sagemaker:us-east-1:081325390199:image/rstudio-workbench-2025.05"


def _build(
    *,
    server_instance_type: str = "ml.t3.medium",
    alice: RStudioUser | None = None,
    bob: RStudioUser | None = ADMIN,
) -> tuple[Any, StudioDomain, CustomImage]:
    stack, vpc = new_stack()
    session_image = CustomImage(
        stack,
        "RImage",
        repository=ecr.Repository.from_repository_name(stack, "Repo", "r-images"),
        tag_or_digest=DIGEST,
        image_name="team-r",
        app_type=ImageAppType.R_SESSION,
    )
    domain = StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="research",
        rstudio=RStudioSettings(
            connect_url="https://connect.example.com",
            package_manager_url="https://packages.example.com/cran/latest",
            server_instance_type=server_instance_type,
            server_image=StudioImage.from_image_arn(SERVER_IMAGE),
            session_instance_type="ml.m5.large",
            session_image=StudioImage.custom(session_image),
            session_custom_images=[session_image],
        ),
    )
    domain.add_user("alice", rstudio=alice)
    domain.add_user("bob", rstudio=bob)
    return stack, domain, session_image


@pytest.fixture(scope="module")
def built() -> tuple[Any, StudioDomain, CustomImage]:
    return _build()


@pytest.fixture(scope="module")
def template(built: tuple[Any, StudioDomain, CustomImage]) -> Template:
    return Template.from_stack(built[0])


def _domain(template: Template) -> dict[str, Any]:
    (resource,) = template.find_resources("AWS::SageMaker::Domain").values()
    props: dict[str, Any] = resource["Properties"]
    return props


def _profiles(template: Template) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["UserProfileName"]: r["Properties"]
        for r in template.find_resources("AWS::SageMaker::UserProfile").values()
    }


def test_domain_rstudio_settings(template: Template) -> None:
    props = _domain(template)
    server = props["DomainSettings"]["RStudioServerProDomainSettings"]
    assert server["RStudioConnectUrl"] == "https://connect.example.com"
    assert server["RStudioPackageManagerUrl"] == "https://packages.example.com/cran/latest"
    assert server["DefaultResourceSpec"] == {"InstanceType": "ml.t3.medium", "SageMakerImageArn": SERVER_IMAGE}
    assert "DomainExecutionRoleArn" in server
    defaults = props["DefaultUserSettings"]
    assert defaults["RStudioServerProAppSettings"] == {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_USER"}
    session = defaults["RSessionAppSettings"]
    assert session["DefaultResourceSpec"]["InstanceType"] == "ml.m5.large"
    assert session["CustomImages"] == [{"ImageName": "team-r", "AppImageConfigName": "team-r"}]


def test_rstudio_turns_on_home_efs_and_service_security_groups(template: Template) -> None:
    props = _domain(template)
    assert props["HomeEfsFileSystemCreation"] == "Enabled"
    assert props["AppSecurityGroupManagement"] == "Service"
    assert props["DefaultUserSettings"]["AutoMountHomeEFS"] == "Disabled"  # Studio's private spaces still mount none


def test_user_group_only_where_asked(template: Template) -> None:
    profiles = _profiles(template)
    assert "RStudioServerProAppSettings" not in profiles["alice"].get("UserSettings", {})  # the domain's default
    assert profiles["bob"]["UserSettings"]["RStudioServerProAppSettings"] == {
        "AccessStatus": "ENABLED",
        "UserGroup": "R_STUDIO_ADMIN",
    }


def test_domain_role_is_least_privilege(template: Template) -> None:
    roles = template.find_resources("AWS::IAM::Role", PERSONA_FILTER)
    ((role_id, role),) = roles.items()
    inline = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    actions = {a for s in inline for a in s["Action"]}
    assert "license-manager:CheckoutLicense" in actions
    assert not any(a.startswith("sagemaker:") or a.endswith("*") for a in actions)
    (policy,) = [
        p for p in template.find_resources("AWS::IAM::Policy").values() if p["Properties"]["Roles"] == [{"Ref": role_id}]
    ]
    statements = policy["Properties"]["PolicyDocument"]["Statement"]
    assert {s["Sid"]: (s["Effect"], s["Action"]) for s in statements} == {
        "RStudioServerApp": ("Allow", "sagemaker:CreateApp"),
        "RStudioServerAppTags": ("Allow", "sagemaker:AddTags"),
        "RStudioServerAppInNoSpace": ("Deny", "sagemaker:CreateApp"),
    }
    for statement in (s for s in statements if s["Effect"] == "Allow"):
        ends = sorted(r["Fn::Join"][1][-1] for r in statement["Resource"])
        assert ends == ["/domain-shared/RStudioServerPro/*", "/domain-shared/rstudioserverpro/*"]
        assert all("DomainId" in r["Fn::Join"][1][-2]["Fn::GetAtt"] for r in statement["Resource"])  # this domain only


def test_session_images_join_the_approved_set(built: tuple[Any, StudioDomain, CustomImage]) -> None:
    stack, domain, image = built
    resolved = {str(stack.resolve(a)) for a in domain.approved_image_arns}
    assert str(stack.resolve(image.image_arn)) in resolved
    assert SERVER_IMAGE in resolved


def test_rsession_image_config_has_no_app_config(template: Template) -> None:
    (config,) = template.find_resources("AWS::SageMaker::AppImageConfig").values()
    assert set(config["Properties"]) <= {"AppImageConfigName", "Tags"}


def test_given_role_is_used_as_is() -> None:
    stack, vpc = new_stack()
    role = iam.Role.from_role_arn(stack, "Given", "arn:aws:iam::111111111111:role/rstudio")
    StudioDomain(stack, "Domain", vpc=vpc, domain_name="r", rstudio=RStudioSettings(domain_execution_role=role))
    template = Template.from_stack(stack)
    server = _domain(template)["DomainSettings"]["RStudioServerProDomainSettings"]
    assert server == {"DomainExecutionRoleArn": "arn:aws:iam::111111111111:role/rstudio"}
    assert not template.find_resources("AWS::IAM::Role", PERSONA_FILTER)


def test_without_rstudio_home_efs_stays_off() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(
        stack, "Domain", vpc=vpc, domain_name="r", app_security_group_management=AppSecurityGroupManagement.CUSTOMER
    )
    props = _domain(Template.from_stack(stack))
    assert props["HomeEfsFileSystemCreation"] == "Disabled"
    assert props["AppSecurityGroupManagement"] == "Customer"
    assert "RStudioServerProDomainSettings" not in props["DomainSettings"]
    with pytest.raises(StudioConfigError, match=r"user_profiles\[carol\]\.rstudio.*no RStudio"):
        domain.add_user("carol", rstudio=RStudioUser())


@pytest.mark.parametrize(
    ("settings", "field", "network", "management"),
    [
        (RStudioSettings(connect_url="http://connect.example.com"), "rstudio.connect_url", None, None),
        (RStudioSettings(package_manager_url="www.example.com"), "rstudio.package_manager_url", None, None),
        (RStudioSettings(connect_url="https://has space.example.com"), "rstudio.connect_url", None, None),
        (RStudioSettings(server_instance_type="ml.t3.huge"), "rstudio.server_instance_type", None, None),
        (RStudioSettings(session_instance_type="m5.large"), "rstudio.session_instance_type", None, None),
        (RStudioSettings(default_user_group="R_STUDIO_ADMIN"), "rstudio.default_user_group", None, None),  # type: ignore[arg-type]
        (RStudioSettings(server_image=StudioImage.sagemaker_distribution()), "rstudio.server_image", None, None),
        (RStudioSettings(), "app_security_group_management", None, AppSecurityGroupManagement.CUSTOMER),
    ],
)
def test_bad_rstudio_settings(
    settings: RStudioSettings, field: str, network: AppNetworkAccess | None, management: AppSecurityGroupManagement | None
) -> None:
    stack, vpc = new_stack()
    with pytest.raises(StudioConfigError) as raised:
        StudioDomain(
            stack,
            "Domain",
            vpc=vpc,
            domain_name="r",
            rstudio=settings,
            app_network_access=network or AppNetworkAccess.VPC_ONLY,
            app_security_group_management=management,
        )
    assert raised.value.field.startswith(field)


def test_public_internet_domain_keeps_given_management() -> None:
    stack, vpc = new_stack()
    StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="r",
        rstudio=RStudioSettings(),
        app_network_access=AppNetworkAccess.PUBLIC_INTERNET_ONLY,
    )
    assert "AppSecurityGroupManagement" not in _domain(Template.from_stack(stack))


def test_session_images_must_be_rsession_and_listed() -> None:
    stack, vpc = new_stack()
    repo = ecr.Repository.from_repository_name(stack, "Repo", "r-images")
    jupyter = CustomImage(stack, "Lab", repository=repo, tag_or_digest=DIGEST, image_name="lab")
    r_image = CustomImage(stack, "R", repository=repo, tag_or_digest=DIGEST, image_name="r", app_type=ImageAppType.R_SESSION)
    with pytest.raises(StudioConfigError, match=r"rstudio\.session_custom_images\[0\].*R_SESSION"):
        StudioDomain(stack, "D1", vpc=vpc, domain_name="r1", rstudio=RStudioSettings(session_custom_images=[jupyter]))
    with pytest.raises(StudioConfigError, match=r"rstudio\.session_image.*session_custom_images"):
        StudioDomain(stack, "D2", vpc=vpc, domain_name="r2", rstudio=RStudioSettings(session_image=StudioImage.custom(r_image)))
    with pytest.raises(StudioConfigError, match=r"custom_images\[0\].*RSession images go to"):
        StudioDomain(stack, "D3", vpc=vpc, domain_name="r3", custom_images=[r_image])
    with pytest.raises(StudioConfigError, match=r"entrypoint.*no app config"):
        CustomImage(
            stack,
            "Bad",
            repository=repo,
            tag_or_digest=DIGEST,
            image_name="bad",
            app_type=ImageAppType.R_SESSION,
            entrypoint=["r"],
        )


def test_bad_user_setting() -> None:
    stack, domain, _ = _build()
    with pytest.raises(StudioConfigError, match=r"user_profiles\[carol\]\.rstudio\.group"):
        domain.add_user("carol", rstudio=RStudioUser(group="R_STUDIO_ADMIN"))  # type: ignore[arg-type]


def test_create_only_changes_would_fail(built: tuple[Any, StudioDomain, CustomImage]) -> None:
    """The server's resource spec and a user's access and group are create-only (CloudFormation's
    schema); on a named domain or profile the replacement check says the update would fail."""
    old = templates_of(built[0].node.root)
    changed, _, _ = _build(
        server_instance_type="ml.t3.large",
        alice=RStudioUser(access=RStudioAccess.DISABLED),
        bob=RStudioUser(group=RStudioUserGroup.USER),
    )
    changes = {c.path.rsplit("/", 2)[-2]: c for c in compare_assemblies(old, templates_of(changed.node.root)) if c.verdict}
    assert changes["Domain"].verdict == WOULD_FAIL
    assert any("RStudioServerProDomainSettings/DefaultResourceSpec" in r for r in changes["Domain"].reasons)
    assert changes["alice"].verdict == WOULD_FAIL
    assert any("RStudioServerProAppSettings/AccessStatus" in r for r in changes["alice"].reasons)
    assert changes["bob"].verdict == WOULD_FAIL
    assert any("RStudioServerProAppSettings/UserGroup" in r for r in changes["bob"].reasons)


SPEC: dict[str, Any] = {
    "domain": {
        "name": "research",
        "rstudio": {
            "connect_url": "https://connect.example.com",
            "session_custom_images": ["team-r"],
            "session_image": "team-r",
        },
    },
    "custom_images": [{"name": "team-r", "repository": "r-images", "tag_or_digest": DIGEST, "app_type": "RSessionGateway"}],
    "users": [{"name": "alice", "rstudio": {"group": "R_STUDIO_ADMIN"}}, {"name": "bob"}],
}


def test_spec_declares_rstudio() -> None:
    from sagemaker_studio_cdk import parse_spec
    from sagemaker_studio_cdk.stacks import ExistingVpc, StudioDomainStack
    from tests.support import ENV, new_app

    vpc = ExistingVpc(
        "vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")
    )
    stack = StudioDomainStack(new_app(), "Studio", spec=parse_spec(SPEC), vpc=vpc, env=ENV)
    domain = stack.domain.resource
    resolved = stack.resolve(domain.domain_settings)
    assert resolved["rStudioServerProDomainSettings"]["rStudioConnectUrl"] == "https://connect.example.com"
    user = stack.users["alice"]
    assert user.rstudio == RStudioUser(group=RStudioUserGroup.ADMIN)
    assert stack.users["bob"].rstudio is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"connect_url": "ftp://x"}, "domain.rstudio.connect_url"),
        ({"server_instance_type": "ml.nope"}, "domain.rstudio.server_instance_type"),
        ({"default_user_group": "ROOT"}, "domain.rstudio.default_user_group"),
    ],
)
def test_spec_refuses_bad_rstudio(change: dict[str, str], field: str) -> None:
    from sagemaker_studio_cdk import parse_spec

    raw = {"domain": {"name": "research", "rstudio": change}}
    with pytest.raises(StudioConfigError) as raised:
        parse_spec(raw)
    assert field in str(raised.value)


def test_synth_warns_before_a_create_only_rstudio_change(built: tuple[Any, StudioDomain, CustomImage]) -> None:
    from aws_cdk import Aspects
    from aws_cdk.assertions import Annotations, Match

    from sagemaker_studio_cdk.replacement import WARNING_ID, Baseline, NamedReplacementCheck

    baseline = Baseline.from_assembly(built[0].node.root.synth().directory)
    assert baseline is not None
    changed, _, _ = _build(bob=RStudioUser(group=RStudioUserGroup.USER))
    Aspects.of(changed).add(NamedReplacementCheck(baseline))
    found = Annotations.from_stack(changed).find_warning("*", Match.string_like_regexp(".*"))
    messages = [str(m.entry.data) for m in found if WARNING_ID in str(m.entry.data)]
    assert len(messages) == 1 and "UserGroup" in messages[0] and "bob" in messages[0], messages


def _domain_templates(*, rstudio: bool, network: AppNetworkAccess) -> Any:
    stack, vpc = new_stack()
    StudioDomain(
        stack, "Domain", vpc=vpc, domain_name="r", rstudio=RStudioSettings() if rstudio else None, app_network_access=network
    )
    return templates_of(stack.node.root)


@pytest.mark.parametrize(
    ("before", "after", "reason"),
    [
        ((True, AppNetworkAccess.VPC_ONLY), (True, AppNetworkAccess.PUBLIC_INTERNET_ONLY), "AppNetworkAccessType"),
        ((False, AppNetworkAccess.VPC_ONLY), (True, AppNetworkAccess.PUBLIC_INTERNET_ONLY), "AppNetworkAccessType"),
        ((True, AppNetworkAccess.VPC_ONLY), (False, AppNetworkAccess.VPC_ONLY), "HomeEfsFileSystemCreation Enabled"),
    ],
)
def test_updates_the_api_refuses_would_fail(
    before: tuple[bool, AppNetworkAccess], after: tuple[bool, AppNetworkAccess], reason: str
) -> None:
    old = _domain_templates(rstudio=before[0], network=before[1])
    new = _domain_templates(rstudio=after[0], network=after[1])
    (change,) = [c for c in compare_assemblies(old, new) if c.resource_type == "AWS::SageMaker::Domain"]
    assert change.verdict == WOULD_FAIL and any(reason in r for r in change.reasons), change


def test_turning_rstudio_on_is_an_update() -> None:
    old = _domain_templates(rstudio=False, network=AppNetworkAccess.VPC_ONLY)
    new = _domain_templates(rstudio=True, network=AppNetworkAccess.VPC_ONLY)
    assert [c.verdict for c in compare_assemblies(old, new) if c.resource_type == "AWS::SageMaker::Domain"] == [None]


def test_create_only_changes_the_roster_records_are_applied_in_place(built: tuple[Any, StudioDomain, CustomImage]) -> None:
    """With the creation values recorded (what ``roster update`` writes from cdk.out), the same
    changes keep the creation values in the template and go to the settings resource: neither the
    replacement check nor the synth-time warning says "would fail"."""
    from aws_cdk import Aspects
    from aws_cdk.assertions import Annotations, Match

    from sagemaker_studio_cdk import DeployedSettings
    from sagemaker_studio_cdk.constructs.api_settings import RESOURCE_TYPE, creation_values
    from sagemaker_studio_cdk.replacement import WARNING_ID, Baseline, NamedReplacementCheck

    old_root = built[0].node.root
    baseline = Baseline.from_assembly(old_root.synth().directory)
    assert baseline is not None
    old = templates_of(old_root)
    changed, domain, _ = _build(server_instance_type="ml.t3.large", bob=RStudioUser(group=RStudioUserGroup.USER))
    domain.deployed_settings = DeployedSettings(creation_values=creation_values("Domain", built[1].resource))
    for name, profile in domain.user_profiles.items():
        recorded = creation_values("UserProfile", built[1].user_profiles[name].resource)
        profile.deployed_settings = DeployedSettings(creation_values=recorded)
    Aspects.of(changed).add(NamedReplacementCheck(baseline))
    template = template_of(changed)  # synthesized: the settings resources are made
    assert [c for c in compare_assemblies(old, templates_of(changed.node.root)) if c.verdict == WOULD_FAIL] == []
    found = Annotations.from_stack(changed).find_warning("*", Match.string_like_regexp(".*"))
    assert [str(m.entry.data) for m in found if WARNING_ID in str(m.entry.data)] == []

    assert _profiles(template)["bob"]["UserSettings"]["RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_ADMIN"
    server = _domain(template)["DomainSettings"]["RStudioServerProDomainSettings"]["DefaultResourceSpec"]
    assert server["InstanceType"] == "ml.t3.medium"
    blocks = {
        r["Properties"].get("UserProfileName", "domain"): r["Properties"]["Blocks"]
        for r in template.find_resources(RESOURCE_TYPE).values()
    }
    assert blocks["bob"]["UserSettings.RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_USER"
    assert "alice" not in blocks  # unchanged: no settings resource
    server_block = blocks["domain"]["DomainSettings.RStudioServerProDomainSettings"]
    assert server_block["DefaultResourceSpec"]["InstanceType"] == "ml.t3.large"
