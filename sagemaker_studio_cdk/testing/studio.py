"""The SageMaker Studio APIs moto lacks: domains with their settings, user profiles, spaces, apps,
Studio lifecycle configs, images and image versions, app image configs and MLflow tracking
servers and MLflow apps, with tags.

Every operation takes the request as the API defines it (``{"DomainId": ..., ...}``), checks it
against botocore's service model (:mod:`.validation`), applies the rules the service enforces
across resources, and answers in the API's response shape. HTTP requests (boto3 under
``mock_aws`` or against a moto server) and the CloudFormation models of :mod:`.cfn_models` call the
same operations, so a template is held to exactly what the API accepts.

Rules across resources (each answered with the error code AWS uses):

- a domain's subnets and security groups exist and belong to its VPC; its KMS key exists;
- a domain with user profiles or spaces cannot be deleted (``ResourceInUse``);
- a user profile in an IAM domain takes no SSO identity, one in an SSO domain needs it;
- a user profile that owns spaces, or has apps, cannot be deleted (``ResourceInUse``);
- a private space needs an owner, and the owner is a profile of the space's domain;
- a space's EBS size is at most the maximum that applies (its owner's, else the domain's);
- an idle timeout lies within the bounds that apply;
- a lifecycle config attached anywhere exists, and its app type is the app type it is attached to;
- a lifecycle config still attached to a domain, profile or space cannot be deleted;
- a space with running apps cannot be deleted;
- a deleted app is ``Deleting`` (and still blocks its profile or space) until it has been seen
  :attr:`StudioBackend.app_deletion_polls` times by ``DescribeApp``/``ListApps``, then
  ``Deleted``; a ``Failed`` app blocks nothing and cannot be deleted (as AWS documents);
- an EFS file system mounted in Studio exists; an image of this account in a resource spec exists;
- an MLflow app's KMS key and the domains it is the default of exist.
"""

from __future__ import annotations

import base64
import copy
import datetime
import string
from collections.abc import Iterator, Mapping
from typing import Any

from moto.core.utils import utcnow
from moto.moto_api._internal import mock_random

from ..handlers.cleanup import HOME_EFS_TAG
from .validation import (
    ConflictException,
    ResourceInUse,
    ResourceNotFound,
    ValidationException,
    validate,
)

Request = Mapping[str, Any]

APP_SETTINGS_KEYS = {
    "JupyterLabAppSettings": "JupyterLab",
    "CodeEditorAppSettings": "CodeEditor",
    "JupyterServerAppSettings": "JupyterServer",
    "KernelGatewayAppSettings": "KernelGateway",
}
"""Settings blocks that take lifecycle configs, and the app type a config in them must have."""


def _random_id(length: int = 12) -> str:
    pool = string.ascii_lowercase + string.digits
    return "".join(mock_random.choice(pool) for _ in range(length))


def _now() -> datetime.datetime:
    return utcnow()


def _drop_none(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def dig_rstudio_role(settings: Mapping[str, Any] | None, key: str = "RStudioServerProDomainSettings") -> str | None:
    """The RStudio domain execution role of a ``DomainSettings`` (or ``DomainSettingsForUpdate``) block."""
    role = ((settings or {}).get(key) or {}).get("DomainExecutionRoleArn")
    return str(role) if role else None


def _merge(current: Mapping[str, Any] | None, update: Mapping[str, Any] | None) -> dict[str, Any]:
    """UpdateDomain / UpdateUserProfile / UpdateSpace: each settings member given replaces the
    stored one; members left out keep their value."""
    merged = dict(current or {})
    for key, value in (update or {}).items():
        if value is not None:
            merged[key] = copy.deepcopy(value)
    return merged


class StudioBackend:
    """Studio state of one account and region."""

    def __init__(self, account_id: str, region_name: str) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.domains: dict[str, dict[str, Any]] = {}
        self.user_profiles: dict[tuple[str, str], dict[str, Any]] = {}
        self.spaces: dict[tuple[str, str], dict[str, Any]] = {}
        self.apps: list[dict[str, Any]] = []
        self.lifecycle_configs: dict[str, dict[str, Any]] = {}
        self.images: dict[str, dict[str, Any]] = {}
        self.image_versions: dict[str, list[dict[str, Any]]] = {}
        self.app_image_configs: dict[str, dict[str, Any]] = {}
        self.tracking_servers: dict[str, dict[str, Any]] = {}
        self.mlflow_apps: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, list[dict[str, str]]] = {}
        self.app_deletion_polls = 1
        """How many times ``DescribeApp``/``ListApps`` show a deleted app as ``Deleting`` before it is
        ``Deleted``: a deterministic stand-in for the minutes AWS takes, so callers must wait."""

    # -- helpers ---------------------------------------------------------------------------------

    def _arn(self, resource: str) -> str:
        partition = "aws-cn" if self.region_name.startswith("cn-") else "aws"
        return f"arn:{partition}:sagemaker:{self.region_name}:{self.account_id}:{resource}"

    def _set_tags(self, arn: str, tags: list[dict[str, str]] | None) -> None:
        if tags:
            self.tags[arn] = [dict(t) for t in tags]

    def owns(self, arn: str) -> bool:
        """True when ``arn`` names a Studio resource of this backend (tags are kept here)."""
        return arn in self._all_arns()

    def _all_arns(self) -> set[str]:
        arns = {d["DomainArn"] for d in self.domains.values()}
        arns |= {p["UserProfileArn"] for p in self.user_profiles.values()}
        arns |= {s["SpaceArn"] for s in self.spaces.values()}
        arns |= {a["AppArn"] for a in self.apps if a["Status"] != "Deleted"}
        arns |= {c["StudioLifecycleConfigArn"] for c in self.lifecycle_configs.values()}
        arns |= {i["ImageArn"] for i in self.images.values()}
        arns |= {v["ImageVersionArn"] for vs in self.image_versions.values() for v in vs}
        arns |= {c["AppImageConfigArn"] for c in self.app_image_configs.values()}
        arns |= {t["TrackingServerArn"] for t in self.tracking_servers.values()}
        arns |= set(self.mlflow_apps)
        return arns

    def _domain(self, domain_id: str, error: type[Exception] = ResourceNotFound) -> dict[str, Any]:
        domain = self.domains.get(domain_id)
        if domain is None:
            raise error(f"Domain {domain_id} not found.")
        return domain

    def _profile(self, domain_id: str, name: str, error: type[Exception] = ResourceNotFound) -> dict[str, Any]:
        profile = self.user_profiles.get((domain_id, name.lower()))
        if profile is None:
            raise error(f"User profile {name} does not exist in domain {domain_id}.")
        return profile

    def _space(self, domain_id: str, name: str, error: type[Exception] = ResourceNotFound) -> dict[str, Any]:
        space = self.spaces.get((domain_id, name))
        if space is None:
            raise error(f"Space {name} does not exist in domain {domain_id}.")
        return space

    def _ec2(self) -> Any:
        from moto.ec2.models import ec2_backends

        return ec2_backends[self.account_id][self.region_name]

    def _efs(self) -> Any:
        from moto.efs.models import efs_backends

        return efs_backends[self.account_id][self.region_name]

    def _kms(self) -> Any:
        from moto.kms.models import kms_backends

        return kms_backends[self.account_id][self.region_name]

    def _check_role(self, arn: str, where: str) -> None:
        from moto.iam.models import iam_backends
        from moto.utilities.utils import get_partition

        try:
            iam_backends[self.account_id][get_partition(self.region_name)].get_role_by_arn(arn)
        except Exception:
            raise ValidationException(f"Role {arn} does not exist ({where}).") from None

    def _check_rstudio(self, request: Mapping[str, Any], domain: Mapping[str, Any] | None = None) -> None:
        """RStudio's rules (CreateDomain/UpdateDomain documentation, AWS's RStudio guide): a VPC-only
        domain with a domain execution role needs ``AppSecurityGroupManagement: Service``; the role
        exists; the server's and sessions' images exist; RSession custom images exist."""
        settings = (request.get("DomainSettings") or {}).get("RStudioServerProDomainSettings")
        if settings:
            self._check_role(settings["DomainExecutionRoleArn"], "RStudioServerProDomainSettings.DomainExecutionRoleArn")
            self._check_resource_spec(settings.get("DefaultResourceSpec"), "RStudioServerPro", "RStudioServerProDomainSettings")
            if request.get("AppNetworkAccessType", "PublicInternetOnly") == "VpcOnly" and (
                request.get("AppSecurityGroupManagement") != "Service"
            ):
                raise ValidationException(
                    "AppSecurityGroupManagement must be Service when AppNetworkAccessType is VpcOnly and "
                    "DomainExecutionRoleArn is provided."
                )
        session = (request.get("DefaultUserSettings") or {}).get("RSessionAppSettings") or {}
        self._check_resource_spec(session.get("DefaultResourceSpec"), "RSessionGateway", "RSessionAppSettings")
        for image in session.get("CustomImages") or []:
            if image["ImageName"] not in self.images:
                raise ValidationException(f"Image {image['ImageName']} does not exist (RSessionAppSettings.CustomImages).")

    # -- rules shared by domains, profiles and spaces ----------------------------------------------

    def _lifecycle_config_by_arn(self, arn: str) -> dict[str, Any] | None:
        return next((c for c in self.lifecycle_configs.values() if c["StudioLifecycleConfigArn"] == arn), None)

    def _check_lifecycle_config(self, arn: str, app_type: str, where: str) -> None:
        config = self._lifecycle_config_by_arn(arn)
        if config is None:
            raise ValidationException(f"Lifecycle configuration {arn} does not exist ({where}).")
        if config["StudioLifecycleConfigAppType"] != app_type:
            raise ValidationException(
                f"Lifecycle configuration {arn} has app type {config['StudioLifecycleConfigAppType']}, "
                f"which does not match app type {app_type} ({where})."
            )

    def _check_image(self, arn: str | None, where: str) -> None:
        if not arn or f":{self.account_id}:" not in arn:
            return  # an image of another account (SageMaker Distribution) is AWS's to check
        if arn.split(":", 5)[5].startswith("image-version/"):
            name, version = arn.split("/")[1], int(arn.split("/")[2])
            if not any(v["Version"] == version for v in self.image_versions.get(name, [])):
                raise ValidationException(f"Image version {arn} does not exist ({where}).")
        elif not any(i["ImageArn"] == arn for i in self.images.values()):
            raise ValidationException(f"Image {arn} does not exist ({where}).")

    def _check_resource_spec(self, spec: Mapping[str, Any] | None, app_type: str, where: str) -> None:
        if not spec:
            return
        if spec.get("LifecycleConfigArn"):
            self._check_lifecycle_config(spec["LifecycleConfigArn"], app_type, f"{where}.DefaultResourceSpec")
        self._check_image(spec.get("SageMakerImageArn"), f"{where}.DefaultResourceSpec")
        self._check_image(spec.get("SageMakerImageVersionArn"), f"{where}.DefaultResourceSpec")

    def _check_idle(self, idle: Mapping[str, Any] | None, where: str) -> None:
        if not idle:
            return
        low, high, timeout = (idle.get(k) for k in ("MinIdleTimeoutInMinutes", "MaxIdleTimeoutInMinutes", "IdleTimeoutInMinutes"))
        if low is not None and high is not None and low > high:
            raise ValidationException(f"MinIdleTimeoutInMinutes {low} is greater than MaxIdleTimeoutInMinutes {high} ({where}).")
        if timeout is not None and ((low is not None and timeout < low) or (high is not None and timeout > high)):
            raise ValidationException(
                f"IdleTimeoutInMinutes {timeout} is outside the range {low}-{high} of the idle settings ({where})."
            )

    def _check_file_systems(self, configs: list[Mapping[str, Any]] | None, where: str) -> None:
        for config in configs or []:
            efs = config.get("EFSFileSystemConfig") or config.get("EFSFileSystem") or {}
            fs_id = efs.get("FileSystemId")
            if fs_id and fs_id not in self._efs().file_systems_by_id:
                raise ValidationException(f"EFS file system {fs_id} does not exist ({where}).")

    def _check_settings(self, settings: Mapping[str, Any] | None, where: str) -> None:
        """UserSettings, DefaultSpaceSettings or SpaceSettings: attached configs, images, EBS, idle."""
        if not settings:
            return
        for key, app_type in APP_SETTINGS_KEYS.items():
            app = settings.get(key)
            if not app:
                continue
            for arn in app.get("LifecycleConfigArns") or []:
                self._check_lifecycle_config(arn, app_type, f"{where}.{key}.LifecycleConfigArns")
            self._check_resource_spec(app.get("DefaultResourceSpec"), app_type, f"{where}.{key}")
            self._check_idle((app.get("AppLifecycleManagement") or {}).get("IdleSettings"), f"{where}.{key}")
        ebs = (settings.get("SpaceStorageSettings") or {}).get("DefaultEbsStorageSettings")
        if ebs and ebs.get("DefaultEbsVolumeSizeInGb", 0) > ebs.get("MaximumEbsVolumeSizeInGb", 1 << 31):
            raise ValidationException(
                f"DefaultEbsVolumeSizeInGb {ebs['DefaultEbsVolumeSizeInGb']} is greater than "
                f"MaximumEbsVolumeSizeInGb {ebs['MaximumEbsVolumeSizeInGb']} ({where}.SpaceStorageSettings)."
            )
        self._check_file_systems(settings.get("CustomFileSystemConfigs"), f"{where}.CustomFileSystemConfigs")
        self._check_file_systems(settings.get("CustomFileSystems"), f"{where}.CustomFileSystems")
        for group in settings.get("SecurityGroups") or []:
            if self._ec2().get_security_group_from_id(group) is None:
                raise ValidationException(f"Security group {group} does not exist ({where}.SecurityGroups).")

    def _check_network(self, vpc_id: str, subnet_ids: list[str], security_group_ids: list[str]) -> None:
        ec2 = self._ec2()
        try:
            ec2.get_vpc(vpc_id)
        except Exception:
            raise ValidationException(f"VPC {vpc_id} does not exist.") from None
        for subnet_id in subnet_ids:
            try:
                subnet = ec2.get_subnet(subnet_id)
            except Exception:
                raise ValidationException(f"Subnet {subnet_id} does not exist.") from None
            if subnet.vpc_id != vpc_id:
                raise ValidationException(f"Subnet {subnet_id} does not belong to VPC {vpc_id}.")
        for group_id in security_group_ids:
            group = ec2.get_security_group_from_id(group_id)
            if group is None:
                raise ValidationException(f"Security group {group_id} does not exist.")
            if group.vpc_id != vpc_id:
                raise ValidationException(f"Security group {group_id} does not belong to VPC {vpc_id}.")

    def _check_kms_key(self, key_id: str | None) -> None:
        if not key_id:
            return
        try:
            self._kms().describe_key(key_id)
        except Exception:
            raise ValidationException(f"KMS key {key_id} does not exist or is not accessible.") from None

    def _configs_in_use(self, arn: str) -> Iterator[str]:
        def found(settings: Mapping[str, Any] | None) -> bool:
            for key in APP_SETTINGS_KEYS:
                app = (settings or {}).get(key) or {}
                if arn in (app.get("LifecycleConfigArns") or []):
                    return True
                if (app.get("DefaultResourceSpec") or {}).get("LifecycleConfigArn") == arn:
                    return True
            return False

        for domain in self.domains.values():
            if found(domain.get("DefaultUserSettings")) or found(domain.get("DefaultSpaceSettings")):
                yield f"domain {domain['DomainId']}"
        for profile in self.user_profiles.values():
            if found(profile.get("UserSettings")):
                yield f"user profile {profile['UserProfileName']}"
        for space in self.spaces.values():
            if found(space.get("SpaceSettings")):
                yield f"space {space['SpaceName']}"

    # -- domains ---------------------------------------------------------------------------------

    def create_domain(self, request: Request) -> dict[str, Any]:
        validate("CreateDomain", request)
        if any(d["DomainName"] == request["DomainName"] for d in self.domains.values()):
            raise ResourceInUse(f"Domain with name {request['DomainName']} already exists.")
        domain_settings = request.get("DomainSettings") or {}
        self._check_network(request["VpcId"], request["SubnetIds"], domain_settings.get("SecurityGroupIds") or [])
        self._check_kms_key(request.get("KmsKeyId"))
        self._check_settings(request.get("DefaultUserSettings"), "DefaultUserSettings")
        self._check_settings(request.get("DefaultSpaceSettings"), "DefaultSpaceSettings")
        self._check_rstudio(request)
        domain_id = f"d-{_random_id()}"
        arn = self._arn(f"domain/{domain_id}")
        now = _now()
        record: dict[str, Any] = {
            **copy.deepcopy(dict(request)),
            "DomainId": domain_id,
            "DomainArn": arn,
            "Url": f"https://{domain_id}.studio.{self.region_name}.sagemaker.aws",
            "Status": "InService",
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        record.pop("Tags", None)
        if request.get("HomeEfsFileSystemCreation", "Enabled") != "Disabled":
            record["HomeEfsFileSystemId"] = self._create_home_efs(
                arn, domain_id, request.get("KmsKeyId"), request["VpcId"], request["SubnetIds"]
            )
        if request["AuthMode"] == "SSO":
            record["SingleSignOnManagedApplicationInstanceId"] = f"ins-{_random_id(16)}"
        self.domains[domain_id] = record
        self._set_tags(arn, request.get("Tags"))
        if dig_rstudio_role(request.get("DomainSettings")):
            self._launch_rstudio_server(record)
        return {"DomainArn": arn, "DomainId": domain_id, "Url": record["Url"]}

    def _launch_rstudio_server(self, domain: Mapping[str, Any]) -> None:
        """What SageMaker does for a domain with RStudio (AWS's RStudio guide): a profile named
        ``domain-shared`` that runs the domain's one ``RStudioServerPro`` app. Neither is the
        stack's: deleting the domain needs both gone first (the cleanup's job)."""
        domain_id, now = domain["DomainId"], _now()
        self.user_profiles[(domain_id, "domain-shared")] = {
            "DomainId": domain_id,
            "UserProfileName": "domain-shared",
            "UserProfileArn": self._arn(f"user-profile/{domain_id}/domain-shared"),
            "Status": "InService",
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        spec = (domain["DomainSettings"]["RStudioServerProDomainSettings"].get("DefaultResourceSpec")) or {}
        self.apps.append(
            {
                "DomainId": domain_id,
                "UserProfileName": "domain-shared",
                "AppType": "RStudioServerPro",
                "AppName": "default",
                "ResourceSpec": copy.deepcopy(dict(spec)),
                "AppArn": self._arn(f"app/{domain_id}/domain-shared/rstudioserverpro/default"),
                "Status": "InService",
                "CreationTime": now,
            }
        )

    def _create_home_efs(
        self, domain_arn: str, domain_id: str, kms_key_id: str | None, vpc_id: str, subnet_ids: list[str]
    ) -> str:
        """Studio makes a home EFS for a domain unless told not to; it outlives the domain by default.

        As SageMaker does: the file system and two NFS security groups tagged
        ``ManagedByAmazonSageMakerResource=<domain ARN>`` (``security-group-for-inbound-nfs-<id>``
        admits NFS from ``security-group-for-outbound-nfs-<id>``, which the apps carry), and a mount
        target in each Availability Zone of the domain's subnets, in the inbound group."""
        tag = {"Key": HOME_EFS_TAG, "Value": domain_arn}
        file_system = self._efs().create_file_system(
            creation_token=f"studio-{_random_id(20)}",
            performance_mode="generalPurpose",
            encrypted=True,
            kms_key_id=kms_key_id,
            throughput_mode="bursting",
            provisioned_throughput_in_mibps=0,
            availability_zone_name=None,
            backup=False,
            tags=[tag],
        )
        ec2 = self._ec2()
        groups = {}
        for direction in ("inbound", "outbound"):
            groups[direction] = ec2.create_security_group(
                f"security-group-for-{direction}-nfs-{domain_id}",
                f"[DO NOT DELETE] Security Group that allows {direction} NFS traffic for SageMaker Notebooks Domain "
                f"[{domain_id}]",
                vpc_id=vpc_id,
                tags={HOME_EFS_TAG: domain_arn},
            )
        ec2.authorize_security_group_ingress(
            groups["inbound"].id, "tcp", "2049", "2049", [], source_groups=[{"GroupId": groups["outbound"].id}]
        )
        zones: set[str] = set()
        for subnet_id in subnet_ids:
            zone = ec2.get_subnet(subnet_id).availability_zone
            if zone not in zones:
                zones.add(zone)
                self._efs().create_mount_target(file_system.file_system_id, subnet_id, security_groups=[groups["inbound"].id])
        return str(file_system.file_system_id)

    def describe_domain(self, request: Request) -> dict[str, Any]:
        validate("DescribeDomain", request)
        return copy.deepcopy(self._domain(request["DomainId"]))

    def list_domains(self, request: Request) -> dict[str, Any]:
        validate("ListDomains", request)
        keys = ("DomainArn", "DomainId", "DomainName", "Status", "CreationTime", "LastModifiedTime", "Url")
        return {"Domains": [{k: d[k] for k in keys} for d in self.domains.values()]}

    def update_domain(self, request: Request, *, replace: bool = False) -> dict[str, Any]:
        """UpdateDomain. ``replace``: the given settings are the whole desired state (how a
        CloudFormation update applies a template), rather than a partial update."""
        validate("UpdateDomain", request)
        domain = self._domain(request["DomainId"])
        if request.get("VpcId") and request["VpcId"] != domain["VpcId"]:
            raise ValidationException(
                f"The VpcId of domain {domain['DomainId']} cannot be changed from {domain['VpcId']} to {request['VpcId']}."
            )
        rstudio_role = dig_rstudio_role(domain.get("DomainSettings")) or dig_rstudio_role(
            request.get("DomainSettingsForUpdate"), "RStudioServerProDomainSettingsForUpdate"
        )
        network = request.get("AppNetworkAccessType")
        if network is not None and network != domain.get("AppNetworkAccessType") and rstudio_role:
            raise ValidationException(
                "AppNetworkAccessType cannot be updated when DomainExecutionRoleArn is already set or is provided "
                "as part of the same request."
            )
        update = dict(request)
        settings_update = update.pop("DomainSettingsForUpdate", None)
        domain_settings = dict(domain.get("DomainSettings") or {})
        if settings_update is not None:
            if replace:
                domain_settings = {}
            for key, value in settings_update.items():
                target = "RStudioServerProDomainSettings" if key == "RStudioServerProDomainSettingsForUpdate" else key
                domain_settings[target] = copy.deepcopy(value)
        self._check_network(
            domain["VpcId"], update.get("SubnetIds") or domain["SubnetIds"], domain_settings.get("SecurityGroupIds") or []
        )
        for key in ("DefaultUserSettings", "DefaultSpaceSettings"):
            if update.get(key) is not None:
                merged = copy.deepcopy(update[key]) if replace else _merge(domain.get(key), update[key])
                self._check_settings(merged, key)
                update[key] = merged
        for key, value in update.items():
            if key != "DomainId" and value is not None:
                domain[key] = value
        if settings_update is not None or replace:
            domain["DomainSettings"] = domain_settings
        domain["LastModifiedTime"] = _now()
        return {"DomainArn": domain["DomainArn"]}

    def delete_domain(self, request: Request) -> None:
        validate("DeleteDomain", request)
        domain = self._domain(request["DomainId"])
        domain_id = domain["DomainId"]
        profiles = sorted(p["UserProfileName"] for p in self.user_profiles.values() if p["DomainId"] == domain_id)
        spaces = sorted(s["SpaceName"] for s in self.spaces.values() if s["DomainId"] == domain_id)
        if profiles or spaces:
            raise ResourceInUse(
                f"Domain {domain_id} cannot be deleted: it still has user profiles {profiles} and spaces {spaces}; "
                "delete them first."
            )
        retention = (request.get("RetentionPolicy") or {}).get("HomeEfsFileSystem", "Retain")
        home = domain.get("HomeEfsFileSystemId")
        if home and retention == "Delete":
            # SageMaker deletes the file system with its mount targets; whether it also deletes its NFS
            # security groups is not documented, so they stay here (the cleanup deletes them).
            efs = self._efs()
            for target in list(efs.mount_targets_by_id.values()):
                if target.file_system_id == home:
                    efs.delete_mount_target(target.mount_target_id)
            efs.delete_file_system(home)
        del self.domains[domain_id]
        self.tags.pop(domain["DomainArn"], None)

    # -- user profiles ---------------------------------------------------------------------------

    def create_user_profile(self, request: Request) -> dict[str, Any]:
        validate("CreateUserProfile", request)
        domain = self._domain(request["DomainId"], ValidationException)
        name = request["UserProfileName"]
        if (domain["DomainId"], name.lower()) in self.user_profiles:
            raise ResourceInUse(f"User profile {name} already exists in domain {domain['DomainId']}.")
        sso = request.get("SingleSignOnUserIdentifier") or request.get("SingleSignOnUserValue")
        if domain["AuthMode"] == "IAM" and sso:
            raise ValidationException("SingleSignOnUserIdentifier and SingleSignOnUserValue are not allowed in an IAM domain.")
        if domain["AuthMode"] == "SSO" and not (
            request.get("SingleSignOnUserIdentifier") and request.get("SingleSignOnUserValue")
        ):
            raise ValidationException("An SSO domain needs SingleSignOnUserIdentifier and SingleSignOnUserValue.")
        self._check_settings(request.get("UserSettings"), "UserSettings")
        arn = self._arn(f"user-profile/{domain['DomainId']}/{name}")
        now = _now()
        record = {
            **copy.deepcopy(dict(request)),
            "UserProfileArn": arn,
            "Status": "InService",
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        record.pop("Tags", None)
        if domain.get("HomeEfsFileSystemId"):
            record["HomeEfsFileSystemUid"] = str(200000 + len(self.user_profiles) + 1)
        self.user_profiles[(domain["DomainId"], name.lower())] = record
        self._set_tags(arn, request.get("Tags"))
        return {"UserProfileArn": arn}

    def describe_user_profile(self, request: Request) -> dict[str, Any]:
        validate("DescribeUserProfile", request)
        return copy.deepcopy(self._profile(request["DomainId"], request["UserProfileName"]))

    def list_user_profiles(self, request: Request) -> dict[str, Any]:
        validate("ListUserProfiles", request)
        domain_id, contains = request.get("DomainIdEquals"), request.get("UserProfileNameContains")
        keys = ("DomainId", "UserProfileName", "Status", "CreationTime", "LastModifiedTime")
        return {
            "UserProfiles": [
                {k: p[k] for k in keys}
                for p in self.user_profiles.values()
                if (not domain_id or p["DomainId"] == domain_id) and (not contains or contains in p["UserProfileName"])
            ]
        }

    def update_user_profile(self, request: Request, *, replace: bool = False) -> dict[str, Any]:
        validate("UpdateUserProfile", request)
        profile = self._profile(request["DomainId"], request["UserProfileName"])
        if "UserSettings" in request:
            merged = (
                copy.deepcopy(request["UserSettings"])
                if replace
                else _merge(profile.get("UserSettings"), request["UserSettings"])
            )
            self._check_settings(merged, "UserSettings")
            profile["UserSettings"] = merged
        elif replace:
            profile.pop("UserSettings", None)
        profile["LastModifiedTime"] = _now()
        return {"UserProfileArn": profile["UserProfileArn"]}

    def delete_user_profile(self, request: Request) -> None:
        validate("DeleteUserProfile", request)
        profile = self._profile(request["DomainId"], request["UserProfileName"])
        name = profile["UserProfileName"]
        owned = sorted(
            s["SpaceName"]
            for s in self.spaces.values()
            if s["DomainId"] == profile["DomainId"]
            and (s.get("OwnershipSettings") or {}).get("OwnerUserProfileName", "").lower() == name.lower()
        )
        if owned:
            raise ResourceInUse(f"User profile {name} cannot be deleted: it owns spaces {owned}; delete them first.")
        running = [a["AppName"] for a in self._live_apps(profile["DomainId"], user=name)]
        if running:
            raise ResourceInUse(f"User profile {name} cannot be deleted: it has apps {running}; delete them first.")
        del self.user_profiles[(profile["DomainId"], name.lower())]
        self.tags.pop(profile["UserProfileArn"], None)

    # -- spaces ----------------------------------------------------------------------------------

    def _space_bounds(self, domain: Mapping[str, Any], owner: Mapping[str, Any] | None, shared: bool) -> dict[str, Any]:
        """The settings whose EBS maximum and idle bounds apply to a space."""
        if shared:
            settings = domain.get("DefaultSpaceSettings") or {}
            fallback = domain.get("DefaultUserSettings") or {}
        else:
            settings = (owner or {}).get("UserSettings") or {}
            fallback = domain.get("DefaultUserSettings") or {}
        return {"own": settings, "domain": fallback}

    def _check_space_settings(
        self, domain: Mapping[str, Any], owner: Mapping[str, Any] | None, shared: bool, settings: Mapping[str, Any] | None
    ) -> None:
        settings = settings or {}
        self._check_settings(settings, "SpaceSettings")
        bounds = self._space_bounds(domain, owner, shared)
        size = ((settings.get("SpaceStorageSettings") or {}).get("EbsStorageSettings") or {}).get("EbsVolumeSizeInGb")
        if size is not None:
            for source in ("own", "domain"):
                limit = ((bounds[source].get("SpaceStorageSettings") or {}).get("DefaultEbsStorageSettings") or {}).get(
                    "MaximumEbsVolumeSizeInGb"
                )
                if limit is not None:
                    if size > limit:
                        raise ValidationException(
                            f"EbsVolumeSizeInGb {size} is greater than the maximum EBS volume size of {limit} GB "
                            "that applies to this space."
                        )
                    break
        for key in ("JupyterLabAppSettings", "CodeEditorAppSettings"):
            timeout = (((settings.get(key) or {}).get("AppLifecycleManagement") or {}).get("IdleSettings") or {}).get(
                "IdleTimeoutInMinutes"
            )
            if timeout is None:
                continue
            for source in ("own", "domain"):
                idle = (((bounds[source].get(key) or {}).get("AppLifecycleManagement") or {}).get("IdleSettings")) or {}
                low, high = idle.get("MinIdleTimeoutInMinutes"), idle.get("MaxIdleTimeoutInMinutes")
                if low is not None or high is not None:
                    if (low is not None and timeout < low) or (high is not None and timeout > high):
                        raise ValidationException(
                            f"IdleTimeoutInMinutes {timeout} of the space is outside the range {low}-{high} that applies to it."
                        )
                    break

    def create_space(self, request: Request) -> dict[str, Any]:
        validate("CreateSpace", request)
        domain = self._domain(request["DomainId"], ValidationException)
        name = request["SpaceName"]
        if (domain["DomainId"], name) in self.spaces:
            raise ResourceInUse(f"Space {name} already exists in domain {domain['DomainId']}.")
        sharing = (request.get("SpaceSharingSettings") or {}).get("SharingType", "Private")
        owner_name = (request.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
        if sharing == "Private" and not owner_name:
            raise ValidationException("A private space needs OwnershipSettings.OwnerUserProfileName.")
        owner = self._profile(domain["DomainId"], owner_name, ValidationException) if owner_name else None
        self._check_space_settings(domain, owner, sharing == "Shared", request.get("SpaceSettings"))
        arn = self._arn(f"space/{domain['DomainId']}/{name}")
        now = _now()
        record = {
            **copy.deepcopy(dict(request)),
            "SpaceArn": arn,
            "Status": "InService",
            "CreationTime": now,
            "LastModifiedTime": now,
            "Url": f"https://{domain['DomainId']}.studio.{self.region_name}.sagemaker.aws/jupyterlab/default/spaces/{name}",
        }
        record.pop("Tags", None)
        self.spaces[(domain["DomainId"], name)] = record
        self._set_tags(arn, request.get("Tags"))
        return {"SpaceArn": arn}

    def describe_space(self, request: Request) -> dict[str, Any]:
        validate("DescribeSpace", request)
        return copy.deepcopy(self._space(request["DomainId"], request["SpaceName"]))

    def list_spaces(self, request: Request) -> dict[str, Any]:
        validate("ListSpaces", request)
        domain_id, contains = request.get("DomainIdEquals"), request.get("SpaceNameContains")
        found = []
        for s in self.spaces.values():
            if (domain_id and s["DomainId"] != domain_id) or (contains and contains not in s["SpaceName"]):
                continue
            summary: dict[str, Any] = {
                k: s[k] for k in ("DomainId", "SpaceName", "Status", "CreationTime", "LastModifiedTime") if k in s
            }
            if s.get("SpaceDisplayName"):
                summary["SpaceDisplayName"] = s["SpaceDisplayName"]
            for key in ("OwnershipSettings", "SpaceSharingSettings"):
                if s.get(key):
                    summary[f"{key}Summary"] = copy.deepcopy(s[key])
            if s.get("SpaceSettings"):
                settings = s["SpaceSettings"]
                summary["SpaceSettingsSummary"] = {
                    k: copy.deepcopy(v) for k, v in settings.items() if k in ("AppType", "SpaceStorageSettings", "RemoteAccess")
                }
            found.append(summary)
        return {"Spaces": found}

    def update_space(self, request: Request, *, replace: bool = False) -> dict[str, Any]:
        validate("UpdateSpace", request)
        space = self._space(request["DomainId"], request["SpaceName"])
        domain = self._domain(space["DomainId"])
        owner_name = (space.get("OwnershipSettings") or {}).get("OwnerUserProfileName")
        owner = self._profile(space["DomainId"], owner_name, ValidationException) if owner_name else None
        shared = (space.get("SpaceSharingSettings") or {}).get("SharingType") == "Shared"
        if "SpaceSettings" in request or replace:
            new = request.get("SpaceSettings") or {}
            merged = copy.deepcopy(dict(new)) if replace else _merge(space.get("SpaceSettings"), new)
            old_type = (space.get("SpaceSettings") or {}).get("AppType")
            if old_type and merged.get("AppType") and merged["AppType"] != old_type:
                raise ValidationException(f"The app type of space {space['SpaceName']} cannot be changed from {old_type}.")
            self._check_space_settings(domain, owner, shared, merged)
            space["SpaceSettings"] = merged
        if "SpaceDisplayName" in request:
            space["SpaceDisplayName"] = request["SpaceDisplayName"]
        elif replace:
            space.pop("SpaceDisplayName", None)
        space["LastModifiedTime"] = _now()
        return {"SpaceArn": space["SpaceArn"]}

    def delete_space(self, request: Request) -> None:
        validate("DeleteSpace", request)
        space = self._space(request["DomainId"], request["SpaceName"])
        running = [a["AppName"] for a in self._live_apps(space["DomainId"], space=space["SpaceName"])]
        if running:
            raise ResourceInUse(f"Space {space['SpaceName']} cannot be deleted: it has apps {running}; delete them first.")
        del self.spaces[(space["DomainId"], space["SpaceName"])]
        self.tags.pop(space["SpaceArn"], None)

    # -- apps ------------------------------------------------------------------------------------

    def _live_apps(self, domain_id: str, *, user: str | None = None, space: str | None = None) -> list[dict[str, Any]]:
        return [
            a
            for a in self.apps
            if a["DomainId"] == domain_id
            and a["Status"] not in ("Deleted", "Failed")
            and (user is None or (a.get("UserProfileName") or "").lower() == user.lower())
            and (space is None or a.get("SpaceName") == space)
        ]

    def _find_app(self, request: Request) -> dict[str, Any]:
        for app in self.apps:
            if (
                app["DomainId"] == request["DomainId"]
                and app["AppType"] == request["AppType"]
                and app["AppName"] == request["AppName"]
                and app.get("UserProfileName") == request.get("UserProfileName")
                and app.get("SpaceName") == request.get("SpaceName")
            ):
                return app
        raise ResourceNotFound(f"App {request['AppType']}/{request['AppName']} does not exist.")

    def create_app(self, request: Request) -> dict[str, Any]:
        validate("CreateApp", request)
        domain = self._domain(request["DomainId"], ValidationException)
        user, space_name = request.get("UserProfileName"), request.get("SpaceName")
        if bool(user) == bool(space_name):
            raise ValidationException("Exactly one of UserProfileName and SpaceName must be given.")
        app_type = request["AppType"]
        if space_name:
            space = self._space(domain["DomainId"], space_name, ValidationException)
            space_type = (space.get("SpaceSettings") or {}).get("AppType")
            if space_type and space_type != app_type:
                raise ValidationException(f"App type {app_type} does not match the app type {space_type} of space {space_name}.")
        else:
            self._profile(domain["DomainId"], str(user), ValidationException)
        spec = request.get("ResourceSpec") or {}
        if spec.get("LifecycleConfigArn"):
            self._check_lifecycle_config(spec["LifecycleConfigArn"], app_type, "ResourceSpec")
        self._check_image(spec.get("SageMakerImageArn"), "ResourceSpec")
        owner = f"space/{space_name}" if space_name else f"user-profile/{user}"
        arn = self._arn(f"app/{domain['DomainId']}/{owner.split('/')[1]}/{app_type.lower()}/{request['AppName']}")
        if any(a["AppArn"] == arn and a["Status"] != "Deleted" for a in self.apps):
            raise ResourceInUse(f"App {request['AppName']} already exists.")
        self.apps = [a for a in self.apps if a["AppArn"] != arn]
        record = {**copy.deepcopy(dict(request)), "AppArn": arn, "Status": "InService", "CreationTime": _now()}
        record.pop("Tags", None)
        self.apps.append(record)
        self._set_tags(arn, request.get("Tags"))
        return {"AppArn": arn}

    def _observe(self, app: dict[str, Any]) -> dict[str, Any]:
        """A ``Deleting`` app moves towards ``Deleted`` each time it is read."""
        if app["Status"] == "Deleting":
            app["_polls"] = app.get("_polls", 0) + 1
            if app["_polls"] > self.app_deletion_polls:
                app["Status"] = "Deleted"
        return {k: v for k, v in app.items() if not k.startswith("_")}

    def describe_app(self, request: Request) -> dict[str, Any]:
        validate("DescribeApp", request)
        return copy.deepcopy(self._observe(self._find_app(request)))

    def list_apps(self, request: Request) -> dict[str, Any]:
        validate("ListApps", request)
        found = []
        for app in self.apps:
            if request.get("DomainIdEquals") and app["DomainId"] != request["DomainIdEquals"]:
                continue
            if request.get("UserProfileNameEquals") and app.get("UserProfileName") != request["UserProfileNameEquals"]:
                continue
            if request.get("SpaceNameEquals") and app.get("SpaceName") != request["SpaceNameEquals"]:
                continue
            keys = ("DomainId", "UserProfileName", "SpaceName", "AppType", "AppName", "Status", "CreationTime", "ResourceSpec")
            seen = self._observe(app)
            found.append({k: copy.deepcopy(seen[k]) for k in keys if k in seen})
        return {"Apps": found}

    def delete_app(self, request: Request) -> None:
        validate("DeleteApp", request)
        app = self._find_app(request)
        if app["Status"] == "Deleted":
            raise ResourceNotFound(f"App {app['AppName']} has already been deleted.")
        if app["Status"] != "InService":
            raise ResourceInUse(f"App {app['AppName']} is {app['Status']}: only an InService app can be deleted.")
        app["Status"] = "Deleting" if self.app_deletion_polls > 0 else "Deleted"
        app["_polls"] = 0
        self.tags.pop(app["AppArn"], None)

    # -- lifecycle configs -----------------------------------------------------------------------

    def create_studio_lifecycle_config(self, request: Request) -> dict[str, Any]:
        validate("CreateStudioLifecycleConfig", request)
        name = request["StudioLifecycleConfigName"]
        if name in self.lifecycle_configs:
            raise ResourceInUse(f"Studio lifecycle config {name} already exists.")
        try:
            base64.b64decode(request["StudioLifecycleConfigContent"], validate=True)
        except ValueError:
            raise ValidationException("StudioLifecycleConfigContent must be base64-encoded.") from None
        arn = self._arn(f"studio-lifecycle-config/{name}")
        now = _now()
        record = {
            **copy.deepcopy(dict(request)),
            "StudioLifecycleConfigArn": arn,
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        record.pop("Tags", None)
        self.lifecycle_configs[name] = record
        self._set_tags(arn, request.get("Tags"))
        return {"StudioLifecycleConfigArn": arn}

    def describe_studio_lifecycle_config(self, request: Request) -> dict[str, Any]:
        validate("DescribeStudioLifecycleConfig", request)
        config = self.lifecycle_configs.get(request["StudioLifecycleConfigName"])
        if config is None:
            raise ResourceNotFound(f"Studio lifecycle config {request['StudioLifecycleConfigName']} does not exist.")
        return copy.deepcopy(config)

    def list_studio_lifecycle_configs(self, request: Request) -> dict[str, Any]:
        validate("ListStudioLifecycleConfigs", request)
        keys = (
            "StudioLifecycleConfigArn",
            "StudioLifecycleConfigName",
            "CreationTime",
            "LastModifiedTime",
            "StudioLifecycleConfigAppType",
        )
        return {
            "StudioLifecycleConfigs": [
                {k: c[k] for k in keys}
                for c in self.lifecycle_configs.values()
                if (not request.get("NameContains") or request["NameContains"] in c["StudioLifecycleConfigName"])
                and (not request.get("AppTypeEquals") or c["StudioLifecycleConfigAppType"] == request["AppTypeEquals"])
            ]
        }

    def delete_studio_lifecycle_config(self, request: Request) -> None:
        validate("DeleteStudioLifecycleConfig", request)
        name = request["StudioLifecycleConfigName"]
        config = self.lifecycle_configs.get(name)
        if config is None:
            raise ResourceNotFound(f"Studio lifecycle config {name} does not exist.")
        users = sorted(self._configs_in_use(config["StudioLifecycleConfigArn"]))
        if users:
            raise ResourceInUse(f"Studio lifecycle config {name} is still attached to {', '.join(users)}.")
        del self.lifecycle_configs[name]
        self.tags.pop(config["StudioLifecycleConfigArn"], None)

    # -- images and versions ---------------------------------------------------------------------

    def _image(self, name: str) -> dict[str, Any]:
        image = self.images.get(name)
        if image is None:
            raise ResourceNotFound(f"Image {name} does not exist.")
        return image

    def create_image(self, request: Request) -> dict[str, Any]:
        validate("CreateImage", request)
        name = request["ImageName"]
        if name in self.images:
            raise ResourceInUse(f"Image {name} already exists.")
        arn = self._arn(f"image/{name}")
        now = _now()
        record = {
            **copy.deepcopy(dict(request)),
            "ImageArn": arn,
            "ImageStatus": "CREATED",
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        record.pop("Tags", None)
        self.images[name] = record
        self.image_versions[name] = []
        self._set_tags(arn, request.get("Tags"))
        return {"ImageArn": arn}

    def describe_image(self, request: Request) -> dict[str, Any]:
        validate("DescribeImage", request)
        return copy.deepcopy(self._image(request["ImageName"]))

    def list_images(self, request: Request) -> dict[str, Any]:
        validate("ListImages", request)
        keys = ("CreationTime", "Description", "DisplayName", "ImageArn", "ImageName", "ImageStatus", "LastModifiedTime")
        return {
            "Images": [
                {k: i[k] for k in keys if k in i}
                for i in self.images.values()
                if not request.get("NameContains") or request["NameContains"] in i["ImageName"]
            ]
        }

    def update_image(self, request: Request) -> dict[str, Any]:
        validate("UpdateImage", request)
        image = self._image(request["ImageName"])
        for key in request.get("DeleteProperties") or []:
            if key in request:
                raise ValidationException(f"{key} cannot be both updated and deleted.")
            image.pop(key, None)
        for key in ("Description", "DisplayName", "RoleArn"):
            if key in request:
                image[key] = request[key]
        image["LastModifiedTime"] = _now()
        return {"ImageArn": image["ImageArn"]}

    def delete_image(self, request: Request) -> None:
        validate("DeleteImage", request)
        image = self._image(request["ImageName"])
        del self.images[image["ImageName"]]
        for version in self.image_versions.pop(image["ImageName"], []):
            self.tags.pop(version["ImageVersionArn"], None)
        self.tags.pop(image["ImageArn"], None)

    def _version(self, request: Request) -> dict[str, Any]:
        name = request["ImageName"]
        self._image(name)
        versions = self.image_versions.get(name, [])
        if request.get("Alias"):
            found = [v for v in versions if request["Alias"] in (v.get("Aliases") or [])]
        elif request.get("Version") is not None:
            found = [v for v in versions if v["Version"] == request["Version"]]
        else:
            found = versions[-1:]
        if not found:
            raise ResourceNotFound(f"Image version of image {name} does not exist.")
        return found[0]

    def create_image_version(self, request: Request) -> dict[str, Any]:
        validate("CreateImageVersion", request)
        name = request["ImageName"]
        image = self._image(name)
        versions = self.image_versions.setdefault(name, [])
        for version in versions:
            if version.get("ClientToken") == request["ClientToken"]:
                return {"ImageVersionArn": version["ImageVersionArn"]}
        number = max((v["Version"] for v in versions), default=0) + 1
        arn = self._arn(f"image-version/{name}/{number}")
        now = _now()
        record = {
            **copy.deepcopy(dict(request)),
            "ImageArn": image["ImageArn"],
            "ImageVersionArn": arn,
            "ContainerImage": request["BaseImage"],
            "ImageVersionStatus": "CREATED",
            "Version": number,
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        versions.append(record)
        return {"ImageVersionArn": arn}

    def describe_image_version(self, request: Request) -> dict[str, Any]:
        validate("DescribeImageVersion", request)
        return copy.deepcopy(self._version(request))

    def list_image_versions(self, request: Request) -> dict[str, Any]:
        validate("ListImageVersions", request)
        self._image(request["ImageName"])
        keys = ("CreationTime", "ImageArn", "ImageVersionArn", "ImageVersionStatus", "LastModifiedTime", "Version")
        return {"ImageVersions": [{k: v[k] for k in keys} for v in self.image_versions.get(request["ImageName"], [])]}

    def update_image_version(self, request: Request) -> dict[str, Any]:
        validate("UpdateImageVersion", request)
        version = self._version(request)
        aliases = [a for a in version.get("Aliases") or [] if a not in (request.get("AliasesToDelete") or [])]
        aliases += [a for a in request.get("AliasesToAdd") or [] if a not in aliases]
        version["Aliases"] = aliases
        for key in ("VendorGuidance", "JobType", "MLFramework", "ProgrammingLang", "Processor", "Horovod", "ReleaseNotes"):
            if key in request:
                version[key] = request[key]
        version["LastModifiedTime"] = _now()
        return {"ImageVersionArn": version["ImageVersionArn"]}

    def delete_image_version(self, request: Request) -> None:
        validate("DeleteImageVersion", request)
        version = self._version(request)
        self.image_versions[request["ImageName"]].remove(version)
        self.tags.pop(version["ImageVersionArn"], None)

    # -- app image configs -----------------------------------------------------------------------

    def _app_image_config(self, name: str) -> dict[str, Any]:
        config = self.app_image_configs.get(name)
        if config is None:
            raise ResourceNotFound(f"App image config {name} does not exist.")
        return config

    def create_app_image_config(self, request: Request) -> dict[str, Any]:
        validate("CreateAppImageConfig", request)
        name = request["AppImageConfigName"]
        if name in self.app_image_configs:
            raise ResourceInUse(f"App image config {name} already exists.")
        arn = self._arn(f"app-image-config/{name}")
        now = _now()
        record = {**copy.deepcopy(dict(request)), "AppImageConfigArn": arn, "CreationTime": now, "LastModifiedTime": now}
        record.pop("Tags", None)
        self.app_image_configs[name] = record
        self._set_tags(arn, request.get("Tags"))
        return {"AppImageConfigArn": arn}

    def describe_app_image_config(self, request: Request) -> dict[str, Any]:
        validate("DescribeAppImageConfig", request)
        return copy.deepcopy(self._app_image_config(request["AppImageConfigName"]))

    def list_app_image_configs(self, request: Request) -> dict[str, Any]:
        validate("ListAppImageConfigs", request)
        return {
            "AppImageConfigs": [
                copy.deepcopy(c)
                for c in self.app_image_configs.values()
                if not request.get("NameContains") or request["NameContains"] in c["AppImageConfigName"]
            ]
        }

    def update_app_image_config(self, request: Request, *, replace: bool = False) -> dict[str, Any]:
        validate("UpdateAppImageConfig", request)
        config = self._app_image_config(request["AppImageConfigName"])
        for key in ("KernelGatewayImageConfig", "JupyterLabAppImageConfig", "CodeEditorAppImageConfig"):
            if key in request:
                config[key] = copy.deepcopy(request[key])
            elif replace:
                config.pop(key, None)
        config["LastModifiedTime"] = _now()
        return {"AppImageConfigArn": config["AppImageConfigArn"]}

    def delete_app_image_config(self, request: Request) -> None:
        validate("DeleteAppImageConfig", request)
        config = self._app_image_config(request["AppImageConfigName"])
        del self.app_image_configs[config["AppImageConfigName"]]
        self.tags.pop(config["AppImageConfigArn"], None)

    # -- MLflow tracking servers -----------------------------------------------------------------

    def _tracking_server(self, name: str) -> dict[str, Any]:
        server = self.tracking_servers.get(name)
        if server is None:
            raise ResourceNotFound(f"MLflow tracking server {name} does not exist.")
        return server

    def create_mlflow_tracking_server(self, request: Request) -> dict[str, Any]:
        validate("CreateMlflowTrackingServer", request)
        name = request["TrackingServerName"]
        if name in self.tracking_servers:
            raise ResourceInUse(f"MLflow tracking server {name} already exists.")
        arn = self._arn(f"mlflow-tracking-server/{name}")
        now = _now()
        record = {
            "TrackingServerSize": "Small",
            "MlflowVersion": "2.16.2",
            "AutomaticModelRegistration": False,
            **copy.deepcopy(dict(request)),
            "TrackingServerArn": arn,
            "TrackingServerStatus": "Created",
            "IsActive": "Active",
            "TrackingServerUrl": f"https://t-{_random_id()}.{self.region_name}.experiments.sagemaker.aws",
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        record.pop("Tags", None)
        self.tracking_servers[name] = record
        self._set_tags(arn, request.get("Tags"))
        return {"TrackingServerArn": arn}

    def describe_mlflow_tracking_server(self, request: Request) -> dict[str, Any]:
        validate("DescribeMlflowTrackingServer", request)
        return copy.deepcopy(self._tracking_server(request["TrackingServerName"]))

    def list_mlflow_tracking_servers(self, request: Request) -> dict[str, Any]:
        validate("ListMlflowTrackingServers", request)
        keys = (
            "TrackingServerArn",
            "TrackingServerName",
            "CreationTime",
            "LastModifiedTime",
            "TrackingServerStatus",
            "IsActive",
            "MlflowVersion",
        )
        return {
            "TrackingServerSummaries": [
                {k: s[k] for k in keys}
                for s in self.tracking_servers.values()
                if not request.get("TrackingServerStatus") or s["TrackingServerStatus"] == request["TrackingServerStatus"]
            ]
        }

    def update_mlflow_tracking_server(self, request: Request) -> dict[str, Any]:
        validate("UpdateMlflowTrackingServer", request)
        server = self._tracking_server(request["TrackingServerName"])
        if server["TrackingServerStatus"] not in ("Created", "Updated", "Started", "Stopped"):
            raise ConflictException(f"MLflow tracking server {server['TrackingServerName']} is {server['TrackingServerStatus']}.")
        for key, value in request.items():
            if key != "TrackingServerName":
                server[key] = copy.deepcopy(value)
        server["TrackingServerStatus"] = "Updated"
        server["LastModifiedTime"] = _now()
        return {"TrackingServerArn": server["TrackingServerArn"]}

    def start_mlflow_tracking_server(self, request: Request) -> dict[str, Any]:
        validate("StartMlflowTrackingServer", request)
        server = self._tracking_server(request["TrackingServerName"])
        server["TrackingServerStatus"], server["IsActive"] = "Started", "Active"
        return {"TrackingServerArn": server["TrackingServerArn"]}

    def stop_mlflow_tracking_server(self, request: Request) -> dict[str, Any]:
        validate("StopMlflowTrackingServer", request)
        server = self._tracking_server(request["TrackingServerName"])
        server["TrackingServerStatus"], server["IsActive"] = "Stopped", "Inactive"
        return {"TrackingServerArn": server["TrackingServerArn"]}

    def delete_mlflow_tracking_server(self, request: Request) -> dict[str, Any]:
        validate("DeleteMlflowTrackingServer", request)
        server = self._tracking_server(request["TrackingServerName"])
        del self.tracking_servers[server["TrackingServerName"]]
        self.tags.pop(server["TrackingServerArn"], None)
        return {"TrackingServerArn": server["TrackingServerArn"]}

    # -- MLflow apps (serverless MLflow) --------------------------------------------------------------

    def _mlflow_app(self, arn: str) -> dict[str, Any]:
        app = self.mlflow_apps.get(arn)
        if app is None:
            raise ResourceNotFound(f"MLflow app {arn} does not exist.")
        return app

    def _check_default_domains(self, domain_ids: list[str] | None) -> None:
        for domain_id in domain_ids or []:
            self._domain(domain_id, ValidationException)

    def create_mlflow_app(self, request: Request) -> dict[str, Any]:
        validate("CreateMlflowApp", request)
        self._check_default_domains(request.get("DefaultDomainIdList"))
        self._check_kms_key(request.get("KmsKeyId"))
        app_id = f"app-{_random_id()}"
        arn = self._arn(f"mlflow-app/{app_id}")
        now = _now()
        record = {
            "ModelRegistrationMode": "AutoModelRegistrationDisabled",
            "AccountDefaultStatus": "DISABLED",
            "DefaultDomainIdList": [],
            **copy.deepcopy(dict(request)),
            "Arn": arn,
            "MlflowVersion": "3.10.1",
            "Status": "Created",
            "CreationTime": now,
            "LastModifiedTime": now,
        }
        record.pop("Tags", None)
        self.mlflow_apps[arn] = record
        self._set_tags(arn, request.get("Tags"))
        return {"Arn": arn}

    def describe_mlflow_app(self, request: Request) -> dict[str, Any]:
        validate("DescribeMlflowApp", request)
        return copy.deepcopy(self._mlflow_app(request["Arn"]))

    def list_mlflow_apps(self, request: Request) -> dict[str, Any]:
        validate("ListMlflowApps", request)
        keys = ("Arn", "Name", "Status", "CreationTime", "LastModifiedTime", "MlflowVersion")
        found = [
            a
            for a in self.mlflow_apps.values()
            if (not request.get("Status") or a["Status"] == request["Status"])
            and (not request.get("DefaultForDomainId") or request["DefaultForDomainId"] in a["DefaultDomainIdList"])
            and (not request.get("AccountDefaultStatus") or a["AccountDefaultStatus"] == request["AccountDefaultStatus"])
        ]
        return {"Summaries": [{k: a[k] for k in keys} for a in found]}

    def update_mlflow_app(self, request: Request) -> dict[str, Any]:
        validate("UpdateMlflowApp", request)
        app = self._mlflow_app(request["Arn"])
        if app["Status"] not in ("Created", "Updated", "UpdateFailed"):
            raise ConflictException(f"MLflow app {app['Arn']} is {app['Status']}.")
        self._check_default_domains(request.get("DefaultDomainIdList"))
        for key, value in request.items():
            if key != "Arn":
                app[key] = copy.deepcopy(value)
        app["Status"] = "Updated"
        app["LastModifiedTime"] = _now()
        return {"Arn": app["Arn"]}

    def delete_mlflow_app(self, request: Request) -> dict[str, Any]:
        validate("DeleteMlflowApp", request)
        app = self._mlflow_app(request["Arn"])
        del self.mlflow_apps[app["Arn"]]
        self.tags.pop(app["Arn"], None)
        return {"Arn": app["Arn"]}

    # -- tags ------------------------------------------------------------------------------------

    def add_tags(self, request: Request) -> dict[str, Any]:
        validate("AddTags", request)
        arn = request["ResourceArn"]
        current = {t["Key"]: t["Value"] for t in self.tags.get(arn, [])}
        current.update({t["Key"]: t["Value"] for t in request["Tags"]})
        if len(current) > 50:
            raise ValidationException(f"Resource {arn} would have {len(current)} tags; at most 50 are allowed.")
        self.tags[arn] = [{"Key": k, "Value": v} for k, v in current.items()]
        return {"Tags": copy.deepcopy(self.tags[arn])}

    def list_tags(self, request: Request) -> dict[str, Any]:
        validate("ListTags", request)
        return {"Tags": copy.deepcopy(self.tags.get(request["ResourceArn"], []))}

    def delete_tags(self, request: Request) -> None:
        validate("DeleteTags", request)
        arn = request["ResourceArn"]
        self.tags[arn] = [t for t in self.tags.get(arn, []) if t["Key"] not in request["TagKeys"]]

    def replace_tags(self, arn: str, tags: list[dict[str, str]] | None) -> None:
        """CloudFormation's view of tags: the template's list is the whole set."""
        self.tags[arn] = [dict(t) for t in tags or []]


OPERATIONS: tuple[str, ...] = (
    "CreateDomain", "DescribeDomain", "ListDomains", "UpdateDomain", "DeleteDomain",
    "CreateUserProfile", "DescribeUserProfile", "ListUserProfiles", "UpdateUserProfile", "DeleteUserProfile",
    "CreateSpace", "DescribeSpace", "ListSpaces", "UpdateSpace", "DeleteSpace",
    "CreateApp", "DescribeApp", "ListApps", "DeleteApp",
    "CreateStudioLifecycleConfig", "DescribeStudioLifecycleConfig", "ListStudioLifecycleConfigs",
    "DeleteStudioLifecycleConfig",
    "CreateImage", "DescribeImage", "ListImages", "UpdateImage", "DeleteImage",
    "CreateImageVersion", "DescribeImageVersion", "ListImageVersions", "UpdateImageVersion", "DeleteImageVersion",
    "CreateAppImageConfig", "DescribeAppImageConfig", "ListAppImageConfigs", "UpdateAppImageConfig",
    "DeleteAppImageConfig",
    "CreateMlflowTrackingServer", "DescribeMlflowTrackingServer", "ListMlflowTrackingServers",
    "UpdateMlflowTrackingServer", "StartMlflowTrackingServer", "StopMlflowTrackingServer", "DeleteMlflowTrackingServer",
    "CreateMlflowApp", "DescribeMlflowApp", "ListMlflowApps", "UpdateMlflowApp", "DeleteMlflowApp",
)  # fmt: skip
"""The SageMaker operations this extension serves (tags are served for Studio resources)."""


def studio_backend(account_id: str, region_name: str) -> StudioBackend:
    """The Studio state of an account and region. It lives on moto's SageMaker backend, so moto's
    reset (a new ``mock_aws``, or ``/moto-api/reset`` on a server) clears it with everything else."""
    from moto.sagemaker.models import sagemaker_backends

    backend = sagemaker_backends[account_id][region_name]
    studio = backend.__dict__.get("_sagemaker_studio_cdk")
    if studio is None:
        studio = StudioBackend(account_id, region_name)
        backend.__dict__["_sagemaker_studio_cdk"] = studio
    return studio


def drop_none(value: Any) -> Any:
    """``value`` without ``None`` members (a request built from optional properties)."""
    return _drop_none(value)
