"""The optional service control policies: the shipped files are what the builder makes, and each fits.

What they allow and deny is in the decision matrix (personas ``scp:*``).
"""

from __future__ import annotations

import json

from sagemaker_studio_cdk.policies.scp import (
    SCP_MAX_CHARACTERS,
    SCPS_PER_TARGET,
    minified_size,
    render,
    service_control_policies,
    service_control_policy,
)
from tests.support import ROOT

DOCS = ROOT / "docs"


def shipped() -> list[str]:
    return [p.read_text() for p in sorted(DOCS.glob("service-control-policy-*.json"))]


def test_the_shipped_scps_are_the_builders() -> None:
    """Regenerate with ``render`` of each of ``service_control_policies()`` after changing the builder."""
    assert shipped() == [render(p) for p in service_control_policies()]


def test_the_scps_fit_within_the_organizations_limits_and_hold_every_statement() -> None:
    texts = shipped()
    assert 1 <= len(texts) <= SCPS_PER_TARGET - 1  # beside FullAWSAccess
    assert all(len(text) <= SCP_MAX_CHARACTERS for text in texts), [len(t) for t in texts]
    assert all(minified_size(json.loads(text)) <= SCP_MAX_CHARACTERS for text in texts)
    together = [s for text in texts for s in json.loads(text)["Statement"]]
    assert together == service_control_policy()["Statement"]


def test_the_scps_apply_to_tagged_admins_and_protect_the_tags_they_rely_on_in_any_case() -> None:
    statements = {s["Sid"]: s for s in service_control_policy()["Statement"]}
    admin_only = [s for sid, s in statements.items() if sid.startswith("StudioAdmin")]
    assert all(s["Condition"]["StringEquals"] == {"aws:PrincipalTag/studio:persona": "domain-admin"} for s in admin_only)
    tags = statements["StudioTagsOnlyByDeployer"]["Condition"]
    assert tags["ForAnyValue:StringEqualsIgnoreCase"] == {"aws:TagKeys": ["studio:persona", "studio:user-profile"]}
    owner = statements["StudioSpaceOwnerTagOnlyByDeployer"]["Condition"]
    assert owner["ForAnyValue:StringEqualsIgnoreCase"] == {"aws:TagKeys": ["studio:space-owner"]}
