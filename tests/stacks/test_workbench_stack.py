"""studio.yaml's ``mlflow:`` and ``feature_store:`` sections in a domain's stack: what they make,
the logical ids of their stateful resources (pinned), and bad input located in the spec."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sagemaker_studio_cdk import StudioConfigError, StudioDomainStack, parse_spec
from sagemaker_studio_cdk.constructs.mlflow import APP_RESOURCE_TYPE
from sagemaker_studio_cdk.policies.nag import add_packs, failed_validations
from sagemaker_studio_cdk.replacement import spec_of
from tests.stacks.test_domain_stack import VPC
from tests.support import ENV, ROOT, new_app, template_of

GOLDEN = ROOT / "tests" / "golden" / "logical_ids_workbench.json"
"""Stateful resources of the MLflow section (the example app has no MLflow): pinned like
``logical_ids.json``; add entries, never change one."""

SPEC: dict[str, Any] = {
    "domain": {"name": "research"},
    "mlflow": {
        "apps": [{"name": "team-app", "default_for_domain": True}],
        "tracking_servers": [{"name": "team-server", "size": "Small", "retain": True}],
    },
    "feature_store": {"prefix": "research", "offline_store_bucket": "research-offline", "glue_database": "features"},
}


@pytest.fixture(scope="module")
def built() -> tuple[StudioDomainStack, dict[str, Any]]:
    """Synthesized with every cdk-nag pack registered (as ``cdk synth`` of the example app): an
    unacknowledged finding fails the synth."""
    app = new_app()
    add_packs(app, compliance=True)
    stack = StudioDomainStack(app, "Studio", spec=parse_spec(SPEC), vpc=VPC, env=ENV)
    return stack, template_of(stack).to_json()


def test_every_cdk_nag_pack_is_clean(built: Any) -> None:
    stack, _ = built
    assert failed_validations(stack.node.root.outdir) == []  # type: ignore[attr-defined]


def _stateful(template: dict[str, Any]) -> dict[str, str]:
    return {
        f"{r['Type']} {r['Metadata']['aws:cdk:path']}": logical_id
        for logical_id, r in template["Resources"].items()
        if spec_of(r).stateful and "/Mlflow/" in r.get("Metadata", {}).get("aws:cdk:path", "")
    }


def test_the_stateful_ids_of_mlflow_are_pinned(built: Any) -> None:
    _, template = built
    actual = _stateful(template)
    pinned = json.loads(GOLDEN.read_text())
    assert {k: actual.get(k) for k in pinned} == pinned, "pinned logical ids changed"
    assert not set(actual) - set(pinned), f"add to {GOLDEN.name}: {sorted(set(actual) - set(pinned))}"


def test_the_spec_makes_the_app_and_server_and_grants_them_and_feature_groups(built: Any) -> None:
    stack, template = built
    assert set(stack.workbench.mlflow_apps) == {"team-app"}
    (server,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::SageMaker::MlflowTrackingServer"]
    assert server["DeletionPolicy"] == "Retain"
    (app,) = [r for r in template["Resources"].values() if r["Type"] == APP_RESOURCE_TYPE]
    assert app["DeletionPolicy"] == "Delete" and len(app["Properties"]["DefaultDomainIdList"]) == 1
    role = stack.resolve(stack.domain.execution_role.role_name)
    granted = json.dumps(
        [
            p["Properties"]["PolicyDocument"]
            for p in template["Resources"].values()
            if p["Type"] == "AWS::IAM::Policy" and role in p["Properties"]["Roles"]
        ]
    )
    for action in ("sagemaker:CallMlflowAppApi", "sagemaker-mlflow:*", "sagemaker:PutRecord", "glue:GetTable"):
        assert action in granted
    assert "research-offline/feature-store/*" in granted


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"mlflow": {"apps": [{"name": "bad_name"}]}}, "mlflow.apps.0.name"),
        ({"mlflow": {"tracking_servers": [{"name": "s", "size": "Huge"}]}}, "mlflow.tracking_servers.0.size"),
        ({"mlflow": {"tracking_servers": [{"name": "s", "maintenance_window": "Tuesday"}]}}, "maintenance_window"),
        ({"feature_store": {"prefix": "bad prefix"}}, "feature_store.prefix"),
    ],
)
def test_bad_mlflow_and_feature_store_input_is_a_config_error(section: dict[str, Any], message: str) -> None:
    with pytest.raises(StudioConfigError) as error:
        parse_spec({"domain": {"name": "research"}, **section})
    assert message in str(error.value)
