"""The optional service control policy: the shipped file is what the builder makes, and it fits.

What it allows and denies is in the decision matrix (personas ``scp:*``).
"""

from __future__ import annotations

import json

from sagemaker_studio_cdk.policies.scp import SCP_MAX_CHARACTERS, render, service_control_policy
from tests.support import ROOT

SHIPPED = ROOT / "docs" / "service-control-policy.json"


def test_the_shipped_scp_is_the_builders() -> None:
    """Regenerate with ``render(service_control_policy())`` after changing the builder."""
    assert SHIPPED.read_text() == render(service_control_policy())


def test_the_scp_fits_within_the_organizations_limit() -> None:
    text = SHIPPED.read_text()
    assert len(text) <= SCP_MAX_CHARACTERS, len(text)
    assert json.loads(text) == service_control_policy()


def test_the_scp_applies_to_tagged_admins_and_protects_the_tags_it_relies_on() -> None:
    statements = {s["Sid"]: s for s in service_control_policy()["Statement"]}
    admin_only = [s for sid, s in statements.items() if sid.startswith("StudioAdmin")]
    assert all(s["Condition"]["StringEquals"] == {"aws:PrincipalTag/studio:persona": "domain-admin"} for s in admin_only)
    tags = statements["StudioTagsOnlyByDeployer"]["Condition"]
    assert tags["ForAnyValue:StringEquals"] == {"aws:TagKeys": ["studio:persona", "studio:user-profile"]}
