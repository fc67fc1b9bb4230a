"""Time ``sagemaker-studio-cdk check`` on a 1,000-user assembly and print one summary line.

    .venv/bin/python benchmarks/check_scale.py [USERS]   (default 1000)

Synthesizes a domain whose users (each with a private space) go to nested stacks of 200 (the
spec's ``group``), as a platform team at that size would declare them, with the cdk-nag packs
registered as the example app registers them. Then runs ``check`` on the assembly in a fresh
process, as CI would, and prints its wall time (process start included), the CPU seconds of that
process and everything it started (the jsii kernel, cfn-lint workers: steadier than wall time on a
busy machine), the time of each phase, and what it found. Target (issue 15): under 10 s.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import scale_app  # noqa: E402


def synthesize(users: int, outdir: str) -> float:
    """The assembly of ``users`` users in ``outdir``; the seconds it took."""
    from sagemaker_studio_cdk.policies.nag import add_packs

    start = time.perf_counter()
    app = scale_app(users, outdir, **{"studio:compliancePacks": False})
    add_packs(app)
    app.synth()
    return time.perf_counter() - start


def check(directory: str) -> None:
    """Run in the child process: ``check`` on the assembly, its result as one JSON line."""
    from sagemaker_studio_cdk.check import check_assembly

    result = check_assembly(directory)
    print(
        json.dumps(
            {
                "templates": len(result.templates),
                "resources": result.resource_count,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
                "acknowledged": result.acknowledged,
                "timings": result.timings,
            }
        )
    )


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--check":
        check(sys.argv[2])
        return
    users = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as outdir:
        synth_seconds = synthesize(users, outdir)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        child = subprocess.run([sys.executable, __file__, "--check", outdir], capture_output=True, text=True, check=True)
        check_seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found = json.loads(child.stdout.strip().splitlines()[-1])
    phases = " ".join(f"{name}={seconds:.1f}s" for name, seconds in found["timings"].items())
    print(
        f"check_scale users={users} templates={found['templates']} resources={found['resources']} "
        f"synth={synth_seconds:.1f}s check={check_seconds:.1f}s check_cpu={cpu:.1f}s ({phases}) errors={found['errors']} "
        f"warnings={found['warnings']} acknowledged={found['acknowledged']}"
    )


if __name__ == "__main__":
    main()
