"""Synthesize a domain with many users (each with a private space) and print one summary line.

    .venv/bin/python benchmarks/synth_scale.py [USERS]   (default 2000)

Users go to nested stacks of 200 (the spec's ``group``), as a platform team at that size would
declare them. Prints wall time, peak RSS of this process and the jsii kernel, stack count and the
largest stack's resource count and template size.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import scale_app  # noqa: E402


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
    from sagemaker_studio_cdk.assembly import load_templates

    start = time.perf_counter()
    app = scale_app(users)
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
