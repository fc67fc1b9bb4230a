"""CloudFormation's resource schemas, from a snapshot shipped with this package.

The synth-time checks read the limits CloudFormation enforces (lengths, patterns, list sizes,
enums, create-only properties) from a vendored snapshot of the registry schemas, so they do not
change with whichever cfn-lint a user's environment resolves. The snapshot holds only the
resource types this library emits; ``cfn_schemas/NOTICE`` records where and from which version
it was taken. :func:`refresh_snapshot` rewrites it from the installed cfn-lint.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

SNAPSHOT_DIRECTORY = "cfn_schemas"
SNAPSHOT_REGION = "us-east-1"
FORMATS_FILE = "formats.json"

RESOURCE_TYPES: tuple[str, ...] = (
    "AWS::CloudFormation::Stack",
    "AWS::EC2::FlowLog",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::Route",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::VPC",
    "AWS::EC2::VPCEndpoint",
    "AWS::ECR::Repository",
    "AWS::EFS::AccessPoint",
    "AWS::EFS::FileSystem",
    "AWS::EFS::MountTarget",
    "AWS::Glue::Database",
    "AWS::IAM::Group",
    "AWS::IAM::InstanceProfile",
    "AWS::IAM::ManagedPolicy",
    "AWS::IAM::Policy",
    "AWS::IAM::Role",
    "AWS::IAM::RolePolicy",
    "AWS::IAM::User",
    "AWS::KMS::Alias",
    "AWS::KMS::Key",
    "AWS::Lambda::Function",
    "AWS::Lambda::Permission",
    "AWS::Logs::LogGroup",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::SageMaker::AppImageConfig",
    "AWS::SageMaker::Domain",
    "AWS::SageMaker::Image",
    "AWS::SageMaker::ImageVersion",
    "AWS::SageMaker::MlflowTrackingServer",
    "AWS::SageMaker::Space",
    "AWS::SageMaker::StudioLifecycleConfig",
    "AWS::SageMaker::UserProfile",
    "AWS::StepFunctions::StateMachine",
)
"""The resource types the library emits, whose schemas the snapshot holds."""


def _file_name(resource_type: str) -> str:
    return resource_type.replace("::", "-").lower() + ".json"


@cache
def resource_schema(resource_type: str) -> dict[str, Any]:
    """The CloudFormation registry schema of ``resource_type``, from the vendored snapshot.

    :raises KeyError: the snapshot does not hold the type (add it to :data:`RESOURCE_TYPES`).
    """
    if resource_type not in RESOURCE_TYPES:
        raise KeyError(f"{resource_type} is not in the vendored schema snapshot")
    text = (
        resources.files(__package__ or "sagemaker_studio_cdk")
        .joinpath(SNAPSHOT_DIRECTORY)
        .joinpath(_file_name(resource_type))
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def _resolve(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node`` with a local ``$ref`` followed, its own keywords kept over the target's."""
    seen = 0
    while "$ref" in node and seen < 32:
        target: Any = schema
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


@cache
def _property(resource_type: str, path: str) -> Mapping[str, Any]:
    schema = resource_schema(resource_type)
    node: Mapping[str, Any] = {"properties": schema["properties"]}
    for part in path.split("/"):
        node = _resolve(schema, node)
        if part == "*":
            node = node["items"]
        else:
            node = node["properties"][part]
    return _resolve(schema, node)


def property_schema(resource_type: str, path: str) -> Mapping[str, Any]:
    """The schema of one property: ``path`` below ``Properties`` as ``A/B``, ``*`` for a list's items.

    :raises KeyError: the schema has no such property.
    """
    return _property(resource_type, path)


@cache
def format_patterns() -> Mapping[str, str]:
    """The patterns cfn-lint checks a schema's ``format`` keyword with (``AWS::EC2::VPC.Id`` and
    the like), from the snapshot: the registry schemas name a format, cfn-lint defines it."""
    text = (
        resources.files(__package__ or "sagemaker_studio_cdk")
        .joinpath(SNAPSHOT_DIRECTORY)
        .joinpath(FORMATS_FILE)
        .read_text(encoding="utf-8")
    )
    patterns: dict[str, str] = json.loads(text)
    return patterns


def _cfn_lint_formats() -> dict[str, str]:
    import importlib
    import pkgutil

    import cfnlint.rules.formats as package
    from cfnlint.rules.formats.FormatKeyword import FormatKeyword

    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FormatKeyword) and value is not FormatKeyword:
                try:
                    rule = value()
                except TypeError:
                    continue
                if getattr(rule, "format_keyword", None) and getattr(rule, "pattern", None):
                    found[rule.format_keyword] = rule.pattern
    return found


def refresh_snapshot(directory: str | Path | None = None, resource_types: Iterable[str] = RESOURCE_TYPES) -> Path:
    """Rewrite the snapshot from the installed cfn-lint's bundled schemas (a maintainer's step).

    cfn-lint is imported here only: the checks never read it at run time.
    """
    import cfnlint
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    target = Path(directory) if directory else Path(__file__).parent / SNAPSHOT_DIRECTORY
    target.mkdir(parents=True, exist_ok=True)
    for resource_type in resource_types:
        schema = PROVIDER_SCHEMA_MANAGER.get_resource_schema(SNAPSHOT_REGION, resource_type).schema
        (target / _file_name(resource_type)).write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (target / FORMATS_FILE).write_text(json.dumps(_cfn_lint_formats(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    version = getattr(cfnlint, "__version__", None)
    if version is None:
        from importlib.metadata import version as dist_version

        version = dist_version("cfn-lint")
    schema_date = json.loads((Path(cfnlint.__file__).parent / "data" / "schemas" / "version.json").read_text())["schema_date"]
    source = {
        "cfn-lint": version,
        "schema_date": schema_date,
        "region": SNAPSHOT_REGION,
        "resource_types": sorted(resource_types),
    }
    (target / "SOURCE.json").write_text(json.dumps(source, indent=1) + "\n", encoding="utf-8")
    return target


def cfn_enum(resource_type: str, definition: str) -> tuple[str, ...]:
    """The ``enum`` of a schema definition (``AppType``, ``MlTools``, ``AppInstanceType``): what
    CloudFormation accepts where it lags the SageMaker API."""
    found = resource_schema(resource_type)["definitions"][definition]
    return tuple(found["enum"])
