"""The example app and its variants, synthesized once per session, and what tests read back."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from aws_cdk import App

from sagemaker_studio_cdk.spec import StudioSpec, load_spec
from sagemaker_studio_cdk.testing import Deployer
from tests.example import app_module
from tests.support import CLI_CONTEXT, ROOT, built_once, cdk_context

DOMAIN_STACK = "StudioDomain"
NETWORK_STACK = "StudioNetwork"


def base_spec() -> dict[str, Any]:
    """studio.yaml as data, with script files made absolute so a variant can live elsewhere."""
    raw: dict[str, Any] = yaml.safe_load((ROOT / "studio.yaml").read_text())
    for config in raw.get("lifecycle_configs", []):
        if "script_file" in config:
            config["script_file"] = str(ROOT / config["script_file"])
    return raw


def _add_user(raw: dict[str, Any]) -> None:
    raw["users"].append({"name": "dave", "group": "research"})
    raw["spaces"].append({"name": "dave-lab", "sharing": "Private", "owner": "dave", "ebs_gb": 30})


def _remove_user(raw: dict[str, Any]) -> None:
    raw["users"] = [u for u in raw["users"] if u["name"] != "carol"]
    raw["spaces"] = [s for s in raw["spaces"] if s.get("owner") != "carol"]


def _raise_ebs(raw: dict[str, Any]) -> None:
    raw["domain"]["ebs"]["max_gb"] = 200


def _new_script(raw: dict[str, Any]) -> None:
    config = raw["lifecycle_configs"][0]
    script = Path(config.pop("script_file")).read_text()
    config["script"] = script + "\necho 'autosave configured'\n"


def _new_image(raw: dict[str, Any]) -> None:
    raw["domain"]["default_image"] = "sagemaker-distribution-gpu"


def _new_owner(raw: dict[str, Any]) -> None:
    """alice-lab to bob (refused), with changes that would succeed on their own."""
    next(s for s in raw["spaces"] if s["name"] == "alice-lab")["owner"] = "bob"
    _raise_ebs(raw)
    _add_user(raw)


def _no_cleanup(raw: dict[str, Any]) -> None:
    raw["domain"]["cleanup"] = {"enabled": False}


VARIANTS: dict[str, Callable[[dict[str, Any]], None]] = {
    "base": lambda raw: None,
    "add-user": _add_user,
    "remove-user": _remove_user,
    "raise-ebs": _raise_ebs,
    "new-script": _new_script,
    "new-image": _new_image,
    "new-owner": _new_owner,
    "no-cleanup": _no_cleanup,
}


@cache
def variant(name: str) -> tuple[Path, StudioSpec]:
    """The cloud assembly directory and the spec of a variant of the example (synthesized once per
    test run, ``built_once``)."""

    def build(folder: Path) -> None:
        raw = base_spec()
        VARIANTS[name](raw)
        spec_path = folder / "studio.yaml"
        spec_path.write_text(yaml.safe_dump(raw))
        # The variants remove and add users on purpose, without a roster: the roster check is off.
        context = {**cdk_context(), **CLI_CONTEXT, "studio:spec": str(spec_path), "studio:baseline": "", "studio:roster": ""}
        app = App(context=context, outdir=str(folder / "cdk.out"))
        app_module().build(app)
        app.synth()  # linted by tests/conftest.py

    folder = built_once(f"variant-{name}", build)
    return folder / "cdk.out", load_spec(folder / "studio.yaml")


def deploy(deployer: Deployer, name: str) -> Path:
    """Deploy (create or update) a variant; the assembly directory."""
    directory, _ = variant(name)
    deployer.deploy(directory)
    return directory


def physical_ids(deployer: Deployer) -> dict[str, str]:
    """``stack/logical id`` -> physical id of every resource of the example, nested stacks included."""
    found: dict[str, str] = {}
    for stack in (NETWORK_STACK, DOMAIN_STACK):
        if deployer.exists(stack):
            found.update({k: v["PhysicalResourceId"] for k, v in deployer.resources(stack).items()})
    return found


def snapshot(deployer: Deployer) -> dict[str, Any]:
    """Everything Studio holds, as the API describes it (times left out)."""
    sm = deployer.client("sagemaker")
    state: dict[str, Any] = {"domains": {}, "profiles": {}, "spaces": {}, "configs": {}}
    for domain in sm.list_domains()["Domains"]:
        state["domains"][domain["DomainName"]] = _timeless(sm.describe_domain(DomainId=domain["DomainId"]))
        for profile in sm.list_user_profiles(DomainIdEquals=domain["DomainId"])["UserProfiles"]:
            described = sm.describe_user_profile(DomainId=domain["DomainId"], UserProfileName=profile["UserProfileName"])
            state["profiles"][profile["UserProfileName"]] = _timeless(described)
        for space in sm.list_spaces(DomainIdEquals=domain["DomainId"])["Spaces"]:
            state["spaces"][space["SpaceName"]] = _timeless(
                sm.describe_space(DomainId=domain["DomainId"], SpaceName=space["SpaceName"])
            )
    for config in sm.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]:
        name = config["StudioLifecycleConfigName"]
        state["configs"][name] = _timeless(sm.describe_studio_lifecycle_config(StudioLifecycleConfigName=name))
    return state


def _timeless(value: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in value.items() if k not in ("ResponseMetadata", "CreationTime", "LastModifiedTime")}
    return copy.deepcopy(json.loads(json.dumps(out, default=str)))
