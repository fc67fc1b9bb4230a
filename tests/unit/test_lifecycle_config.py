"""LifecycleConfig: content-addressed, immutable, retained when superseded; attached where its app runs."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Match, Template

from sagemaker_studio_cdk import (
    AppType,
    SpaceSharing,
    StudioConfigError,
    StudioDomain,
    StudioImage,
)
from sagemaker_studio_cdk.constructs.lifecycle_config import LifecycleConfig
from tests.support import ENV, new_app, new_stack, template_of

LCC = "AWS::SageMaker::StudioLifecycleConfig"
DOMAIN = "AWS::SageMaker::Domain"
PROFILE = "AWS::SageMaker::UserProfile"
SPACE = "AWS::SageMaker::Space"
SCRIPT = "#!/bin/bash\nset -eu\npip install --quiet jupyterlab-autosave\n"
USER_IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/alice-image"
SPACE_IMAGE_ARN = "arn:aws:sagemaker:us-east-1:123456789012:image/team-image"
DISTRIBUTION_CPU_US_EAST_1 = "arn:aws:sagemaker:us-east-1:885854791233:image/sagemaker-distribution-cpu"
NAME = re.compile(r"^(?P<prefix>.+)-(?P<hash>[0-9a-f]{12})$")


def message(text: str) -> str:
    return re.escape(text)


def arn_of(config: LifecycleConfig) -> dict[str, Any]:
    """What a reference to ``config``'s ARN renders as in its own stack."""
    return {"Fn::GetAtt": [Stack.of(config).get_logical_id(config.resource), "StudioLifecycleConfigArn"]}


def config_in_new_stack(
    construct_id: str = "Autosave", *, stack_name: str = "Test", app_type: AppType = AppType.JUPYTER_LAB, **props: Any
) -> LifecycleConfig:
    """One config alone in a stack of a new app."""
    stack = Stack(new_app(), stack_name, env=ENV)
    props.setdefault("script", SCRIPT)
    return LifecycleConfig(stack, construct_id, app_type=app_type, **props)


# --- the resource ---------------------------------------------------------------------------


@dataclass
class Single:
    stack: Stack
    lab: LifecycleConfig
    editor: LifecycleConfig
    template: Template


@pytest.fixture(scope="module")
def single() -> Single:
    stack, _ = new_stack()
    lab = LifecycleConfig(stack, "Autosave", app_type=AppType.JUPYTER_LAB, script=SCRIPT, tags={"team": "ml", "cost": "7"})
    editor = LifecycleConfig(stack, "EditorSetup", app_type=AppType.CODE_EDITOR, script="echo editor\n")
    return Single(stack, lab, editor, template_of(stack))


def test_content_is_the_script_base64_encoded(single: Single) -> None:
    encoded = base64.b64encode(SCRIPT.encode()).decode()
    single.template.has_resource_properties(
        LCC, {"StudioLifecycleConfigName": single.lab.lifecycle_config_name, "StudioLifecycleConfigContent": encoded}
    )


def test_content_decodes_back_to_the_script(single: Single) -> None:
    (resource,) = [
        r
        for r in single.template.find_resources(LCC).values()
        if r["Properties"]["StudioLifecycleConfigName"] == single.lab.lifecycle_config_name
    ]
    assert base64.b64decode(resource["Properties"]["StudioLifecycleConfigContent"]).decode() == SCRIPT


def test_app_type_jupyter_lab_is_set(single: Single) -> None:
    single.template.has_resource_properties(
        LCC, {"StudioLifecycleConfigName": single.lab.lifecycle_config_name, "StudioLifecycleConfigAppType": "JupyterLab"}
    )


def test_app_type_code_editor_is_set(single: Single) -> None:
    single.template.has_resource_properties(
        LCC, {"StudioLifecycleConfigName": single.editor.lifecycle_config_name, "StudioLifecycleConfigAppType": "CodeEditor"}
    )


def test_tags_are_set_on_the_config_sorted_by_key(single: Single) -> None:
    single.template.has_resource_properties(
        LCC,
        {
            "StudioLifecycleConfigName": single.lab.lifecycle_config_name,
            "Tags": [{"Key": "cost", "Value": "7"}, {"Key": "team", "Value": "ml"}],
        },
    )


def test_config_without_tags_has_no_tags(single: Single) -> None:
    single.template.has_resource_properties(
        LCC, {"StudioLifecycleConfigName": single.editor.lifecycle_config_name, "Tags": Match.absent()}
    )


def test_name_is_the_construct_id_and_12_hex_digits(single: Single) -> None:
    match = NAME.match(single.lab.lifecycle_config_name)
    assert match is not None, single.lab.lifecycle_config_name
    assert match["prefix"] == "Autosave"


def test_name_in_the_template_is_the_content_addressed_name(single: Single) -> None:
    names = [r["Properties"]["StudioLifecycleConfigName"] for r in single.template.find_resources(LCC).values()]
    assert sorted(names) == sorted([single.lab.lifecycle_config_name, single.editor.lifecycle_config_name])


def test_name_prefix_sets_the_readable_part() -> None:
    config = config_in_new_stack(name_prefix="team-autosave")
    match = NAME.match(config.lifecycle_config_name)
    assert match is not None and match["prefix"] == "team-autosave"


def test_name_is_at_most_63_characters_with_a_long_prefix() -> None:
    config = config_in_new_stack(name_prefix="a" * 100)
    assert len(config.lifecycle_config_name) <= 63
    assert NAME.match(config.lifecycle_config_name) is not None


def test_name_is_at_most_63_characters_with_a_long_construct_id() -> None:
    config = config_in_new_stack("x" * 100)
    assert len(config.lifecycle_config_name) <= 63
    assert NAME.match(config.lifecycle_config_name) is not None


def test_name_prefix_drops_characters_a_name_cannot_hold() -> None:
    config = config_in_new_stack(name_prefix="team_autosave.v2")
    assert re.fullmatch(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}", config.lifecycle_config_name), config.lifecycle_config_name


def test_a_changed_script_changes_the_name() -> None:
    before = config_in_new_stack(script=SCRIPT)
    after = config_in_new_stack(script=SCRIPT + "echo one more line\n")
    assert before.lifecycle_config_name != after.lifecycle_config_name


def test_a_changed_app_type_changes_the_name() -> None:
    lab = config_in_new_stack(app_type=AppType.JUPYTER_LAB)
    editor = config_in_new_stack(app_type=AppType.CODE_EDITOR)
    assert lab.lifecycle_config_name != editor.lifecycle_config_name


def test_changed_tags_change_the_name() -> None:
    before = config_in_new_stack(tags={"team": "ml"})
    after = config_in_new_stack(tags={"team": "vision"})
    assert before.lifecycle_config_name != after.lifecycle_config_name


def test_added_tags_change_the_name() -> None:
    assert config_in_new_stack().lifecycle_config_name != config_in_new_stack(tags={"team": "ml"}).lifecycle_config_name


def test_the_same_inputs_give_the_same_name_in_two_apps() -> None:
    first = config_in_new_stack(tags={"team": "ml"})
    second = config_in_new_stack(tags={"team": "ml"})
    assert first.node.root is not second.node.root
    assert first.lifecycle_config_name == second.lifecycle_config_name


def test_tag_order_does_not_change_the_name() -> None:
    first = config_in_new_stack(tags={"a": "1", "b": "2"})
    second = config_in_new_stack(tags={"b": "2", "a": "1"})
    assert first.lifecycle_config_name == second.lifecycle_config_name


def test_two_stacks_with_the_same_script_get_different_names() -> None:
    app = new_app()
    first = LifecycleConfig(Stack(app, "TeamA", env=ENV), "Autosave", app_type=AppType.JUPYTER_LAB, script=SCRIPT)
    second = LifecycleConfig(Stack(app, "TeamB", env=ENV), "Autosave", app_type=AppType.JUPYTER_LAB, script=SCRIPT)
    assert first.lifecycle_config_name != second.lifecycle_config_name
    for config in (first, second):
        template_of(Stack.of(config)).has_resource_properties(LCC, {"StudioLifecycleConfigName": config.lifecycle_config_name})


def test_script_file_is_read(tmp_path: Path) -> None:
    script_file = tmp_path / "autosave.sh"
    script_file.write_text(SCRIPT)
    stack, _ = new_stack()
    LifecycleConfig(stack, "Autosave", app_type=AppType.JUPYTER_LAB, script_file=script_file)
    template_of(stack).has_resource_properties(LCC, {"StudioLifecycleConfigContent": base64.b64encode(SCRIPT.encode()).decode()})


def test_script_file_as_a_string_path_is_read(tmp_path: Path) -> None:
    script_file = tmp_path / "autosave.sh"
    script_file.write_text(SCRIPT)
    config = config_in_new_stack(script=None, script_file=str(script_file))
    assert config.content == SCRIPT


def test_script_file_and_the_same_script_inline_give_the_same_name(tmp_path: Path) -> None:
    script_file = tmp_path / "autosave.sh"
    script_file.write_text(SCRIPT)
    from_file = config_in_new_stack(script=None, script_file=script_file)
    inline = config_in_new_stack(script=SCRIPT)
    assert from_file.lifecycle_config_name == inline.lifecycle_config_name


def test_superseded_config_is_retained_on_replacement(single: Single) -> None:
    single.template.has_resource(
        LCC, {"Properties": {"StudioLifecycleConfigName": single.lab.lifecycle_config_name}, "UpdateReplacePolicy": "Retain"}
    )


def test_current_config_is_deleted_with_the_stack(single: Single) -> None:
    single.template.has_resource(
        LCC, {"Properties": {"StudioLifecycleConfigName": single.lab.lifecycle_config_name}, "DeletionPolicy": "Delete"}
    )


def test_every_config_is_retained_on_replacement_and_deleted_with_the_stack(single: Single) -> None:
    for resource in single.template.find_resources(LCC).values():
        assert (resource.get("UpdateReplacePolicy"), resource.get("DeletionPolicy")) == ("Retain", "Delete")


def test_logical_id_does_not_change_when_the_script_changes() -> None:
    """Same logical id, new name: CloudFormation replaces the config (and retains the old one)."""
    before = config_in_new_stack(script=SCRIPT)
    after = config_in_new_stack(script=SCRIPT + "echo changed\n")
    ids = [Stack.of(c).resolve(Stack.of(c).get_logical_id(c.resource)) for c in (before, after)]
    assert ids[0] == ids[1]
    assert before.lifecycle_config_name != after.lifecycle_config_name
    templates = [template_of(Stack.of(c)).to_json()["Resources"] for c in (before, after)]
    assert templates[0][ids[0]]["Properties"]["StudioLifecycleConfigName"] == before.lifecycle_config_name
    assert templates[1][ids[1]]["Properties"]["StudioLifecycleConfigName"] == after.lifecycle_config_name


def test_arn_is_the_resources_arn_attribute(single: Single) -> None:
    assert single.stack.resolve(single.lab.lifecycle_config_arn) == arn_of(single.lab)


# --- attachment -----------------------------------------------------------------------------


@dataclass
class Attached:
    stack: Stack
    domain: StudioDomain
    template: Template
    configs: dict[str, LifecycleConfig]


@pytest.fixture(scope="module")
def attached() -> Attached:
    """Configs at every level: domain lists and defaults, a user's, two spaces' defaults."""
    stack, vpc = new_stack()
    configs = {
        name: LifecycleConfig(stack, name, app_type=app_type, script=f"echo {name}\n")
        for name, app_type in (
            ("LabDefault", AppType.JUPYTER_LAB),
            ("LabExtra", AppType.JUPYTER_LAB),
            ("EditorDefault", AppType.CODE_EDITOR),
            ("EditorExtra", AppType.CODE_EDITOR),
            ("AliceLab", AppType.JUPYTER_LAB),
            ("AliceEditorDefault", AppType.CODE_EDITOR),
            ("SpaceLab", AppType.JUPYTER_LAB),
        )
    }
    domain = StudioDomain(
        stack,
        "Domain",
        vpc=vpc,
        domain_name="research",
        lifecycle_configs=[configs["LabExtra"], configs["EditorExtra"]],
        default_lifecycle_configs=[configs["LabDefault"], configs["EditorDefault"]],
    )
    alice = domain.add_user(
        "alice",
        lifecycle_configs=[configs["AliceLab"]],
        default_lifecycle_configs=[configs["AliceEditorDefault"]],
        default_image=StudioImage.from_image_arn(USER_IMAGE_ARN),
    )
    domain.add_user("bob")
    domain.add_space(
        "alice-lab",
        sharing=SpaceSharing.PRIVATE,
        owner=alice,
        lifecycle_config=configs["SpaceLab"],
        image=StudioImage.from_image_arn(SPACE_IMAGE_ARN),
    )
    domain.add_space("editor", app_type=AppType.CODE_EDITOR, lifecycle_config=configs["EditorExtra"])
    domain.add_space("plain")
    return Attached(stack, domain, template_of(stack), configs)


def arns(attached: Attached, *names: str) -> list[dict[str, Any]]:
    return [arn_of(attached.configs[n]) for n in names]


def domain_settings(attached: Attached, key: str) -> dict[str, Any]:
    (domain,) = attached.template.find_resources(DOMAIN).values()
    settings: dict[str, Any] = domain["Properties"][key]
    return settings


def profile_settings(attached: Attached, name: str) -> dict[str, Any]:
    (profile,) = [r for r in attached.template.find_resources(PROFILE).values() if r["Properties"]["UserProfileName"] == name]
    settings: dict[str, Any] = profile["Properties"].get("UserSettings", {})
    return settings


def space_settings(attached: Attached, name: str) -> dict[str, Any]:
    (space,) = [r for r in attached.template.find_resources(SPACE).values() if r["Properties"]["SpaceName"] == name]
    settings: dict[str, Any] = space["Properties"]["SpaceSettings"]
    return settings


def test_domain_jupyter_lab_configs_are_allowed_in_jupyter_lab(attached: Attached) -> None:
    allowed = domain_settings(attached, "DefaultUserSettings")["JupyterLabAppSettings"]["LifecycleConfigArns"]
    assert sorted(map(str, allowed)) == sorted(map(str, arns(attached, "LabDefault", "LabExtra")))


def test_domain_code_editor_configs_are_allowed_in_code_editor(attached: Attached) -> None:
    allowed = domain_settings(attached, "DefaultUserSettings")["CodeEditorAppSettings"]["LifecycleConfigArns"]
    assert sorted(map(str, allowed)) == sorted(map(str, arns(attached, "EditorDefault", "EditorExtra")))


def test_domain_default_jupyter_lab_config_is_the_default_resource_spec(attached: Attached) -> None:
    attached.template.has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {
                "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": arn_of(attached.configs["LabDefault"])}}
            }
        },
    )


def test_domain_default_code_editor_config_is_the_default_resource_spec(attached: Attached) -> None:
    attached.template.has_resource_properties(
        DOMAIN,
        {
            "DefaultUserSettings": {
                "CodeEditorAppSettings": {
                    "DefaultResourceSpec": {"LifecycleConfigArn": arn_of(attached.configs["EditorDefault"])}
                }
            }
        },
    )


def test_domain_defaults_are_also_in_the_allowed_lists(attached: Attached) -> None:
    settings = domain_settings(attached, "DefaultUserSettings")
    assert arn_of(attached.configs["LabDefault"]) in settings["JupyterLabAppSettings"]["LifecycleConfigArns"]
    assert arn_of(attached.configs["EditorDefault"]) in settings["CodeEditorAppSettings"]["LifecycleConfigArns"]


def test_domain_jupyter_lab_configs_reach_shared_spaces(attached: Attached) -> None:
    lab = domain_settings(attached, "DefaultSpaceSettings")["JupyterLabAppSettings"]
    assert lab["DefaultResourceSpec"]["LifecycleConfigArn"] == arn_of(attached.configs["LabDefault"])
    assert sorted(map(str, lab["LifecycleConfigArns"])) == sorted(map(str, arns(attached, "LabDefault", "LabExtra")))


def test_domain_code_editor_configs_do_not_reach_default_space_settings(attached: Attached) -> None:
    attached.template.has_resource_properties(DOMAIN, {"DefaultSpaceSettings": {"CodeEditorAppSettings": Match.absent()}})
    rendered = str(domain_settings(attached, "DefaultSpaceSettings"))
    for name in ("EditorDefault", "EditorExtra"):
        assert str(arn_of(attached.configs[name])) not in rendered


def test_user_configs_are_allowed_for_the_user(attached: Attached) -> None:
    lab = profile_settings(attached, "alice")["JupyterLabAppSettings"]
    assert lab["LifecycleConfigArns"] == arns(attached, "AliceLab")


def test_user_default_is_the_users_default_resource_spec(attached: Attached) -> None:
    editor = profile_settings(attached, "alice")["CodeEditorAppSettings"]
    assert editor["DefaultResourceSpec"]["LifecycleConfigArn"] == arn_of(attached.configs["AliceEditorDefault"])


def test_user_default_is_also_allowed_for_the_user(attached: Attached) -> None:
    editor = profile_settings(attached, "alice")["CodeEditorAppSettings"]
    assert editor["LifecycleConfigArns"] == arns(attached, "AliceEditorDefault")


def test_user_configs_stay_in_their_apps_list(attached: Attached) -> None:
    settings = profile_settings(attached, "alice")
    assert arn_of(attached.configs["AliceLab"]) not in settings["CodeEditorAppSettings"]["LifecycleConfigArns"]
    assert (
        "DefaultResourceSpec" not in settings["JupyterLabAppSettings"]
        or "LifecycleConfigArn" not in (settings["JupyterLabAppSettings"]["DefaultResourceSpec"])
    )


def test_user_without_configs_inherits_the_domains(attached: Attached) -> None:
    settings = profile_settings(attached, "bob")
    assert "JupyterLabAppSettings" not in settings
    assert "CodeEditorAppSettings" not in settings


def test_space_lifecycle_config_is_the_default_of_its_app(attached: Attached) -> None:
    attached.template.has_resource_properties(
        SPACE,
        {
            "SpaceName": "alice-lab",
            "SpaceSettings": {
                "JupyterLabAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": arn_of(attached.configs["SpaceLab"])}}
            },
        },
    )


def test_code_editor_space_lifecycle_config_is_in_code_editor_settings(attached: Attached) -> None:
    attached.template.has_resource_properties(
        SPACE,
        {
            "SpaceName": "editor",
            "SpaceSettings": {
                "AppType": "CodeEditor",
                "CodeEditorAppSettings": {"DefaultResourceSpec": {"LifecycleConfigArn": arn_of(attached.configs["EditorExtra"])}},
                "JupyterLabAppSettings": Match.absent(),
            },
        },
    )


def test_space_takes_no_allowed_list(attached: Attached) -> None:
    for resource in attached.template.find_resources(SPACE).values():
        assert "LifecycleConfigArns" not in str(resource["Properties"]["SpaceSettings"])


def test_space_without_lifecycle_config_has_no_app_settings(attached: Attached) -> None:
    assert set(space_settings(attached, "plain")) == {"AppType"}


def test_approved_lifecycle_config_arns_hold_domain_user_and_space_configs(attached: Attached) -> None:
    approved = attached.stack.resolve(attached.domain.approved_lifecycle_config_arns)
    assert sorted(map(str, approved)) == sorted(map(str, arns(attached, *attached.configs)))


def test_approved_lifecycle_config_arns_list_each_config_once(attached: Attached) -> None:
    approved = [str(a) for a in attached.stack.resolve(attached.domain.approved_lifecycle_config_arns)]
    assert len(approved) == len(set(approved))


def test_approved_lifecycle_configs_are_the_config_constructs(attached: Attached) -> None:
    assert {c.node.path for c in attached.domain.approved_lifecycle_configs} == {c.node.path for c in attached.configs.values()}


def test_approved_image_arns_hold_the_default_image_and_user_and_space_images(attached: Attached) -> None:
    approved = attached.stack.resolve(attached.domain.approved_image_arns)
    assert sorted(approved) == sorted([DISTRIBUTION_CPU_US_EAST_1, USER_IMAGE_ARN, SPACE_IMAGE_ARN])


def test_approved_lifecycle_config_arns_grow_with_later_users() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    assert domain.approved_lifecycle_config_arns == []
    late = LifecycleConfig(stack, "Late", app_type=AppType.JUPYTER_LAB, script=SCRIPT)
    domain.add_user("carol", lifecycle_configs=[late])
    assert stack.resolve(domain.approved_lifecycle_config_arns) == [arn_of(late)]


# --- bad input ------------------------------------------------------------------------------


def test_fails_when_script_is_too_large_with_its_encoded_size() -> None:
    # 12289 bytes encode to 16388 base64 characters, 4 above the limit.
    with pytest.raises(
        StudioConfigError,
        match=message("lifecycle_configs[Big].script: got '16388 characters once base64-encoded'; at most 16384 base64"),
    ):
        config_in_new_stack("Big", script="x" * 12289)


def test_script_at_the_size_limit_is_accepted() -> None:
    # 12288 bytes encode to exactly 16384 base64 characters.
    config = config_in_new_stack("Largest", script="x" * 12288)
    assert len(base64.b64encode(config.content.encode())) == 16384


def test_fails_when_script_is_too_large_in_utf8_bytes() -> None:
    # 6000 two-byte characters: 12000 bytes of UTF-8, 16000 base64 characters -> fits; 7000 do not.
    config_in_new_stack("Fits", script="é" * 6000)
    with pytest.raises(StudioConfigError, match=message("got '18668 characters once base64-encoded'")):
        config_in_new_stack("TooBig", script="é" * 7000)


def test_fails_when_script_and_script_file_are_both_given(tmp_path: Path) -> None:
    script_file = tmp_path / "autosave.sh"
    script_file.write_text(SCRIPT)
    with pytest.raises(
        StudioConfigError, match=message("lifecycle_configs[Autosave]: got 'script and script_file'; exactly one")
    ):
        config_in_new_stack(script=SCRIPT, script_file=script_file)


def test_fails_when_neither_script_nor_script_file_is_given() -> None:
    with pytest.raises(
        StudioConfigError, match=message("lifecycle_configs[Autosave]: got None; exactly one of script or script_file")
    ):
        config_in_new_stack(script=None)


def test_fails_when_script_file_is_unreadable(tmp_path: Path) -> None:
    missing = tmp_path / "missing.sh"
    with pytest.raises(
        StudioConfigError, match=message(f"lifecycle_configs[Autosave].script_file: got '{missing}'; a readable file")
    ):
        config_in_new_stack(script=None, script_file=missing)


def test_fails_when_script_is_empty() -> None:
    with pytest.raises(StudioConfigError, match=message("lifecycle_configs[Autosave].script: got ' \\n'; a non-empty script")):
        config_in_new_stack(script=" \n")


def test_fails_when_app_type_is_not_an_app_type() -> None:
    with pytest.raises(StudioConfigError, match=message("lifecycle_configs[Autosave].app_type: got 'JupyterLab'")):
        config_in_new_stack(app_type="JupyterLab")  # type: ignore[arg-type]


def test_fails_when_space_lifecycle_config_has_another_app_type() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    editor = LifecycleConfig(stack, "EditorSetup", app_type=AppType.CODE_EDITOR, script=SCRIPT)
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[lab].lifecycle_config: got 'EditorSetup (CodeEditor)'; a lifecycle config of app type JupyterLab"),
    ):
        domain.add_space("lab", app_type=AppType.JUPYTER_LAB, lifecycle_config=editor)


def test_fails_when_code_editor_space_has_a_jupyter_lab_config() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    lab = LifecycleConfig(stack, "Autosave", app_type=AppType.JUPYTER_LAB, script=SCRIPT)
    with pytest.raises(
        StudioConfigError,
        match=message("spaces[editor].lifecycle_config: got 'Autosave (JupyterLab)'; a lifecycle config of app type CodeEditor"),
    ):
        domain.add_space("editor", app_type=AppType.CODE_EDITOR, lifecycle_config=lab)


def test_fails_when_domain_has_two_defaults_of_one_app_type() -> None:
    stack, vpc = new_stack()
    first = LifecycleConfig(stack, "First", app_type=AppType.JUPYTER_LAB, script="echo 1\n")
    second = LifecycleConfig(stack, "Second", app_type=AppType.JUPYTER_LAB, script="echo 2\n")
    with pytest.raises(
        StudioConfigError,
        match=message("default_lifecycle_configs: got ['First', 'Second']; at most one default lifecycle config for JupyterLab"),
    ):
        StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", default_lifecycle_configs=[first, second])


def test_fails_when_user_has_two_defaults_of_one_app_type() -> None:
    stack, vpc = new_stack()
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research")
    first = LifecycleConfig(stack, "First", app_type=AppType.CODE_EDITOR, script="echo 1\n")
    second = LifecycleConfig(stack, "Second", app_type=AppType.CODE_EDITOR, script="echo 2\n")
    with pytest.raises(
        StudioConfigError,
        match=message(
            "user_profiles[alice].default_lifecycle_configs: got ['First', 'Second']; "
            "at most one default lifecycle config for CodeEditor"
        ),
    ):
        domain.add_user("alice", default_lifecycle_configs=[first, second])


def test_one_default_of_each_app_type_is_accepted() -> None:
    stack, vpc = new_stack()
    lab = LifecycleConfig(stack, "Lab", app_type=AppType.JUPYTER_LAB, script="echo 1\n")
    editor = LifecycleConfig(stack, "Editor", app_type=AppType.CODE_EDITOR, script="echo 2\n")
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", default_lifecycle_configs=[lab, editor])
    assert len(domain.approved_lifecycle_configs) == 2
