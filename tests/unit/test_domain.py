"""StudioDomain: every prop reaches the template; bad input fails at synth with a clear message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import CfnOutput, CfnParameter, Stack, Token
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Match, Template

from sagemaker_studio_cdk import (
    AppDefaults,
    AppNetworkAccess,
    AuthMode,
    EbsStorage,
    IdleShutdown,
    PosixUser,
    StudioConfigError,
    StudioDomain,
    StudioImage,
    UserProfile,
)
from sagemaker_studio_cdk.constructs.domain import StudioDomainBase
from tests.support import new_stack, resources_of, template_of

DOMAIN = "AWS::SageMaker::Domain"
PROFILE = "AWS::SageMaker::UserProfile"
SPACE = "AWS::SageMaker::Space"
KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ROLE_ARN = "arn:aws:iam::111122223333:role/studio-exec"
SHARED_ROLE_ARN = "arn:aws:iam::111122223333:role/studio-shared"
IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/team-image"
DISTRIBUTION_CPU_US_EAST_1 = "arn:aws:sagemaker:us-east-1:885854791233:image/sagemaker-distribution-cpu"


@dataclass
class Built:
    stack: Stack
    domain: StudioDomainBase
    template: Template
    users: dict[str, UserProfile]


def get_att(stack: Stack, construct: Any, attribute: str) -> dict[str, Any]:
    """``Fn::GetAtt`` of an L1 resource (or of an L2's default child)."""
    resource = construct.node.default_child or construct
    return {"Fn::GetAtt": [stack.get_logical_id(resource), attribute]}


@pytest.fixture(scope="module")
def default() -> Built:
    """A domain with every prop left at its default, and its attributes as outputs."""
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    CfnOutput(stack, "DomainId", value=domain.domain_id)
    CfnOutput(stack, "DomainArn", value=domain.domain_arn)
    CfnOutput(stack, "DomainUrl", value=domain.url)
    return Built(stack, domain, template_of(stack), {})


@pytest.fixture(scope="module")
def configured() -> Built:
    """A domain with every prop given, and two users (for security_group_per_user)."""
    stack, vpc = new_stack()
    domain = StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="vision",
        subnets=ec2.SubnetSelection(availability_zones=["us-east-1b"]),
        auth_mode=AuthMode.SSO,
        app_network_access=AppNetworkAccess.PUBLIC_INTERNET_ONLY,
        encryption_key=kms.Key.from_key_arn(stack, "Key", KEY_ARN),
        execution_role=iam.Role.from_role_arn(stack, "ExecRole", ROLE_ARN),
        security_group_per_user=True,
        app_defaults=AppDefaults(jupyter_lab_instance_type="ml.m5.large", code_editor_instance_type="ml.c5.xlarge"),
        ebs=EbsStorage(default_gb=10, max_gb=200),
        idle_shutdown=IdleShutdown(timeout_minutes=120, min_timeout_minutes=90, max_timeout_minutes=240),
        default_image=StudioImage.from_image_arn(IMAGE_ARN),
        posix_user=PosixUser(uid=20000, gid=2000),
        shared_space_execution_role=iam.Role.from_role_arn(stack, "SharedRole", SHARED_ROLE_ARN),
        tags={"team": "vision", "cost-center": "42"},
    )
    users = {name: domain.add_user(name, sso_user_name=f"{name}@example.com") for name in ("alice", "bob")}
    return Built(stack, domain, template_of(stack), users)


@pytest.fixture(scope="module")
def imported() -> Built:
    """A domain made elsewhere, with a user and a space added here."""
    stack, _ = new_stack()
    domain = StudioDomain.from_domain_attributes(stack, "Imported", domain_id="d-abc123def456")
    user = domain.add_user("dana")
    domain.add_space("team-lab")
    CfnOutput(stack, "ImportedArn", value=domain.domain_arn)
    return Built(stack, domain, template_of(stack), {"dana": user})


def new_domain(**props: Any) -> StudioDomain:
    """A domain in a new stack, for tests that expect the constructor to fail."""
    stack, vpc = new_stack()
    props.setdefault("domain_name", "research")
    return StudioDomain(stack, "Domain", vpc=vpc, **props)


def message(text: str) -> str:
    return re.escape(text)


# --- network --------------------------------------------------------------------------------


def test_domain_runs_in_the_given_vpc(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"VpcId": "vpc-0123456789abcdef0"})


def test_subnets_default_to_the_private_subnets_of_the_vpc(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"SubnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]})


def test_subnets_selects_the_given_subnets(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"SubnetIds": ["subnet-0bbbbbbbbbbbbbbb2"]})


def test_app_network_access_defaults_to_vpc_only(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"AppNetworkAccessType": "VpcOnly"})


def test_app_network_access_public_internet_only(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"AppNetworkAccessType": "PublicInternetOnly"})


# --- name, auth, tags -----------------------------------------------------------------------


def test_domain_name_is_set(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"DomainName": "research"})


def test_auth_mode_defaults_to_iam(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"AuthMode": "IAM"})


def test_auth_mode_sso(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"AuthMode": "SSO"})


def test_tags_are_set_on_the_domain(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"Tags": [{"Key": "cost-center", "Value": "42"}, {"Key": "team", "Value": "vision"}]}
    )


def test_domain_has_no_tags_by_default(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"Tags": Match.absent()})


# --- encryption -----------------------------------------------------------------------------


def test_encryption_key_defaults_to_a_new_key_with_rotation(default: Built) -> None:
    default.template.resource_count_is("AWS::KMS::Key", 1)
    default.template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


def test_default_encryption_key_is_retained(default: Built) -> None:
    default.template.has_resource("AWS::KMS::Key", {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})


def test_domain_volumes_use_the_default_key(default: Built) -> None:
    key = default.domain.encryption_key  # type: ignore[attr-defined]
    default.template.has_resource_properties(DOMAIN, {"KmsKeyId": get_att(default.stack, key, "Arn")})


def test_encryption_key_given_is_used(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"KmsKeyId": KEY_ARN})


def test_encryption_key_given_creates_no_key(configured: Built) -> None:
    configured.template.resource_count_is("AWS::KMS::Key", 0)


# --- execution roles ------------------------------------------------------------------------


def test_execution_role_defaults_to_a_role_assumed_by_sagemaker(default: Built) -> None:
    default.template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": [
                    {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}}
                ]
            }
        },
    )


def test_default_execution_role_is_tagged_execution_persona(default: Built) -> None:
    default.template.has_resource_properties(
        "AWS::IAM::Role", {"Tags": Match.array_with([{"Key": "studio:persona", "Value": "execution"}])}
    )


def test_default_execution_role_has_no_managed_policies(default: Built) -> None:
    # In particular not AmazonSageMakerFullAccess: only the least-privilege inline statements.
    default.template.has_resource_properties("AWS::IAM::Role", {"ManagedPolicyArns": Match.absent()})


def test_default_execution_role_grants_no_sagemaker_wildcard(default: Built) -> None:
    for policy in resources_of(default.template, "AWS::IAM::Policy").values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            assert "sagemaker:*" not in actions and "*" not in actions


def test_default_execution_role_runs_the_apps(default: Built) -> None:
    role = default.domain.execution_role  # type: ignore[attr-defined]
    default.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"ExecutionRole": get_att(default.stack, role, "Arn")}}
    )


def test_execution_role_given_is_used(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {"ExecutionRole": ROLE_ARN}})


def test_execution_role_given_creates_no_role(configured: Built) -> None:
    configured.template.resource_count_is("AWS::IAM::Role", 0)


def test_shared_space_execution_role_defaults_to_the_execution_role(default: Built) -> None:
    role = default.domain.execution_role  # type: ignore[attr-defined]
    default.template.has_resource_properties(
        DOMAIN, {"DefaultSpaceSettings": {"ExecutionRole": get_att(default.stack, role, "Arn")}}
    )


def test_shared_space_execution_role_given_is_used_for_shared_spaces(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"DefaultSpaceSettings": {"ExecutionRole": SHARED_ROLE_ARN}})


# --- security groups ------------------------------------------------------------------------


def _domain_group(built: Built) -> dict[str, Any]:
    return get_att(built.stack, built.domain.security_group, "GroupId")  # type: ignore[attr-defined]


def test_security_group_allows_nfs_from_itself(default: Built) -> None:
    group = _domain_group(default)
    default.template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {"GroupId": group, "SourceSecurityGroupId": group, "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049},
    )


def test_security_group_allows_app_ports_from_itself(default: Built) -> None:
    group = _domain_group(default)
    default.template.has_resource_properties(
        "AWS::EC2::SecurityGroupIngress",
        {"GroupId": group, "SourceSecurityGroupId": group, "IpProtocol": "tcp", "FromPort": 8192, "ToPort": 65535},
    )


def test_security_group_allows_no_other_ingress(default: Built) -> None:
    default.template.resource_count_is("AWS::EC2::SecurityGroupIngress", 2)
    default.template.has_resource_properties("AWS::EC2::SecurityGroup", {"SecurityGroupIngress": Match.absent()})


def test_security_group_rule_descriptions_use_only_characters_ec2_allows(default: Built) -> None:
    # EC2 rejects rule descriptions outside a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*; a description must
    # also be the same on every synth, or each deploy updates the rule.
    allowed = re.compile(r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}")
    for rule in resources_of(default.template, "AWS::EC2::SecurityGroupIngress").values():
        description = rule["Properties"]["Description"]
        assert allowed.fullmatch(description), description


def test_security_group_is_the_domains_and_its_users_and_spaces(default: Built) -> None:
    group = _domain_group(default)
    default.template.has_resource_properties(
        DOMAIN,
        {
            "DomainSettings": {"SecurityGroupIds": [group]},
            "DefaultUserSettings": {"SecurityGroups": [group]},
            "DefaultSpaceSettings": {"SecurityGroups": [group]},
        },
    )


def test_profiles_use_the_domain_group_by_default() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.add_user("alice")
    template = template_of(stack)
    template.resource_count_is("AWS::EC2::SecurityGroup", 1)
    template.has_resource_properties(PROFILE, {"UserSettings": Match.absent()})


def test_security_group_per_user_gives_each_profile_its_own_group(configured: Built) -> None:
    groups = {name: get_att(configured.stack, user.security_group, "GroupId") for name, user in configured.users.items()}
    clients = get_att(configured.stack, configured.domain.file_system_client_group, "GroupId")
    assert groups["alice"] != groups["bob"]
    for name, group in groups.items():
        configured.template.has_resource_properties(
            PROFILE, {"UserProfileName": name, "UserSettings": {"SecurityGroups": [group, clients]}}
        )


def test_security_group_per_user_file_system_client_group_has_no_ingress(configured: Built) -> None:
    """The group every user's apps share admits nothing, so users' apps cannot reach each other."""
    clients = get_att(configured.stack, configured.domain.file_system_client_group, "GroupId")
    ingress = configured.template.find_resources("AWS::EC2::SecurityGroupIngress", {"Properties": {"GroupId": clients}})
    assert ingress == {}
    (logical_id, _attribute) = clients["Fn::GetAtt"]
    assert "SecurityGroupIngress" not in configured.template.to_json()["Resources"][logical_id]["Properties"]


def test_security_group_per_user_groups_allow_studio_ports_from_themselves(configured: Built) -> None:
    group = get_att(configured.stack, configured.users["alice"].security_group, "GroupId")
    for low, high in ((2049, 2049), (8192, 65535)):
        configured.template.has_resource_properties(
            "AWS::EC2::SecurityGroupIngress",
            {"GroupId": group, "SourceSecurityGroupId": group, "FromPort": low, "ToPort": high},
        )


# --- home file system -----------------------------------------------------------------------


def test_home_efs_file_system_is_not_created(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"HomeEfsFileSystemCreation": "Disabled"})


def test_home_efs_is_not_auto_mounted(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {"AutoMountHomeEFS": "Disabled"}})


# --- app defaults, EBS, idle shutdown, image, POSIX -----------------------------------------


@pytest.mark.parametrize("app", ["JupyterLabAppSettings", "CodeEditorAppSettings"])
def test_app_instance_types_default_to_t3_medium(default: Built, app: str) -> None:
    default.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {app: {"DefaultResourceSpec": {"InstanceType": "ml.t3.medium"}}}}
    )


def test_app_defaults_set_the_jupyter_lab_instance_type(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}}}}
    )


def test_app_defaults_set_the_code_editor_instance_type(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"CodeEditorAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.c5.xlarge"}}}}
    )


def test_shared_spaces_start_jupyter_lab_on_the_default_instance_type(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"DefaultSpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.m5.large"}}}}
    )


def _ebs(default_gb: int, max_gb: int) -> dict[str, Any]:
    return {"DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": default_gb, "MaximumEbsVolumeSizeInGb": max_gb}}


def test_ebs_defaults_to_5_and_100_gb(default: Built) -> None:
    default.template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {"SpaceStorageSettings": _ebs(5, 100)}})


def test_ebs_sets_the_default_and_maximum_sizes(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {"SpaceStorageSettings": _ebs(10, 200)}})


def test_ebs_applies_to_shared_spaces(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"DefaultSpaceSettings": {"SpaceStorageSettings": _ebs(10, 200)}})


def _idle(timeout: int, minimum: int, maximum: int) -> dict[str, Any]:
    return {
        "AppLifecycleManagement": {
            "IdleSettings": {
                "LifecycleManagement": "ENABLED",
                "IdleTimeoutInMinutes": timeout,
                "MinIdleTimeoutInMinutes": minimum,
                "MaxIdleTimeoutInMinutes": maximum,
            }
        }
    }


@pytest.mark.parametrize("app", ["JupyterLabAppSettings", "CodeEditorAppSettings"])
def test_idle_shutdown_is_on_by_default(default: Built, app: str) -> None:
    default.template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {app: _idle(60, 60, 480)}})


@pytest.mark.parametrize("app", ["JupyterLabAppSettings", "CodeEditorAppSettings"])
def test_idle_shutdown_sets_timeout_and_bounds(configured: Built, app: str) -> None:
    configured.template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {app: _idle(120, 90, 240)}})


def test_idle_shutdown_applies_to_shared_spaces(configured: Built) -> None:
    configured.template.has_resource_properties(DOMAIN, {"DefaultSpaceSettings": {"JupyterLabAppSettings": _idle(120, 90, 240)}})


@pytest.mark.parametrize("app", ["JupyterLabAppSettings", "CodeEditorAppSettings"])
def test_default_image_is_sagemaker_distribution_of_the_region(default: Built, app: str) -> None:
    default.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {app: {"DefaultResourceSpec": {"SageMakerImageArn": DISTRIBUTION_CPU_US_EAST_1}}}}
    )


@pytest.mark.parametrize("app", ["JupyterLabAppSettings", "CodeEditorAppSettings"])
def test_default_image_given_arn_is_used(configured: Built, app: str) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {app: {"DefaultResourceSpec": {"SageMakerImageArn": IMAGE_ARN}}}}
    )


def test_default_image_applies_to_shared_spaces(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN,
        {"DefaultSpaceSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"SageMakerImageArn": IMAGE_ARN}}}},
    )


def test_posix_user_is_studios_own_by_default(default: Built) -> None:
    default.template.has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {"CustomPosixUserConfig": Match.absent()},
            "DefaultSpaceSettings": {"CustomPosixUserConfig": Match.absent()},
        },
    )


def test_posix_user_sets_the_users_posix_identity(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"CustomPosixUserConfig": {"Uid": 20000, "Gid": 2000}}}
    )


def test_posix_user_applies_to_shared_spaces(configured: Built) -> None:
    configured.template.has_resource_properties(
        DOMAIN, {"DefaultSpaceSettings": {"CustomPosixUserConfig": {"Uid": 20000, "Gid": 2000}}}
    )


# --- attributes, logical ids ----------------------------------------------------------------


def _domain_logical_id(built: Built) -> str:
    return built.stack.get_logical_id(built.domain.resource)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("attribute", "output", "cfn_attribute"),
    [("domain_id", "DomainId", "DomainId"), ("domain_arn", "DomainArn", "DomainArn"), ("url", "DomainUrl", "Url")],
)
def test_attributes_are_tokens_resolving_to_get_att(default: Built, attribute: str, output: str, cfn_attribute: str) -> None:
    assert Token.is_unresolved(getattr(default.domain, attribute))
    default.template.has_output(output, {"Value": {"Fn::GetAtt": [_domain_logical_id(default), cfn_attribute]}})


def test_domain_logical_id_is_pinned(default: Built) -> None:
    assert _domain_logical_id(default) == "Domain66AC69E0"


def test_key_logical_id_is_pinned(default: Built) -> None:
    assert list(resources_of(default.template, "AWS::KMS::Key")) == ["DomainKeyEFD04CB2"]


# --- imported domain ------------------------------------------------------------------------


def test_imported_domain_accepts_user_profiles(imported: Built) -> None:
    imported.template.has_resource_properties(PROFILE, {"DomainId": "d-abc123def456", "UserProfileName": "dana"})


def test_imported_domain_accepts_spaces(imported: Built) -> None:
    imported.template.has_resource_properties(SPACE, {"DomainId": "d-abc123def456", "SpaceName": "team-lab"})


def test_imported_domain_creates_no_domain(imported: Built) -> None:
    imported.template.resource_count_is(DOMAIN, 0)


def test_imported_domain_arn_is_formatted_from_its_id(imported: Built) -> None:
    imported.template.has_output("ImportedArn", {"Value": "arn:aws:sagemaker:us-east-1:111122223333:domain/d-abc123def456"})


def test_imported_domain_with_security_group_per_user_gives_profiles_groups() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain.from_domain_attributes(
        stack, "Imported", domain_id="d-abc123def456", vpc=vpc, security_group_per_user=True
    )
    user = domain.add_user("dana")
    template = template_of(stack)
    template.has_resource_properties(
        PROFILE, {"UserSettings": {"SecurityGroups": [get_att(stack, user.security_group, "GroupId")]}}
    )


# --- tokens ---------------------------------------------------------------------------------


def test_token_ebs_sizes_are_not_range_checked() -> None:
    stack, vpc = new_stack()
    size = CfnParameter(stack, "DefaultSize", type="Number", default=20)
    StudioDomain(
        stack, "Domain", vpc=vpc, domain_name="research", ebs=EbsStorage(default_gb=Token.as_number(size.value_as_number))
    )
    template_of(stack).has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {
                "SpaceStorageSettings": {"DefaultEbsStorageSettings": {"DefaultEbsVolumeSizeInGb": {"Ref": "DefaultSize"}}}
            }
        },
    )


def test_token_idle_timeout_is_not_range_checked() -> None:
    stack, vpc = new_stack()
    timeout = CfnParameter(stack, "Timeout", type="Number", default=90)
    StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="research",
        idle_shutdown=IdleShutdown(timeout_minutes=Token.as_number(timeout.value_as_number)),
    )
    template_of(stack).has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {
                "JupyterLabAppSettings": {
                    "AppLifecycleManagement": {"IdleSettings": {"IdleTimeoutInMinutes": {"Ref": "Timeout"}}}
                }
            }
        },
    )


def test_token_domain_name_is_not_pattern_checked() -> None:
    stack, vpc = new_stack()
    name = CfnParameter(stack, "DomainName", type="String")
    StudioDomain(stack, "Domain", vpc=vpc, domain_name=name.value_as_string)
    template_of(stack).has_resource_properties(DOMAIN, {"DomainName": {"Ref": "DomainName"}})


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["-research", "research-", "re_search", "re search", ""])
def test_fails_when_domain_name_has_a_bad_pattern(name: str) -> None:
    with pytest.raises(StudioConfigError, match=message(f"domain_name: got {name!r}; 1-63 letters and digits")):
        new_domain(domain_name=name)


def test_fails_when_domain_name_is_longer_than_63_characters() -> None:
    with pytest.raises(StudioConfigError, match=message(f"domain_name: got {'a' * 64!r}; 1-63 letters and digits")):
        new_domain(domain_name="a" * 64)


def test_fails_when_ebs_default_is_below_5_gb() -> None:
    with pytest.raises(StudioConfigError, match=message("ebs.default_gb: got 4; 5-16384 GB")):
        new_domain(ebs=EbsStorage(default_gb=4))


def test_fails_when_ebs_max_is_above_16384_gb() -> None:
    with pytest.raises(StudioConfigError, match=message("ebs.max_gb: got 16385; 5-16384 GB")):
        new_domain(ebs=EbsStorage(max_gb=16385))


def test_fails_when_ebs_default_is_above_max() -> None:
    with pytest.raises(StudioConfigError, match=message("ebs.default_gb: got 200; at most ebs.max_gb (100 GB)")):
        new_domain(ebs=EbsStorage(default_gb=200, max_gb=100))


def test_fails_when_ebs_size_is_not_a_whole_number() -> None:
    with pytest.raises(StudioConfigError, match=message("ebs.default_gb: got 5.5; a whole number of GB, 5-16384")):
        new_domain(ebs=EbsStorage(default_gb=5.5))  # type: ignore[arg-type]


def test_fails_when_idle_timeout_is_below_60_minutes() -> None:
    with pytest.raises(StudioConfigError, match=message("idle_shutdown.timeout_minutes: got 59; 60-525600 minutes")):
        new_domain(idle_shutdown=IdleShutdown(timeout_minutes=59))


def test_fails_when_idle_max_is_above_525600_minutes() -> None:
    with pytest.raises(StudioConfigError, match=message("idle_shutdown.max_timeout_minutes: got 525601; 60-525600 minutes")):
        new_domain(idle_shutdown=IdleShutdown(max_timeout_minutes=525601))


def test_fails_when_idle_min_is_above_timeout() -> None:
    with pytest.raises(
        StudioConfigError,
        match=message("idle_shutdown.min_timeout_minutes: got 120; at most idle_shutdown.timeout_minutes (90 minutes)"),
    ):
        new_domain(idle_shutdown=IdleShutdown(timeout_minutes=90, min_timeout_minutes=120, max_timeout_minutes=480))


def test_fails_when_idle_timeout_is_above_max() -> None:
    with pytest.raises(
        StudioConfigError,
        match=message("idle_shutdown.timeout_minutes: got 600; at most idle_shutdown.max_timeout_minutes (480 minutes)"),
    ):
        new_domain(idle_shutdown=IdleShutdown(timeout_minutes=600))


def test_fails_when_posix_uid_is_out_of_range() -> None:
    with pytest.raises(StudioConfigError, match=message("posix_user.uid: got 9999; 10000-4000000")):
        new_domain(posix_user=PosixUser(uid=9999, gid=2000))


def test_fails_when_posix_gid_is_out_of_range() -> None:
    with pytest.raises(StudioConfigError, match=message("posix_user.gid: got 4000001; 1001-4000000")):
        new_domain(posix_user=PosixUser(uid=20000, gid=4000001))


def test_fails_when_jupyter_lab_instance_type_is_unknown() -> None:
    with pytest.raises(
        StudioConfigError, match=message("app_defaults.jupyter_lab_instance_type: got 'ml.bogus.large'; an app instance type")
    ):
        new_domain(app_defaults=AppDefaults(jupyter_lab_instance_type="ml.bogus.large"))


def test_fails_when_code_editor_instance_type_is_unknown() -> None:
    with pytest.raises(
        StudioConfigError, match=message("app_defaults.code_editor_instance_type: got 't3.medium'; an app instance type")
    ):
        new_domain(app_defaults=AppDefaults(code_editor_instance_type="t3.medium"))


def test_fails_when_a_tag_key_starts_with_aws() -> None:
    with pytest.raises(
        StudioConfigError, match=message("tags['aws:team']: got 'aws:team'; a key that does not start with 'aws:'")
    ):
        new_domain(tags={"aws:team": "ml"})


def test_fails_when_there_are_more_than_50_tags() -> None:
    with pytest.raises(StudioConfigError, match=message("tags: got '51 tags'; at most 50 tags")):
        new_domain(tags={f"k{i}": "v" for i in range(51)})


def test_fails_with_every_problem_in_one_error() -> None:
    with pytest.raises(StudioConfigError) as caught:
        new_domain(
            domain_name="-bad",
            ebs=EbsStorage(default_gb=1, max_gb=20000),
            idle_shutdown=IdleShutdown(timeout_minutes=10),
            posix_user=PosixUser(uid=1, gid=1),
            tags={"aws:x": "y"},
        )
    text = str(caught.value)
    assert text.startswith("7 problems:")
    for field in (
        "domain_name",
        "ebs.default_gb",
        "ebs.max_gb",
        "idle_shutdown.timeout_minutes",
        "posix_user.uid",
        "posix_user.gid",
        "tags['aws:x']",
    ):
        assert f"  - {field}: got" in text


def test_fails_when_imported_domain_id_is_malformed() -> None:
    stack, _ = new_stack()
    with pytest.raises(StudioConfigError, match=message("domain_id: got 'research'; DomainId: at most 63 characters matching")):
        StudioDomain.from_domain_attributes(stack, "Imported", domain_id="research")


def test_fails_when_imported_domain_has_security_group_per_user_without_vpc() -> None:
    stack, _ = new_stack()
    with pytest.raises(
        StudioConfigError, match=message("vpc: got None; the domain's VPC, required with security_group_per_user")
    ):
        StudioDomain.from_domain_attributes(stack, "Imported", domain_id="d-abc123def456", security_group_per_user=True)


def test_fails_when_imported_domain_ebs_is_out_of_range() -> None:
    stack, _ = new_stack()
    with pytest.raises(StudioConfigError, match=message("ebs.max_gb: got 20000; 5-16384 GB")):
        StudioDomain.from_domain_attributes(stack, "Imported", domain_id="d-abc123def456", ebs=EbsStorage(max_gb=20000))
