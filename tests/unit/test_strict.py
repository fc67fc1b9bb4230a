"""Bad input never crashes or slips through: each class of bad input is a StudioConfigError naming
the field (and, for studio.yaml, the file and line), refused at synth time."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_efs as efs
from aws_cdk import aws_iam as iam

from sagemaker_studio_cdk import (
    AppDefaults,
    AppType,
    EbsStorage,
    PosixUser,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    StudioDomainStack,
    StudioNetworkStack,
    cfn_schema,
    limits,
    load_spec,
    parse_spec,
)
from sagemaker_studio_cdk.constructs.efs_mount import EfsMount
from sagemaker_studio_cdk.constructs.lifecycle_config import LifecycleConfig
from sagemaker_studio_cdk.create_only import create_only_properties
from sagemaker_studio_cdk.spec import MAX_EXPANDED_NODES
from sagemaker_studio_cdk.stacks import ExistingVpc
from sagemaker_studio_cdk.stacks.domain_stack import MAX_RESOURCES_PER_STACK
from tests.support import ENV, new_app, new_stack

VPC = ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"))


def write(tmp_path: Path, text: str | bytes, name: str = "studio.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def new_domain(**props: Any) -> StudioDomain:
    stack, vpc = new_stack()
    props.setdefault("domain_name", "research")
    return StudioDomain(stack, "Domain", vpc=vpc, **props)


@pytest.fixture(scope="module")
def domain() -> StudioDomain:
    """One domain for tests whose bad input is refused before anything is added to it."""
    return new_domain()


# --- studio.yaml parsing ---------------------------------------------------------------------


def test_fails_when_a_key_is_repeated_naming_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "domain:\n  name: research\nusers:\n  - name: alice\nspaces: []\nusers:\n  - name: bob\n")
    with pytest.raises(
        StudioConfigError, match=r"studio\.yaml:6: got 'users'; each key once in a mapping: 'users' is on lines 3 and 6"
    ):
        load_spec(path)


def test_fails_when_a_nested_key_is_repeated(tmp_path: Path) -> None:
    path = write(tmp_path, "domain:\n  name: research\n  name: other\n")
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:3: got 'name'; .* lines 2 and 3"):
        load_spec(path)


def test_merge_keys_are_allowed_and_own_keys_override_them(tmp_path: Path) -> None:
    text = "domain:\n  name: research\nusers:\n  - &alice\n    name: alice\n    tags: {team: ml}\n  - <<: *alice\n    name: bob\n"
    spec = load_spec(write(tmp_path, text))
    assert [(u.name, u.tags) for u in spec.users] == [("alice", {"team": "ml"}), ("bob", {"team": "ml"})]


def test_fails_when_a_key_is_repeated_after_a_merge(tmp_path: Path) -> None:
    text = "domain:\n  name: research\nusers:\n  - &alice\n    name: alice\n  - <<: *alice\n    name: bob\n    name: carol\n"
    with pytest.raises(StudioConfigError, match=r"lines 7 and 8"):
        load_spec(write(tmp_path, text))


def test_fails_on_an_alias_bomb(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 10)}]")
    with pytest.raises(StudioConfigError, match=f"at most {MAX_EXPANDED_NODES} YAML nodes"):
        load_spec(write(tmp_path, "\n".join(lines) + "\n"))


def test_fails_when_the_spec_is_not_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "domain:\n  name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:2: got b'\\xe9\\n'; a UTF-8 text file"):
        load_spec(path)


def test_fails_when_a_script_file_is_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, b"#!/bin/bash\necho \xff\n", "setup.sh")
    path = write(
        tmp_path,
        "domain:\n  name: research\nlifecycle_configs:\n  - name: setup\n    app_type: JupyterLab\n    script_file: setup.sh\n",
    )
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:4: lifecycle_configs\.0\.script_file: .*a UTF-8 text file"):
        load_spec(path)


def test_fails_when_the_spec_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(StudioConfigError, match="not a directory"):
        load_spec(tmp_path)


def test_fails_when_the_spec_is_empty(tmp_path: Path) -> None:
    with pytest.raises(StudioConfigError, match="got 'an empty file'; a spec with at least a domain"):
        load_spec(write(tmp_path, "# nothing yet\n"))


def test_spec_errors_name_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "domain:\n  name: research\nspaces:\n  - name: team\n    ebs_gb: .nan\n")
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:5: spaces\.0\.ebs_gb"):
        load_spec(path)


def test_cross_reference_errors_name_the_line_of_the_entry(tmp_path: Path) -> None:
    text = (
        "domain:\n  name: research\nusers:\n  - name: alice\n"
        "spaces:\n  - name: team\n  - name: lab\n    sharing: Private\n    owner: bob\n"
    )
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:7: spaces\[1\] \(lab\)\.owner: got 'bob'"):
        load_spec(write(tmp_path, text))


def test_errors_found_building_the_stacks_name_file_and_line(tmp_path: Path) -> None:
    # the spec itself is valid; the Space construct finds two mounts where CloudFormation takes one
    text = (
        "domain:\n  name: research\nfile_systems:\n  - name: a\n  - name: b\nspaces:\n  - name: team\n    file_systems: [a, b]\n"
    )
    spec = load_spec(write(tmp_path, text))
    with pytest.raises(StudioConfigError, match=r"studio\.yaml:7: spaces\.0: spaces\[team\]\.file_systems: got '2 file systems'"):
        StudioDomainStack(new_app(), "Studio", spec=spec, vpc=VPC, env=ENV)


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_fails_on_nan_and_infinity_and_the_kernel_survives(bad: float) -> None:
    assert not limits.is_token(bad)  # answered in Python: Node never sees it
    with pytest.raises(StudioConfigError, match="a finite number"):
        new_domain(ebs=EbsStorage(default_gb=bad))  # type: ignore[arg-type]
    with pytest.raises(StudioConfigError, match="a finite number"):
        new_domain(posix_user=PosixUser(uid=bad, gid=2000))  # type: ignore[arg-type]
    with pytest.raises(StudioConfigError, match="whole number of zones"):
        StudioNetworkStack(new_app(), "Network", max_azs=bad)  # type: ignore[arg-type]
    assert new_domain().domain_name == "research"  # later jsii calls still work


def test_fails_on_nan_space_size(domain: StudioDomain) -> None:
    with pytest.raises(StudioConfigError, match=r"spaces\[lab\]\.ebs_size_gb: got nan; a finite number"):
        domain.add_space("lab", ebs_size_gb=math.nan)  # type: ignore[arg-type]


# --- names -----------------------------------------------------------------------------------


def test_fails_on_empty_user_and_space_names(domain: StudioDomain) -> None:
    with pytest.raises(StudioConfigError, match=r"user_profiles\[\]\.user_profile_name: got ''"):
        domain.add_user("")
    with pytest.raises(StudioConfigError, match=r"spaces\[\]\.space_name: got ''"):
        domain.add_space("")


def test_fails_when_profile_names_differ_only_in_case() -> None:
    assert limits.case_insensitive("CreateUserProfile", "UserProfileName")  # the service model says so
    domain = new_domain()
    domain.add_user("Alice")
    with pytest.raises(StudioConfigError, match=r"'Alice' is the same name \(not case sensitive\)"):
        domain.add_user("alice")


def test_space_names_are_case_sensitive_as_the_model_documents_no_folding() -> None:
    assert not limits.case_insensitive("CreateSpace", "SpaceName")
    domain = new_domain()
    domain.add_space("Team")
    assert domain.add_space("team").space_name == "team"


def test_spec_fails_when_profile_names_differ_only_in_case() -> None:
    raw = {"domain": {"name": "research"}, "users": [{"name": "Alice"}, {"name": "alice"}]}
    with pytest.raises(StudioConfigError, match=r"not case sensitive"):
        parse_spec(raw)


# --- wrong Python types ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"sharing": "Private"}, r"spaces\[lab\]\.sharing: got 'Private'; one of SpaceSharing\.PRIVATE, SpaceSharing\.SHARED"),
        ({"owner": "alice"}, r"spaces\[lab\]\.owner: got 'alice'; a UserProfile of the domain \(got str\)"),
        ({"app_type": "JupyterLab"}, r"spaces\[lab\]\.app_type: got 'JupyterLab'; one of AppType"),
        ({"file_systems": "fs"}, r"spaces\[lab\]\.file_systems: got 'fs'; a list of EfsMount"),
        ({"display_name": 7}, r"spaces\[lab\]\.display_name: got 7; a display name \(str\) \(got int\)"),
    ],
)
def test_space_fails_on_wrong_types(domain: StudioDomain, props: dict[str, Any], expected: str) -> None:
    with pytest.raises(StudioConfigError, match=expected):
        domain.add_space("lab", **props)


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"auth_mode": "IAM"}, r"auth_mode: got 'IAM'; one of AuthMode\.IAM, AuthMode\.SSO"),
        ({"vpc": "vpc-0123456789abcdef0"}, r"vpc: got 'vpc-0123456789abcdef0'; an ec2\.IVpc \(got str\)"),
        ({"domain_name": 5}, r"domain_name: got 5; a domain name \(str\) \(got int\)"),
        ({"lifecycle_configs": "setup"}, r"lifecycle_configs: got 'setup'; a list of LifecycleConfig"),
        ({"tags": ["team"]}, r"tags: got \['team'\]; a mapping of tag keys to values \(got list\)"),
        ({"security_group_per_user": "yes"}, r"security_group_per_user: got 'yes'; True or False"),
    ],
)
def test_domain_fails_on_wrong_types(props: dict[str, Any], expected: str) -> None:
    stack, vpc = new_stack()
    props = {"vpc": vpc, "domain_name": "research", **props}
    with pytest.raises(StudioConfigError, match=expected):
        StudioDomain(stack, "Domain", **props)


def test_user_fails_on_wrong_types(domain: StudioDomain) -> None:
    with pytest.raises(StudioConfigError, match=r"user_profiles\[dana\]\.ebs: got 5; an EbsStorage \(got int\)"):
        domain.add_user("dana", ebs=5)


def test_lifecycle_config_fails_on_wrong_app_type() -> None:
    stack, _ = new_stack()
    with pytest.raises(StudioConfigError, match=r"app_type: got 'JupyterLab'"):
        LifecycleConfig(stack, "Setup", app_type="JupyterLab", script="echo hi")  # type: ignore[arg-type]


# --- stack-level limits ----------------------------------------------------------------------


def test_fails_when_a_subnet_selection_matches_nothing() -> None:
    with pytest.raises(
        StudioConfigError, match=r"^subnets: got \{'subnet_type': .*PUBLIC.*\}; a selection that matches subnets of vpc"
    ):
        new_domain(subnets=ec2.SubnetSelection(subnet_type=ec2.SubnetType.PUBLIC))


def test_fails_when_shared_spaces_overflow_the_domain_stack() -> None:
    raw = {"domain": {"name": "research"}, "spaces": [{"name": f"team{i}"} for i in range(MAX_RESOURCES_PER_STACK)]}
    with pytest.raises(
        StudioConfigError,
        match=r"spaces \(shared\): got .500 shared spaces, \d+ resources in the domain's stack.; at most 500 resources",
    ):
        StudioDomainStack(new_app(), "Studio", spec=parse_spec(raw), vpc=VPC, env=ENV)


# --- CloudFormation schema limits ------------------------------------------------------------


def test_tags_follow_the_stricter_schema(domain: StudioDomain) -> None:
    schema = cfn_schema.property_schema("AWS::SageMaker::Space", "Tags/*/Value")
    assert schema["maxLength"] == 128 and schema["minLength"] == 1  # the API allows 0-256
    with pytest.raises(StudioConfigError, match=r"a tag value: 1-128 characters .*CloudFormation's schema"):
        domain.add_space("lab", tags={"team": "x" * 129})
    with pytest.raises(StudioConfigError, match=r"a tag value: 1-128 characters"):
        domain.add_space("lab", tags={"team": ""})
    with pytest.raises(StudioConfigError, match=r"got '51 tags'; at most 50 tags"):
        domain.add_space("lab", tags={f"k{i}": "v" for i in range(51)})


def test_existing_vpc_ids_and_subnet_count_follow_the_schema() -> None:
    zones = tuple(f"us-east-1{c}" for c in "abcdefghijklmnopq")
    subnets = tuple(f"subnet-0aaaaaaaaaaaaaa{i:02d}" for i in range(17))
    with pytest.raises(StudioConfigError, match=r"private_subnet_ids: got '17 items'; the subnets: 1-16 items"):
        ExistingVpc("vpc-0123456789abcdef0", zones, subnets)
    with pytest.raises(StudioConfigError, match=r"vpc_id: got 'vpc-123'; a VPC id: .*AWS::EC2::VPC\.Id"):
        ExistingVpc("vpc-123", ("us-east-1a",), ("subnet-0aaaaaaaaaaaaaaa1",))
    with pytest.raises(StudioConfigError, match=r"private_subnet_ids\[0\]: got 'subnet-XYZ'"):
        ExistingVpc("vpc-0123456789abcdef0", ("us-east-1a",), ("subnet-XYZ",))


def test_domain_refuses_a_vpc_id_the_schema_rejects() -> None:
    stack = Stack(new_app(), "Test", env=ENV)
    vpc = ec2.Vpc.from_vpc_attributes(
        stack, "Vpc", vpc_id="my-vpc", availability_zones=["us-east-1a"], private_subnet_ids=["subnet-0aaaaaaaaaaaaaaa1"]
    )
    with pytest.raises(StudioConfigError, match=r"vpc: got 'my-vpc'; a VPC id"):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")


def test_fails_on_a_role_arn_the_schema_rejects() -> None:
    stack, vpc = new_stack()
    role = iam.Role.from_role_arn(stack, "Role", "arn:aws:iam::111122223333:role/bad#name", mutable=False)
    with pytest.raises(StudioConfigError, match=r"execution_role: got 'arn:aws:iam::111122223333:role/bad#name'"):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", execution_role=role)


def test_domain_instance_types_follow_the_stricter_schema() -> None:
    # the API lists ml.g7.2xlarge; the domain's schema does not, and lint.py reviews no gap for it
    assert "ml.g7.2xlarge" in limits.instance_types()
    with pytest.raises(StudioConfigError, match=r"app_defaults\.jupyter_lab_instance_type: got 'ml\.g7\.2xlarge'; .*Domain"):
        new_domain(app_defaults=AppDefaults(jupyter_lab_instance_type="ml.g7.2xlarge"))


def test_fails_on_a_file_system_id_the_schema_rejects() -> None:
    domain = new_domain()
    stack = Stack.of(domain)
    group = ec2.SecurityGroup.from_security_group_id(stack, "Group", "sg-0123456789abcdef0")
    imported = efs.FileSystem.from_file_system_attributes(stack, "Fs", file_system_id="fs-NOTHEX", security_group=group)
    with pytest.raises(StudioConfigError, match=r"file_systems\[team\]\.file_system: got 'fs-NOTHEX'"):
        EfsMount(stack, "team", domain=domain, file_system=imported)


def test_spec_refuses_ids_the_schema_rejects() -> None:
    raw = {
        "domain": {"name": "research"},
        "file_systems": [{"name": "data", "file_system_id": "fs-0123456789abcdef0123", "security_group_id": "sg-nothex"}],
    }
    with pytest.raises(StudioConfigError) as caught:
        parse_spec(raw)
    text = str(caught.value)
    assert "file_systems.0.file_system_id" in text and "file_systems.0.security_group_id" in text


def test_fails_when_more_lifecycle_configs_than_the_schema_lists() -> None:
    stack, vpc = new_stack()
    limit = cfn_schema.property_schema("AWS::SageMaker::Domain", "DefaultUserSettings/JupyterLabAppSettings/LifecycleConfigArns")[
        "maxItems"
    ]
    configs = [LifecycleConfig(stack, f"c{i}", app_type=AppType.JUPYTER_LAB, script=f"echo {i}") for i in range(limit + 1)]
    with pytest.raises(StudioConfigError, match=re.escape(f"got '{limit + 1} JupyterLab lifecycle configs'; at most {limit}")):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", lifecycle_configs=configs)


def test_private_space_of_a_string_owner_in_the_spec_is_refused() -> None:
    raw = {"domain": {"name": "research"}, "spaces": [{"name": "lab", "sharing": SpaceSharing.PRIVATE.value, "owner": "ghost"}]}
    with pytest.raises(StudioConfigError, match=r"spaces\[0\] \(lab\)\.owner: got 'ghost'"):
        parse_spec(raw)


# --- the vendored schema ---------------------------------------------------------------------


def test_vendored_schema_holds_the_create_only_properties() -> None:
    assert create_only_properties("AWS::SageMaker::Space") == (
        "DomainId",
        "SpaceName",
        "SpaceSharingSettings",
        "OwnershipSettings",
    )


def test_every_vendored_schema_loads_and_names_its_type() -> None:
    for resource_type in cfn_schema.RESOURCE_TYPES:
        assert cfn_schema.resource_schema(resource_type)["typeName"] == resource_type
    with pytest.raises(KeyError, match="not in the vendored schema snapshot"):
        cfn_schema.resource_schema("AWS::Bogus::Thing")


def test_limits_come_from_the_vendored_schema_not_the_installed_cfn_lint(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "cfnlint", None)  # importing cfn-lint would now fail
    cfn_schema.resource_schema.cache_clear()
    cfn_schema._property.cache_clear()
    assert cfn_schema.property_schema("AWS::SageMaker::Space", "SpaceSettings/CustomFileSystems")["maxItems"] == 1
