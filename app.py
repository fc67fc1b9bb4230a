#!/usr/bin/env python3
"""The example app: the domain of studio.yaml, its network, and its nested user stacks.

Context (``cdk.json`` or ``-c``):
- ``studio:spec``: the spec file. Default: ``studio.yaml``.
- ``studio:vpc``: an existing VPC as ``{vpcId, availabilityZones, privateSubnetIds}``; without
  it a network stack makes one.
- ``studio:baseline``: a previous cloud assembly to compare with, for warnings on changes that
  CloudFormation cannot apply to named resources (a space's owner, a domain's key) and on
  removed spaces. Default: ``cdk.out``, the last synth; ``""`` turns the check off.
Environment: ``CDK_DEFAULT_ACCOUNT`` (the account, when known); the region is the spec's.
"""

from __future__ import annotations

import os
import sys

from aws_cdk import App, Aspects, Environment

from sagemaker_studio_cdk import StudioConfigError, StudioDomainStack, StudioNetworkStack, load_spec
from sagemaker_studio_cdk.replacement import Baseline, NamedReplacementCheck
from sagemaker_studio_cdk.stacks import ExistingVpc


def build(app: App) -> StudioDomainStack:
    """Add the example stacks to ``app``; the tests call this with cdk.json's context."""
    spec = load_spec(app.node.try_get_context("studio:spec") or "studio.yaml")
    env = Environment(account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=spec.region) if spec.region else None
    baseline_dir = app.node.try_get_context("studio:baseline")
    baseline = Baseline.from_assembly("cdk.out" if baseline_dir is None else baseline_dir) if baseline_dir != "" else None
    if baseline is not None:
        Aspects.of(app).add(NamedReplacementCheck(baseline))
    existing = app.node.try_get_context("studio:vpc")
    if existing:
        vpc = ExistingVpc.from_context(existing)
        return StudioDomainStack(app, "StudioDomain", spec=spec, vpc=vpc, env=env)
    network = StudioNetworkStack(app, "StudioNetwork", env=env)
    return StudioDomainStack(app, "StudioDomain", spec=spec, vpc=network.vpc, env=env)


def main() -> int:
    app = App()
    try:
        build(app)
    except StudioConfigError as err:
        print(f"studio.yaml or app configuration error:\n{err}", file=sys.stderr)
        return 1
    app.synth()
    return 0


if __name__ == "__main__":
    sys.exit(main())
