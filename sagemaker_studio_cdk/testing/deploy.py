"""Deploying a synthesized cloud assembly to moto the way the CDK CLI deploys it.

For each stack, in dependency order: publish its file assets (templates, nested stack templates,
zipped directories) to the bootstrap bucket as the asset manifest says, then create or update the
stack from its template's S3 URL, as ``cdk deploy --method=direct`` does. Nested stacks are
fetched by CloudFormation itself from the URLs in their parent. Container image assets are not
supported (moto has no registry to push to): an assembly with one fails loudly.

:meth:`Deployer.bootstrap` runs the CDK CLI's own bootstrap template (``cdk bootstrap``) when
the pinned CLI is installed, else creates what deploying needs: the asset bucket and the
``/cdk-bootstrap/<qualifier>/version`` parameter.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError

DEFAULT_QUALIFIER = "hnb659fds"
BOOTSTRAP_STACK = "CDKToolkit"


class DeploymentFailed(Exception):
    """A stack did not reach ``*_COMPLETE``; the message carries CloudFormation's reasons."""

    def __init__(self, stack: str, status: str, reasons: list[str]) -> None:
        super().__init__(f"{stack}: {status}" + "".join(f"\n  - {r}" for r in reasons))
        self.stack = stack
        self.status = status
        self.reasons = reasons


@dataclass(frozen=True)
class StackArtifact:
    """A stack of a cloud assembly."""

    artifact_id: str
    stack_name: str
    template_file: str
    template_url: str | None
    asset_manifests: tuple[str, ...]
    dependencies: tuple[str, ...]


def stack_artifacts(directory: str | Path) -> list[StackArtifact]:
    """The assembly's stacks, each after the stacks it depends on."""
    root = Path(directory)
    manifest = json.loads((root / "manifest.json").read_text())
    artifacts = manifest.get("artifacts", {})
    stacks: dict[str, StackArtifact] = {}
    for artifact_id, artifact in artifacts.items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        props = artifact.get("properties", {})
        deps = tuple(artifact.get("dependencies", []))
        stacks[artifact_id] = StackArtifact(
            artifact_id=artifact_id,
            stack_name=props.get("stackName", artifact_id),
            template_file=props["templateFile"],
            template_url=props.get("stackTemplateAssetObjectUrl"),
            asset_manifests=tuple(
                artifacts[d]["properties"]["file"] for d in deps if artifacts.get(d, {}).get("type") == "cdk:asset-manifest"
            ),
            dependencies=tuple(d for d in deps if artifacts.get(d, {}).get("type") == "aws:cloudformation:stack"),
        )
    ordered: list[StackArtifact] = []
    seen: set[str] = set()

    def visit(artifact_id: str) -> None:
        if artifact_id in seen:
            return
        seen.add(artifact_id)
        for dependency in stacks[artifact_id].dependencies:
            visit(dependency)
        ordered.append(stacks[artifact_id])

    for artifact_id in stacks:
        visit(artifact_id)
    return ordered


def _zip_directory(path: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(path.rglob("*")):
            if file.is_file():
                info = zipfile.ZipInfo(str(file.relative_to(path)), date_time=(1980, 1, 1, 0, 0, 0))
                info.external_attr = (file.stat().st_mode & 0o777) << 16
                archive.writestr(info, file.read_bytes())
    return buffer.getvalue()


class Deployer:
    """Deploys cloud assemblies to the moto backends a boto3 session reaches.

    :param endpoint_url: a moto server's URL, or ``None`` under ``mock_aws``.
    :param region: the region to deploy to.
    """

    def __init__(
        self, *, endpoint_url: str | None = None, region: str = "us-east-1", session: boto3.Session | None = None
    ) -> None:
        self.endpoint_url = endpoint_url
        self.region = region
        self.session = session or boto3.Session(region_name=region)

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` in the deployer's region and endpoint."""
        return self.session.client(service, region_name=self.region, endpoint_url=self.endpoint_url)

    @property
    def account(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])

    def _substitute(self, text: str) -> str:
        return (
            text.replace("${AWS::AccountId}", self.account)
            .replace("${AWS::Region}", self.region)
            .replace("${AWS::Partition}", "aws")
        )

    # -- bootstrap -------------------------------------------------------------------------------

    def bootstrap(self, template: str | Path | None = None, qualifier: str = DEFAULT_QUALIFIER) -> None:
        """Bootstrap the account and region: the CDK CLI's bootstrap template when given (or
        found under ``node_modules``), else the asset bucket and the version parameter."""
        path = Path(template) if template else _find_bootstrap_template()
        if path is not None:
            body = path.read_text()
            parameters = [
                {"ParameterKey": "Qualifier", "ParameterValue": qualifier},
                {"ParameterKey": "FileAssetsBucketKmsKeyId", "ParameterValue": "AWS_MANAGED_KEY"},
                {
                    "ParameterKey": "CloudFormationExecutionPolicies",
                    "ParameterValue": "arn:aws:iam::aws:policy/AdministratorAccess",
                },
            ]
            cloudformation = self.client("cloudformation")
            cloudformation.create_stack(
                StackName=BOOTSTRAP_STACK, TemplateBody=body, Parameters=parameters, Capabilities=["CAPABILITY_NAMED_IAM"]
            )
            self._check(BOOTSTRAP_STACK, ("CREATE_COMPLETE",))
            return
        bucket = f"cdk-{qualifier}-assets-{self.account}-{self.region}"
        s3 = self.client("s3")
        if self.region == "us-east-1":
            s3.create_bucket(Bucket=bucket)
        else:
            s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": self.region})
        self.client("ssm").put_parameter(Name=f"/cdk-bootstrap/{qualifier}/version", Value="30", Type="String", Overwrite=True)

    # -- assets ----------------------------------------------------------------------------------

    def publish_assets(self, directory: str | Path, manifest_file: str) -> None:
        """Upload every file asset of one asset manifest to its destination."""
        root = Path(directory)
        manifest = json.loads((root / manifest_file).read_text())
        if manifest.get("dockerImages"):
            raise DeploymentFailed(manifest_file, "UNSUPPORTED", ["container image assets cannot be published to moto"])
        s3 = self.client("s3")
        for asset in manifest.get("files", {}).values():
            source = root / asset["source"]["path"]
            if asset["source"].get("packaging") == "zip" or source.is_dir():
                body = _zip_directory(source) if source.is_dir() else source.read_bytes()
            else:
                body = source.read_bytes()
            for destination in asset["destinations"].values():
                s3.put_object(
                    Bucket=self._substitute(destination["bucketName"]), Key=self._substitute(destination["objectKey"]), Body=body
                )

    def _template_url(self, directory: Path, stack: StackArtifact) -> tuple[str | None, str | None]:
        if stack.template_url:
            bucket, key = self._substitute(stack.template_url).removeprefix("s3://").split("/", 1)
            return f"https://s3.{self.region}.amazonaws.com/{bucket}/{key}", None
        return None, (directory / stack.template_file).read_text()

    # -- stacks ----------------------------------------------------------------------------------

    def deploy(self, directory: str | Path, stacks: list[str] | None = None) -> dict[str, dict[str, Any]]:
        """Create or update the assembly's stacks (all, or those named) in dependency order;
        :class:`DeploymentFailed` when one does not complete. Returns each stack's description."""
        root = Path(directory)
        cloudformation = self.client("cloudformation")
        results = {}
        for stack in stack_artifacts(root):
            if stacks is not None and stack.stack_name not in stacks:
                continue
            for manifest_file in stack.asset_manifests:
                self.publish_assets(root, manifest_file)
            url, body = self._template_url(root, stack)
            source = {"TemplateURL": url} if url else {"TemplateBody": body}
            capabilities = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
            if self.exists(stack.stack_name):
                try:
                    cloudformation.update_stack(StackName=stack.stack_name, Capabilities=capabilities, **source)
                except ClientError as error:
                    if "No updates are to be performed" not in str(error):
                        raise
                    results[stack.stack_name] = self.describe(stack.stack_name)  # `cdk deploy`: (no changes)
                    continue
                results[stack.stack_name] = self._check(stack.stack_name, ("UPDATE_COMPLETE",))
            else:
                cloudformation.create_stack(StackName=stack.stack_name, Capabilities=capabilities, **source)
                results[stack.stack_name] = self._check(stack.stack_name, ("CREATE_COMPLETE",))
        return results

    def destroy(self, directory: str | Path) -> None:
        """Delete the assembly's stacks, dependents first (``cdk destroy``)."""
        cloudformation = self.client("cloudformation")
        for stack in reversed(stack_artifacts(directory)):
            if self.exists(stack.stack_name):
                cloudformation.delete_stack(StackName=stack.stack_name)
                if self.exists(stack.stack_name):
                    self._check(stack.stack_name, ("DELETE_COMPLETE",))

    def exists(self, stack_name: str) -> bool:
        """True when a stack of that name exists (not deleted)."""
        summaries = self.client("cloudformation").list_stacks()["StackSummaries"]
        return any(s["StackName"] == stack_name and s["StackStatus"] != "DELETE_COMPLETE" for s in summaries)

    def describe(self, stack_name: str) -> dict[str, Any]:
        description: dict[str, Any] = self.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
        return description

    def failure_reasons(self, stack_name: str) -> list[str]:
        """The reasons of the failed events of a stack, newest first."""
        events = self.client("cloudformation").describe_stack_events(StackName=stack_name)["StackEvents"]
        return [
            f"{e['LogicalResourceId']} {e['ResourceStatus']}: {e['ResourceStatusReason']}"
            for e in events
            if e["ResourceStatus"].endswith("FAILED") and e.get("ResourceStatusReason")
        ]

    def _check(self, stack_name: str, expected: tuple[str, ...]) -> dict[str, Any]:
        description = self.describe(stack_name)
        if description["StackStatus"] not in expected:
            raise DeploymentFailed(stack_name, description["StackStatus"], self.failure_reasons(stack_name))
        return description

    def outputs(self, stack_name: str) -> dict[str, str]:
        """A stack's outputs by key."""
        return {o["OutputKey"]: o["OutputValue"] for o in self.describe(stack_name).get("Outputs") or []}

    def resources(self, stack_name: str) -> dict[str, dict[str, Any]]:
        """``stack/logical id`` -> resource summary, for the stack and its nested stacks."""
        found: dict[str, dict[str, Any]] = {}
        for prefix, resource in self._walk(stack_name, stack_name):
            found[f"{prefix}/{resource['LogicalResourceId']}"] = resource
        return found

    def _walk(self, stack_name: str, prefix: str) -> Iterator[tuple[str, dict[str, Any]]]:
        summaries = self.client("cloudformation").list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
        for resource in summaries:
            yield prefix, resource
            if resource["ResourceType"] == "AWS::CloudFormation::Stack":
                yield from self._walk(resource["PhysicalResourceId"], f"{prefix}/{resource['LogicalResourceId']}")


def _find_bootstrap_template() -> Path | None:
    for base in (Path.cwd(), *Path.cwd().parents):
        candidate = base / "node_modules" / "aws-cdk" / "lib" / "api" / "bootstrap" / "bootstrap-template.yaml"
        if candidate.is_file():
            return candidate
    return None


def fake_credentials() -> Mapping[str, str]:
    """Credentials that sign requests for moto and reach nothing else."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_SECURITY_TOKEN": "testing",
    }
