"""``sagemaker-studio-cdk check`` and ``policies`` over synthesized assemblies: the example app
(clean), a deliberately bad app (every StudioChecks rule), acknowledgements read back from
template metadata, SARIF 2.1.0 and JUnit output, and bad input."""

from __future__ import annotations

import json
import shutil
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2

from sagemaker_studio_cdk import StudioDomainStack, StudioNetworkStack, parse_spec
from sagemaker_studio_cdk.check import check_assembly
from sagemaker_studio_cdk.cli import main
from sagemaker_studio_cdk.policies.nag import acknowledge
from sagemaker_studio_cdk.policies.rules import RULES
from tests.example import example_assembly
from tests.fixtures import bad_app
from tests.support import ENV, ROOT, new_app

SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"


def example_directory() -> Path:
    """The example app's assembly (the one every test of this session shares)."""
    return Path(example_assembly()[0])


@lru_cache(maxsize=1)
def bad_assembly() -> Path:
    app = new_app()
    bad_app.build(app)
    return Path(app.synth().directory)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_of_the_example_assembly_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(example_directory()))
    assert code == 0, out
    assert "check: no findings in" in out


def test_junit_of_a_clean_assembly_has_only_passing_cases(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit_file = tmp_path / "clean.xml"
    run(capsys, "check", str(example_directory()), "--junit", str(junit_file))
    root = ET.parse(junit_file).getroot()
    assert root.get("failures") == "0" and root.findall(".//testcase") and not root.findall(".//failure")


def test_check_of_the_bad_app_trips_every_studio_checks_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "check", str(bad_assembly()), "--sarif", str(tmp_path / "r.sarif"), "--junit", str(tmp_path / "r.xml")
    )
    assert code == 1
    for rule in RULES:
        assert rule.id in out, f"{rule.id} not reported"
        assert rule.info.split(" ")[0] in out
    result = check_assembly(bad_assembly())
    reported = {(f.rule_id, f.logical_id) for f in result.findings if f.tool == "StudioChecks"}
    for finding_id, construct_id in bad_app.EXPECTED_FINDINGS.items():
        assert any(rule_id == finding_id and (logical_id or "").startswith(construct_id) for rule_id, logical_id in reported), (
            finding_id,
            construct_id,
        )
    assert not [f for f in result.findings if "could not evaluate" in f.message or "threw an error" in f.message]


def test_check_reports_each_finding_with_path_rule_level_message_and_fix() -> None:
    result = check_assembly(bad_assembly())
    nested = [f for f in result.findings if f.rule_id == "StudioChecks-DomainOfSameApp"]
    assert [(f.stack, f.path, f.level) for f in nested] == [("BadStudio/Users", "BadStudio/Users/Stranger", "warning")]
    assert nested[0].file and nested[0].file.endswith(".nested.template.json") and nested[0].line
    assert all(f.fix and f.message and f.path for f in result.findings)


def test_sarif_is_valid_sarif_2_1_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sarif_file = tmp_path / "check.sarif"
    run(capsys, "check", str(bad_assembly()), "--sarif", str(sarif_file))
    log = json.loads(sarif_file.read_text())
    schema = json.loads(SARIF_SCHEMA.read_text())
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    results = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in results} >= set(bad_app.EXPECTED_FINDINGS)
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] > 0 for r in results)


def test_sarif_schema_check_can_fail() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text())
    broken = {"version": "2.1.0", "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal"}]}]}
    assert list(jsonschema.Draft4Validator(schema).iter_errors(broken))


def test_junit_has_a_failure_per_error_and_passing_cases_for_clean_tools(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit_file = tmp_path / "check.xml"
    run(capsys, "check", str(bad_assembly()), "--junit", str(junit_file))
    root = ET.parse(junit_file).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["BadStudio", "BadStudio/Users"]
    failures = root.findall(".//testcase/failure")
    result = check_assembly(bad_assembly())
    assert len(failures) == len(result.errors) == int(root.get("failures", "-1"))
    assert int(root.get("tests", "0")) == len(root.findall(".//testcase"))
    assert {f.get("type") for f in failures} >= {k for k in bad_app.EXPECTED_FINDINGS if k != "StudioChecks-DomainOfSameApp"}
    nested_cases = [c.get("name") for c in suites[1].findall("testcase")]
    assert "cfn-lint: no findings" in nested_cases and "AwsSolutions: no findings" in nested_cases


def test_check_is_clean_on_an_app_that_only_imports_the_constructs(capsys: pytest.CaptureFixture[str]) -> None:
    """No app.py, no packs registered: the constructs write their acknowledgements themselves."""
    app = new_app()
    spec = parse_spec(
        {
            "region": "us-east-1",
            "domain": {"name": "elsewhere"},
            "users": [{"name": "dana"}],
            "spaces": [{"name": "dana-lab", "sharing": "Private", "owner": "dana"}, {"name": "team"}],
        }
    )
    network = StudioNetworkStack(app, "Network", env=ENV)
    StudioDomainStack(app, "Studio", spec=spec, vpc=network.vpc, env=ENV)
    code, out, _ = run(capsys, "check", app.synth().directory)
    assert code == 0, out


def test_parallel_cfn_lint_finds_what_sequential_lint_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sagemaker_studio_cdk import check

    copy = tmp_path / "cdk.out"
    shutil.copytree(bad_assembly(), copy)
    template = json.loads((copy / "BadStudio.template.json").read_text())
    template["Resources"]["Topic"] = {"Type": "AWS::SNS::Topic", "Properties": {"NoSuchProperty": "x"}}
    (copy / "BadStudio.template.json").write_text(json.dumps(template, indent=1))
    sequential = check_assembly(copy)
    monkeypatch.setattr(check, "PARALLEL_LINT_RESOURCES", 1)
    parallel = check_assembly(copy)
    assert [f for f in sequential.findings if f.tool == "cfn-lint" and f.logical_id == "Topic" and f.is_error]
    assert parallel.findings == sequential.findings


def _vpc_app(tmp_path: Path, *, acknowledged: str | None) -> Path:
    app = new_app()
    stack = Stack(app, "Net", env=ENV)
    vpc = ec2.CfnVPC(stack, "Vpc", cidr_block="10.0.0.0/16")
    if acknowledged:
        acknowledge(vpc, acknowledged, "Flow logs are collected by the organization's central VPC logging.")
    return Path(app.synth(force=True).directory)


@pytest.mark.parametrize("finding_id", ["AwsSolutions-VPC7", "AwsSolutions::AwsSolutions-VPC7"])
def test_check_honours_acknowledgements_written_into_template_metadata(tmp_path: Path, finding_id: str) -> None:
    """Both forms: cdk-nag's id, and the plugin-qualified one aws-cdk-lib's report suggests."""
    without = check_assembly(_vpc_app(tmp_path, acknowledged=None))
    assert "AwsSolutions-VPC7" in {f.rule_id for f in without.findings}
    with_ack = check_assembly(_vpc_app(tmp_path, acknowledged=finding_id))
    assert "AwsSolutions-VPC7" not in {f.rule_id for f in with_ack.findings}
    assert with_ack.acknowledged >= 1


def test_progress_is_quiet_on_short_runs_and_shown_on_long_ones(capsys: pytest.CaptureFixture[str]) -> None:
    from sagemaker_studio_cdk.cli import _Progress

    _Progress(after=60.0)("cfn-lint 1/2: Quick")
    assert capsys.readouterr().err == ""
    _Progress(after=0.0)("cfn-lint 1/2: Slow")
    assert "cfn-lint 1/2: Slow" in capsys.readouterr().err


# -- bad input -----------------------------------------------------------------------------------


def _one_clear_line(err: str) -> None:
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("sagemaker-studio-cdk: ")


def test_check_exits_2_on_a_path_that_is_not_an_assembly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", str(tmp_path / "missing"))
    assert code == 2 and "not a cloud assembly" in err
    _one_clear_line(err)


def test_check_exits_2_on_an_empty_assembly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "55.0.0", "artifacts": {}}))
    code, _, err = run(capsys, "check", str(tmp_path))
    assert code == 2 and "holds no stacks" in err
    _one_clear_line(err)


def test_check_exits_2_on_a_template_that_is_not_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "cdk.out"
    shutil.copytree(bad_assembly(), copy)
    (copy / "BadStudio.template.json").write_text('{"Resources": {')
    code, _, err = run(capsys, "check", str(copy))
    assert code == 2 and "not valid JSON" in err
    _one_clear_line(err)


def test_check_exits_2_on_a_template_cloudformation_would_reject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "cdk.out"
    shutil.copytree(bad_assembly(), copy)
    template = json.loads((copy / "BadStudio.template.json").read_text())
    template["Resources"]["Broken"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::GetAtt": ["Nowhere", "Arn"]}}}
    (copy / "BadStudio.template.json").write_text(json.dumps(template))
    code, _, err = run(capsys, "check", str(copy))
    assert code == 2 and "BadStudio.template.json" in err
    _one_clear_line(err)


def test_check_exits_2_on_a_template_without_resource_types(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "cdk.out"
    shutil.copytree(bad_assembly(), copy)
    (copy / "BadStudio.template.json").write_text(json.dumps({"Resources": {"Thing": {"Properties": {}}}}))
    code, _, err = run(capsys, "check", str(copy))
    assert code == 2
    _one_clear_line(err)


# -- policies ------------------------------------------------------------------------------------


def test_policies_prints_a_personas_resolved_policies_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policies", str(example_directory()), "--persona", "execution", "--account", "123456789012")
    assert code == 0
    document = json.loads(out)
    assert document["persona"] == "execution" and document["roles"]
    role = document["roles"][0]
    text = json.dumps(role)
    assert "Fn::" not in text and '"Ref"' not in text  # intrinsics resolved
    assert ":123456789012:" in text
    actions = {
        a
        for p in role["identityPolicies"]
        for s in p["Statement"]
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }
    assert "sagemaker:CreatePresignedDomainUrl" in actions


def test_policies_exits_2_on_an_unknown_persona(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "policies", str(example_directory()), "--persona", "nobody")
    assert code == 2 and "execution" in err
    _one_clear_line(err)


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--account", "123", "12 digits"),
        ("--account", "12345678901a", "12 digits"),
        ("--region", "useast1", "a region name"),
        ("--partition", "amazon", "a partition"),
    ],
)
def test_policies_exits_2_on_a_malformed_account_region_or_partition(
    capsys: pytest.CaptureFixture[str], option: str, value: str, says: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["policies", "cdk.out", "--persona", "execution", option, value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: {value!r} is not" in err and says in err


def test_policies_accepts_other_partitions_and_regions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "policies",
        str(example_directory()),
        "--persona",
        "domain-admin",
        "--partition",
        "aws-us-gov",
        "--region",
        "us-gov-west-1",
    )
    assert code == 0 and "arn:aws-us-gov:" in out


# -- how findings read ---------------------------------------------------------------------------


@lru_cache(maxsize=1)
def pathless_assembly() -> Path:
    """An app synthesized as a plain ``App().synth()`` does (no ``aws:cdk:path`` in templates), then a
    property cfn-lint rejects written into its template."""
    from aws_cdk import App
    from aws_cdk import aws_sns as sns

    app = App(context={"aws:cdk:enable-path-metadata": False})
    stack = Stack(app, "Plain", env=ENV)
    sns.Topic(stack, "Alerts")
    directory = Path(app.synth().directory)
    template_file = directory / "Plain.template.json"
    template = json.loads(template_file.read_text())
    ((logical_id, topic),) = [(k, v) for k, v in template["Resources"].items() if v["Type"] == "AWS::SNS::Topic"]
    assert "Metadata" not in topic
    topic["Properties"] = {"DisplayName": "x" * 10, "NoSuchProperty-" + "really-" * 20 + "long": 1}
    template_file.write_text(json.dumps(template, indent=1))
    return directory


def test_findings_are_named_by_construct_path_without_path_metadata() -> None:
    """cfn-lint's too: the path comes from the assembly's metadata when the template has none."""
    result = check_assembly(pathless_assembly())
    lint = [f for f in result.findings if f.tool == "cfn-lint"]
    assert lint and {f.path for f in lint} == {"Plain/Alerts/Resource"}


def test_check_never_breaks_a_word_across_lines(capsys: pytest.CaptureFixture[str]) -> None:
    """Paths, URLs and ids longer than the line stay whole: wrapping happens at spaces only."""
    code, out, _ = run(capsys, "check", str(pathless_assembly()))
    assert code == 1
    result = check_assembly(pathless_assembly())
    words = {w for f in result.findings for w in f"{f.message} how to fix: {f.fix}".split()}
    long_words = [w for w in words if len(w) > 40]
    assert long_words, "the test needs words longer than a wrapped line's remainder"
    printed = {w for line in out.splitlines() for w in line.split()}
    assert words <= printed, sorted(words - printed)
