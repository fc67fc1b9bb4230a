"""The two-domain app of tests/fixtures/domains (dev: IAM; prod: SSO, users from users.csv),
built by app.py and synthesized once per process."""

from __future__ import annotations

from functools import lru_cache

from sagemaker_studio_cdk.assembly import StackTemplate

from .example import synth_example
from .support import ROOT

SPEC = ROOT / "tests" / "fixtures" / "domains" / "studio.yaml"
DOMAINS = ("dev", "prod")


@lru_cache(maxsize=1)
def two_domains() -> tuple[str, list[StackTemplate]]:
    """The assembly directory and templates (cfn-lint clean, as every synth in tests; the cdk-nag
    packs run on the example app, built by the same constructs)."""
    app, templates = synth_example(SPEC, **{"studio:baseline": ""})
    return app.outdir, templates
