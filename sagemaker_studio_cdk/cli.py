"""``sagemaker-studio-cdk``: commands over a synthesized cloud assembly."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .assembly import AssemblyError, StackTemplate, load_templates
from .tables import dig, table
from .workbench_tables import image_summary, portal_summary


def _show(value: Any) -> str:
    """A template value for people: literals as they are, intrinsics in a short readable form."""
    if value is None:
        return "-"
    if isinstance(value, (str, int, float)):
        return str(value)
    if isinstance(value, dict) and len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return {"AWS::Partition": "aws", "AWS::Region": "<region>", "AWS::AccountId": "<account>"}.get(arg, f"<{arg}>")
        if fn == "Fn::Join":
            return str(arg[0]).join(_show(part) for part in arg[1])
        if fn == "Fn::GetAtt":
            return f"<{arg[0]}.{arg[1]}>"
        if fn == "Fn::FindInMap":
            return f"<{arg[0]}[{_show(arg[1])}]>"
    return "<computed>"


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
    parts += [part for part in (image_summary(templates), portal_summary(templates)) if part]
    return "\n\n".join(parts)


def _refs(node: Any) -> set[str]:
    """Logical ids that ``node`` points at with Ref or Fn::GetAtt."""
    if isinstance(node, dict):
        if set(node) == {"Ref"}:
            return {str(node["Ref"])}
        if set(node) == {"Fn::GetAtt"}:
            return {str(node["Fn::GetAtt"][0])}
        return set().union(*(_refs(v) for v in node.values())) if node else set()
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


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
    from .spec import load_spec

    spec_files: list[str] = args.spec or [roster.DEFAULT_SPEC]
    path = Path(args.roster) if args.roster else roster.default_roster_path(spec_files[0])
    kind = roster.Kind(args.kind) if getattr(args, "kind", None) else None
    try:
        specs = [load_spec(f) for f in spec_files]
        before = roster.Roster.load(path)
        if args.action == "update":
            after = roster.update(before, specs, roster.Commands(spec_files[0], str(path)))
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``sagemaker-studio-cdk`` command: 0 fine, 1 error findings, 2 bad input."""
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into a reader that stopped early (``| head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _add_roster_parser(commands: Any) -> None:
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
    policies.add_argument("--persona", required=True, help="the studio:persona tag value: domain-admin, execution, user-access")
    policies.add_argument("--partition", default="aws", help="the value of AWS::Partition (default: aws)")
    policies.add_argument("--account", default="111122223333", help="the value of AWS::AccountId (default: 111122223333)")
    policies.add_argument("--region", default="us-east-1", help="the value of AWS::Region (default: us-east-1)")
    _add_roster_parser(commands)
    args = parser.parse_args(argv)
    try:
        if args.command == "roster":
            return _roster(args)
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
    print(summary(templates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
