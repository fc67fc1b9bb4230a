"""``sagemaker-studio-cdk``: commands over a synthesized cloud assembly."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from .assembly import AssemblyError, StackTemplate, load_templates
from .node import use_venv_node
from .tables import dig, table
from .tables import refs as _refs
from .tables import show as _show
from .workbench_tables import image_summary, portal_summary, rstudio_summary


def summary(templates: Sequence[StackTemplate]) -> str:
    """What the assembly would deploy: domains, users and spaces, as tables."""
    domains, users, spaces = [], [], []
    for stack in templates:
        for props in (r.get("Properties", {}) for r in stack.resources("AWS::SageMaker::Domain").values()):
            settings = props.get("DefaultUserSettings", {})
            ebs = dig(settings, "SpaceStorageSettings", "DefaultEbsStorageSettings") or {}
            idle = dig(settings, "JupyterLabAppSettings", "AppLifecycleManagement", "IdleSettings") or {}
            domains.append(
                [
                    _show(props.get("DomainName")),
                    stack.label,
                    _show(props.get("AuthMode")),
                    _show(props.get("AppNetworkAccessType")),
                    f"{_show(ebs.get('DefaultEbsVolumeSizeInGb'))}/{_show(ebs.get('MaximumEbsVolumeSizeInGb'))}",
                    f"{_show(idle.get('IdleTimeoutInMinutes'))} ({_show(idle.get('MinIdleTimeoutInMinutes'))}-"
                    f"{_show(idle.get('MaxIdleTimeoutInMinutes'))})",
                    _show(dig(settings, "JupyterLabAppSettings", "DefaultResourceSpec", "SageMakerImageArn")),
                ]
            )
        for props in (r.get("Properties", {}) for r in stack.resources("AWS::SageMaker::UserProfile").values()):
            ebs = dig(props, "UserSettings", "SpaceStorageSettings", "DefaultEbsStorageSettings") or {}
            users.append(
                [
                    _show(props.get("UserProfileName")),
                    stack.label,
                    f"{_show(ebs.get('DefaultEbsVolumeSizeInGb'))}/{_show(ebs.get('MaximumEbsVolumeSizeInGb'))}"
                    if ebs
                    else "domain's",
                ]
            )
        for props in (r.get("Properties", {}) for r in stack.resources("AWS::SageMaker::Space").values()):
            settings = props.get("SpaceSettings", {})
            app_type = settings.get("AppType", "JupyterLab")
            app = settings.get("JupyterLabAppSettings" if app_type == "JupyterLab" else "CodeEditorAppSettings", {})
            spaces.append(
                [
                    _show(props.get("SpaceName")),
                    stack.label,
                    _show(dig(props, "SpaceSharingSettings", "SharingType")),
                    _show(dig(props, "OwnershipSettings", "OwnerUserProfileName")),
                    _show(dig(settings, "SpaceStorageSettings", "EbsStorageSettings", "EbsVolumeSizeInGb"))
                    if dig(settings, "SpaceStorageSettings")
                    else "default",
                    _show(app_type),
                    _show(dig(app, "DefaultResourceSpec", "SageMakerImageArn"))
                    if dig(app, "DefaultResourceSpec", "SageMakerImageArn")
                    else "domain's",
                ]
            )
    configs, file_systems = _lifecycle_configs_and_file_systems(templates)
    parts = [
        "Domains\n"
        + table(["name", "stack", "auth", "network", "EBS GB default/max", "idle min (bounds)", "default image"], domains),
        "Users\n" + table(["name", "stack", "EBS GB default/max"], sorted(users)),
        "Spaces\n" + table(["name", "stack", "sharing", "owner", "EBS GB", "app", "image"], sorted(spaces)),
        "Lifecycle configs\n" + table(["name", "stack", "app", "script (base64 chars)", "domain default for"], sorted(configs)),
        "File systems\n"
        + table(["file system", "stack", "encrypted", "on stack delete", "mount targets", "domain mounts at"], file_systems),
    ]
    parts += [part for part in (image_summary(templates), portal_summary(templates), rstudio_summary(templates)) if part]
    return "\n\n".join(parts)


def _lifecycle_configs_and_file_systems(templates: Sequence[StackTemplate]) -> tuple[list[list[str]], list[list[str]]]:
    configs, file_systems = [], []
    for stack in templates:
        domains = [r.get("Properties", {}) for r in stack.resources("AWS::SageMaker::Domain").values()]
        for logical_id, resource in stack.resources("AWS::SageMaker::StudioLifecycleConfig").items():
            props = resource.get("Properties", {})
            default_for = [
                app.removesuffix("AppSettings")
                for d in domains
                for app in ("JupyterLabAppSettings", "CodeEditorAppSettings")
                if logical_id in _refs(dig(d, "DefaultUserSettings", app, "DefaultResourceSpec", "LifecycleConfigArn"))
            ]
            configs.append(
                [
                    _show(props.get("StudioLifecycleConfigName")),
                    stack.label,
                    _show(props.get("StudioLifecycleConfigAppType")),
                    str(len(str(props.get("StudioLifecycleConfigContent", "")))),
                    ", ".join(default_for) or "-",
                ]
            )
        targets = stack.resources("AWS::EFS::MountTarget").values()
        for logical_id, resource in stack.resources("AWS::EFS::FileSystem").items():
            mounted_at = [
                _show(c.get("EFSFileSystemConfig", {}).get("FileSystemPath"))
                for d in domains
                for c in dig(d, "DefaultUserSettings", "CustomFileSystemConfigs") or []
                if logical_id in _refs(c)
            ]
            file_systems.append(
                [
                    resource.get("Metadata", {}).get("aws:cdk:path", logical_id).removesuffix("/Resource"),
                    stack.label,
                    "yes" if dig(resource, "Properties", "Encrypted") else "no",
                    "retained" if resource.get("DeletionPolicy") == "Retain" else "deleted",
                    str(sum(1 for t in targets if logical_id in _refs(dig(t, "Properties", "FileSystemId")))),
                    ", ".join(mounted_at) or "-",
                ]
            )
    return configs, file_systems


class _Progress:
    """Progress lines on stderr, once a run has taken more than ``after`` seconds."""

    def __init__(self, after: float = 2.0) -> None:
        self.started = time.perf_counter()
        self.after = after
        self.pending: list[str] = []

    def __call__(self, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        if elapsed < self.after:
            self.pending = [message]
            return
        for line in [*self.pending, message]:
            print(f"[{elapsed:5.1f}s] {line}", file=sys.stderr, flush=True)
        self.pending = []


def _shaped(what: str, pattern: str, example: str) -> Callable[[str], str]:
    """An argparse type that accepts values matching ``pattern`` (else exit 2, saying what fits)."""

    def accept(value: str) -> str:
        if not re.fullmatch(pattern, value):
            raise argparse.ArgumentTypeError(f"{value!r} is not {what} (such as {example})")
        return value

    return accept


ACCOUNT = _shaped("an AWS account id: 12 digits", r"\d{12}", "111122223333")
REGION = _shaped("a region name", r"[a-z]{2}(-[a-z]+)+-\d{1,2}", "us-east-1 or us-gov-west-1")
PARTITION = _shaped("a partition", r"aws(-[a-z]+)*", "aws, aws-cn or aws-us-gov")


def _check(args: argparse.Namespace) -> int:
    from .check import check_assembly
    from .reports import junit, sarif, table

    result = check_assembly(args.cdk_out, progress=_Progress())
    print(table(result))
    try:
        if args.sarif:
            Path(args.sarif).write_text(json.dumps(sarif(result), indent=2) + "\n")
        if args.junit:
            Path(args.junit).write_text(junit(result))
    except OSError as err:
        print(f"sagemaker-studio-cdk: cannot write {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    return 1 if result.errors else 0


def _policies(args: argparse.Namespace) -> int:
    from .policies.resolver import resolve_assembly

    roles = resolve_assembly(args.cdk_out, partition=args.partition, account=args.account, region=args.region)
    chosen = [role for role in roles if role.persona == args.persona]
    if not chosen:
        known = sorted({role.persona for role in roles if role.persona})
        print(
            f"sagemaker-studio-cdk: no role of persona {args.persona!r} in {args.cdk_out} "
            f"(personas there: {', '.join(known) or 'none'})",
            file=sys.stderr,
        )
        return 2
    document = {
        "persona": args.persona,
        "partition": args.partition,
        "account": args.account,
        "region": args.region,
        "roles": [
            {
                "stack": role.stack,
                "logicalId": role.logical_id,
                "path": role.path,
                "arn": role.arn,
                "trustPolicy": role.trust_policy,
                "identityPolicies": role.identity_policies,
                "managedPolicyArns": role.managed_policy_arns,
                "boundaryArn": role.boundary_arn,
                "boundary": role.boundary,
            }
            for role in chosen
        ],
    }
    print(json.dumps(document, indent=2))
    return 0


def _roster(args: argparse.Namespace) -> int:
    from . import roster
    from .errors import StudioConfigError
    from .spec_domains import load_specs

    spec_files: list[str] = args.spec or [roster.DEFAULT_SPEC]
    path = Path(args.roster) if args.roster else roster.default_roster_path(spec_files[0])
    kind = roster.Kind(args.kind) if getattr(args, "kind", None) else None
    try:
        specs = [spec for f in spec_files for spec in load_specs(f)]
        before = roster.Roster.load(path)
        if args.action == "update":
            after = roster.update(before, specs, roster.Commands(spec_files[0], str(path)))
            assembly = Path(args.assembly) if args.assembly else Path(spec_files[0]).with_name("cdk.out")
            if assembly.is_dir():  # what CloudFormation writes, for the settings resource
                after = roster.record_settings(after, assembly)
        elif args.action == "retire":
            if not args.names and not args.every:
                print("sagemaker-studio-cdk roster retire: give the names to retire, or --domain D --all", file=sys.stderr)
                return 2
            after = roster.retire(before, specs, args.names, kind=kind, domain=args.domain, every=args.every)
        else:
            after = roster.reuse(before, specs, args.names, kind=kind)
    except StudioConfigError as err:
        print(f"sagemaker-studio-cdk roster {args.action}: {path} not changed:\n{err}", file=sys.stderr)
        return 1
    changed = [e for e in after.entries if before.get(e.domain, e.kind, e.name) != e]
    if path.exists() and path.read_text(encoding="utf-8") == after.render():
        print(f"{path}: up to date")
        return 0
    after.write(path)
    print(f"{path}: {len(changed)} line{'s' * (len(changed) != 1)} written", *(e.render() for e in changed), sep="\n  ")
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, Template, init

    try:
        written = init(args.directory, Template(args.template))
    except ScaffoldError as err:
        print(f"sagemaker-studio-cdk: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"sagemaker-studio-cdk: cannot write {err.filename}: {err.strerror}", file=sys.stderr)
        return 2
    root = Path(args.directory)
    print(f"A new Studio app ({args.template} template) in {root}:")
    print("\n".join(f"  {path.relative_to(root).as_posix()}" for path in written))
    print(f"Next: cd {root}; pip install -r requirements.txt; python -m pytest (see README.md there)")
    return 0


def _guard(args: argparse.Namespace) -> int:
    from .guard import run

    code, output, notes = run(args.old, args.new, args.allow, args.json)
    print(output)
    for note in notes:
        print(f"sagemaker-studio-cdk guard: {note}", file=sys.stderr)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sagemaker-studio-cdk`` command: 0 fine, 1 error findings, 2 bad input."""
    use_venv_node()
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into a reader that stopped early (``| head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _add_roster_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    roster = commands.add_parser(
        "roster", help="the committed roster of every user and space the app declared: update, retire, reuse"
    )
    actions = roster.add_subparsers(dest="action", required=True)
    helps = {
        "update": "record new users and spaces (a first run seeds the roster from the current layout)",
        "retire": "mark users or spaces removed from the spec as retired, so synth lets them go",
        "reuse": "give retired names, declared again in the spec, to new users or spaces",
    }
    for action, text in helps.items():
        parser = actions.add_parser(action, help=text, description=text)
        parser.add_argument(
            "--spec", action="append", metavar="FILE", help="a spec file; repeat for several domains (default: studio.yaml)"
        )
        parser.add_argument("--roster", metavar="FILE", help="the roster file (default: studio.roster next to the first spec)")
        if action == "update":
            parser.add_argument(
                "--assembly",
                metavar="DIR",
                help="the synthesized app whose settings blocks and create-only values to record "
                "(default: cdk.out next to the first spec)",
            )
        if action != "update":
            parser.add_argument("names", nargs="*" if action == "retire" else "+", metavar="NAME", help="user or space names")
            parser.add_argument("--kind", choices=["user", "space"], help="when a user and a space share the name")
        if action == "retire":
            parser.add_argument("--domain", help="the domain, when the name is recorded in several (default: the specs')")
            parser.add_argument(
                "--all",
                dest="every",
                action="store_true",
                help="every user and space of --domain (a domain removed from the app)",
            )


def _main(argv: Sequence[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="sagemaker-studio-cdk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    show = commands.add_parser("summary", help="the domains, users and spaces a synthesized assembly would deploy")
    show.add_argument("cdk_out", help="a cloud assembly directory (cdk.out)")
    show.add_argument(
        "--mermaid",
        action="store_true",
        help="draw the domain as a Mermaid flowchart (network, users, spaces, file systems, roles)",
    )
    check = commands.add_parser(
        "check",
        help="cfn-lint, cdk-nag AwsSolutions and StudioChecks over every template of an assembly; exit 1 on any error",
    )
    check.add_argument("cdk_out", help="a cloud assembly directory (cdk.out)")
    check.add_argument("--sarif", metavar="FILE", help="also write the findings as SARIF 2.1.0 (for code scanning)")
    check.add_argument("--junit", metavar="FILE", help="also write the findings as JUnit XML")
    policies = commands.add_parser(
        "policies", help="a persona's effective IAM policies (identity, boundary), intrinsics resolved, as JSON"
    )
    policies.add_argument("cdk_out", help="a cloud assembly directory (cdk.out)")
    policies.add_argument(
        "--persona", required=True, help="the studio:persona tag value: domain-admin, execution, user-access, cleanup, network"
    )
    policies.add_argument("--partition", type=PARTITION, default="aws", help="the value of AWS::Partition (default: aws)")
    policies.add_argument(
        "--account", type=ACCOUNT, default="111122223333", help="the value of AWS::AccountId, 12 digits (default: 111122223333)"
    )
    policies.add_argument("--region", type=REGION, default="us-east-1", help="the value of AWS::Region (default: us-east-1)")
    scaffold = commands.add_parser(
        "init", help="write a new app (app.py, cdk.json, a test deploying it to moto, a CI workflow) into a new directory"
    )
    scaffold.add_argument("directory", help="where to write it: a new or empty directory")
    scaffold.add_argument(
        "--template",
        choices=["spec", "constructs"],
        default="spec",
        help="spec: a studio.yaml read by StudioDomainStack (default); constructs: a stack of StudioDomain calls",
    )
    _add_roster_parser(commands)
    guard = commands.add_parser(
        "guard",
        help="what deploying NEW over OLD (the assembly of the last deploy) would delete or fail on; exit 1 if anything",
    )
    guard.add_argument("old", help="the cloud assembly deployed last (cdk.out)")
    guard.add_argument("new", help="the cloud assembly to deploy")
    guard.add_argument("--json", action="store_true", help="print the report as JSON")
    guard.add_argument(
        "--allow",
        metavar="NAME",
        action="append",
        default=[],
        help="accept the change of one resource: its construct path, logical id or name (a profile name); repeatable",
    )
    args = parser.parse_args(argv)
    if args.command == "init":
        return _init(args)
    try:
        if args.command == "roster":
            return _roster(args)
        if args.command == "guard":
            return _guard(args)
        if args.command == "check":
            return _check(args)
        if args.command == "policies":
            return _policies(args)
        templates = load_templates(args.cdk_out)
    except AssemblyError as err:
        print(f"sagemaker-studio-cdk: {err}", file=sys.stderr)
        return 2
    except RuntimeError as err:  # from the CDK (jsii) while loading templates an assembly should not hold
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        print(f"sagemaker-studio-cdk: cannot {args.command} {args.cdk_out}: {first}", file=sys.stderr)
        return 2
    if args.mermaid:
        from .diagram import mermaid

        print(mermaid(templates))
        return 0
    print(summary(templates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
