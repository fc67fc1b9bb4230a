"""The domain stack with lifecycle configs and EFS: users in nested stacks reach the file systems
and reference the configs, without a dependency cycle between the stacks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import Stack

from sagemaker_studio_cdk import StudioDomainStack, parse_spec
from sagemaker_studio_cdk.stacks import ExistingVpc
from tests.support import ENV, new_app, template_of

LCC = "AWS::SageMaker::StudioLifecycleConfig"
DOMAIN = "AWS::SageMaker::Domain"
PROFILE = "AWS::SageMaker::UserProfile"
SPACE = "AWS::SageMaker::Space"
INGRESS = "AWS::EC2::SecurityGroupIngress"
EXISTING_FS_ID = "fs-0123456789abcdef0"
EXISTING_SG_ID = "sg-0123456789abcdef0"

SPEC: dict[str, Any] = {
    "domain": {
        "name": "research",
        "security_group_per_user": True,
        "default_lifecycle_configs": ["autosave"],
        "lifecycle_configs": ["editor-setup"],
        "file_systems": [{"name": "team", "path": "/shared"}],
    },
    "lifecycle_configs": [
        {"name": "autosave", "app_type": "JupyterLab", "script": "#!/bin/bash\necho autosave\n"},
        {"name": "editor-setup", "app_type": "CodeEditor", "script": "#!/bin/bash\necho editor\n"},
    ],
    "file_systems": [
        {"name": "team"},
        {"name": "archive", "file_system_id": EXISTING_FS_ID, "security_group_id": EXISTING_SG_ID},
    ],
    "users": [
        {"name": "alice", "group": "a"},
        {"name": "carol", "group": "a"},
        {
            "name": "bob",
            "group": "b",
            "default_lifecycle_configs": ["editor-setup"],
            "file_systems": [{"name": "team", "path": "/bob"}, {"name": "archive"}],
        },
    ],
    "spaces": [
        {"name": "alice-lab", "sharing": "Private", "owner": "alice", "lifecycle_config": "autosave", "file_systems": ["team"]},
        {
            "name": "bob-editor",
            "sharing": "Private",
            "owner": "bob",
            "app_type": "CodeEditor",
            "lifecycle_config": "editor-setup",
        },
        {"name": "team", "lifecycle_config": "autosave", "file_systems": ["archive"]},
    ],
}
VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"))


@dataclass
class Built:
    stack: StudioDomainStack
    root: dict[str, Any]
    nested: dict[str, dict[str, Any]]
    """Group -> the nested user stack's template."""
    nested_ids: dict[str, str]
    """Group -> the logical id of its ``AWS::CloudFormation::Stack`` in the domain stack."""

    def resources(self, resource_type: str, group: str | None = None) -> dict[str, Any]:
        template = self.root if group is None else self.nested[group]
        return {k: r for k, r in template["Resources"].items() if r["Type"] == resource_type}

    def to_root(self, value: Any, group: str | None = None) -> Any:
        """``value`` as the domain stack sees it: nested-stack parameters replaced by what the
        domain stack passes, nested-stack outputs by their value. What stays local to a nested
        stack comes back as ``{"nested": group, "value": ...}``."""
        if group is None:
            if isinstance(value, dict) and "Fn::GetAtt" in value:
                target, attribute = value["Fn::GetAtt"]
                for g, logical_id in self.nested_ids.items():
                    if target == logical_id and attribute.startswith("Outputs."):
                        output = self.nested[g]["Outputs"][attribute.removeprefix("Outputs.")]["Value"]
                        return self.to_root(output, g)
            return value
        if not isinstance(value, dict):
            return value  # a literal means the same in every stack
        if set(value) == {"Ref"}:
            parameters = self.root["Resources"][self.nested_ids[group]]["Properties"].get("Parameters", {})
            if value["Ref"] in parameters:
                return self.to_root(parameters[value["Ref"]])
        return {"nested": group, "value": value}

    def where(self, resource_type: str, key: str, name: str) -> tuple[str | None, dict[str, Any]]:
        """The group (``None``: the domain stack) and properties of the resource whose ``key`` is ``name``."""
        for group in [None, *self.nested]:
            for resource in self.resources(resource_type, group).values():
                if resource["Properties"].get(key) == name:
                    return group, resource["Properties"]
        raise AssertionError(f"no {resource_type} with {key}={name}")


@pytest.fixture(scope="module")
def built() -> Built:
    stack = StudioDomainStack(new_app(), "Studio", spec=parse_spec(SPEC), vpc=VPC, env=ENV)
    root = dict(template_of(stack).to_json())
    nested = {g: dict(template_of(s).to_json()) for g, s in stack.user_groups.items()}
    nested_ids = {}
    for g, s in stack.user_groups.items():
        assert s.nested_stack_resource is not None
        nested_ids[g] = stack.resolve(stack.get_logical_id(s.nested_stack_resource))
    return Built(stack, root, nested, nested_ids)


def lcc_arn(built: Built, name: str) -> dict[str, Any]:
    config = built.stack.lifecycle_configs[name]
    return {"Fn::GetAtt": [built.stack.resolve(built.stack.get_logical_id(config.resource)), "StudioLifecycleConfigArn"]}


def file_system_ref(built: Built, name: str) -> Any:
    return built.stack.resolve(built.stack.file_systems[name].file_system_id)


def efs_group(built: Built, name: str) -> Any:
    (group,) = built.stack.file_systems[name].file_system.connections.security_groups
    return built.stack.resolve(group.security_group_id)


def references(value: Any) -> set[str]:
    """Logical ids ``value`` refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str) and not inner.startswith("AWS::"):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            else:
                found |= references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= references(inner)
    return found


def cycle_in(template: dict[str, Any]) -> list[str] | None:
    """A dependency cycle among the template's resources, or ``None``."""
    resources = template["Resources"]
    edges = {}
    for logical_id, resource in resources.items():
        depends = resource.get("DependsOn", [])
        depends = [depends] if isinstance(depends, str) else depends
        edges[logical_id] = {d for d in references(resource.get("Properties", {})) | set(depends) if d in resources}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in resources:
        if node not in state and (found := visit(node)):
            return found
    return None


# --- synth ----------------------------------------------------------------------------------


def test_synthesizes_with_per_user_groups_a_domain_file_system_and_nested_users(built: Built) -> None:
    assert set(built.nested) == {"a", "b"}
    assert len(built.resources(PROFILE, "a")) == 2 and len(built.resources(PROFILE, "b")) == 1


def test_domain_stack_has_no_dependency_cycle(built: Built) -> None:
    assert cycle_in(built.root) is None


def test_nested_user_stacks_have_no_dependency_cycle(built: Built) -> None:
    for group, template in built.nested.items():
        assert cycle_in(template) is None, group


def test_domain_stack_depends_on_no_other_top_level_stack(built: Built) -> None:
    assert [d for d in built.stack.dependencies if not isinstance(d, Stack) or d.nested_stack_parent is None] == []


# --- where things live ----------------------------------------------------------------------


def test_lifecycle_configs_are_in_the_domain_stack(built: Built) -> None:
    names = {r["Properties"]["StudioLifecycleConfigName"] for r in built.resources(LCC).values()}
    assert names == {c.lifecycle_config_name for c in built.stack.lifecycle_configs.values()}
    for group in built.nested:
        assert built.resources(LCC, group) == {}


def test_new_file_system_is_in_the_domain_stack(built: Built) -> None:
    assert len(built.resources("AWS::EFS::FileSystem")) == 1
    for group in built.nested:
        assert built.resources("AWS::EFS::FileSystem", group) == {}


def test_existing_file_system_makes_no_file_system(built: Built) -> None:
    assert file_system_ref(built, "archive") == EXISTING_FS_ID


def test_nfs_rules_of_the_file_systems_are_in_the_domain_stack(built: Built) -> None:
    for name in ("team", "archive"):
        group = efs_group(built, name)
        assert any(r["Properties"]["GroupId"] == group for r in built.resources(INGRESS).values()), name
        for g in built.nested:
            targets = [built.to_root(r["Properties"]["GroupId"], g) for r in built.resources(INGRESS, g).values()]
            assert group not in targets, (name, g)


def nfs_sources(built: Built, name: str) -> list[Any]:
    """Every group let in on TCP 2049 to file system ``name``, as the domain stack sees it."""
    group = efs_group(built, name)
    sources = []
    for g in [None, *built.nested]:
        for rule in built.resources(INGRESS, g).values():
            p = rule["Properties"]
            if built.to_root(p["GroupId"], g) == group and p["IpProtocol"] == "tcp" and p["FromPort"] <= 2049 <= p["ToPort"]:
                sources.append(built.to_root(p["SourceSecurityGroupId"], g))
    return sources


def user_groups(built: Built, user: str) -> list[Any]:
    group, properties = built.where(PROFILE, "UserProfileName", user)
    return [built.to_root(g, group) for g in properties["UserSettings"]["SecurityGroups"]]


@pytest.mark.parametrize("user", ["alice", "carol", "bob"])
def test_each_nested_user_reaches_the_domain_file_system_over_nfs(built: Built, user: str) -> None:
    sources = nfs_sources(built, "team")
    assert any(g in sources for g in user_groups(built, user)), (user_groups(built, user), sources)


def test_nested_user_reaches_an_existing_file_system_over_nfs(built: Built) -> None:
    sources = nfs_sources(built, "archive")
    assert any(g in sources for g in user_groups(built, "bob")), (user_groups(built, "bob"), sources)


def test_nested_users_have_their_own_security_groups(built: Built) -> None:
    for user in ("alice", "carol", "bob"):
        group, _ = built.where(PROFILE, "UserProfileName", user)
        own = built.stack.users[user].security_group
        assert own is not None and Stack.of(own).nested_stack_parent is built.stack
        local = {"nested": group, "value": Stack.of(own).resolve(own.security_group_id)}
        assert local in user_groups(built, user), user


def test_shared_spaces_reach_the_file_systems_over_nfs(built: Built) -> None:
    (domain,) = built.resources(DOMAIN).values()
    shared = domain["Properties"]["DefaultSpaceSettings"]["SecurityGroups"]
    for name in ("team", "archive"):
        assert any(g in nfs_sources(built, name) for g in shared), name


# --- references across the stacks -----------------------------------------------------------


def test_domain_runs_the_default_lifecycle_config(built: Built) -> None:
    (domain,) = built.resources(DOMAIN).values()
    lab = domain["Properties"]["DefaultUserSettings"]["JupyterLabAppSettings"]
    assert lab["DefaultResourceSpec"]["LifecycleConfigArn"] == lcc_arn(built, "autosave")


def test_domain_mounts_the_domain_file_system(built: Built) -> None:
    (domain,) = built.resources(DOMAIN).values()
    expected = [{"EFSFileSystemConfig": {"FileSystemId": file_system_ref(built, "team"), "FileSystemPath": "/shared"}}]
    assert domain["Properties"]["DefaultUserSettings"]["CustomFileSystemConfigs"] == expected
    assert domain["Properties"]["DefaultSpaceSettings"]["CustomFileSystemConfigs"] == expected


def test_private_space_in_a_nested_stack_references_the_lifecycle_config(built: Built) -> None:
    group, properties = built.where(SPACE, "SpaceName", "alice-lab")
    assert group == "a"
    arn = properties["SpaceSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]["LifecycleConfigArn"]
    assert built.to_root(arn, group) == lcc_arn(built, "autosave")


def test_code_editor_private_space_in_a_nested_stack_references_its_lifecycle_config(built: Built) -> None:
    group, properties = built.where(SPACE, "SpaceName", "bob-editor")
    assert group == "b"
    arn = properties["SpaceSettings"]["CodeEditorAppSettings"]["DefaultResourceSpec"]["LifecycleConfigArn"]
    assert built.to_root(arn, group) == lcc_arn(built, "editor-setup")


def test_private_space_in_a_nested_stack_mounts_the_file_system(built: Built) -> None:
    group, properties = built.where(SPACE, "SpaceName", "alice-lab")
    (mounted,) = properties["SpaceSettings"]["CustomFileSystems"]
    assert built.to_root(mounted["EFSFileSystem"]["FileSystemId"], group) == file_system_ref(built, "team")


def test_nested_user_default_lifecycle_config_references_the_domain_stack(built: Built) -> None:
    group, properties = built.where(PROFILE, "UserProfileName", "bob")
    editor = properties["UserSettings"]["CodeEditorAppSettings"]
    assert built.to_root(editor["DefaultResourceSpec"]["LifecycleConfigArn"], group) == lcc_arn(built, "editor-setup")
    assert [built.to_root(a, group) for a in editor["LifecycleConfigArns"]] == [lcc_arn(built, "editor-setup")]


def test_nested_user_file_systems_have_their_paths(built: Built) -> None:
    group, properties = built.where(PROFILE, "UserProfileName", "bob")
    configs = [c["EFSFileSystemConfig"] for c in properties["UserSettings"]["CustomFileSystemConfigs"]]
    resolved = [(built.to_root(c["FileSystemId"], group), c["FileSystemPath"]) for c in configs]
    assert resolved == [(file_system_ref(built, "team"), "/bob"), (EXISTING_FS_ID, "/")]


def test_shared_space_references_the_lifecycle_config_in_the_domain_stack(built: Built) -> None:
    group, properties = built.where(SPACE, "SpaceName", "team")
    assert group is None
    assert properties["SpaceSettings"]["JupyterLabAppSettings"]["DefaultResourceSpec"]["LifecycleConfigArn"] == lcc_arn(
        built, "autosave"
    )


def test_shared_space_mounts_the_existing_file_system_by_id(built: Built) -> None:
    _, properties = built.where(SPACE, "SpaceName", "team")
    assert properties["SpaceSettings"]["CustomFileSystems"] == [{"EFSFileSystem": {"FileSystemId": EXISTING_FS_ID}}]


def test_approved_lifecycle_configs_hold_every_config_the_spec_attaches(built: Built) -> None:
    approved = {c.node.path for c in built.stack.domain.approved_lifecycle_configs}
    assert approved == {c.node.path for c in built.stack.lifecycle_configs.values()}
