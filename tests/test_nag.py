"""cdk-nag 3 in the example app: every pack clean, acknowledgements precise and explained, and an
unacknowledged error failing ``cdk synth`` in every app mode."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from cdk_nag import AwsSolutionsChecks

from sagemaker_studio_cdk.policies.nag import acknowledge_wildcards, failed_validations, flatten_reference, wildcard_finding_ids
from sagemaker_studio_cdk.policies.rules import RULES
from tests.example import app_module, example, example_assembly
from tests.support import ENV, ROOT, new_app

CDK = ROOT / "node_modules" / ".bin" / "cdk"
PACK_PREFIXES = ("AwsSolutions-", "NIST.800.53.R5-", "HIPAA.Security-", "StudioChecks-", "CloudFormation-Validate::")
DETAILED_RULES = ("AwsSolutions-IAM4", "AwsSolutions-IAM5", "StudioChecks-PrivateSpaceIsolation")
"""Rules that report one finding per detail: acknowledging the bare rule id would acknowledge nothing."""


def test_the_example_app_is_clean_under_every_pack() -> None:
    """``example_assembly`` registers the packs as ``cdk synth`` does; cdk.json turns on the compliance packs."""
    directory = Path(example_assembly()[0])
    assert new_app().node.try_get_context("studio:compliancePacks") is True
    assert failed_validations(directory) == []
    report = json.loads((directory / "validation-report.json").read_text())
    findings = [v for r in report["pluginReports"] if r["pluginName"] != "CloudFormation Validate" for v in r["violations"]]
    assert not findings, [v["ruleName"] for v in findings]


def test_every_acknowledgement_names_a_precise_finding_and_a_reason() -> None:
    seen = 0
    for stack in example():
        for logical_id, resource in stack.template["Resources"].items():
            for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
                seen += 1
                assert rule["id"].startswith(PACK_PREFIXES), (logical_id, rule)
                assert not rule["id"].startswith(DETAILED_RULES) or "[" in rule["id"], (logical_id, rule)
                assert len(rule["reason"].split()) >= 8, (logical_id, rule)
    assert seen


def test_wildcard_finding_ids_are_the_ids_aws_solutions_reports() -> None:
    stack = Stack(new_app(), "Test", env=ENV)
    statements = [
        iam.PolicyStatement(sid="List", actions=["sagemaker:List*"], resources=["*"]),
        iam.PolicyStatement(
            sid="Apps",
            actions=["sagemaker:CreateApp"],
            resources=[stack.format_arn(service="sagemaker", resource="app/${sagemaker:DomainId}/*")],
        ),
    ]
    role = iam.Role(stack, "Role", assumed_by=iam.AccountRootPrincipal())
    for statement in statements:
        role.add_to_policy(statement)
    reported = {
        v.rule_name for v in AwsSolutionsChecks().validate_scope(stack).violations if v.rule_name.startswith("AwsSolutions-IAM5")
    }
    computed = {finding_id for s in statements for finding_id in wildcard_finding_ids(role, s)}
    assert computed == reported and len(reported) == 3
    acknowledge_wildcards(
        role, statements, {"List": "List actions have no resource type.", "Apps": "Apps are named at run time."}
    )
    assert not [v for v in AwsSolutionsChecks().validate_scope(stack).violations if v.rule_name.startswith("AwsSolutions-IAM5")]


def test_a_wildcard_without_a_reason_is_refused() -> None:
    stack = Stack(new_app(), "Test", env=ENV)
    role = iam.Role(stack, "Role", assumed_by=iam.AccountRootPrincipal())
    with pytest.raises(ValueError, match="no reason"):
        acknowledge_wildcards(role, [iam.PolicyStatement(sid="New", actions=["s3:*"], resources=["*"])], {})


def test_flatten_reference_writes_intrinsics_as_cdk_nag_does() -> None:
    value = {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", {"Fn::GetAtt": ["Bucket", "Arn"]}, "/${aws:username}/*"]]
    }
    assert flatten_reference(value) == "arn:<AWS::Partition>:s3:::<Bucket.Arn>/<aws:username>/*"


def test_rules_md_lists_every_rule_with_its_level_and_explanation() -> None:
    text = (ROOT / "docs" / "RULES.md").read_text()
    for rule in RULES:
        row = next((line for line in text.splitlines() if line.startswith(f"| {rule.id} ")), None)
        assert row is not None, f"{rule.id} missing from docs/RULES.md"
        assert rule.level.value.capitalize() in row or rule.level.value in row
        assert rule.info in text and rule.explanation in text
    listed = set(re.findall(r"^\| (StudioChecks-\w+) ", text, re.M))
    assert listed == {rule.id for rule in RULES}


# -- cdk synth fails on an unacknowledged error, in every app mode -------------------------------

BAD_SPEC = "region: us-east-1\ndomain:\n  name: research\n  app_network_access: PublicInternetOnly\n"
"""Valid for the spec; StudioChecks-DomainVpcOnly is an unacknowledged error."""
VPC = json.dumps(
    {
        "vpcId": "vpc-0123456789abcdef0",
        "availabilityZones": ["us-east-1a", "us-east-1b"],
        "privateSubnetIds": ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2"],
    }
)
"""An existing VPC: no network stack to synthesize."""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CDK_APP_MODE" and not k.startswith("PYTEST")}
    return {**env, "CDK_DISABLE_CLI_TELEMETRY": "true", "CDK_DISABLE_VERSION_CHECK": "true", **extra}


@pytest.mark.skipif(not CDK.exists(), reason="the pinned CDK CLI is installed by `make setup`")
@pytest.mark.parametrize(
    ("mode_env", "mode_context"),
    [({}, []), ({"CDK_APP_MODE": "process"}, []), ({}, ["-c", "@aws-cdk/core:appMode=inmemory"])],
    ids=["default", "process", "inmemory"],
)
def test_cdk_synth_of_an_app_with_an_unacknowledged_error_exits_non_zero(
    tmp_path: Path, mode_env: dict[str, str], mode_context: list[str]
) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD_SPEC)
    result = subprocess.run(
        [str(CDK), "synth", "--quiet", "--no-notices", "--app", f"{sys.executable} app.py", "-o", str(tmp_path / "out")]
        + ["-c", f"studio:spec={spec}", "-c", "studio:baseline=", "-c", f"studio:vpc={VPC}", "-c", "studio:compliancePacks=false"]
        + mode_context,
        cwd=ROOT,
        env=_env(**mode_env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "StudioChecks-DomainVpcOnly" in result.stderr + result.stdout


@pytest.mark.parametrize("mode", ["process", "inmemory"])
def test_the_app_itself_exits_non_zero_in_every_app_mode(tmp_path: Path, mode: str, capsys: pytest.CaptureFixture[str]) -> None:
    """With CDK_APP_MODE=process aws-cdk-lib only prints a failed validation: app.py must fail itself."""
    spec = tmp_path / "bad.yaml"
    spec.write_text(BAD_SPEC)
    app = new_app(
        **{"studio:spec": str(spec), "studio:baseline": "", "studio:vpc": json.loads(VPC), "@aws-cdk/core:appMode": mode}
    )
    assert app_module().main(app) == 1
    err = capsys.readouterr().err
    assert "StudioChecks: StudioChecks-DomainVpcOnly at StudioDomain/Domain/Resource" in err
    assert "Traceback" not in err
