"""The resolver: a cloud assembly's IAM roles as plain policy documents, intrinsics evaluated."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import CfnOutput, Fn, NestedStack, Stack, Tags
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms

from sagemaker_studio_cdk.assembly import AssemblyError
from sagemaker_studio_cdk.policies.resolver import (
    ResolvedRole,
    ResolverError,
    resolve_assembly,
    resolve_managed_policies,
)
from tests.support import ENV, new_app

ROLE_TRUST = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def write_assembly(
    directory: Path, stacks: dict[str, dict[str, Any]], *, nested: dict[str, dict[str, Any]] | None = None
) -> Path:
    """A minimal cloud assembly: a manifest and one template file per stack (and nested template)."""
    directory.mkdir(parents=True, exist_ok=True)
    artifacts = {}
    for name, template in stacks.items():
        (directory / f"{name}.template.json").write_text(json.dumps(template))
        artifacts[name] = {"type": "aws:cloudformation:stack", "properties": {"templateFile": f"{name}.template.json"}}
    for file_name, template in (nested or {}).items():
        (directory / file_name).write_text(json.dumps(template))
    (directory / "manifest.json").write_text(json.dumps({"version": "40.0.0", "artifacts": artifacts}))
    return directory


def role(**properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": ROLE_TRUST, **properties}}


def allow(action: str, resource: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


def only_role(roles: list[ResolvedRole], logical_id: str = "Role") -> ResolvedRole:
    (found,) = [r for r in roles if r.logical_id == logical_id]
    return found


def first_resource(r: ResolvedRole, index: int = 0) -> Any:
    return r.identity_policies[index]["Statement"][0]["Resource"]


# -- pseudo parameters and intrinsics -----------------------------------------------------------


def test_pseudo_parameters_take_the_given_partition_account_and_region(tmp_path: Path) -> None:
    resource = {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "s3", {"Ref": "AWS::Region"}, {"Ref": "AWS::AccountId"}]]}
    write_assembly(
        tmp_path, {"S": {"Resources": {"Role": role(Policies=[{"PolicyName": "p", "PolicyDocument": allow("s3:*", resource)}])}}}
    )
    assert first_resource(only_role(resolve_assembly(tmp_path))) == "arn:aws:s3:us-east-1:111122223333"
    roles = resolve_assembly(tmp_path, partition="aws-cn", account="444455556666", region="cn-north-1")
    assert first_resource(only_role(roles)) == "arn:aws-cn:s3:cn-north-1:444455556666"
    assert only_role(roles).arn.startswith("arn:aws-cn:iam::444455556666:role/S-Role-")


def test_fn_sub_fills_parameters_resources_and_pseudo_parameters_but_leaves_policy_variables(tmp_path: Path) -> None:
    sub = {"Fn::Sub": ["${Bucket}/${AWS::AccountId}/${Extra}/${!Literal}/${aws:username}/${Key.Arn}", {"Extra": "x"}]}
    template = {
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "data"}},
            "Key": {"Type": "AWS::KMS::Key", "Properties": {}},
            "Role": role(Policies=[{"PolicyName": "p", "PolicyDocument": allow("s3:GetObject", sub)}]),
        }
    }
    write_assembly(tmp_path, {"S": template})
    value = first_resource(only_role(resolve_assembly(tmp_path)))
    prefix, key_arn = value.split("/${aws:username}/")
    assert prefix == "data/111122223333/x/${Literal}"
    assert key_arn.startswith("arn:aws:kms:us-east-1:111122223333:key/")


def test_select_split_find_in_map_if_and_conditions(tmp_path: Path) -> None:
    template = {
        "Parameters": {"Env": {"Type": "String", "Default": "prod"}, "Names": {"Type": "CommaDelimitedList", "Default": "a,b"}},
        "Mappings": {"Buckets": {"us-east-1": {"prod": "prod-bucket"}}},
        "Conditions": {
            "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
            "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
            "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Or": [{"Condition": "NotProd"}, {"Fn::Equals": ["1", "1"]}]}]},
        },
        "Resources": {
            "Skipped": {**role(), "Condition": "NotProd"},
            "Role": role(
                Policies=[
                    {
                        "PolicyName": "p",
                        "PolicyDocument": {
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:GetObject",
                                    "Resource": [
                                        {"Fn::FindInMap": ["Buckets", {"Ref": "AWS::Region"}, {"Ref": "Env"}]},
                                        {"Fn::Select": [1, {"Fn::Split": ["/", "x/second/y"]}]},
                                        {"Fn::Select": [0, {"Ref": "Names"}]},
                                        {"Fn::If": ["Both", "both", "neither"]},
                                        {"Fn::If": ["NotProd", "dropped", {"Ref": "AWS::NoValue"}]},
                                    ],
                                }
                            ]
                        },
                    }
                ]
            ),
        },
    }
    write_assembly(tmp_path, {"S": template})
    roles = resolve_assembly(tmp_path)
    assert [r.logical_id for r in roles] == ["Role"]  # the false condition drops its resource
    assert first_resource(roles[0]) == ["prod-bucket", "second", "a", "both"]


def test_import_value_reads_another_stacks_export(tmp_path: Path) -> None:
    exporter = {
        "Resources": {"Key": {"Type": "AWS::KMS::Key", "Properties": {}}},
        "Outputs": {
            "KeyArn": {
                "Value": {"Fn::GetAtt": ["Key", "Arn"]},
                "Export": {"Name": {"Fn::Join": [":", [{"Ref": "AWS::StackName"}, "KeyArn"]]}},
            }
        },
    }
    importer = {
        "Resources": {
            "Role": role(
                Policies=[{"PolicyName": "p", "PolicyDocument": allow("kms:Decrypt", {"Fn::ImportValue": "Exporter:KeyArn"})}]
            )
        }
    }
    write_assembly(tmp_path, {"Exporter": exporter, "Importer": importer})
    assert first_resource(only_role(resolve_assembly(tmp_path))).startswith("arn:aws:kms:us-east-1:111122223333:key/")


def test_fails_when_an_import_has_no_export(tmp_path: Path) -> None:
    importer = {
        "Resources": {
            "Role": role(Policies=[{"PolicyName": "p", "PolicyDocument": allow("kms:Decrypt", {"Fn::ImportValue": "Nope"})}])
        }
    }
    write_assembly(tmp_path, {"S": importer})
    with pytest.raises(ResolverError, match="Nope"):
        resolve_assembly(tmp_path)


def test_fails_when_an_intrinsic_is_unknown(tmp_path: Path) -> None:
    template = {"Resources": {"Role": role(Policies=[{"PolicyName": "p", "PolicyDocument": allow("s3:*", {"Fn::Nope": []})}])}}
    write_assembly(tmp_path, {"S": template})
    with pytest.raises(ResolverError, match="Fn::Nope"):
        resolve_assembly(tmp_path)


def test_fails_when_a_ref_names_nothing(tmp_path: Path) -> None:
    template = {"Resources": {"Role": role(Policies=[{"PolicyName": "p", "PolicyDocument": allow("s3:*", {"Ref": "Ghost"})}])}}
    write_assembly(tmp_path, {"S": template})
    with pytest.raises(ResolverError, match="Ghost"):
        resolve_assembly(tmp_path)


def test_fails_on_a_path_that_is_not_an_assembly(tmp_path: Path) -> None:
    with pytest.raises(AssemblyError, match="not a cloud assembly"):
        resolve_assembly(tmp_path)


# -- physical ids -------------------------------------------------------------------------------


def test_fake_physical_ids_are_deterministic_and_follow_each_types_format(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Domain": {"Type": "AWS::SageMaker::Domain", "Properties": {}},
            "Profile": {
                "Type": "AWS::SageMaker::UserProfile",
                "Properties": {"DomainId": {"Fn::GetAtt": ["Domain", "DomainId"]}, "UserProfileName": "alice"},
            },
            "Space": {
                "Type": "AWS::SageMaker::Space",
                "Properties": {"DomainId": {"Fn::GetAtt": ["Domain", "DomainId"]}, "SpaceName": "lab"},
            },
            "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {}},
            "Named": role(RoleName="named-role", Path="/studio/"),
            "Role": role(
                Policies=[
                    {
                        "PolicyName": "p",
                        "PolicyDocument": allow(
                            "sagemaker:*",
                            [
                                {"Fn::GetAtt": ["Domain", "DomainId"]},
                                {"Fn::GetAtt": ["Profile", "UserProfileArn"]},
                                {"Ref": "Space"},
                                {"Fn::GetAtt": "Group.GroupId"},
                                {"Fn::GetAtt": ["Named", "Arn"]},
                            ],
                        ),
                    }
                ]
            ),
        }
    }
    write_assembly(tmp_path, {"S": template})
    first = resolve_assembly(tmp_path)
    domain_id, profile, space, group, named = first_resource(only_role(first))
    assert domain_id.startswith("d-") and len(domain_id) == 14 and domain_id[2:].isalnum()
    assert profile == f"arn:aws:sagemaker:us-east-1:111122223333:user-profile/{domain_id}/alice"
    assert space == f"arn:aws:sagemaker:us-east-1:111122223333:space/{domain_id}/lab"
    assert group.startswith("sg-") and len(group) == 20
    assert named == "arn:aws:iam::111122223333:role/studio/named-role"
    assert only_role(first, "Named").arn == named
    assert first == resolve_assembly(tmp_path)


# -- attachments, boundary, persona -------------------------------------------------------------


def test_policies_managed_policies_boundary_and_persona_attach_to_their_role(tmp_path: Path) -> None:
    template = {
        "Resources": {
            "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": allow("sagemaker:List*", "*")}},
            "ByArn": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": allow("sagemaker:Describe*", "*")}},
            "ByRoles": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {"PolicyDocument": allow("logs:*", "*"), "Roles": [{"Ref": "Role"}]},
            },
            "Attached": {
                "Type": "AWS::IAM::Policy",
                "Properties": {"PolicyName": "a", "PolicyDocument": allow("s3:*", "*"), "Roles": [{"Ref": "Role"}]},
            },
            "Elsewhere": {
                "Type": "AWS::IAM::Policy",
                "Properties": {"PolicyName": "b", "PolicyDocument": allow("ec2:*", "*"), "Roles": [{"Ref": "Other"}]},
            },
            "Other": role(),
            "Role": role(
                Policies=[{"PolicyName": "inline", "PolicyDocument": allow("kms:*", "*")}],
                ManagedPolicyArns=[
                    {"Ref": "ByArn"},
                    {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/ReadOnlyAccess"]]},
                ],
                PermissionsBoundary={"Ref": "Boundary"},
                Tags=[{"Key": "team", "Value": "x"}, {"Key": "studio:persona", "Value": "domain-admin"}],
            ),
        }
    }
    write_assembly(tmp_path, {"S": template})
    resolved = only_role(resolve_assembly(tmp_path))
    actions = [p["Statement"][0]["Action"] for p in resolved.identity_policies]
    assert actions == ["kms:*", "s3:*", "sagemaker:Describe*", "logs:*"]
    assert resolved.managed_policy_arns == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert resolved.boundary == allow("sagemaker:List*", "*")
    assert resolved.boundary_arn is not None and resolved.boundary_arn.startswith("arn:aws:iam::111122223333:policy/S-Boundary-")
    assert resolved.persona == "domain-admin"
    assert resolved.trust_policy == ROLE_TRUST
    assert {p.logical_id for p in resolve_managed_policies(tmp_path)} == {"Boundary", "ByArn", "ByRoles"}


def test_a_boundary_outside_the_assembly_keeps_only_its_arn(tmp_path: Path) -> None:
    arn = "arn:aws:iam::111122223333:policy/org-boundary"
    write_assembly(tmp_path, {"S": {"Resources": {"Role": role(PermissionsBoundary=arn)}}})
    resolved = only_role(resolve_assembly(tmp_path))
    assert (resolved.boundary, resolved.boundary_arn, resolved.persona, resolved.path) == (None, arn, None, "")


# -- a real CDK app: nested stacks, cross-stack references ------------------------------------------


def test_a_synthesized_app_with_nested_stacks_and_cross_stack_references() -> None:
    app = new_app()
    shared = Stack(app, "Shared", env=ENV)
    key = kms.Key(shared, "Key")
    CfnOutput(shared, "KeyId", value=key.key_id, export_name="shared-key-id")
    parent = Stack(app, "Parent", env=ENV)
    boundary = iam.ManagedPolicy(
        parent, "Boundary", statements=[iam.PolicyStatement(actions=["kms:*", "sagemaker:*"], resources=["*"])]
    )
    nested = NestedStack(parent, "Users")
    user_role = iam.Role(nested, "UserRole", assumed_by=iam.AccountRootPrincipal(), permissions_boundary=boundary)
    Tags.of(user_role).add("studio:persona", "user-access")
    key.grant_decrypt(user_role)  # the key's ARN crosses two stack boundaries: an export, then a nested parameter
    user_role.add_to_policy(
        iam.PolicyStatement(
            actions=["kms:DescribeKey"],
            resources=[Fn.join("", ["arn:aws:kms:us-east-1:111122223333:key/", Fn.import_value("shared-key-id")])],
        )
    )
    roles = resolve_assembly(app.synth().directory)
    resolved = only_role(roles, next(r.logical_id for r in roles if r.logical_id.startswith("UserRole")))
    assert resolved.stack == "Parent/Users"
    assert resolved.path == "Parent/Users/UserRole/Resource"
    assert resolved.persona == "user-access"
    assert resolved.boundary is not None and resolved.boundary["Statement"][0]["Action"] == ["kms:*", "sagemaker:*"]
    statements = [s for p in resolved.identity_policies for s in p["Statement"]]
    key_arns = {s["Resource"] for s in statements}
    assert len(key_arns) == 1, key_arns  # the exported key id and the passed key ARN name the same key
    (key_arn,) = key_arns
    assert key_arn.startswith("arn:aws:kms:us-east-1:111122223333:key/")
    assert json.dumps(resolved.trust_policy).count("arn:aws:iam::111122223333:root") == 1
    assert "Fn::" not in json.dumps([r.__dict__ for r in roles]) and '"Ref"' not in json.dumps([r.__dict__ for r in roles])
