"""Where moto 5.2.5's own CloudFormation models fall short for the types CDK apps of this
library (and ``cdk bootstrap``) emit, reviewed one by one:

- created but incomplete: ``AWS::EC2::SecurityGroup`` ignores ``SecurityGroupEgress`` and rule
  descriptions; ``AWS::KMS::Key`` keeps its policy in a form its own API cannot read;
  ``AWS::IAM::Role`` ignores ``ManagedPolicyArns``; ``AWS::EFS::FileSystem`` ignores
  ``FileSystemPolicy``. :data:`AFTER_CREATE` completes them.
- updated wrongly or not at all: moto replaces a security group on any update (a new group id),
  updates only a role's description, cannot update a KMS key, an EFS file system or mount target,
  updates only some of a bucket, and deletes and recreates an SSM parameter. :data:`UPDATES`
  updates them in place, property by property; a changed property none of them handles fails
  loudly.
- never deleted: VPC endpoints, route tables and their associations, flow logs, managed policies
  (and a role is deleted only once its policies are detached).
  :data:`DELETES` deletes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from moto.utilities.utils import get_partition

from .cfn_models import PropertyError


def _ec2(account: str, region: str) -> Any:
    from moto.ec2.models import ec2_backends

    return ec2_backends[account][region]


def _iam(account: str, region: str) -> Any:
    from moto.iam.models import iam_backends

    return iam_backends[account][get_partition(region)]


def _kms(account: str, region: str) -> Any:
    from moto.kms.models import kms_backends

    return kms_backends[account][region]


def _efs(account: str, region: str) -> Any:
    from moto.efs.models import efs_backends

    return efs_backends[account][region]


def _s3(account: str, region: str) -> Any:
    from moto.s3.models import s3_backends

    return s3_backends[account][get_partition(region)]


def _changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> set[str]:
    return {k for k in set(old) | set(new) if old.get(k) != new.get(k)}


def _unhandled(resource_type: str, changed: set[str], handled: set[str]) -> None:
    rest = sorted(changed - handled)
    if rest:
        raise PropertyError(f"sagemaker_studio_cdk.testing cannot update {', '.join(rest)} of {resource_type} in place")


def _document(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


# -- security groups ----------------------------------------------------------------------------------


def _rule_arguments(group_id: str, rule: Mapping[str, Any], egress: bool) -> dict[str, Any]:
    description = rule.get("Description")
    extra = {"Description": description} if description else {}
    ip_ranges = [{"CidrIp": rule["CidrIp"], **extra}] if rule.get("CidrIp") else []
    ipv6 = [{"CidrIpv6": rule["CidrIpv6"], **extra}] if rule.get("CidrIpv6") else []
    peer = rule.get("DestinationSecurityGroupId") if egress else rule.get("SourceSecurityGroupId")
    source_groups = [{"GroupId": peer, **extra}] if peer else []
    prefix = rule.get("DestinationPrefixListId") if egress else rule.get("SourcePrefixListId")
    protocol = str(rule["IpProtocol"])
    return {
        "group_name_or_id": group_id,
        "ip_protocol": protocol,
        "from_port": rule.get("FromPort", -1 if protocol == "-1" else None),
        "to_port": rule.get("ToPort", -1 if protocol == "-1" else None),
        "ip_ranges": ip_ranges + ipv6,
        "source_groups": source_groups,
        "prefix_list_ids": [{"PrefixListId": prefix, **extra}] if prefix else [],
    }


def _apply_rules(ec2: Any, group_id: str, rules: list[Mapping[str, Any]], egress: bool, revoke: bool) -> None:
    for rule in rules:
        arguments = _rule_arguments(group_id, rule, egress)
        if revoke:
            (ec2.revoke_security_group_egress if egress else ec2.revoke_security_group_ingress)(**arguments)
        else:
            (ec2.authorize_security_group_egress if egress else ec2.authorize_security_group_ingress)(**arguments)


_ALL_EGRESS = {"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}


def _group_inline_rules(properties: Mapping[str, Any]) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    ingress = list(properties.get("SecurityGroupIngress") or [])
    egress = list(properties.get("SecurityGroupEgress") or []) or [_ALL_EGRESS]
    return ingress, egress


def _security_group_created(group: Any, properties: Mapping[str, Any], account: str, region: str) -> None:
    """Replace what moto made of the inline rules with the template's rules, descriptions included;
    without ``SecurityGroupEgress`` a group allows all outbound traffic, as in EC2."""
    ec2 = _ec2(account, region)
    for rule in list(group.ingress_rules):
        group.ingress_rules.remove(rule)
    for rule in list(group.egress_rules):
        group.egress_rules.remove(rule)
    ingress, egress = _group_inline_rules(properties)
    _apply_rules(ec2, group.id, ingress, egress=False, revoke=False)
    _apply_rules(ec2, group.id, egress, egress=True, revoke=False)


def _security_group_update(group: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    _unhandled("AWS::EC2::SecurityGroup", changed, {"SecurityGroupIngress", "SecurityGroupEgress", "Tags"})
    ec2 = _ec2(account, region)
    old_in, old_out = _group_inline_rules(old)
    new_in, new_out = _group_inline_rules(new)
    _apply_rules(ec2, group.id, [r for r in old_in if r not in new_in], egress=False, revoke=True)
    _apply_rules(ec2, group.id, [r for r in old_out if r not in new_out], egress=True, revoke=True)
    _apply_rules(ec2, group.id, [r for r in new_in if r not in old_in], egress=False, revoke=False)
    _apply_rules(ec2, group.id, [r for r in new_out if r not in old_out], egress=True, revoke=False)
    if "Tags" in changed:
        old_tags = {t["Key"]: t["Value"] for t in old.get("Tags") or []}
        new_tags = {t["Key"]: t["Value"] for t in new.get("Tags") or []}
        removed = {k: old_tags[k] for k in old_tags if k not in new_tags}
        if removed:
            ec2.delete_tags([group.id], removed)
        if new_tags:
            ec2.create_tags([group.id], new_tags)
    return group


# -- IAM ----------------------------------------------------------------------------------------------


@cache
def _aws_managed_policies() -> dict[str, Any]:
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data: dict[str, Any] = json.loads(aws_managed_policies_data)
    return data


def ensure_aws_managed_policy(iam: Any, arn: str, account: str, region: str) -> None:
    """An AWS managed policy exists in moto's IAM once something attaches it, with AWS's document
    (moto's copy); loading all of them up front costs about a second per moto reset."""
    prefix = f"arn:{get_partition(region)}:iam::aws:policy/"
    if not arn.startswith(prefix) or arn in iam.managed_policies:
        return
    name = arn.rsplit("/", 1)[-1]
    data = _aws_managed_policies().get(name)
    if data is None:
        return  # IAM answers NoSuchEntity, as AWS does for a policy that does not exist
    from moto.iam.models import AWSManagedPolicy

    policy = AWSManagedPolicy.from_data(name, account, region, data)
    if policy.arn == arn:
        iam.managed_policies[arn] = policy


def _role_created(role: Any, properties: Mapping[str, Any], account: str, region: str) -> None:
    iam = _iam(account, region)
    for arn in properties.get("ManagedPolicyArns") or []:
        ensure_aws_managed_policy(iam, arn, account, region)
        iam.attach_role_policy(arn, role.name)


def _role_update(role: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    handled = {
        "AssumeRolePolicyDocument",
        "Description",
        "MaxSessionDuration",
        "Policies",
        "ManagedPolicyArns",
        "Tags",
        "PermissionsBoundary",
    }
    _unhandled("AWS::IAM::Role", changed, handled)
    iam = _iam(account, region)
    if "AssumeRolePolicyDocument" in changed:
        iam.update_assume_role_policy(role.name, _document(new["AssumeRolePolicyDocument"]))
    if "Description" in changed or "MaxSessionDuration" in changed:
        iam.update_role(role.name, new.get("Description", ""), new.get("MaxSessionDuration", 3600))
    if "Policies" in changed:
        old_policies = {p["PolicyName"]: p for p in old.get("Policies") or []}
        new_policies = {p["PolicyName"]: p for p in new.get("Policies") or []}
        for name in old_policies.keys() - new_policies.keys():
            iam.delete_role_policy(role.name, name)
        for name, policy in new_policies.items():
            if old_policies.get(name) != policy:
                iam.put_role_policy(role.name, name, _document(policy["PolicyDocument"]))
    if "ManagedPolicyArns" in changed:
        before, after = set(old.get("ManagedPolicyArns") or []), set(new.get("ManagedPolicyArns") or [])
        for arn in before - after:
            iam.detach_role_policy(arn, role.name)
        for arn in after - before:
            ensure_aws_managed_policy(iam, arn, account, region)
            iam.attach_role_policy(arn, role.name)
    if "Tags" in changed:
        old_keys = {t["Key"] for t in old.get("Tags") or []}
        new_tags = new.get("Tags") or []
        removed = sorted(old_keys - {t["Key"] for t in new_tags})
        if removed:
            iam.untag_role(role.name, removed)
        if new_tags:
            iam.tag_role(role.name, list(new_tags))
    if "PermissionsBoundary" in changed:
        if new.get("PermissionsBoundary"):
            iam.put_role_permissions_boundary(role.name, new["PermissionsBoundary"])
        else:
            iam.delete_role_permissions_boundary(role.name)
    return role


def _role_delete(role: Any, account: str, region: str) -> None:
    """CloudFormation's delete of a role detaches its managed policies and removes its inline
    ones first (IAM refuses to delete a role that has any)."""
    iam = _iam(account, region)
    for arn in list(role.managed_policies):
        iam.detach_role_policy(arn, role.name)
    for name in list(role.policies):
        iam.delete_role_policy(role.name, name)
    iam.delete_role(role.name)


def _managed_policy_update(policy: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    _unhandled("AWS::IAM::ManagedPolicy", changed, {"PolicyDocument", "Description"})
    if "PolicyDocument" in changed:
        iam = _iam(account, region)
        iam.create_policy_version(policy.arn, _document(new["PolicyDocument"]), "true")
    return policy


def _managed_policy_delete(policy: Any, account: str, region: str) -> None:
    """CloudFormation detaches a managed policy from its roles, users and groups before deleting it."""
    iam = _iam(account, region)
    for role in list(iam.roles.values()):
        if policy.arn in role.managed_policies:
            iam.detach_role_policy(policy.arn, role.name)
    for user in list(iam.users.values()):
        if policy.arn in user.managed_policies:
            iam.detach_user_policy(policy.arn, user.name)
    for group in list(iam.groups.values()):
        if policy.arn in group.managed_policies:
            iam.detach_group_policy(policy.arn, group.name)
    iam.delete_policy(policy.arn)


# -- KMS ----------------------------------------------------------------------------------------------


def _key_created(key: Any, properties: Mapping[str, Any], account: str, region: str) -> None:
    """moto keeps a template's key policy as a dict, which its own KMS API then fails to read."""
    if not isinstance(key.policy, str):
        key.policy = _document(key.policy)
    if properties.get("Tags"):
        _kms(account, region).tag_resource(key.arn, {t["Key"]: t["Value"] for t in properties["Tags"]})


def _key_update(key: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    _unhandled(
        "AWS::KMS::Key", changed, {"Description", "KeyPolicy", "EnableKeyRotation", "Enabled", "Tags", "PendingWindowInDays"}
    )
    kms = _kms(account, region)
    if "Description" in changed:
        kms.update_key_description(key.id, new.get("Description", ""))
    if "KeyPolicy" in changed:
        kms.put_key_policy(key.id, _document(new["KeyPolicy"]))
    if "EnableKeyRotation" in changed:
        (kms.enable_key_rotation if new.get("EnableKeyRotation") else kms.disable_key_rotation)(key.id)
    if "Enabled" in changed:
        (kms.enable_key if new.get("Enabled", True) else kms.disable_key)(key.id)
    if "Tags" in changed:
        removed = sorted({t["Key"] for t in old.get("Tags") or []} - {t["Key"] for t in new.get("Tags") or []})
        if removed:
            kms.untag_resource(key.arn, removed)
        if new.get("Tags"):
            kms.tag_resource(key.arn, {t["Key"]: t["Value"] for t in new["Tags"]})
    return key


# -- EFS ----------------------------------------------------------------------------------------------


def _file_system_created(file_system: Any, properties: Mapping[str, Any], account: str, region: str) -> None:
    if properties.get("FileSystemPolicy"):
        _efs(account, region).put_file_system_policy(file_system.file_system_id, _document(properties["FileSystemPolicy"]), False)


def _file_system_update(file_system: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    _unhandled("AWS::EFS::FileSystem", changed, {"FileSystemPolicy", "FileSystemTags", "LifecyclePolicies"})
    efs = _efs(account, region)
    if "FileSystemPolicy" in changed:
        efs.put_file_system_policy(file_system.file_system_id, _document(new.get("FileSystemPolicy") or ""), False)
    if "LifecyclePolicies" in changed:
        efs.put_lifecycle_configuration(file_system_id=file_system.file_system_id, policies=new.get("LifecyclePolicies") or [])
    if "FileSystemTags" in changed:
        removed = sorted(
            {t["Key"] for t in old.get("FileSystemTags") or []} - {t["Key"] for t in new.get("FileSystemTags") or []}
        )
        if removed:
            efs.untag_resource(file_system.file_system_arn, removed)
        if new.get("FileSystemTags"):
            efs.tag_resource(file_system.file_system_arn, {t["Key"]: t["Value"] for t in new["FileSystemTags"]})
    return file_system


def _mount_target_update(target: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    _unhandled("AWS::EFS::MountTarget", changed, {"SecurityGroups"})
    _efs(account, region).modify_mount_target_security_groups(target.id, list(new.get("SecurityGroups") or []))
    return target


# -- S3 -----------------------------------------------------------------------------------------------


def _bucket_update(bucket: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    changed = _changed(old, new)
    _unhandled("AWS::S3::Bucket", changed, {"Tags", "VersioningConfiguration"})
    s3 = _s3(account, region)
    if "Tags" in changed:
        s3.put_bucket_tagging(bucket.name, {t["Key"]: t["Value"] for t in new.get("Tags") or []})
    if "VersioningConfiguration" in changed:
        s3.put_bucket_versioning(bucket.name, (new.get("VersioningConfiguration") or {}).get("Status", "Suspended"))
    return bucket


# -- SSM ----------------------------------------------------------------------------------------------


def _parameter_update(parameter: Any, old: Mapping[str, Any], new: Mapping[str, Any], account: str, region: str) -> Any:
    """A parameter's value, description, pattern and tier change in place (a new version)."""
    changed = _changed(old, new)
    _unhandled("AWS::SSM::Parameter", changed, {"Value", "Description", "AllowedPattern", "Tier", "DataType", "Policies"})
    from moto.ssm.models import ssm_backends

    return ssm_backends[account][region].put_parameter(
        name=parameter.name,
        description=new.get("Description", ""),
        value=new["Value"],
        parameter_type=new.get("Type", "String"),
        allowed_pattern=new.get("AllowedPattern", ""),
        keyid=new.get("KeyId", ""),
        overwrite=True,
        tags=[],
        data_type=new.get("DataType", "text"),
        tier=new.get("Tier"),
        policies=new.get("Policies"),
    )


# -- EC2 deletes --------------------------------------------------------------------------------------


def _vpc_endpoint_delete(endpoint: Any, account: str, region: str) -> None:
    _ec2(account, region).delete_vpc_endpoints([endpoint.id])


def _route_table_delete(table: Any, account: str, region: str) -> None:
    _ec2(account, region).delete_route_table(table.id)


def _flow_log_delete(flow_log: Any, account: str, region: str) -> None:
    _ec2(account, region).delete_flow_logs([flow_log.id])


def _association_delete(association: Any, account: str, region: str) -> None:
    ec2 = _ec2(account, region)
    table = ec2.get_route_table(association.route_table_id)
    for association_id, subnet_id in list(table._associations.items()):
        if subnet_id == association.subnet_id:
            ec2.disassociate_route_table(association_id)
            return


AFTER_CREATE: dict[str, Callable[[Any, Mapping[str, Any], str, str], None]] = {
    "AWS::EC2::SecurityGroup": _security_group_created,
    "AWS::IAM::Role": _role_created,
    "AWS::EFS::FileSystem": _file_system_created,
    "AWS::KMS::Key": _key_created,
}

UPDATES: dict[str, Callable[[Any, Mapping[str, Any], Mapping[str, Any], str, str], Any]] = {
    "AWS::EC2::SecurityGroup": _security_group_update,
    "AWS::IAM::Role": _role_update,
    "AWS::IAM::ManagedPolicy": _managed_policy_update,
    "AWS::KMS::Key": _key_update,
    "AWS::EFS::FileSystem": _file_system_update,
    "AWS::EFS::MountTarget": _mount_target_update,
    "AWS::S3::Bucket": _bucket_update,
    "AWS::SSM::Parameter": _parameter_update,
}

DELETES: dict[str, Callable[[Any, str, str], None]] = {
    "AWS::IAM::Role": _role_delete,
    "AWS::EC2::VPCEndpoint": _vpc_endpoint_delete,
    "AWS::EC2::RouteTable": _route_table_delete,
    "AWS::EC2::SubnetRouteTableAssociation": _association_delete,
    "AWS::IAM::ManagedPolicy": _managed_policy_delete,
    "AWS::EC2::FlowLog": _flow_log_delete,
}
