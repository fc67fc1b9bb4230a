"""Deploy the scale app to moto with the Studio extension, then delete it; print the times.

    .venv/bin/python benchmarks/deploy_scale.py --users N   (default 1000)

Synthesizes the scale domain (``scale.py``: N users, each with a private space, in nested stacks
of 200), then, in moto (in process, ``sagemaker_studio_cdk.testing.mock_studio``), bootstraps,
deploys every stack as ``cdk deploy`` does and destroys them, checking that every profile and
space existed and that none is left. Prints
``users= synth_s= deploy_s= destroy_s= total_s= cpu_s= profiles= spaces=`` (``total_s`` is deploy
plus destroy; ``cpu_s`` the CPU seconds of those two steps, steadier than wall time on a busy
machine). Target (issue 15): deploy plus delete of 1,000 users under 60 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import scale_app  # noqa: E402


def _count(client: object, operation: str, key: str) -> int:
    paginator = client.get_paginator(operation)  # type: ignore[attr-defined]
    return sum(len(page[key]) for page in paginator.paginate())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    args = parser.parse_args()
    from sagemaker_studio_cdk.stacks import ExistingVpc
    from sagemaker_studio_cdk.testing import mock_studio

    os.environ["MOTO_ACCOUNT_ID"] = "111122223333"  # the scale app's account
    with tempfile.TemporaryDirectory() as outdir, mock_studio() as moto:
        ec2 = moto.client("ec2")
        vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        zones = ("us-east-1a", "us-east-1b")
        subnets = tuple(
            ec2.create_subnet(VpcId=vpc_id, CidrBlock=f"10.0.{i}.0/24", AvailabilityZone=zone)["Subnet"]["SubnetId"]
            for i, zone in enumerate(zones)
        )
        start = time.perf_counter()
        app = scale_app(args.users, outdir, vpc=ExistingVpc(vpc_id, zones, subnets), **{"studio:compliancePacks": False})
        directory = app.synth().directory
        synth_s = time.perf_counter() - start
        deployer = moto.deployer()
        deployer.bootstrap()
        sagemaker = moto.client("sagemaker")
        cpu = os.times()
        start = time.perf_counter()
        deployer.deploy(directory)
        deploy_s = time.perf_counter() - start
        profiles = _count(sagemaker, "list_user_profiles", "UserProfiles")
        spaces = _count(sagemaker, "list_spaces", "Spaces")
        start = time.perf_counter()
        deployer.destroy(directory)
        destroy_s = time.perf_counter() - start
        after = os.times()
        left = _count(sagemaker, "list_user_profiles", "UserProfiles") + _count(sagemaker, "list_spaces", "Spaces")
    if profiles != args.users or spaces != args.users or left:
        raise SystemExit(f"deploy_scale: {profiles} profiles and {spaces} spaces deployed, {left} left after destroy")
    cpu_s = after.user + after.system - cpu.user - cpu.system
    print(
        f"users={args.users} synth_s={synth_s:.1f} deploy_s={deploy_s:.1f} destroy_s={destroy_s:.1f} "
        f"total_s={deploy_s + destroy_s:.1f} cpu_s={cpu_s:.1f} profiles={profiles} spaces={spaces}"
    )


if __name__ == "__main__":
    main()
