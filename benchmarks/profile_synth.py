"""Where the library's synth time goes: cProfile and a count of Python-to-Node (jsii) round trips.

    .venv/bin/python benchmarks/profile_synth.py --users N [--top 25] [--pstats FILE]

Synthesizes the scale app (``scale.py``) in this process with every jsii request counted: by kind
(create, invoke, get, set, callback answers ...), and by the library line that caused it (the
innermost frame in ``sagemaker_studio_cdk``; ``(cdk)`` for requests CDK makes on its own, such as
callbacks into Python during synth). Then prints cProfile's top functions by cumulative time.
Each round trip costs about 0.5 ms on this machine: the count is the first thing to look at.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import scale_app  # noqa: E402

LIBRARY = str(Path(__file__).resolve().parent.parent / "sagemaker_studio_cdk")


def count_round_trips() -> tuple[Counter[str], Counter[str]]:
    """Wrap jsii's process provider so every request is counted; the two counters it fills."""
    from jsii._kernel.providers import process

    kinds: Counter[str] = Counter()
    callers: Counter[str] = Counter()
    send = process._NodeProcess.send

    def counted(self: Any, request: Any, response_type: Any) -> Any:
        kinds[type(request).__name__] += 1
        frame = sys._getframe(1)
        where = "(cdk)"
        while frame is not None:
            if frame.f_code.co_filename.startswith(LIBRARY):
                where = f"{Path(frame.f_code.co_filename).relative_to(LIBRARY)}:{frame.f_lineno} {frame.f_code.co_name}"
                break
            frame = frame.f_back  # type: ignore[assignment]
        callers[where] += 1
        return send(self, request, response_type)

    process._NodeProcess.send = counted  # type: ignore[method-assign]
    return kinds, callers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--pstats", help="also write the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args()
    import aws_cdk  # noqa: F401  (the kernel starts and loads aws-cdk-lib before counting)

    kinds, callers = count_round_trips()
    profile = cProfile.Profile()
    start = time.perf_counter()
    profile.enable()
    app = scale_app(args.users)
    built = time.perf_counter()
    app.synth()
    profile.disable()
    done = time.perf_counter()
    print(f"users={args.users} construct_s={built - start:.2f} synth_s={done - built:.2f} round_trips={sum(kinds.values())}")
    print("round trips by kind:", ", ".join(f"{k}={v}" for k, v in kinds.most_common()))
    print("round trips by library line:")
    for where, count in callers.most_common(args.top):
        print(f"  {count:7d}  {where}")
    if args.pstats:
        profile.dump_stats(args.pstats)
    pstats.Stats(profile).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
