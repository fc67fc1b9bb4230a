"""The settings resource as synthesized: one writer per block, the profile's in its nested stack,
create-only values changed in place, its role limited to one domain and the roles it names; and
what it refuses. One synth for the module."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from aws_cdk import NestedStack, Stack
from aws_cdk import aws_sagemaker as sm

from sagemaker_studio_cdk.constructs.api_settings import (
    RESOURCE_TYPE,
    DeployedSettings,
    cfn_blocks,
    creation_values,
    plan_for,
)
from sagemaker_studio_cdk.constructs.canvas import CanvasSettings
from sagemaker_studio_cdk.constructs.domain import StudioDomain
from sagemaker_studio_cdk.constructs.settings import SpaceSharing
from sagemaker_studio_cdk.errors import StudioConfigError
from sagemaker_studio_cdk.policies.nag import add_packs
from sagemaker_studio_cdk.roster import Kind, Roster, deployed_settings, record_settings
from tests.support import new_stack, template_of

ACCOUNT = "111111111111"
FORECAST = f"arn:aws:iam::{ACCOUNT}:role/forecast"
EMR = f"arn:aws:iam::{ACCOUNT}:role/emr"
RSTUDIO = f"arn:aws:iam::{ACCOUNT}:role/rstudio"
SERVER_SPEC = "DomainSettings/RStudioServerProDomainSettings/DefaultResourceSpec"
REPO = "https://github.com/org/repo.git"
ACCESS = "UserSettings/RStudioServerProAppSettings/AccessStatus"
CANVAS = {"CanvasAppSettings": {"TimeSeriesForecastingSettings": {"Status": "ENABLED", "AmazonForecastRoleArn": FORECAST}}}


@dataclass
class Synth:
    domain: dict[str, Any]
    users: dict[str, Any]
    plain: dict[str, Any]
    directory: str


def _of(template: dict[str, Any], resource_type: str) -> dict[str, Any]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == resource_type}


@pytest.fixture(scope="module")
def synth() -> Synth:
    stack, vpc = new_stack()
    add_packs(stack.node.root, compliance=True)  # cdk-nag: synth fails on any unacknowledged finding
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    domain.api_only_settings["DefaultUserSettings"] = {
        **CANVAS,
        "JupyterLabAppSettings": {"EmrSettings": {"ExecutionRoleArns": [EMR]}},
    }
    # what RStudioSettings renders (server spec changed to system); the roster recorded ml.t3.medium at creation
    domain.resource.domain_settings = sm.CfnDomain.DomainSettingsProperty(
        **domain.resource.domain_settings._values,  # type: ignore[union-attr]
        r_studio_server_pro_domain_settings=sm.CfnDomain.RStudioServerProDomainSettingsProperty(
            domain_execution_role_arn=RSTUDIO, default_resource_spec=sm.CfnDomain.ResourceSpecProperty(instance_type="system")
        ),
    )
    domain.deployed_settings = DeployedSettings(creation_values={SERVER_SPEC: '{"InstanceType":"ml.t3.medium"}'})
    users = NestedStack(stack, "Users")
    alice = domain.add_user("alice", scope=users)
    alice.api_only_settings["UserSettings"] = {"TensorBoardAppSettings": {"DefaultResourceSpec": {"InstanceType": "system"}}}
    # what RStudioUser(access=ENABLED) renders; the roster recorded DISABLED at creation
    bob = domain.add_user("bob", scope=users)
    bob.resource.user_settings = {"rStudioServerProAppSettings": {"accessStatus": "ENABLED", "userGroup": "R_STUDIO_USER"}}
    bob.deployed_settings = DeployedSettings(creation_values={ACCESS: "DISABLED"})
    domain.add_user("carol", scope=users)
    # a profile's own Canvas: its Forecast role is made in the profile's nested stack
    domain.add_user("dave", scope=users, canvas=CanvasSettings(time_series_forecasting=True, workspace_s3_uri="s3://canvas/dave"))
    team = domain.add_space("team")
    team.api_only_settings["SpaceSettings"] = {"JupyterServerAppSettings": {"CodeRepositories": [{"RepositoryUrl": REPO}]}}
    plain_stack = Stack(stack.node.scope, "Plain", env=stack.environment and None)  # type: ignore[arg-type]
    StudioDomain(plain_stack, "Domain", vpc=vpc, domain_name="plain")
    return Synth(
        template_of(stack).to_json(),
        template_of(users).to_json(),
        template_of(plain_stack).to_json(),
        stack.node.root.synth().directory,  # type: ignore[attr-defined]
    )


def _settings(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"].get("UserProfileName", r["Properties"].get("SpaceName", "domain")): r
        for r in _of(template, RESOURCE_TYPE).values()
    }


def test_a_block_with_an_api_only_member_has_one_writer(synth: Synth) -> None:
    domain = next(iter(_of(synth.domain, "AWS::SageMaker::Domain").values()))["Properties"]
    assert "JupyterLabAppSettings" not in domain["DefaultUserSettings"]
    assert "JupyterLabAppSettings" in domain["DefaultSpaceSettings"]  # another block: CloudFormation keeps it
    blocks = _settings(synth.domain)["domain"]["Properties"]["Blocks"]
    lab = blocks["DefaultUserSettings.JupyterLabAppSettings"]
    assert lab["EmrSettings"] == {"ExecutionRoleArns": [EMR]}
    assert lab["AppLifecycleManagement"]["IdleSettings"]["IdleTimeoutInMinutes"] == 60  # CloudFormation's members, API shape
    assert blocks["DefaultUserSettings.CanvasAppSettings"] == CANVAS["CanvasAppSettings"]
    restore = _settings(synth.domain)["domain"]["Properties"]["Restore"]
    assert restore["DefaultUserSettings.CanvasAppSettings"] == {"TimeSeriesForecastingSettings": {"Status": "DISABLED"}}


def test_a_spaces_settings_go_through_its_own_resource(synth: Synth) -> None:
    props = _settings(synth.domain)["team"]["Properties"]
    assert (props["Kind"], props["SpaceName"]) == ("Space", "team")
    assert props["Blocks"] == {"SpaceSettings.JupyterServerAppSettings": {"CodeRepositories": [{"RepositoryUrl": REPO}]}}


def test_it_depends_on_its_parent_and_carries_a_hash_of_its_settings(synth: Synth) -> None:
    domain_id = next(iter(_of(synth.domain, "AWS::SageMaker::Domain")))
    settings = _settings(synth.domain)["domain"]
    assert settings["Properties"]["DomainId"] == {"Fn::GetAtt": [domain_id, "DomainId"]}  # after the domain
    assert len(settings["Properties"]["CfnHash"]) == 16
    bob = next(
        k for k, r in _of(synth.users, "AWS::SageMaker::UserProfile").items() if r["Properties"]["UserProfileName"] == "bob"
    )
    assert _settings(synth.users)["bob"]["DependsOn"] == [bob]


def test_a_profiles_settings_live_in_its_nested_stack_and_only_where_needed(synth: Synth) -> None:
    mine = _settings(synth.users)
    assert set(mine) == {"alice", "bob", "dave"}
    assert mine["alice"]["Properties"]["Blocks"] == {
        "UserSettings.TensorBoardAppSettings": {"DefaultResourceSpec": {"InstanceType": "system"}}
    }
    assert _of(synth.plain, RESOURCE_TYPE) == {}
    assert not [k for k in synth.plain["Resources"] if "ApiSettings" in k]


def test_a_create_only_change_stays_out_of_the_template_and_is_applied_in_place(synth: Synth) -> None:
    profiles = {r["Properties"]["UserProfileName"]: r for r in _of(synth.users, "AWS::SageMaker::UserProfile").values()}
    assert profiles["bob"]["Properties"]["UserSettings"]["RStudioServerProAppSettings"]["AccessStatus"] == "DISABLED"
    props = _settings(synth.users)["bob"]["Properties"]
    assert props["Blocks"] == {
        "UserSettings.RStudioServerProAppSettings": {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_USER"}
    }
    assert props["Restore"] == {
        "UserSettings.RStudioServerProAppSettings": {"AccessStatus": "DISABLED", "UserGroup": "R_STUDIO_USER"}
    }


def test_the_rstudio_server_spec_changes_in_place_on_the_domain(synth: Synth) -> None:
    domain = next(iter(_of(synth.domain, "AWS::SageMaker::Domain").values()))["Properties"]
    server = domain["DomainSettings"]["RStudioServerProDomainSettings"]
    assert server == {"DomainExecutionRoleArn": RSTUDIO, "DefaultResourceSpec": {"InstanceType": "ml.t3.medium"}}
    props = _settings(synth.domain)["domain"]["Properties"]
    block = "DomainSettings.RStudioServerProDomainSettings"
    assert props["Blocks"][block] == {"DomainExecutionRoleArn": RSTUDIO, "DefaultResourceSpec": {"InstanceType": "system"}}
    assert props["Restore"][block]["DefaultResourceSpec"] == {"InstanceType": "ml.t3.medium"}


def test_its_role_updates_one_domain_and_passes_only_the_named_roles(synth: Synth) -> None:
    roles = {
        k: r
        for k, r in _of(synth.domain, "AWS::IAM::Role").items()
        if {"Key": "studio:persona", "Value": "settings"} in r["Properties"].get("Tags", [])
    }
    assert roles
    handler = next(k for k in roles if "HandlerRole" in k)
    policy = next(
        p["Properties"]["PolicyDocument"]
        for p in _of(synth.domain, "AWS::IAM::Policy").values()
        if {"Ref": handler} in p["Properties"]["Roles"]
    )
    by_sid = {s.get("Sid"): s for s in policy["Statement"]}
    assert by_sid["SettingsPassRole"]["Resource"] == [EMR, FORECAST, RSTUDIO]
    assert by_sid["SettingsPassRole"]["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    assert "user-profile/" in json.dumps(by_sid["SettingsProfiles"]["Resource"])
    assert {a for s in policy["Statement"] for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])} == {
        "sagemaker:DescribeDomain",
        "sagemaker:UpdateDomain",
        "sagemaker:DescribeUserProfile",
        "sagemaker:UpdateUserProfile",
        "sagemaker:DescribeSpace",
        "sagemaker:UpdateSpace",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "iam:PassRole",
    }
    functions = _of(synth.domain, "AWS::Lambda::Function")
    tagged = [f for f in functions.values() if {"Key": "studio:persona", "Value": "settings"} in f["Properties"].get("Tags", [])]
    assert len(tagged) >= 2


def test_roles_made_in_a_profiles_nested_stack_are_passed_by_a_policy_there(synth: Synth) -> None:
    """The provider's policy cannot name a role of the nested stack (the stacks would depend on each
    other both ways): a policy in the nested stack lets the provider's role pass it, and the
    profile's settings resource waits for that policy."""
    (role_id,) = [k for k, r in _of(synth.users, "AWS::IAM::Role").items() if "CanvasForecastRole" in k]
    policies = {
        k: p
        for k, p in _of(synth.users, "AWS::IAM::Policy").items()
        if any(s.get("Sid") == "SettingsPassRole" for s in p["Properties"]["PolicyDocument"]["Statement"])
    }
    ((policy_id, policy),) = policies.items()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == {"Fn::GetAtt": [role_id, "Arn"]}
    assert statement["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    (role_ref,) = policy["Properties"]["Roles"]
    assert "Ref" in role_ref and "HandlerRole" in role_ref["Ref"]  # the provider's role, passed in as a parameter
    assert policy_id in _settings(synth.users)["dave"]["DependsOn"]
    # the domain stack's own policy names none of the nested stack's roles
    assert "CanvasForecastRole" not in json.dumps(_of(synth.domain, "AWS::IAM::Policy"))


# -- refused at synth: plain planning, no synth ----------------------------------------------------------


@pytest.fixture(scope="module")
def domain() -> StudioDomain:
    stack, vpc = new_stack()
    return StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")


def _plan(domain: StudioDomain, settings: dict[str, dict[str, Any]], deployed: DeployedSettings | None = None) -> Any:
    domain.api_only_settings = settings
    domain.deployed_settings = deployed
    try:
        return plan_for("domain", "Domain", domain, domain.resource)
    finally:
        domain.api_only_settings, domain.deployed_settings = {}, None


def test_a_setting_on_the_wrong_level_is_refused(domain: StudioDomain) -> None:
    with pytest.raises(StudioConfigError, match="CodeEditorAppSettings"):
        _plan(domain, {"DefaultSpaceSettings": {"CodeEditorAppSettings": {"CustomImages": []}}})


def test_a_setting_cloudformation_carries_is_refused(domain: StudioDomain) -> None:
    with pytest.raises(StudioConfigError, match="use the construct's prop"):
        _plan(
            domain, {"DefaultUserSettings": {"JupyterLabAppSettings": {"DefaultResourceSpec": {"InstanceType": "ml.t3.large"}}}}
        )
    with pytest.raises(StudioConfigError, match="HiddenAppTypes"):
        _plan(domain, {"DefaultUserSettings": {"StudioWebPortalSettings": {"HiddenAppTypes": ["Canvas"]}}})


def test_a_list_with_a_value_cloudformations_enum_lacks_is_api_only_whole(domain: StudioDomain) -> None:
    """The whole list goes to the settings resource (CloudFormation's values with the API's), so the
    block has one writer; a list CloudFormation's enum covers entirely stays in the template."""
    whole = ["Canvas", "KernelGateway"]
    plan = _plan(domain, {"DefaultUserSettings": {"StudioWebPortalSettings": {"HiddenAppTypes": whole}}})
    assert plan.moved == {"DefaultUserSettings.StudioWebPortalSettings": {"HiddenAppTypes": whole}}


def test_moving_a_block_cloudformation_writes_on_the_deployed_domain_is_refused(domain: StudioDomain) -> None:
    deployed = DeployedSettings(cfn_blocks=frozenset(cfn_blocks("Domain", domain.resource)))
    assert "DefaultUserSettings.JupyterLabAppSettings" in deployed.cfn_blocks
    with pytest.raises(StudioConfigError, match=r"DefaultUserSettings\.JupyterLabAppSettings.*cfn="):
        _plan(domain, {"DefaultUserSettings": {"JupyterLabAppSettings": {"EmrSettings": {"ExecutionRoleArns": [EMR]}}}}, deployed)
    # a block CloudFormation never wrote may go to the settings resource
    assert _plan(domain, {"DefaultUserSettings": CANVAS}, deployed).moved


def test_a_private_space_is_refused_api_only_settings(domain: StudioDomain) -> None:
    owner = domain.add_user("dave")
    space = domain.add_space("dave-lab", sharing=SpaceSharing.PRIVATE, owner=owner)
    space.api_only_settings["SpaceSettings"] = {"JupyterServerAppSettings": {"CodeRepositories": [{"RepositoryUrl": REPO}]}}
    with pytest.raises(StudioConfigError, match="a shared space"):
        plan_for("spaces[dave-lab]", "Space", space, space.resource)


def test_the_roster_records_creation_values_of_in_place_paths(domain: StudioDomain) -> None:
    assert creation_values("Domain", domain.resource) == {}
    assert "DomainSettings.SecurityGroupIds" not in cfn_blocks("Domain", domain.resource)  # scalars are not blocks


def test_roster_update_records_what_cloudformation_writes_and_creation_values(synth: Synth) -> None:
    seeded = Roster.parse(
        "research user alice Users active 1\nresearch user bob Users active 1\nresearch user carol Users retired 1\n"
    )
    recorded = record_settings(seeded, synth.directory)
    domain = deployed_settings(recorded, "research", Kind.DOMAIN, "research")
    assert domain is not None
    assert "DefaultUserSettings.JupyterLabAppSettings" not in domain.cfn_blocks  # the settings resource writes it
    assert {"DefaultSpaceSettings.JupyterLabAppSettings", "DefaultUserSettings.SpaceStorageSettings"} <= domain.cfn_blocks
    bob = deployed_settings(recorded, "research", Kind.USER, "bob")
    assert bob is not None and bob.creation_values == {
        ACCESS: "DISABLED",
        ACCESS.replace("AccessStatus", "UserGroup"): "R_STUDIO_USER",
    }
    assert recorded.get("research", Kind.USER, "carol") == seeded.get("research", Kind.USER, "carol")
    # the file keeps its format, the attributes trail; re-reading gives the same roster
    again = Roster.parse(recorded.render())
    assert again.entries == recorded.entries
    assert [e.attributes for e in again.entries] == [e.attributes for e in recorded.entries]
    # a later change never rewrites a creation value
    changed = Roster.parse(recorded.render().replace("AccessStatus=DISABLED", "AccessStatus=ENABLED"))
    assert record_settings(changed, synth.directory).render() == changed.render()


def test_read_back_shows_a_list_with_an_api_only_value_whole() -> None:
    """``make demo``'s read-back follows the same rule as the settings resource."""
    from sagemaker_studio_cdk.api_model import api_only_parts

    mixed = {"StudioWebPortalSettings": {"HiddenAppTypes": ["Canvas", "KernelGateway"]}}
    assert list(api_only_parts("Domain", "DefaultUserSettings", mixed)) == [
        ("DefaultUserSettings.StudioWebPortalSettings.HiddenAppTypes", ["Canvas", "KernelGateway"])
    ]
    covered = {"StudioWebPortalSettings": {"HiddenAppTypes": ["Canvas"]}}
    assert list(api_only_parts("Domain", "DefaultUserSettings", covered)) == []
