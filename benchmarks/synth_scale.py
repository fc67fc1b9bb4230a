"""The library's synth against CDK's own floor, at scale; prints one line.

    .venv/bin/python benchmarks/synth_scale.py --users N   (default 1000)

Two fresh processes, one after the other, in the same run:

- **library**: the scale app (``scale.py``: a studio.yaml-style spec through ``StudioDomainStack``,
  N users each with a private space) synthesized into a temporary assembly.
- **floor**: exactly the templates the library produced, rebuilt as raw ``CfnResource`` objects
  (the same stacks and nested stacks, logical ids, types, properties, parameters and outputs; no
  construct logic). That is what CDK itself costs for this output. The run fails unless the floor's
  templates equal the library's.

Each process times itself from the ``App`` it builds to the end of ``app.synth()`` (imports and the
jsii kernel's start are the same fixed cost for both and are left out). Memory is the peak of the
library process's whole tree (Python, the jsii Node kernel, which is a grandchild, and anything
else below it): every descendant's resident size is read from /proc and summed, every 50 ms.

Prints ``users= lib_s= floor_s= ratio= stacks= max_resources= max_bytes= peak_rss_mb=`` (bytes of
the largest template as CloudFormation receives it, compact JSON). Targets (issue 15): ratio <= 1.5
at 1,000 and 5,000 users, peak under 2 GB at 5,000, every stack under 500 resources and 1 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
ROOT = HERE.parent

# Keys CDK's default synthesizer adds to every top-level stack: the floor gets them from CDK too.
_SYNTHESIZER_PARAMETERS = {"BootstrapVersion"}
_SYNTHESIZER_RULES = {"CheckBootstrapVersion"}
_ATTRIBUTES = ("Condition", "UpdatePolicy", "CreationPolicy")  # written as raw overrides
_PARAMETER_KEYS = {
    "Type": "type",
    "Default": "default",
    "Description": "description",
    "AllowedValues": "allowed_values",
    "AllowedPattern": "allowed_pattern",
    "ConstraintDescription": "constraint_description",
    "MaxLength": "max_length",
    "MinLength": "min_length",
    "MaxValue": "max_value",
    "MinValue": "min_value",
    "NoEcho": "no_echo",
}


def tree_cpu_seconds(root: int | None = None) -> float:
    """User plus system CPU seconds so far of a process and every live descendant (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, todo = 0.0, [root or os.getpid()]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


# --- the two children -------------------------------------------------------------------------


def run_library(users: int, outdir: str) -> None:
    """Child: synthesize the scale app into ``outdir``; print the seconds it took."""
    from scale import scale_app

    import sagemaker_studio_cdk

    for name in sagemaker_studio_cdk.__all__:  # every module imported before the clock, as the floor imports aws_cdk
        getattr(sagemaker_studio_cdk, name)

    cpu, start = tree_cpu_seconds(), time.perf_counter()
    app = scale_app(users, outdir)
    built = time.perf_counter()
    app.synth()
    done = time.perf_counter()
    cpu = tree_cpu_seconds() - cpu
    print(json.dumps({"seconds": done - start, "construct": built - start, "synth": done - built, "cpu": cpu}))


def run_floor(library_dir: str, outdir: str) -> None:
    """Child: rebuild the library's templates in ``library_dir`` as raw CfnResources into ``outdir``."""
    import scale  # noqa: F401  (the venv's Node, before jsii starts)
    from aws_cdk import App, Environment

    from sagemaker_studio_cdk.assembly import load_templates

    manifest = json.loads((Path(library_dir) / "manifest.json").read_text())
    templates = load_templates(library_dir)  # read before the clock starts: the library had them in memory
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    # Paths come from the library's metadata, written as plain metadata below.
    context.update({"aws:cdk:enable-path-metadata": False, "aws:cdk:enable-asset-metadata": True})
    environments = {
        name: artifact.get("environment", "")
        for name, artifact in manifest["artifacts"].items()
        if artifact.get("type") == "aws:cloudformation:stack"
    }
    by_parent: dict[tuple[str, ...], list[Any]] = {}
    for stack in templates:
        by_parent.setdefault(stack.path[:-1], []).append(stack)

    cpu, start = tree_cpu_seconds(), time.perf_counter()
    app = App(context=context, outdir=outdir)
    for top in by_parent[()]:
        account, _, region = environments[top.name].removeprefix("aws://").partition("/")
        env = Environment(
            account=None if account == "unknown-account" else account, region=None if region == "unknown-region" else region
        )
        _build_stack(app, top, by_parent, env=env)
    built = time.perf_counter()
    app.synth()
    done = time.perf_counter()
    cpu = tree_cpu_seconds() - cpu
    print(json.dumps({"seconds": done - start, "construct": built - start, "synth": done - built, "cpu": cpu}))


def _build_stack(
    scope: Any, stack_template: Any, by_parent: dict[tuple[str, ...], list[Any]], env: Any = None, resource_path: str = ""
) -> Any:
    """One stack (top-level or nested) of raw Cfn objects, then its nested stacks."""
    from aws_cdk import CfnMapping, CfnOutput, CfnParameter, NestedStack, Stack, Token
    from constructs import Construct

    template = stack_template.template
    nested = {child.path[-1]: child for child in by_parent.get(stack_template.path, [])}
    if len(stack_template.path) == 1:
        stack = Stack(scope, stack_template.name, env=env, description=template.get("Description"))
    else:
        # The nested stack's construct path names its asset file: rebuild the path the library had.
        parent_path, _, _ = resource_path.partition(".NestedStack/")
        *between, construct_id = parent_path.split("/")[len(scope.node.path.split("/")) :]
        for part in between:
            scope = scope.node.try_find_child(part) or Construct(scope, part)
        stack = NestedStack(scope, construct_id, description=template.get("Description"))
        stack.nested_stack_resource.override_logical_id(stack_template.path[-1])
    unknown = set(template) - {"Resources", "Parameters", "Outputs", "Mappings", "Rules", "Description", "Metadata"}
    if unknown:
        raise SystemExit(f"floor: {stack_template.name} has sections the rebuild does not cover: {sorted(unknown)}")
    if "Metadata" in template:
        stack.template_options.metadata = template["Metadata"]
    top = len(stack_template.path) == 1
    # CDK writes sections and their entries in the order they were added: add them in the library's order.
    for section, entries in template.items():
        if section == "Parameters":
            for name, parameter in entries.items():
                if not (top and name in _SYNTHESIZER_PARAMETERS):
                    CfnParameter(stack, name, **{_PARAMETER_KEYS[key]: value for key, value in parameter.items()})
        elif section == "Rules":
            for name in entries:
                if name not in _SYNTHESIZER_RULES:
                    raise SystemExit(f"floor: {stack_template.name} has a rule the rebuild does not cover: {name}")
        elif section == "Mappings":
            for name, mapping in entries.items():
                CfnMapping(stack, name, mapping=mapping)
        elif section == "Outputs":
            for name, output in entries.items():
                CfnOutput(
                    stack,
                    name,
                    value=Token.as_string(output["Value"]),
                    description=output.get("Description"),
                    export_name=output.get("Export", {}).get("Name"),
                ).override_logical_id(name)
        elif section == "Resources":
            built = {logical_id: _build_resource(stack, logical_id, r, nested, by_parent) for logical_id, r in entries.items()}
            for logical_id, resource in entries.items():
                for target in resource.get("DependsOn", []):
                    built[logical_id].add_dependency(built[target])
    return stack


def _build_resource(stack: Any, logical_id: str, resource: dict[str, Any], nested: dict[str, Any], by_parent: Any) -> Any:
    from aws_cdk import CfnDeletionPolicy, CfnResource

    policies = {
        "Delete": CfnDeletionPolicy.DELETE,
        "Retain": CfnDeletionPolicy.RETAIN,
        "Snapshot": CfnDeletionPolicy.SNAPSHOT,
        "RetainExceptOnCreate": CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE,
    }

    if logical_id in nested:
        child = _build_stack(stack, nested[logical_id], by_parent, resource_path=resource["Metadata"]["aws:cdk:path"])
        cfn = child.nested_stack_resource
        metadata = {k: v for k, v in resource.get("Metadata", {}).items() if not k.startswith("aws:asset:")}
        if "Parameters" in resource["Properties"]:
            cfn.add_property_override("Parameters", resource["Properties"]["Parameters"])
    else:
        cfn = CfnResource(stack, logical_id, type=resource["Type"], properties=resource.get("Properties"))
        cfn.override_logical_id(logical_id)
        metadata = resource.get("Metadata", {})
    for key, value in metadata.items():
        cfn.add_metadata(key, value)
    if "DeletionPolicy" in resource:
        cfn.cfn_options.deletion_policy = policies[resource["DeletionPolicy"]]
    if "UpdateReplacePolicy" in resource:
        cfn.cfn_options.update_replace_policy = policies[resource["UpdateReplacePolicy"]]
    for attribute in _ATTRIBUTES:
        if attribute in resource:
            cfn.add_override(attribute, resource[attribute])
    return cfn


# --- the parent -------------------------------------------------------------------------------


class TreePeak:
    """Samples the summed resident size of a process and all its descendants (from /proc)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree_kb(self) -> int:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
                statm = Path(f"/proc/{entry.name}/statm").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            pid = int(entry.name)
            children.setdefault(int(fields[1]), []).append(pid)
            rss[pid] = int(statm.split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
        total, todo = 0, [self.pid]
        while todo:
            pid = todo.pop()
            total += rss.get(pid, 0)
            todo.extend(children.get(pid, []))
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, self._tree_kb())
            self._stop.wait(self.interval)

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak_kb / 1024


def _child(*args: str, node_prof: str | None = None) -> tuple[dict[str, float], float]:
    """Run this script as a child; its timings (seconds) and its tree's peak resident MB.

    :param node_prof: a directory for the jsii Node kernel's CPU profile (``--cpu-prof``). Default: none.
    """
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    if node_prof:
        env["NODE_OPTIONS"] = f"{env.get('NODE_OPTIONS', '')} --cpu-prof --cpu-prof-dir={node_prof}".strip()
    process = subprocess.Popen(
        [sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    peak = TreePeak(process.pid)
    out, err = process.communicate()
    peak_mb = peak.stop()
    if process.returncode != 0:
        raise SystemExit(f"synth_scale {' '.join(args)} failed:\n{err[-4000:]}")
    return json.loads(out.strip().splitlines()[-1]), peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--library", nargs=2, metavar=("USERS", "OUTDIR"), help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=2, metavar=("LIBRARY_DIR", "OUTDIR"), help=argparse.SUPPRESS)
    parser.add_argument("--detail", action="store_true", help="a second line: each side's construct and synth time")
    parser.add_argument("--keep", metavar="DIR", help="keep both assemblies under DIR (library/, floor/)")
    parser.add_argument(
        "--node-prof",
        metavar="DIR",
        help="write each side's Node CPU profile (.cpuprofile, for Chrome DevTools) under DIR/library and DIR/floor",
    )
    args = parser.parse_args()
    if args.library:
        run_library(int(args.library[0]), args.library[1])
        return
    if args.floor:
        run_floor(*args.floor)
        return

    from sagemaker_studio_cdk.assembly import load_templates

    with tempfile.TemporaryDirectory() as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        lib_dir, floor_dir = str(base / "library"), str(base / "floor")
        prof = Path(args.node_prof).resolve() if args.node_prof else None
        lib, peak_mb = _child("--library", str(args.users), lib_dir, node_prof=str(prof / "library") if prof else None)
        floor, floor_peak_mb = _child("--floor", lib_dir, floor_dir, node_prof=str(prof / "floor") if prof else None)
        lib_s, floor_s = lib["seconds"], floor["seconds"]
        library = {t.name: t.template for t in load_templates(lib_dir)}
        rebuilt = {t.name: t.template for t in load_templates(floor_dir)}
        if library != rebuilt:
            differ = sorted(name for name in library.keys() | rebuilt.keys() if library.get(name) != rebuilt.get(name))
            raise SystemExit(f"synth_scale: the floor's templates differ from the library's: {differ}")
        sizes = [len(json.dumps(t, separators=(",", ":"))) for t in library.values()]
        resources = [len(t["Resources"]) for t in library.values()]
    print(
        f"users={args.users} lib_s={lib_s:.2f} floor_s={floor_s:.2f} ratio={lib_s / floor_s:.2f} stacks={len(library)} "
        f"max_resources={max(resources)} max_bytes={max(sizes)} peak_rss_mb={peak_mb:.0f}"
    )
    if args.detail:
        print(
            f"  library: construct_s={lib['construct']:.2f} synth_s={lib['synth']:.2f} cpu_s={lib['cpu']:.2f}; "
            f"floor: construct_s={floor['construct']:.2f} synth_s={floor['synth']:.2f} cpu_s={floor['cpu']:.2f} "
            f"peak_rss_mb={floor_peak_mb:.0f}; cpu_ratio={lib['cpu'] / floor['cpu']:.2f}"
        )


if __name__ == "__main__":
    main()
