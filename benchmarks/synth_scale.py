"""Synthesize a domain with many users (each with a private space) and print one summary line.

    .venv/bin/python benchmarks/synth_scale.py [USERS]   (default 2000)

Users go to nested stacks of 200 (the spec's ``group``), as a platform team at that size would
declare them. Prints wall time, peak RSS of this process and the jsii kernel, stack count and the
largest stack's resource count and template size.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _children_peak_rss_mb() -> float:
    """Peak RSS (VmHWM) of this process's live children: the jsii kernel (node)."""
    total = 0.0
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
    return total


def main() -> None:
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    from aws_cdk import App, Environment

    from sagemaker_studio_cdk import StudioDomainStack, parse_spec
    from sagemaker_studio_cdk.assembly import load_templates
    from sagemaker_studio_cdk.stacks import MAX_USERS_PER_GROUP, ExistingVpc

    raw = {
        "region": "us-east-1",
        "domain": {"name": "scale"},
        "users": [{"name": f"user{i:05d}", "group": f"g{i // MAX_USERS_PER_GROUP:03d}"} for i in range(users)],
        "spaces": [{"name": f"user{i:05d}-lab", "sharing": "Private", "owner": f"user{i:05d}"} for i in range(users)],
    }
    vpc = ExistingVpc(
        "vpc-0123456789abcdef0", ("us-east-1a", "us-east-1b"), ("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2")
    )
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    context.update({"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True})
    start = time.perf_counter()
    app = App(context=context)
    StudioDomainStack(app, "Scale", spec=parse_spec(raw), vpc=vpc, env=Environment(account="111122223333", region="us-east-1"))
    built = time.perf_counter()
    assembly = app.synth()
    done = time.perf_counter()
    templates = load_templates(assembly.directory)
    largest = max(templates, key=lambda t: len(t.template.get("Resources", {})))
    biggest_bytes = max(len(json.dumps(t.template)) for t in templates)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kernel_mb = _children_peak_rss_mb()
    print(
        f"synth_scale users={users} stacks={len(templates)} construct={built - start:.1f}s synth={done - built:.1f}s "
        f"total={done - start:.1f}s largest_stack_resources={len(largest.template['Resources'])} "
        f"largest_template_bytes={biggest_bytes} python_rss_mb={rss_mb:.0f} jsii_kernel_rss_mb={kernel_mb:.0f}"
    )


if __name__ == "__main__":
    main()
