"""StudioDomain's execution options: allowed instance types and per-user data privacy."""

from __future__ import annotations

import re
from typing import Any

import pytest
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match

from sagemaker_studio_cdk import AppDefaults, StudioConfigError, StudioDomain
from tests.support import new_stack, template_of

DOMAIN = "AWS::SageMaker::Domain"


def domain_with(**props: Any) -> tuple[StudioDomain, Any]:
    stack, vpc = new_stack()
    bucket = s3.Bucket(stack, "UserData") if props.pop("bucket", False) else None
    domain = StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", user_data_bucket=bucket, **props)
    return domain, template_of(stack)


def test_user_data_bucket_sets_user_profile_name_identity_and_source_identity_trust() -> None:
    _, template = domain_with(bucket=True)
    template.has_resource_properties(
        DOMAIN, {"DomainSettings": Match.object_like({"ExecutionRoleIdentityConfig": "USER_PROFILE_NAME"})}
    )
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "AssumeRolePolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"],
                                "Principal": {"Service": "sagemaker.amazonaws.com"},
                            }
                        )
                    ]
                )
            }
        },
    )
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [Match.object_like({"Sid": "OwnUserDataObjects", "Condition": {"Null": {"aws:SourceIdentity": "false"}}})]
                )
            }
        },
    )


def test_no_user_data_bucket_keeps_the_default_identity() -> None:
    _, template = domain_with()
    (domain,) = template.find_resources(DOMAIN).values()
    assert "ExecutionRoleIdentityConfig" not in domain["Properties"]["DomainSettings"]
    assert "sts:SetSourceIdentity" not in str(template.to_json())


def test_allowed_instance_types_deny_every_other_type() -> None:
    _, template = domain_with(allowed_instance_types=["ml.t3.*", "ml.m5.large"])
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Sid": "DenyOtherInstanceTypes",
                                "Effect": "Deny",
                                "Condition": {
                                    "ForAnyValue:StringNotLike": {"sagemaker:InstanceTypes": ["ml.t3.*", "ml.m5.large"]}
                                },
                            }
                        )
                    ]
                )
            }
        },
    )


def test_fails_when_an_allowed_instance_type_matches_nothing() -> None:
    with pytest.raises(StudioConfigError, match=re.escape("allowed_instance_types[1]: got 'ml.q9.huge'")):
        domain_with(allowed_instance_types=["ml.t3.*", "ml.q9.huge"])


def test_fails_when_the_default_instance_types_are_not_allowed() -> None:
    with pytest.raises(StudioConfigError) as raised:
        domain_with(allowed_instance_types=["ml.g5.*"], app_defaults=AppDefaults(code_editor_instance_type="ml.g5.xlarge"))
    assert "app_defaults.jupyter_lab_instance_type: got 'ml.t3.medium'; one of the allowed instance types (ml.g5.*)" in str(
        raised.value
    )
    assert "code_editor_instance_type" not in str(raised.value)


def test_fails_when_allowed_instance_types_is_empty() -> None:
    with pytest.raises(StudioConfigError, match="allowed_instance_types: got \\[\\]; a non-empty list"):
        domain_with(allowed_instance_types=[])


@pytest.mark.parametrize("prefix", ["/users", "users/", "users/*", "a//b", "${aws:username}"])
def test_fails_when_the_user_data_prefix_is_not_a_plain_prefix(prefix: str) -> None:
    with pytest.raises(StudioConfigError, match="user_data_prefix"):
        domain_with(bucket=True, user_data_prefix=prefix)
