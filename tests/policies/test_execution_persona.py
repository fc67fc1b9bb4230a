"""The execution persona's options, evaluated: allowed instance types are enforced, and the
statements every builder makes use only actions and keys AWS's data knows for them."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sagemaker_studio_cdk import StudioDomain
from sagemaker_studio_cdk.policies import (
    admin_statements,
    execution_statements,
    isolation_denies,
    self_protection_denies,
    user_access_statements,
)
from sagemaker_studio_cdk.policies.file_access import s3_file_system_statements, shared_notebook_statements
from sagemaker_studio_cdk.policies.isolation import bucket_policy_denies, settings_write_denies, user_data_denies
from sagemaker_studio_cdk.policies.resolver import resolve_assembly
from sagemaker_studio_cdk.policies.scp import service_control_policies
from tests.policies.evaluator import ACCOUNT, PARTITION, REGION, IamEvaluator, Principal
from tests.policies.matrix import ALLOW, DENY, Row, run
from tests.policies.test_iam_data import problems_of
from tests.support import new_stack

DOMAIN_ID = "d-abcdefghijkl"


@lru_cache(maxsize=1)
def restricted_execution_role() -> dict[str, Any]:
    """The default execution role of a domain that allows only ml.t3.* and ml.m5.large."""
    stack, vpc = new_stack()
    StudioDomain(stack, "Domain", vpc=vpc, domain_name="research", allowed_instance_types=["ml.t3.*", "ml.m5.large"])
    (role,) = [r for r in resolve_assembly(stack.node.root.synth().directory) if r.persona == "execution"]  # type: ignore[attr-defined]
    return {"arn": role.arn, "policies": role.identity_policies}


def test_allowed_instance_types_are_enforced(evaluator: IamEvaluator) -> None:
    role = restricted_execution_role()
    alice = Principal(
        name="alice",
        arn=role["arn"],
        identity_policies=role["policies"],
        variables={"sagemaker:DomainId": DOMAIN_ID, "sagemaker:UserProfileName": "alice"},
    )
    own = {"sagemaker:SpaceSharingType": "Private", "sagemaker:OwnerUserProfileArn": arn(f"user-profile/{DOMAIN_ID}/alice")}
    app = arn(f"app/{DOMAIN_ID}/alice-lab/JupyterLab/default")
    space = arn(f"space/{DOMAIN_ID}/alice-lab")
    table = [
        Row("instance-types", "alice", "sagemaker:CreateApp", app, ALLOW, {**own, "sagemaker:InstanceTypes": ["ml.t3.large"]}),
        Row("instance-types", "alice", "sagemaker:CreateApp", app, ALLOW, {**own, "sagemaker:InstanceTypes": ["ml.m5.large"]}),
        Row("instance-types", "alice", "sagemaker:CreateApp", app, ALLOW, own),
        Row("instance-types", "alice", "sagemaker:CreateApp", app, DENY, {**own, "sagemaker:InstanceTypes": ["ml.g5.xlarge"]}),
        Row("instance-types", "alice", "sagemaker:CreateApp", app, DENY, {**own, "sagemaker:InstanceTypes": ["ml.m5.xlarge"]}),
        Row(
            "instance-types",
            "alice",
            "sagemaker:UpdateSpace",
            space,
            DENY,
            {**own, "sagemaker:InstanceTypes": ["ml.p4d.24xlarge"]},
        ),
        Row(
            "instance-types", "alice", "sagemaker:UpdateSpace", space, ALLOW, {**own, "sagemaker:InstanceTypes": ["ml.t3.xlarge"]}
        ),
    ]
    mismatches = run(evaluator, {"alice": alice}, table)
    assert not mismatches, "\n".join(map(str, mismatches))


def test_every_builders_actions_and_keys_exist_for_their_actions(evaluator: IamEvaluator) -> None:
    """Statements the example app does not use (instance types, grant_admin's, an imported domain's)."""
    where = {"partition": PARTITION, "region": REGION, "account": ACCOUNT}
    role = f"arn:{PARTITION}:iam::{ACCOUNT}:role/ops"
    boundary = f"arn:{PARTITION}:iam::{ACCOUNT}:policy/boundary"
    config = arn("studio-lifecycle-config/c")
    image = arn("image/i")
    statements = [
        *execution_statements(
            **where,
            key_arn=f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/k",
            allowed_instance_types=["ml.t3.*"],
            user_data_bucket_arn=f"arn:{PARTITION}:s3:::b",
        ),
        *admin_statements(**where, domain_id=DOMAIN_ID),
        *isolation_denies(
            approved_lifecycle_config_arns=[config], approved_image_arns=[image], approved_image_version_arns=[image]
        ),
        *self_protection_denies(role_arn=role, boundary_arn=boundary),
        *self_protection_denies(role_arn=None, boundary_arn=None),
        *user_access_statements(**where, domain_id=DOMAIN_ID),
        *settings_write_denies(),
        *bucket_policy_denies(),
        *user_data_denies(bucket_arn=f"arn:{PARTITION}:s3:::*", prefix="users"),
        *shared_notebook_statements(bucket_arn=f"arn:{PARTITION}:s3:::b", prefix="shared"),
        *s3_file_system_statements(bucket_arn=f"arn:{PARTITION}:s3:::b", prefix="data", write=True),
    ]
    document = {"Version": "2012-10-17", "Statement": [s.to_statement_json() for s in statements]}
    scps = {f"scp {i}": d for i, d in enumerate(service_control_policies(), 1)}
    problems = problems_of(evaluator, {"builders": document, **scps})
    assert not problems, "\n".join(problems)
    assert "DenyOtherInstanceTypes" in {s.get("Sid") for s in document["Statement"]}


def arn(resource: str) -> str:
    return f"arn:{PARTITION}:sagemaker:{REGION}:{ACCOUNT}:{resource}"
