"""EfsMount: a retained, domain-key-encrypted file system reachable over NFS from the domain's apps,
mounted at domain, profile and space level within CloudFormation's limits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk.assertions import Match, Template

from sagemaker_studio_cdk import (
    AppNetworkAccess,
    PosixUser,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    UserProfile,
)
from sagemaker_studio_cdk.constructs.efs_mount import EfsMount
from tests.support import new_stack, template_of

DOMAIN = "AWS::SageMaker::Domain"
PROFILE = "AWS::SageMaker::UserProfile"
SPACE = "AWS::SageMaker::Space"
FILE_SYSTEM = "AWS::EFS::FileSystem"
MOUNT_TARGET = "AWS::EFS::MountTarget"
INGRESS = "AWS::EC2::SecurityGroupIngress"
EXISTING_FS_ID = "fs-0123456789abcdef0"
EXISTING_SG_ID = "sg-0123456789abcdef0"
SUBNETS = ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"]


def message(text: str) -> str:
    return re.escape(text)


def get_att(construct: Any, attribute: str) -> dict[str, Any]:
    """``Fn::GetAtt`` of an L1 resource (or of an L2's default child), in its own stack."""
    resource = construct.node.default_child or construct
    return {"Fn::GetAtt": [Stack.of(resource).get_logical_id(resource), attribute]}


def ref(construct: Any) -> dict[str, Any]:
    resource = construct.node.default_child or construct
    return {"Ref": Stack.of(resource).get_logical_id(resource)}


def efs_group(mount: EfsMount) -> Any:
    """How the template names the security group of ``mount``'s mount targets."""
    (group,) = mount.file_system.connections.security_groups
    return Stack.of(mount).resolve(group.security_group_id)


def nfs_sources(template: Template, mount: EfsMount) -> list[Any]:
    """The sources of every ingress rule on the file system's group that opens TCP 2049."""
    group = efs_group(mount)
    return [
        r["Properties"]["SourceSecurityGroupId"]
        for r in template.find_resources(INGRESS).values()
        if r["Properties"]["GroupId"] == group
        and r["Properties"]["IpProtocol"] == "tcp"
        and r["Properties"]["FromPort"] <= 2049 <= r["Properties"]["ToPort"]
    ]


def profile(template: Template, name: str) -> dict[str, Any]:
    (found,) = [r for r in template.find_resources(PROFILE).values() if r["Properties"]["UserProfileName"] == name]
    properties: dict[str, Any] = found["Properties"]
    return properties


def reaches_over_nfs(template: Template, mount: EfsMount, user: str) -> bool:
    """Some security group the user's apps carry is let in to the file system on TCP 2049."""
    groups = profile(template, user).get("UserSettings", {}).get("SecurityGroups", [])
    sources = nfs_sources(template, mount)
    return any(g in sources for g in groups)


def efs_config(mount: EfsMount, path: str) -> dict[str, Any]:
    return {"EFSFileSystemConfig": {"FileSystemId": ref(mount.file_system), "FileSystemPath": path}}


# --- a new file system, attached at every level ---------------------------------------------


@dataclass
class Built:
    stack: Stack
    domain: StudioDomain
    mount: EfsMount
    template: Template


@pytest.fixture(scope="module")
def built() -> Built:
    """A domain with one file system: at /team for everyone, /alice for alice, whole in a space."""
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", posix_user=PosixUser(uid=200001, gid=1001))
    mount = EfsMount(stack, "Team", domain=domain)
    domain.add_file_system(mount, "/team")
    alice = domain.add_user("alice", file_systems=[mount.at("/alice")])
    domain.add_user("bob", file_systems=[mount])
    domain.add_user("carol")
    domain.add_space("shared-lab", file_systems=[mount])
    domain.add_space("alice-lab", sharing=SpaceSharing.PRIVATE, owner=alice, file_systems=[mount])
    domain.add_space("plain")
    return Built(stack, domain, mount, template_of(stack))


def test_new_file_system_is_encrypted_with_the_domains_key(built: Built) -> None:
    built.template.has_resource_properties(
        FILE_SYSTEM, {"Encrypted": True, "KmsKeyId": get_att(built.domain.encryption_key, "Arn")}
    )


def test_domain_uses_the_same_key_as_the_file_system(built: Built) -> None:
    key = get_att(built.domain.encryption_key, "Arn")
    built.template.has_resource_properties(DOMAIN, {"KmsKeyId": key})
    built.template.has_resource_properties(FILE_SYSTEM, {"KmsKeyId": key})


def test_new_file_system_is_retained_when_deleted_or_replaced(built: Built) -> None:
    built.template.has_resource(FILE_SYSTEM, {"DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain"})


def test_one_file_system_is_made(built: Built) -> None:
    built.template.resource_count_is(FILE_SYSTEM, 1)


def test_one_mount_target_per_zone_of_the_domain_subnets(built: Built) -> None:
    targets = built.template.find_resources(MOUNT_TARGET).values()
    assert sorted(t["Properties"]["SubnetId"] for t in targets) == SUBNETS


def test_mount_targets_belong_to_the_new_file_system(built: Built) -> None:
    for target in built.template.find_resources(MOUNT_TARGET).values():
        assert target["Properties"]["FileSystemId"] == ref(built.mount.file_system)


def test_mount_targets_use_the_file_systems_security_group(built: Built) -> None:
    for target in built.template.find_resources(MOUNT_TARGET).values():
        assert target["Properties"]["SecurityGroups"] == [efs_group(built.mount)]


def test_file_system_and_mount_target_logical_ids_are_pinned(built: Built) -> None:
    """Stateful: a new logical id would make CloudFormation create a new, empty file system."""
    assert set(built.template.find_resources(FILE_SYSTEM)) == {"TeamFileSystem48D4A64C"}
    assert set(built.template.find_resources(MOUNT_TARGET)) == {
        "TeamFileSystemEfsMountTargetPrivateSubnet1B70D8A4A",
        "TeamFileSystemEfsMountTargetPrivateSubnet267D5BF6C",
    }


def test_nfs_is_allowed_from_the_domains_security_group(built: Built) -> None:
    built.template.has_resource_properties(
        INGRESS,
        {
            "GroupId": efs_group(built.mount),
            "SourceSecurityGroupId": get_att(built.domain.security_group, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": 2049,
            "ToPort": 2049,
        },
    )


def test_file_system_security_group_allows_nothing_but_nfs(built: Built) -> None:
    group = efs_group(built.mount)
    rules = [r["Properties"] for r in built.template.find_resources(INGRESS).values() if r["Properties"]["GroupId"] == group]
    assert rules
    assert all((r["IpProtocol"], r["FromPort"], r["ToPort"]) == ("tcp", 2049, 2049) for r in rules)
    assert all("CidrIp" not in r and "CidrIpv6" not in r for r in rules)


def test_file_system_security_group_has_no_open_outbound(built: Built) -> None:
    logical_id = efs_group(built.mount)["Fn::GetAtt"][0]
    group = built.template.to_json()["Resources"][logical_id]
    assert group["Type"] == "AWS::EC2::SecurityGroup"
    assert all(e.get("CidrIp") != "0.0.0.0/0" for e in group["Properties"].get("SecurityGroupEgress", []))


def test_domain_file_system_is_in_default_user_settings(built: Built) -> None:
    built.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"CustomFileSystemConfigs": [efs_config(built.mount, "/team")]}}
    )


def test_domain_file_system_is_in_default_space_settings(built: Built) -> None:
    built.template.has_resource_properties(
        DOMAIN, {"DefaultSpaceSettings": {"CustomFileSystemConfigs": [efs_config(built.mount, "/team")]}}
    )


def test_add_file_system_returns_the_mount_at_its_path(built: Built) -> None:
    (mounted,) = built.domain.file_systems
    assert mounted.file_system is built.mount and mounted.path == "/team"


def test_domain_posix_user_is_the_identity_on_file_systems_of_users(built: Built) -> None:
    built.template.has_resource_properties(
        DOMAIN, {"DefaultUserSettings": {"CustomPosixUserConfig": {"Uid": 200001, "Gid": 1001}}}
    )


def test_domain_posix_user_is_the_identity_on_file_systems_of_shared_spaces(built: Built) -> None:
    built.template.has_resource_properties(
        DOMAIN, {"DefaultSpaceSettings": {"CustomPosixUserConfig": {"Uid": 200001, "Gid": 1001}}}
    )


def test_user_file_system_is_in_user_settings_with_its_path(built: Built) -> None:
    built.template.has_resource_properties(
        PROFILE,
        {"UserProfileName": "alice", "UserSettings": {"CustomFileSystemConfigs": [efs_config(built.mount, "/alice")]}},
    )


def test_user_mount_without_a_path_mounts_the_root(built: Built) -> None:
    built.template.has_resource_properties(
        PROFILE, {"UserProfileName": "bob", "UserSettings": {"CustomFileSystemConfigs": [efs_config(built.mount, "/")]}}
    )


def test_user_without_file_systems_inherits_the_domains(built: Built) -> None:
    assert "CustomFileSystemConfigs" not in profile(built.template, "carol").get("UserSettings", {})


def test_space_file_system_is_in_space_settings_by_id_only(built: Built) -> None:
    built.template.has_resource_properties(
        SPACE,
        {
            "SpaceName": "shared-lab",
            "SpaceSettings": {
                "CustomFileSystems": [{"EFSFileSystem": Match.exact({"FileSystemId": ref(built.mount.file_system)})}]
            },
        },
    )


def test_private_space_file_system_is_in_space_settings(built: Built) -> None:
    built.template.has_resource_properties(
        SPACE,
        {
            "SpaceName": "alice-lab",
            "SpaceSettings": {
                "CustomFileSystems": [{"EFSFileSystem": Match.exact({"FileSystemId": ref(built.mount.file_system)})}]
            },
        },
    )


def test_space_without_file_systems_has_none(built: Built) -> None:
    built.template.has_resource_properties(SPACE, {"SpaceName": "plain", "SpaceSettings": {"CustomFileSystems": Match.absent()}})


def test_domain_without_file_systems_has_no_custom_file_system_configs() -> None:
    stack, vpc = new_stack()
    StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    template = template_of(stack)
    template.has_resource_properties(DOMAIN, {"DefaultUserSettings": {"CustomFileSystemConfigs": Match.absent()}})
    template.has_resource_properties(DOMAIN, {"DefaultSpaceSettings": {"CustomFileSystemConfigs": Match.absent()}})


def test_two_file_systems_at_domain_level_are_both_mounted() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    team, data = EfsMount(stack, "Team", domain=domain), EfsMount(stack, "Data", domain=domain)
    domain.add_file_system(team, "/team")
    domain.add_file_system(data.at("/raw"))
    template_of(stack).has_resource_properties(
        DOMAIN,
        {"DefaultUserSettings": {"CustomFileSystemConfigs": [efs_config(team, "/team"), efs_config(data, "/raw")]}},
    )


# --- mount targets --------------------------------------------------------------------------


def test_mount_targets_follow_the_domains_subnets() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(
        stack, "Domain", vpc=vpc, domain_name="research", subnets=ec2.SubnetSelection(availability_zones=["us-east-1b"])
    )
    EfsMount(stack, "Team", domain=domain)
    template = template_of(stack)
    assert [t["Properties"]["SubnetId"] for t in template.find_resources(MOUNT_TARGET).values()] == [SUBNETS[1]]


def test_subnets_choose_where_mount_targets_go() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    EfsMount(stack, "Team", domain=domain, subnets=ec2.SubnetSelection(availability_zones=["us-east-1a"]))
    template = template_of(stack)
    assert [t["Properties"]["SubnetId"] for t in template.find_resources(MOUNT_TARGET).values()] == [SUBNETS[0]]


# --- an existing file system ----------------------------------------------------------------


@pytest.fixture(scope="module")
def existing() -> Built:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    file_system = efs.FileSystem.from_file_system_attributes(
        stack,
        "Existing",
        file_system_id=EXISTING_FS_ID,
        security_group=ec2.SecurityGroup.from_security_group_id(stack, "ExistingGroup", EXISTING_SG_ID),
    )
    mount = EfsMount(stack, "Team", domain=domain, file_system=file_system)
    domain.add_file_system(mount, "/team")
    return Built(stack, domain, mount, template_of(stack))


def test_existing_file_system_makes_no_file_system(existing: Built) -> None:
    existing.template.resource_count_is(FILE_SYSTEM, 0)


def test_existing_file_system_makes_no_mount_targets(existing: Built) -> None:
    existing.template.resource_count_is(MOUNT_TARGET, 0)


def test_existing_file_system_gets_the_nfs_rule_from_the_domains_group(existing: Built) -> None:
    existing.template.has_resource_properties(
        INGRESS,
        {
            "GroupId": EXISTING_SG_ID,
            "SourceSecurityGroupId": get_att(existing.domain.security_group, "GroupId"),
            "IpProtocol": "tcp",
            "FromPort": 2049,
            "ToPort": 2049,
        },
    )


def test_existing_file_system_is_mounted_by_its_id(existing: Built) -> None:
    existing.template.has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {
                "CustomFileSystemConfigs": [{"EFSFileSystemConfig": {"FileSystemId": EXISTING_FS_ID, "FileSystemPath": "/team"}}]
            }
        },
    )


def test_existing_file_system_id_is_exposed(existing: Built) -> None:
    assert existing.mount.file_system_id == EXISTING_FS_ID


# --- per-user security groups ---------------------------------------------------------------


@dataclass
class PerUser:
    stack: Stack
    domain: StudioDomain
    team: EfsMount
    personal: EfsMount
    scratch: EfsMount
    users: dict[str, UserProfile]
    template: Template


@pytest.fixture(scope="module")
def per_user() -> PerUser:
    """Per-user groups; users made before and after a domain-level mount; user- and space-level mounts."""
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", security_group_per_user=True)
    early = domain.add_user("early")
    team = EfsMount(stack, "Team", domain=domain)
    domain.add_file_system(team, "/team")
    late = domain.add_user("late")
    personal = EfsMount(stack, "Personal", domain=domain)
    dana = domain.add_user("dana", file_systems=[personal.at("/dana")])
    scratch = EfsMount(stack, "Scratch", domain=domain)
    domain.add_space("early-lab", sharing=SpaceSharing.PRIVATE, owner=early, file_systems=[scratch])
    domain.add_space("team-lab", file_systems=[scratch])
    users = {"early": early, "late": late, "dana": dana}
    return PerUser(stack, domain, team, personal, scratch, users, template_of(stack))


def test_users_made_before_a_domain_file_system_reach_it_over_nfs(per_user: PerUser) -> None:
    assert reaches_over_nfs(per_user.template, per_user.team, "early")


def test_users_made_after_a_domain_file_system_reach_it_over_nfs(per_user: PerUser) -> None:
    assert reaches_over_nfs(per_user.template, per_user.team, "late")


def test_every_user_reaches_a_domain_file_system_over_nfs(per_user: PerUser) -> None:
    for name in per_user.users:
        assert reaches_over_nfs(per_user.template, per_user.team, name), name


def test_user_reaches_a_user_level_file_system_over_nfs(per_user: PerUser) -> None:
    assert reaches_over_nfs(per_user.template, per_user.personal, "dana")


def test_private_space_owner_reaches_a_space_level_file_system_over_nfs(per_user: PerUser) -> None:
    assert reaches_over_nfs(per_user.template, per_user.scratch, "early")


def test_shared_spaces_reach_file_systems_over_nfs_with_per_user_groups(per_user: PerUser) -> None:
    (domain,) = per_user.template.find_resources(DOMAIN).values()
    shared_groups = domain["Properties"]["DefaultSpaceSettings"]["SecurityGroups"]
    for mount in (per_user.team, per_user.scratch):
        assert any(g in nfs_sources(per_user.template, mount) for g in shared_groups)


def test_users_own_groups_are_still_in_their_settings(per_user: PerUser) -> None:
    for name, user in per_user.users.items():
        assert user.security_group is not None
        groups = profile(per_user.template, name)["UserSettings"]["SecurityGroups"]
        assert get_att(user.security_group, "GroupId") in groups, name


def test_groups_users_share_to_reach_file_systems_admit_nothing(per_user: PerUser) -> None:
    """Any group every user's apps carry besides their own must let nothing in, or users reach each other."""
    own = [get_att(u.security_group, "GroupId") for u in per_user.users.values()]
    shared = [
        g for name in per_user.users for g in profile(per_user.template, name)["UserSettings"]["SecurityGroups"] if g not in own
    ]
    for rule in per_user.template.find_resources(INGRESS).values():
        assert rule["Properties"]["GroupId"] not in shared, rule
    resources = per_user.template.to_json()["Resources"]
    for group in shared:
        logical_id = group["Fn::GetAtt"][0]
        assert not resources[logical_id]["Properties"].get("SecurityGroupIngress"), logical_id


# --- bad input ------------------------------------------------------------------------------


def new_domain(**props: Any) -> tuple[Stack, StudioDomain]:
    stack, vpc = new_stack()
    props.setdefault("domain_name", "research")
    return stack, StudioDomain(stack, "Domain", vpc=vpc, **props)


def test_fails_when_a_third_file_system_is_added_to_the_domain() -> None:
    stack, domain = new_domain()
    mount = EfsMount(stack, "Team", domain=domain)
    domain.add_file_system(mount, "/a")
    domain.add_file_system(mount, "/b")
    with pytest.raises(
        StudioConfigError,
        match=message("file_systems[Team]: got 'file system 3 at domain level'; at most 2 in the domain's default settings"),
    ):
        domain.add_file_system(mount, "/c")


def test_fails_when_a_user_has_11_file_systems() -> None:
    stack, domain = new_domain()
    mount = EfsMount(stack, "Team", domain=domain)
    with pytest.raises(
        StudioConfigError, match=message("user_profiles[alice].file_systems: got '11 file systems'; at most 10 per user profile")
    ):
        domain.add_user("alice", file_systems=[mount.at(f"/u{i}") for i in range(11)])


def test_user_with_10_file_systems_is_accepted() -> None:
    stack, domain = new_domain()
    mount = EfsMount(stack, "Team", domain=domain)
    domain.add_user("alice", file_systems=[mount.at(f"/u{i}") for i in range(10)])
    configs = profile(template_of(stack), "alice")["UserSettings"]["CustomFileSystemConfigs"]
    assert [c["EFSFileSystemConfig"]["FileSystemPath"] for c in configs] == [f"/u{i}" for i in range(10)]


def test_fails_when_a_space_has_2_file_systems() -> None:
    # the API takes 5, CloudFormation's schema 1: the stricter wins
    stack, domain = new_domain()
    mounts = [EfsMount(stack, f"Fs{i}", domain=domain) for i in range(2)]
    with pytest.raises(StudioConfigError, match=message("spaces[lab].file_systems: got '2 file systems'; at most 1 per space")):
        domain.add_space("lab", file_systems=mounts)


def test_fails_when_two_mount_target_subnets_are_in_one_zone() -> None:
    stack, domain = new_domain()
    subnets = [
        ec2.Subnet.from_subnet_attributes(
            stack, f"Subnet{i}", subnet_id=f"subnet-0ccccccccccccccc{i}", availability_zone="us-east-1a"
        )
        for i in range(2)
    ]
    with pytest.raises(
        StudioConfigError,
        match=message("file_systems[Team].subnets: got 'two or more subnets in us-east-1a'; one subnet per Availability Zone"),
    ):
        EfsMount(stack, "Team", domain=domain, subnets=ec2.SubnetSelection(subnets=subnets))


def test_fails_when_the_domains_subnets_have_two_in_one_zone() -> None:
    stack, vpc = new_stack()
    subnets = [
        ec2.Subnet.from_subnet_attributes(
            stack, f"Subnet{i}", subnet_id=f"subnet-0ccccccccccccccc{i}", availability_zone="us-east-1a"
        )
        for i in range(2)
    ]
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", subnets=ec2.SubnetSelection(subnets=subnets))
    with pytest.raises(StudioConfigError, match=message("file_systems[Team].subnets: got 'two or more subnets in us-east-1a'")):
        EfsMount(stack, "Team", domain=domain)


def test_fails_when_the_domain_is_not_vpc_only() -> None:
    stack, domain = new_domain(app_network_access=AppNetworkAccess.PUBLIC_INTERNET_ONLY)
    with pytest.raises(
        StudioConfigError, match=message("file_systems[Team].domain: got 'PublicInternetOnly'; a VPC-only domain")
    ):
        EfsMount(stack, "Team", domain=domain)


def test_fails_when_domain_posix_uid_is_out_of_range() -> None:
    with pytest.raises(StudioConfigError, match=message("posix_user.uid: got 100; 10000-4000000")):
        new_domain(posix_user=PosixUser(uid=100, gid=1001))


def test_fails_when_domain_posix_gid_is_out_of_range() -> None:
    with pytest.raises(StudioConfigError, match=message("posix_user.gid: got 1000; 1001-4000000")):
        new_domain(posix_user=PosixUser(uid=200001, gid=1000))


def test_fails_when_user_posix_uid_is_out_of_range() -> None:
    _, domain = new_domain()
    with pytest.raises(StudioConfigError, match=message("user_profiles[alice].posix_user.uid: got 4000001; 10000-4000000")):
        domain.add_user("alice", posix_user=PosixUser(uid=4000001, gid=1001))


def test_fails_when_a_space_level_mount_has_a_path() -> None:
    stack, domain = new_domain()
    mount = EfsMount(stack, "Team", domain=domain)
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[lab].file_systems[0].path: got '/x'; no path: a space mounts the whole file system"),
    ):
        domain.add_space("lab", file_systems=[mount.at("/x")])


def test_fails_when_the_domain_mounts_another_domains_file_system() -> None:
    stack, domain = new_domain()
    other = StudioDomain(stack, "Other", vpc=domain.vpc, domain_name="other")
    mount = EfsMount(stack, "Team", domain=other)
    with pytest.raises(StudioConfigError, match=message("file_systems[Team]: got 'Test/Team'; an EfsMount made for this domain")):
        domain.add_file_system(mount)


def test_fails_when_a_user_mounts_another_domains_file_system() -> None:
    stack, domain = new_domain()
    other = StudioDomain(stack, "Other", vpc=domain.vpc, domain_name="other")
    mount = EfsMount(stack, "Team", domain=other)
    with pytest.raises(
        StudioConfigError,
        match=message("user_profiles[alice].file_systems[0]: got 'Test/Team'; an EfsMount made for this profile's domain"),
    ):
        domain.add_user("alice", file_systems=[mount])


def test_fails_when_a_space_mounts_another_domains_file_system() -> None:
    stack, domain = new_domain()
    other = StudioDomain(stack, "Other", vpc=domain.vpc, domain_name="other")
    mount = EfsMount(stack, "Team", domain=other)
    with pytest.raises(
        StudioConfigError, match=message("spaces[lab].file_systems[0]: got 'Test/Team'; an EfsMount made for this space's domain")
    ):
        domain.add_space("lab", file_systems=[mount])


@pytest.mark.parametrize("path", ["relative", "", "/with space"])
def test_fails_when_domain_file_system_path_is_not_absolute(path: str) -> None:
    stack, domain = new_domain()
    mount = EfsMount(stack, "Team", domain=domain)
    with pytest.raises(StudioConfigError, match=message(f"file_systems[Team].path: got {path!r}; an absolute path")):
        domain.add_file_system(mount, path)


def test_fails_when_user_file_system_path_is_relative() -> None:
    stack, domain = new_domain()
    mount = EfsMount(stack, "Team", domain=domain)
    with pytest.raises(
        StudioConfigError, match=message("user_profiles[alice].file_systems[0].path: got 'relative'; an absolute path")
    ):
        domain.add_user("alice", file_systems=[mount.at("relative")])


# --- the POSIX user ---------------------------------------------------------------------------


def _posix_warnings(stack: Stack) -> list[str]:
    from aws_cdk.assertions import Annotations

    from sagemaker_studio_cdk.constructs.efs_mount import NO_POSIX_USER_WARNING

    found = Annotations.from_stack(stack).find_warning("*", Match.string_like_regexp(".*"))
    return [str(m.id) for m in found if NO_POSIX_USER_WARNING in str(m.entry.data)]


def test_a_mount_on_a_domain_without_posix_user_warns_once_per_mount(per_user: PerUser) -> None:
    """Three mounts, three users, two spaces: one warning on each mount, none per user."""
    assert sorted(_posix_warnings(per_user.stack)) == ["/Test/Personal", "/Test/Scratch", "/Test/Team"]


def test_a_mount_on_a_domain_with_posix_user_does_not_warn(built: Built) -> None:
    assert _posix_warnings(built.stack) == []
