"""``python -m sagemaker_studio_cdk.demo``: the example app, or any app's synthesized assembly
(``--app cdk.out``), deployed with the real CDK CLI to a moto server on loopback, read back,
destroyed, and the server stopped. No AWS account, no network.

Steps: start a moto server with the Studio extension (``sagemaker_studio_cdk.testing``) on
``localhost`` (a free port unless ``--port``), ``cdk bootstrap``, ``cdk deploy --all
--method=direct``, a table of what exists there read back with boto3, ``cdk destroy --all
--force``, what was retained, stop the server. Each CDK command's output goes to a log file that
is shown when the command fails.

``--workbench`` (``make demo``) then does the same for ``examples/full_workbench.py`` (with its MLflow
tracking server; synthesized in the background from the start), under a heading per app, and the
retained table, after both destroys, names the app each row belongs to.

An assembly is deployed to the region of its stacks' environment (``us-east-1`` when they are
environment-agnostic); one with a resource type neither moto nor the extension models is refused,
the types listed, before anything starts. The read-back shows every role tagged ``studio:persona``.

Exit codes: 0 done; 1 a CDK step failed; 2 bad input (spec, assembly, missing CLI or extension); 3 the
server could not start (the port is taken); 130 interrupted (Ctrl-C) or terminated. In every
case the CDK processes started here are stopped, and the server with them.

``python -m sagemaker_studio_cdk.demo deploy|destroy`` instead send the app to a real account
(``make deploy`` / ``make destroy``), and refuse when boto3 finds no credentials.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .handlers.cleanup import HOME_EFS_TAG
from .node import use_venv_node
from .tables import dig, table
from .workbench_tables import deployed_grant_table, deployed_image_tables, deployed_rstudio_table

MOTO_ACCOUNT = "123456789012"  # moto's default account
BOOTSTRAP_STACK = "CDKToolkit"
CDK = Path("node_modules/.bin/cdk")

EXIT_CDK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_SERVER = 3
EXIT_INTERRUPTED = 130


class DemoError(Exception):
    """A step failed: the message is for the user; ``code`` is the exit code."""

    def __init__(self, message: str, code: int = EXIT_CDK_FAILED) -> None:
        super().__init__(message)
        self.code = code


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived."""


def _say(message: str) -> None:
    print(message, flush=True)


@contextmanager
def _step(name: str) -> Iterator[None]:
    """``==> name`` then ``    done in N.N s`` (or the time it took to fail)."""
    _say(f"==> {name}")
    started = time.perf_counter()
    try:
        yield
    except BaseException:
        _say(f"    failed after {time.perf_counter() - started:.1f} s")
        raise
    _say(f"    done in {time.perf_counter() - started:.1f} s")


def quiet_cdk_environment() -> dict[str, str]:
    """The environment variables that keep the CDK CLI offline and quiet."""
    return {
        "CDK_DISABLE_CLI_TELEMETRY": "true",
        "CDK_DISABLE_VERSION_CHECK": "true",
    }


# -- the moto server ----------------------------------------------------------------------------


def install_extension() -> None:
    """Turn the moto extension on in this process, or say how to get it."""
    try:
        import moto.moto_server.werkzeug_app  # noqa: F401
        import werkzeug.serving  # noqa: F401

        from .testing import install
    except ImportError as err:
        raise DemoError(
            f"the moto extension is not installed ({err}): pip install 'sagemaker-studio-cdk[testing]' (make setup does)",
            EXIT_BAD_INPUT,
        ) from None
    try:
        install()
    except RuntimeError as err:
        raise DemoError(str(err), EXIT_BAD_INPUT) from None


class MotoServer:
    """A moto server with the Studio extension, in a thread of this process (so the extension's
    models are registered where requests are served, and the server cannot outlive the demo).

    Binding happens in :meth:`start`, in the caller's thread, so a taken port fails at once
    (moto's ``ThreadedMotoServer`` would wait forever for a thread that died binding).
    """

    def __init__(self, port: int = 0) -> None:
        self.requested_port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        install_extension()
        import logging

        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
        app = DomainDispatcherApplication(create_backend_app)
        try:
            self._server = make_server("127.0.0.1", self.requested_port, app, threaded=True, request_handler=MotoRequestHandler)
        except (OSError, SystemExit) as err:
            # werkzeug exits (SystemExit) on a taken port when it thinks it runs a CLI; OSError otherwise
            raise DemoError(
                f"cannot start the moto server on localhost:{self.requested_port}: "
                f"{getattr(err, 'strerror', None) or 'the port is in use'}. "
                "Free the port or leave --port out to take a free one.",
                EXIT_SERVER,
            ) from None
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto-server", daemon=True)
        self._thread.start()
        return self.endpoint_url

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def endpoint_url(self) -> str:
        # localhost, not 127.0.0.1: with an IP, moto misreads the S3 URL of the template CDK uploads
        return f"http://localhost:{self.port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


# -- the CDK CLI --------------------------------------------------------------------------------


class Cdk:
    """Runs the pinned CDK CLI, its output into ``log_dir``; on Ctrl-C or SIGTERM, the CLI's whole
    process group (node, the Python app it runs) is stopped before the exception goes on."""

    def __init__(self, cli: Path, env: Mapping[str, str], log_dir: Path, cwd: Path) -> None:
        self.cli = cli
        self.env = dict(env)
        self.log_dir = log_dir
        self.cwd = cwd

    def __call__(self, name: str, args: Sequence[str], timeout: float = 900, cwd: Path | None = None) -> None:
        log = self.log_dir / f"cdk-{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(
                [str(self.cli), *args, "--no-notices"],
                cwd=cwd or self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped as one below
            )
            try:
                code = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _stop_group(process)
                raise DemoError(f"cdk {name} did not finish in {timeout:.0f} s; its output: {log}") from None
            except BaseException:
                _stop_group(process)
                raise
        if code != 0:
            tail = "\n".join("    " + line for line in log.read_text(errors="replace").strip().splitlines()[-25:])
            raise DemoError(f"cdk {name} failed (exit {code}). The end of its output ({log}):\n{tail}")


def _stop_group(process: subprocess.Popen[Any]) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        if sig == signal.SIGTERM:  # the leader exited; make sure nothing of its group lingers
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        return


# -- reading back -------------------------------------------------------------------------------


def _short(arn: Any) -> str:
    """The name part of an ARN (``.../name``), ``-`` for nothing."""
    if not arn:
        return "-"
    return str(arn).rsplit("/", 1)[-1]


def _mounts(configs: Any) -> str:
    ids = [
        dig(c, "EFSFileSystemConfig", "FileSystemId") or dig(c, "FSxLustreFileSystemConfig", "FileSystemId")
        for c in configs or []
    ]
    paths = [dig(c, "EFSFileSystemConfig", "FileSystemPath") for c in configs or []]
    return ", ".join(f"{i}{':' + p if p else ''}" for i, p in zip(ids, paths, strict=True) if i) or "-"


def _default_instances(settings: Mapping[str, Any]) -> str:
    """Each app's default instance type in ``settings``, ``-`` when none is set."""
    found = [
        f"{key.removesuffix('AppSettings')} {dig(settings, key, 'DefaultResourceSpec', 'InstanceType')}"
        for key in ("JupyterLabAppSettings", "CodeEditorAppSettings", "RSessionAppSettings")
        if dig(settings, key, "DefaultResourceSpec", "InstanceType")
    ]
    return ", ".join(found) or "-"


def _indented_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    return table(headers, rows, indent="  ")


def deployed_tables(client: Callable[[str], Any]) -> str:
    """What the deployed domain holds, read back through the APIs."""
    sm = client("sagemaker")
    parts = []
    for summary in sm.list_domains()["Domains"]:
        domain_id = summary["DomainId"]
        d = sm.describe_domain(DomainId=domain_id)
        user = d.get("DefaultUserSettings", {})
        ebs = dig(user, "SpaceStorageSettings", "DefaultEbsStorageSettings") or {}
        idle = dig(user, "JupyterLabAppSettings", "AppLifecycleManagement", "IdleSettings") or {}
        lab = dig(user, "JupyterLabAppSettings") or {}
        parts.append(
            "Domain\n"
            + _indented_table(
                [
                    "id",
                    "name",
                    "status",
                    "auth",
                    "network",
                    "EBS GB default/max",
                    "idle min (bounds)",
                    "default image",
                    "KMS key",
                ],
                [
                    [
                        domain_id,
                        str(d.get("DomainName")),
                        str(d.get("Status")),
                        str(d.get("AuthMode")),
                        str(d.get("AppNetworkAccessType")),
                        f"{ebs.get('DefaultEbsVolumeSizeInGb', '-')}/{ebs.get('MaximumEbsVolumeSizeInGb', '-')}",
                        f"{idle.get('IdleTimeoutInMinutes', '-')} ({idle.get('MinIdleTimeoutInMinutes', '-')}-"
                        f"{idle.get('MaxIdleTimeoutInMinutes', '-')})",
                        _short(dig(lab, "DefaultResourceSpec", "SageMakerImageArn")),
                        _short(d.get("KmsKeyId")),
                    ]
                ],
            )
            + "\n  lifecycle configs (JupyterLab): "
            + (", ".join(_short(a) for a in lab.get("LifecycleConfigArns") or []) or "-")
            + "\n  mounts: "
            + _mounts(user.get("CustomFileSystemConfigs"))
            + "\n  default instances: "
            + _default_instances(user)
            + f"\n  URL: {d.get('Url', '-')}"
        )
        users = []
        for p in sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]:
            u = sm.describe_user_profile(DomainId=domain_id, UserProfileName=p["UserProfileName"])
            settings = u.get("UserSettings", {})
            uebs = dig(settings, "SpaceStorageSettings", "DefaultEbsStorageSettings") or {}
            users.append(
                [
                    str(u["UserProfileName"]),
                    str(u.get("Status")),
                    f"{uebs['DefaultEbsVolumeSizeInGb']}/{uebs['MaximumEbsVolumeSizeInGb']}" if uebs else "domain's",
                    _short(settings.get("ExecutionRole")),
                    _mounts(settings.get("CustomFileSystemConfigs")),
                ]
            )
        parts.append(
            "Users\n" + _indented_table(["name", "status", "EBS GB default/max", "execution role", "mounts"], sorted(users))
        )
        spaces = []
        for s in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]:
            space = sm.describe_space(DomainId=domain_id, SpaceName=s["SpaceName"])
            settings = space.get("SpaceSettings", {})
            app_type = settings.get("AppType", "-")
            app = settings.get("JupyterLabAppSettings" if app_type == "JupyterLab" else "CodeEditorAppSettings") or {}
            spaces.append(
                [
                    str(space["SpaceName"]),
                    str(dig(space, "SpaceSharingSettings", "SharingType") or "-"),
                    str(dig(space, "OwnershipSettings", "OwnerUserProfileName") or "-"),
                    str(dig(settings, "SpaceStorageSettings", "EbsStorageSettings", "EbsVolumeSizeInGb") or "default"),
                    str(app_type),
                    _short(dig(app, "DefaultResourceSpec", "SageMakerImageArn"))
                    if dig(app, "DefaultResourceSpec", "SageMakerImageArn")
                    else "domain's",
                    _mounts(settings.get("CustomFileSystems")),
                    str(settings.get("RemoteAccess") or "-"),
                ]
            )
        parts.append(
            "Spaces\n"
            + _indented_table(["name", "sharing", "owner", "EBS GB", "app", "image", "mounts", "remote access"], sorted(spaces))
        )
        settings_rows = api_only_rows(sm, d)
        if settings_rows:
            parts.append(
                "Settings CloudFormation lacks (as the API reports them)\n"
                + _indented_table(["where", "setting", "value"], settings_rows)
            )
        images = deployed_image_tables(sm, d)
        if images:
            parts.append(images)
        rstudio = deployed_rstudio_table(sm, d)
        if rstudio:
            parts.append(rstudio)
        grants = deployed_grant_table(client("iam"), _short(user.get("ExecutionRole"))) if user.get("ExecutionRole") else None
        if grants:
            parts.append(grants)
    configs = [
        [str(c["StudioLifecycleConfigName"]), str(c.get("StudioLifecycleConfigAppType", "-"))]
        for c in sm.list_studio_lifecycle_configs()["StudioLifecycleConfigs"]
    ]
    parts.append("Lifecycle configs\n" + _indented_table(["name", "app"], sorted(configs)))
    mlflow = mlflow_rows(sm)
    if mlflow:
        parts.append("MLflow\n" + _indented_table(["kind", "name", "status", "version", "artifacts", "default for"], mlflow))
    roles = persona_roles(client("iam"))
    if roles:
        parts.append(
            "Persona roles (tagged studio:persona)\n"
            + _indented_table(["persona", "name", "permissions boundary", "inline policies", "managed policies"], roles)
        )
    return "\n\n".join(parts)


def _leaves(path: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping) and value:
        for key, item in sorted(value.items()):
            yield from _leaves(f"{path}.{key}", item)
    else:
        yield path, value


def api_only_rows(sm: Any, domain: Mapping[str, Any]) -> list[list[str]]:
    """The API-only settings of a domain, its profiles and spaces, read back with Describe*."""
    import json

    from .api_model import api_only_parts

    def rows(where: str, kind: str, described: Mapping[str, Any], members: Sequence[str]) -> list[list[str]]:
        found = []
        for member in members:
            for part, value in api_only_parts(kind, member, described.get(member) or {}):
                for path, leaf in _leaves(part, value):
                    text = leaf if isinstance(leaf, str) else json.dumps(leaf, separators=(",", ":"), default=str)
                    found.append([where, path, text if len(text) <= 100 else text[:97] + "..."])
        return found

    domain_id = domain["DomainId"]
    found = rows("domain", "Domain", domain, ("DefaultUserSettings", "DefaultSpaceSettings", "DomainSettings"))
    for p in sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]:
        u = sm.describe_user_profile(DomainId=domain_id, UserProfileName=p["UserProfileName"])
        found += rows(f"user {u['UserProfileName']}", "UserProfile", u, ("UserSettings",))
    for summary in sm.list_spaces(DomainIdEquals=domain_id)["Spaces"]:
        space = sm.describe_space(DomainId=domain_id, SpaceName=summary["SpaceName"])
        found += rows(f"space {space['SpaceName']}", "Space", space, ("SpaceSettings",))
    return found


def mlflow_rows(sm: Any) -> list[list[str]]:
    """MLflow Apps and tracking servers, with where their artifacts go."""
    rows = []
    for summary in sm.list_mlflow_apps()["Summaries"]:
        app = sm.describe_mlflow_app(Arn=summary["Arn"])
        domains = ", ".join(app.get("DefaultDomainIdList") or []) or "-"
        rows.append(
            [
                "app",
                str(app["Name"]),
                str(app["Status"]),
                str(app.get("MlflowVersion", "-")),
                str(app["ArtifactStoreUri"]),
                domains,
            ]
        )
    for summary in sm.list_mlflow_tracking_servers()["TrackingServerSummaries"]:
        server = sm.describe_mlflow_tracking_server(TrackingServerName=summary["TrackingServerName"])
        rows.append(
            [
                "tracking server",
                str(server["TrackingServerName"]),
                str(server["TrackingServerStatus"]),
                str(server.get("MlflowVersion", "-")),
                str(server["ArtifactStoreUri"]),
                "-",
            ]
        )
    return sorted(rows)


def persona_roles(iam: Any) -> list[list[str]]:
    """Every role tagged ``studio:persona``: persona, name, boundary, inline and managed policies."""
    rows = []
    for page in iam.get_paginator("list_roles").paginate():
        for listed in page["Roles"]:
            name = listed["RoleName"]
            tags = {t["Key"]: t["Value"] for t in iam.list_role_tags(RoleName=name)["Tags"]}
            if "studio:persona" not in tags:
                continue
            role = iam.get_role(RoleName=name)["Role"]
            inline = iam.list_role_policies(RoleName=name)["PolicyNames"]
            attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
            rows.append(
                [
                    tags["studio:persona"],
                    str(name),
                    _short(dig(role, "PermissionsBoundary", "PermissionsBoundaryArn")),
                    str(len(inline)),
                    ", ".join(_short(p["PolicyArn"]) for p in attached) or "-",
                ]
            )
    return sorted(rows)


Owners = dict[str, tuple[str, str]]
"""A physical resource id (and the name part of an ARN one) -> the app and the logical id it was
deployed as, recorded before the app's destroy."""


def record_owners(client: Callable[[str], Any], app: str, owners: Owners) -> None:
    """Add the resources of every deployed stack but the bootstrap's to ``owners`` as ``app``'s
    (what earlier apps recorded stays theirs), and the home EFS SageMaker made for a domain."""
    sm = client("sagemaker")
    for summary in sm.list_domains()["Domains"]:
        home = sm.describe_domain(DomainId=summary["DomainId"]).get("HomeEfsFileSystemId")
        if home:
            owners.setdefault(str(home), (app, "the domain's home EFS (SageMaker made it; DeleteDomain retains it)"))
    cloudformation = client("cloudformation")
    for stack in cloudformation.describe_stacks()["Stacks"]:
        if stack["StackName"] == BOOTSTRAP_STACK:
            continue
        for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack["StackName"]):
            for resource in page["StackResourceSummaries"]:
                physical = resource.get("PhysicalResourceId")
                if physical:
                    for key in (str(physical), _short(physical)):
                        owners.setdefault(key, (app, str(resource["LogicalResourceId"])))


def tracking_servers(client: Callable[[str], Any]) -> list[str]:
    """The names of the MLflow tracking servers there are."""
    return [str(s["TrackingServerName"]) for s in client("sagemaker").list_mlflow_tracking_servers()["TrackingServerSummaries"]]


def retained_tables(
    client: Callable[[str], Any],
    account: str,
    region: str,
    *,
    owners: Owners | None = None,
    deployed_servers: Sequence[str] = (),
) -> str:
    """What is still there once the stacks are gone (bootstrap resources marked as such).

    :param owners: which app deployed what (:func:`record_owners`); given, a column names the app
        of each row, and a row without a note gets its logical id. Default: no app column.
    :param deployed_servers: the MLflow tracking servers the apps had: each one gone gets a row
        saying the destroy deleted it (nothing left billing). Default: none.
    """
    rows = []
    kms = client("kms")
    for key in kms.list_keys()["Keys"]:
        meta = kms.describe_key(KeyId=key["KeyId"])["KeyMetadata"]
        if meta.get("KeyManager") == "CUSTOMER" and meta.get("KeyState") not in ("PendingDeletion",):
            rows.append(["KMS key", str(meta["KeyId"]), str(meta.get("Description") or "-")])
    for fs in client("efs").describe_file_systems()["FileSystems"]:
        tags = {t["Key"]: t["Value"] for t in fs.get("Tags") or []}
        home = tags.get(HOME_EFS_TAG)
        note = f"home EFS of {home} (home_efs_retention Retain): users' files, billed" if home else tags.get("Name", "-")
        rows.append(["EFS file system", str(fs["FileSystemId"]), note])
    nfs = {"Name": f"tag:{HOME_EFS_TAG}", "Values": ["*"]}
    for group in client("ec2").describe_security_groups(Filters=[nfs])["SecurityGroups"]:
        rows.append(["security group", str(group["GroupId"]), f"{group['GroupName']} (the home EFS's; blocks the VPC)"])
    bootstrap_bucket = f"cdk-hnb659fds-assets-{account}-{region}"
    for bucket in client("s3").list_buckets()["Buckets"]:
        note = "the CDK bootstrap bucket (CDKToolkit stack)" if bucket["Name"] == bootstrap_bucket else "-"
        rows.append(["S3 bucket", str(bucket["Name"]), note])
    for config in client("sagemaker").list_studio_lifecycle_configs()["StudioLifecycleConfigs"]:
        rows.append(["lifecycle config", str(config["StudioLifecycleConfigName"]), "superseded or retained version"])
    for group in client("logs").describe_log_groups()["logGroups"]:
        rows.append(["log group", str(group["logGroupName"]), "-"])
    for domain in client("sagemaker").list_domains()["Domains"]:
        rows.append(["Studio domain", str(domain["DomainId"]), "NOT DELETED"])
    for server in client("sagemaker").list_mlflow_tracking_servers()["TrackingServerSummaries"]:
        state = "stopped" if server.get("TrackingServerStatus") == "Stopped" else "RUNNING AND BILLING: stop or delete it"
        rows.append(["MLflow tracking server", str(server["TrackingServerName"]), f"retained, {state}"])
    for app in client("sagemaker").list_mlflow_apps()["Summaries"]:
        rows.append(["MLflow app", str(app["Name"]), "retained (removal_policy RETAIN); delete it when done"])
    left = set(tracking_servers(client))
    for name in deployed_servers:
        if name not in left:
            note = "deleted by the destroy (removal_policy DESTROY): nothing left running or billing; its bucket stays"
            rows.append(["MLflow tracking server", name, note])
    stacks = [s["StackName"] for s in client("cloudformation").describe_stacks()["Stacks"]]
    for name in stacks:
        rows.append(["stack", name, "the CDK bootstrap" if name == BOOTSTRAP_STACK else "NOT DELETED"])
    if owners is None:
        return "Retained after cdk destroy\n" + _indented_table(["what", "id / name", "note"], rows)
    bootstrap = {f"cdk-hnb659fds-assets-{account}-{region}", BOOTSTRAP_STACK}
    with_apps = []
    for what, ident, note in rows:
        app, logical = owners.get(ident, ("bootstrap" if ident in bootstrap else "-", "-"))
        with_apps.append([what, ident, app, logical if note == "-" else note])
    return "Retained after cdk destroy\n" + _indented_table(["what", "id / name", "app", "note"], with_apps)


# -- the demo -----------------------------------------------------------------------------------


DEFAULT_REGION = "us-east-1"
"""Where an environment-agnostic assembly, or a spec without a region, is deployed."""


def _spec_region(spec_path: str) -> str:
    from .errors import StudioConfigError
    from .spec_domains import load_specs

    try:
        regions = sorted({spec.region or DEFAULT_REGION for spec in load_specs(spec_path)})
    except (StudioConfigError, OSError) as err:
        raise DemoError(f"cannot read the spec {spec_path}: {err}", EXIT_BAD_INPUT) from None
    if len(regions) > 1:
        raise DemoError(
            f"cannot deploy {spec_path}: its domains span Regions ({', '.join(regions)}); the demo deploys one", EXIT_BAD_INPUT
        )
    return regions[0]


def assembly_region(directory: str | Path) -> tuple[str, str]:
    """The region to deploy a synthesized assembly to, and where it came from; a
    :class:`DemoError` (exit 2) when the demo cannot deploy it: not an assembly, a resource type
    neither moto nor the extension models (all of them listed), stacks for another account than
    moto's, or stacks in several regions. Nothing is started."""
    import json

    from .assembly import AssemblyError, load_templates

    try:
        templates = load_templates(directory)
    except AssemblyError as err:
        raise DemoError(f"cannot deploy {directory}: {err}", EXIT_BAD_INPUT) from None
    install_extension()
    from .testing.engine import model_class

    types = {str(r.get("Type")) for t in templates for r in t.template.get("Resources", {}).values()}
    unmodelled = sorted(t for t in types if model_class(t) is None)
    if unmodelled:
        raise DemoError(
            f"cannot deploy {directory}: neither moto nor the Studio extension models its resource types "
            f"{', '.join(unmodelled)}, and a deploy would fail on them. Nothing was started.",
            EXIT_BAD_INPUT,
        )
    artifacts = json.loads((Path(directory) / "manifest.json").read_text()).get("artifacts", {})
    accounts = sorted(
        {
            str(a.get("environment", "")).removeprefix("aws://").partition("/")[0]
            for a in artifacts.values()
            if isinstance(a, dict) and a.get("type") == "aws:cloudformation:stack"
        }
        - {"unknown-account", "", MOTO_ACCOUNT}
    )
    if accounts:
        raise DemoError(
            f"cannot deploy {directory}: its stacks are for account {', '.join(accounts)}, and the moto server is "
            f"account {MOTO_ACCOUNT}. Synthesize it without an account (env-agnostic, or account {MOTO_ACCOUNT}; "
            "with the CDK CLI, without AWS credentials so CDK_DEFAULT_ACCOUNT is unset).",
            EXIT_BAD_INPUT,
        )
    regions = sorted({t.region for t in templates if t.region})
    if len(regions) > 1:
        raise DemoError(
            f"cannot deploy {directory}: its stacks are in several regions ({', '.join(regions)}); the demo deploys to one",
            EXIT_BAD_INPUT,
        )
    if regions:
        return regions[0], "from the stacks' environment"
    return DEFAULT_REGION, "the default, as the stacks are environment-agnostic"


def _is_the_example(cwd: Path, app: str | None) -> bool:
    """True when the demo runs this project's own example (``make demo``): no app given, or the
    project's ``cdk.out``, with ``studio.yaml`` and the Makefile's demo beside it."""
    makefile = cwd / "Makefile"
    if not (cwd / "studio.yaml").is_file() or not makefile.is_file():
        return False
    if "sagemaker_studio_cdk.demo" not in makefile.read_text(errors="replace"):
        return False
    return app is None or (cwd / app).resolve() == (cwd / "cdk.out").resolve()


def _raise_interrupted(signum: int, _frame: Any) -> None:
    raise Interrupted(signal.Signals(signum).name)


WORKBENCH_APP = "examples/full_workbench.py"
"""The app ``--workbench`` deploys after the first: every workbench part, in the project's checkout."""


class Workbench:
    """:data:`WORKBENCH_APP` synthesizing in the background (with its MLflow tracking server, the
    default repository and placeholder digest) into ``log_dir``; its output in a log file there."""

    def __init__(self, script: Path, log_dir: Path, env: Mapping[str, str]) -> None:
        self.directory = log_dir / "workbench.out"
        self.log = log_dir / "workbench-synth.log"
        environment = {k: v for k, v in env.items() if not k.startswith("WORKBENCH_")}
        environment["WORKBENCH_TRACKING_SERVER"] = "true"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, str(script), str(self.directory)],
                cwd=script.parent.parent,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group (jsii's node with it), stopped as one
            )

    def wait(self, timeout: float = 600) -> Path:
        """The synthesized assembly, once the synth is done; a :class:`DemoError` if it failed."""
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            raise DemoError(f"the synth of {WORKBENCH_APP} did not finish in {timeout:.0f} s; its output: {self.log}") from None
        if code != 0:
            tail = "\n".join("    " + line for line in self.log.read_text(errors="replace").strip().splitlines()[-25:])
            raise DemoError(f"the synth of {WORKBENCH_APP} failed (exit {code}). The end of its output ({self.log}):\n{tail}")
        return self.directory

    def stop(self) -> None:
        if self.process.poll() is None:
            _stop_group(self.process)


def _deploy_read_destroy(
    cdk: Cdk,
    client: Callable[[str], Any],
    app: str,
    logs: str,
    deploy_args: Sequence[str],
    destroy_args: Sequence[str],
    owners: Owners,
    servers: list[str],
) -> None:
    """``cdk deploy``, the tables read back, what belongs to ``app`` recorded, ``cdk destroy``; the
    CLI's output in ``cdk-deploy<logs>.log`` and ``cdk-destroy<logs>.log``."""
    shown = f" (app {deploy_args[1]})" if deploy_args[:1] == ["--app"] else ""
    with _step("cdk deploy --all --method=direct" + shown):
        cdk(f"deploy{logs}", ["deploy", "--all", "--require-approval", "never", "--method=direct", *deploy_args])
    with _step("read back what is deployed (boto3)"):
        text = deployed_tables(client)
        record_owners(client, app, owners)
        servers += tracking_servers(client)
    _say("")
    _say(text)
    _say("")
    with _step("cdk destroy --all --force"):
        cdk(f"destroy{logs}", ["destroy", "--all", "--force", *destroy_args])


def run_demo(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    cwd = Path.cwd()
    cli = (cwd / args.cdk).resolve() if not Path(args.cdk).is_absolute() else Path(args.cdk)
    if not cli.exists():
        raise DemoError(f"the CDK CLI is not at {args.cdk}: run 'make setup' (npm ci) first", EXIT_BAD_INPUT)
    assembly = args.app is not None and Path(args.app).is_dir()
    if args.workbench and not (cwd / WORKBENCH_APP).is_file():
        raise DemoError(f"--workbench deploys {WORKBENCH_APP} of this project's checkout: run it from there", EXIT_BAD_INPUT)
    if assembly:
        region, region_from = assembly_region(args.app)
    else:
        region, region_from = _spec_region(args.spec), f"from {args.spec}"
    server = MotoServer(args.port)
    log_dir = Path(tempfile.mkdtemp(prefix="studio-demo-"))
    # a synth against moto caches moto's lookups (availability zones of account 123456789012) in
    # cdk.context.json: put the project's file back as it was
    context_file = cwd / "cdk.context.json"
    saved_context = context_file.read_bytes() if context_file.exists() else None
    workbench: Workbench | None = None
    try:
        with _step("start a moto server with the Studio extension"):
            endpoint = server.start()
            _say(f"    listening on {endpoint} (account {MOTO_ACCOUNT}, region {region}; CDK output in {log_dir})")
            _say(f"    region {region} ({region_from})")
        fake = {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_REGION": region,
            "AWS_DEFAULT_REGION": region,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull,  # no profile of the user's can add a real endpoint or role
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "CDK_DEFAULT_ACCOUNT"}
        env.update(quiet_cdk_environment())
        env.update(fake)
        os.environ.update(fake)  # for the boto3 reads of this process
        os.environ.pop("AWS_PROFILE", None)
        cdk = Cdk(cli, env, log_dir, cwd)
        app_args = ["--app", args.app] if args.app else ["-o", str(log_dir / "cdk.out")]
        context = [] if assembly else ["-c", f"studio:spec={args.spec}"]
        context += [a for c in args.context for a in ("-c", c)]

        import boto3

        session = boto3.Session(region_name=region)

        def client(service: str) -> Any:
            return session.client(service, region_name=region, endpoint_url=endpoint)

        if args.workbench:  # synthesized beside the bootstrap and the first app's deploy
            workbench = Workbench(cwd / WORKBENCH_APP, log_dir, env)
        with _step(f"cdk bootstrap aws://{MOTO_ACCOUNT}/{region}"):
            # outside the project: with a cdk.json there, the CLI synthesizes the app first (about 12 s)
            cdk("bootstrap", ["bootstrap", f"aws://{MOTO_ACCOUNT}/{region}"], cwd=log_dir)
        owners: Owners = {}
        servers: list[str] = []
        first, heading = (
            ("example", "the example domain (app.py with studio.yaml)")
            if _is_the_example(cwd, args.app)
            else ("app", f"app {args.app or '(cdk.json)'}")
        )
        if workbench is not None:
            _say(f"\n=== {heading} ===\n")
        # without an assembly, the destroy takes what the deploy synthesized, without a second synth
        destroy_args = app_args if args.app else ["--app", str(log_dir / "cdk.out")]
        _deploy_read_destroy(cdk, client, first, "", [*app_args, *context], [*destroy_args, *context], owners, servers)
        if workbench is not None:
            with _step(f"wait for the synth of {WORKBENCH_APP} (started with the bootstrap)"):
                directory = workbench.wait()
            workbench_region, _ = assembly_region(directory)
            if workbench_region != region:
                raise DemoError(
                    f"{WORKBENCH_APP} deploys to {workbench_region}, the first app to {region}: the demo deploys to one"
                )
            _say(f"\n=== the full workbench ({WORKBENCH_APP}, with an MLflow tracking server) ===\n")
            app = ["--app", str(directory)]
            _deploy_read_destroy(cdk, client, "workbench", "-workbench", app, app, owners, servers)
        if workbench is not None:
            _say("\n=== what the destroys left ===\n")
        with _step("look for what was retained"):
            text = retained_tables(
                client, MOTO_ACCOUNT, region, owners=owners if workbench is not None else None, deployed_servers=servers
            )
        _say("")
        _say(text)
        _say("")
    finally:
        if workbench is not None:
            workbench.stop()
        server.stop()
        if saved_context is None:
            context_file.unlink(missing_ok=True)
        else:
            context_file.write_bytes(saved_context)
    shutil.rmtree(log_dir, ignore_errors=True)  # kept only when a step failed, for its logs
    _say(f"==> moto server stopped. Demo done in {time.perf_counter() - started:.1f} s.")
    done = "Deployed and destroyed with the real CDK CLI against a local moto server: no AWS account was used."
    if _is_the_example(cwd, args.app):
        _say(f"{done} Edit studio.yaml and run 'make demo' again, or 'make deploy' to send the same app to your account.")
    elif assembly:
        _say(f"{done} To deploy the same assembly to your account: cdk deploy --all --app {args.app}")
    else:
        _say(f"{done} To deploy the same app to your account: cdk deploy --all")
    return 0


# -- real accounts ------------------------------------------------------------------------------


def find_credentials() -> Any:
    """boto3's credential chain, without a network call: the instance metadata and container
    providers (the only ones that would call out) are left out. ``None`` when nothing is found."""
    import botocore.session
    from botocore.credentials import create_credential_resolver

    session = botocore.session.get_session()
    resolver = create_credential_resolver(session)
    for name in ("iam-role", "container-role"):
        try:
            resolver.remove(name)
        except Exception:  # noqa: BLE001 - a provider this botocore does not have
            pass
    try:
        return resolver.load_credentials()
    except Exception as err:  # a broken profile, a missing SSO token cache... not credentials
        raise DemoError(f"cannot load AWS credentials: {err}", EXIT_BAD_INPUT) from None


def run_real(args: argparse.Namespace) -> int:
    """``cdk deploy`` / ``cdk destroy`` of the app with the normal endpoint."""
    if os.environ.get("AWS_ENDPOINT_URL"):
        raise DemoError(
            f"AWS_ENDPOINT_URL is set ({os.environ['AWS_ENDPOINT_URL']}): 'make {args.command}' is for a real account; "
            "unset it, or run 'make demo' for a local deploy",
            EXIT_BAD_INPUT,
        )
    if find_credentials() is None:
        raise DemoError(
            f"no AWS credentials found, so nothing was sent: 'make {args.command}' needs a real account. "
            "Set AWS_PROFILE (aws sso login / aws configure) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
            "then run it again; 'make demo' deploys to a local moto server without an account.",
            EXIT_BAD_INPUT,
        )
    cli = Path(args.cdk)
    if not cli.exists():
        raise DemoError(f"the CDK CLI is not at {args.cdk}: run 'make setup' (npm ci) first", EXIT_BAD_INPUT)
    env = {**os.environ, **quiet_cdk_environment()}
    command = [str(cli), args.command, "--all", "--no-notices", "-c", f"studio:spec={args.spec}"]
    command += [a for c in args.context for a in ("-c", c)]
    command += ["--require-approval", "broadening"] if args.command == "deploy" else []
    _say("==> " + " ".join(command[1:]))
    process = subprocess.Popen(command, env=env)
    try:
        return process.wait()
    except BaseException:
        _stop_group_or_process(process)
        raise


def _stop_group_or_process(process: subprocess.Popen[Any]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def main(argv: Sequence[str] | None = None) -> int:
    use_venv_node()
    parser = argparse.ArgumentParser(prog="python -m sagemaker_studio_cdk.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="demo", choices=["demo", "deploy", "destroy"], help="default: demo")
    parser.add_argument(
        "--spec", default="studio.yaml", help="the studio.yaml of cdk.json's app (default: studio.yaml; unused with an assembly)"
    )
    parser.add_argument(
        "--app",
        help="a synthesized cloud assembly directory, any app's (its region from its stacks' environment), "
        "or an app command (default: cdk.json's app, synthesized)",
    )
    parser.add_argument("--port", type=int, default=0, help="the moto server's port (default: a free one)")
    parser.add_argument(
        "--workbench",
        action="store_true",
        help=f"then deploy {WORKBENCH_APP} (every workbench part) the same way, read it back and destroy it "
        "(make demo does; run from the project's checkout)",
    )
    parser.add_argument("--cdk", default=str(CDK), help=f"the CDK CLI (default: {CDK})")
    parser.add_argument("-c", "--context", action="append", default=[], metavar="KEY=VALUE", help="more CDK context")
    args = parser.parse_args(argv)
    os.environ.update(quiet_cdk_environment())  # reading the spec starts jsii in this process too
    previous = {sig: signal.signal(sig, _raise_interrupted) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return run_demo(args) if args.command == "demo" else run_real(args)
    except DemoError as err:
        print(f"\n{parser.prog}: {err}", file=sys.stderr, flush=True)
        if args.command == "demo" and err.code == EXIT_CDK_FAILED:
            print("The moto server was stopped. Fix the cause above and run the demo again.", file=sys.stderr)
        return err.code
    except (Interrupted, KeyboardInterrupt) as err:
        print(f"\n{parser.prog}: interrupted ({err or 'SIGINT'}); the CDK CLI and the moto server were stopped.", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main())
