#!/usr/bin/env python3
"""The example app: the domain of studio.yaml (or each of its ``domains:``), its network, and its nested user stacks.

Context (``cdk.json`` or ``-c``):
- ``studio:spec``: the spec file. Default: ``studio.yaml``.
- ``studio:vpc``: an existing VPC as ``{vpcId, availabilityZones, privateSubnetIds}``; without
  it a network stack makes one.
- ``studio:baseline``: a previous cloud assembly to compare with, for warnings on changes that
  CloudFormation cannot apply to named resources (a space's owner, a domain's key) and on
  stateful resources deleted (``guard``'s verdicts). Default: ``cdk.out``, the last synth; ``""``
  turns the check off.
- ``studio:compliancePacks``: also run cdk-nag's NIST 800-53 rev 5 and HIPAA Security packs.
  AwsSolutions and StudioChecks always run. Default: off (cdk.json turns it on for the example).
- ``studio:roster``: the committed roster (README, "The roster"). Default: ``studio.roster`` next
  to the spec; ``""`` turns the check off.
Environment: ``CDK_DEFAULT_ACCOUNT`` (the account, when known); the region is the spec's.
``CI=true``: users or spaces the roster does not record yet fail synth instead of warning.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from aws_cdk import App, Aspects, Environment

from sagemaker_studio_cdk import StudioConfigError, StudioDomainStack, StudioNetworkStack
from sagemaker_studio_cdk.policies.nag import add_packs, failed_validations
from sagemaker_studio_cdk.replacement import Baseline, NamedReplacementCheck
from sagemaker_studio_cdk.roster import RosterCheck, default_roster_path
from sagemaker_studio_cdk.spec_domains import domain_stack_id, load_specs, network_stack_id
from sagemaker_studio_cdk.stacks import ExistingVpc


def build(app: App) -> StudioDomainStack:
    """Add the example stacks to ``app``; the tests call this with cdk.json's context. Returns the
    domain's stack (with several domains in the spec: the first one's; see :func:`build_domains`)."""
    return build_domains(app)[0]


def build_domains(app: App) -> list[StudioDomainStack]:
    """Add the stacks of every domain of the spec (``domains:`` declares several) to ``app``:
    ``StudioDomain`` for one domain, ``StudioDomain-<name>`` each for several, on one network
    per Region."""
    spec_file = str(app.node.try_get_context("studio:spec") or "studio.yaml")
    specs = load_specs(spec_file)
    roster_file = app.node.try_get_context("studio:roster")
    roster = (
        RosterCheck(
            path=Path(roster_file) if roster_file else default_roster_path(spec_file),
            ci=os.environ.get("CI", "").lower() in ("true", "1"),
            spec_file=spec_file,
            domains=tuple(s.domain.name for s in specs),
        )
        if roster_file != ""
        else None
    )
    baseline_dir = app.node.try_get_context("studio:baseline")
    baseline = Baseline.from_assembly("cdk.out" if baseline_dir is None else baseline_dir) if baseline_dir != "" else None
    if baseline is not None:
        Aspects.of(app).add(NamedReplacementCheck(baseline))
    existing = app.node.try_get_context("studio:vpc")
    if isinstance(existing, str) and existing.strip():  # from the command line: -c studio:vpc='{"vpcId": ...}'
        try:
            existing = json.loads(existing)
        except json.JSONDecodeError as err:
            raise StudioConfigError("context studio:vpc", existing, f"a JSON object ({err.msg})") from None
    if existing and len({s.region for s in specs}) > 1:
        raise StudioConfigError("context studio:vpc", existing, "one VPC for domains of one Region (the spec's span several)")
    vpc = ExistingVpc.from_context(existing) if existing else None
    networks: dict[str, StudioNetworkStack] = {}
    stacks = []
    for spec in specs:
        env = Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=spec.region) if spec.region else None
        if vpc is None:
            network_id = network_stack_id(spec, specs)
            if network_id not in networks:
                networks[network_id] = StudioNetworkStack(app, network_id, env=env)
        domain_vpc = vpc or networks[network_stack_id(spec, specs)].vpc
        stacks.append(StudioDomainStack(app, domain_stack_id(spec, specs), spec=spec, vpc=domain_vpc, roster=roster, env=env))
    return stacks


def register_packs(app: App) -> None:
    """cdk-nag's AwsSolutions and StudioChecks, and with ``studio:compliancePacks`` NIST 800-53
    rev 5 and HIPAA Security, as validation plugins: an unacknowledged error fails synth."""
    add_packs(app, compliance=app.node.try_get_context("studio:compliancePacks") in (True, "true"))


def main(app: App | None = None) -> int:
    """Synthesize; 1 on bad configuration or an unacknowledged cdk-nag error, whatever the app mode."""
    app = app or App()
    try:
        build(app)
    except StudioConfigError as err:
        print(f"studio.yaml or app configuration error:\n{err}", file=sys.stderr)
        return 1
    register_packs(app)
    raised = False
    try:
        app.synth()
    except RuntimeError as err:  # the in-memory (and unknown) app modes raise on a failed validation
        if "ValidationFailed" not in str(err) and "Validation failed" not in str(err):
            raise
        raised = True
    failed = failed_validations(app.outdir)  # CDK_APP_MODE=process only prints them: fail here
    if failed or raised:
        print("validation failed (see validation-report.json in the assembly):", *failed, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
