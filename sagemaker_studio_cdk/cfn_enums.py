"""What CloudFormation's registry schema accepts where it lags the SageMaker API (enums).

The API's limits come from botocore (``limits.py``); a value the API knows but CloudFormation's
schema does not fails the deploy, so the constructs also check against the schema. Every read of
the schema goes through :func:`resource_schema`, the one place that says where the schema comes
from (today cfn-lint's bundled copy).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

SCHEMA_REGION = "us-east-1"
"""The region whose registry schema is read."""


@cache
def resource_schema(resource_type: str) -> Mapping[str, Any]:
    """The CloudFormation registry schema of ``resource_type`` (``AWS::SageMaker::Domain``)."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema: Mapping[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema(SCHEMA_REGION, resource_type).schema
    return schema


def cfn_enum(resource_type: str, definition: str) -> tuple[str, ...]:
    """The ``enum`` of a schema definition (``AppType``, ``MlTools``, ``AppInstanceType``)."""
    found = resource_schema(resource_type)["definitions"][definition]
    return tuple(found["enum"])
