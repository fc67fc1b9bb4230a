"""``sagemaker-studio-cdk summary --mermaid``: the domain of an assembly as a Mermaid flowchart, the
README's picture of the example kept equal to what the command prints."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sagemaker_studio_cdk.assembly import StackTemplate
from sagemaker_studio_cdk.cli import main
from sagemaker_studio_cdk.diagram import mermaid
from tests.example import example_assembly
from tests.support import ROOT

NODE = re.compile(r'^\s*(?:subgraph )?([^\s\["]+) ?\["([^"]*)"\]$')
EDGE = re.compile(r'^\s*([A-Za-z0-9_]+) -->(?:\|"[^"]*"\|)? ([A-Za-z0-9_]+)$')


def drawn(capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["summary", example_assembly()[0], "--mermaid"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_readmes_picture_is_what_summary_mermaid_prints(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"^```mermaid\n(.*?)^```$", (ROOT / "README.md").read_text(), flags=re.S | re.M)
    assert len(blocks) == 1
    assert blocks[0] == drawn(capsys), "regenerate the README's picture: sagemaker-studio-cdk summary cdk.out --mermaid"


def test_the_example_picture_shows_network_domain_groups_users_spaces_file_systems_and_personas(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = drawn(capsys)
    labels = dict(m.groups() for m in map(NODE.match, out.splitlines()) if m)
    edges = {m.groups() for m in map(EDGE.match, out.splitlines()) if m}
    by_label = {text.split("<br/>")[0]: node for node, text in labels.items()}
    assert by_label["VPC 10.0.0.0/16"] and any(t.startswith("subnet ") for t in by_label)
    assert "s3, sagemaker.api" in out
    domain = by_label["Domain ml-research"]
    assert labels[by_label["UserGroup-research (nested stack)"]]
    assert (by_label["VPC 10.0.0.0/16"], domain) in edges
    assert (domain, by_label["user alice"]) in edges
    assert (by_label["user alice"], by_label["space alice-lab"]) in edges
    assert (domain, by_label["space team"]) in edges
    assert (by_label["EFS team-data"], domain) in edges
    personas = {text.split("persona: ")[1] for text in labels.values() if "persona: " in text}
    canvas = {"canvas-forecast", "canvas-bedrock", "canvas-emr-serverless"}
    # the settings resource applies the example's Canvas settings (API only)
    assert personas == {"domain-admin", "execution", "user-access", "cleanup", "network", "settings", *canvas}


def _one_stack(resources: dict[str, Any]) -> list[StackTemplate]:
    return [StackTemplate(("S",), {"Resources": resources}, "S")]


def test_ids_are_sanitized_and_labels_escaped() -> None:
    out = mermaid(
        _one_stack(
            {
                "D": {
                    "Type": "AWS::SageMaker::Domain",
                    "Properties": {"DomainName": 'end "quoted" <b>#1 & co', "AuthMode": "IAM"},
                },
                "A": {"Type": "AWS::SageMaker::Space", "Properties": {"SpaceName": "a-b", "DomainId": {"Ref": "D"}}},
                "B": {"Type": "AWS::SageMaker::Space", "Properties": {"SpaceName": "a_b", "DomainId": {"Ref": "D"}}},
            }
        )
    )
    nodes = [m.groups() for m in map(NODE.match, out.splitlines()) if m]
    ids = [node for node, _ in nodes]
    assert len(ids) == len(set(ids)) == 4  # the stack, the domain, two spaces whose names sanitize alike
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", node) for node in ids)
    (domain_label,) = [text for _, text in nodes if text.startswith("Domain ")]
    assert domain_label.startswith("Domain end #quot;quoted#quot; #lt;b#gt;#35;1 #amp; co<br/>")
    assert len([line for line in out.splitlines() if EDGE.match(line)]) == 2
