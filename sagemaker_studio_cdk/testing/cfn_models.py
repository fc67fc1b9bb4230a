"""CloudFormation models for the resource types the library emits that moto lacks.

- ``AWS::SageMaker::Domain``, ``UserProfile``, ``Space``, ``StudioLifecycleConfig``, ``Image``,
  ``ImageVersion``, ``AppImageConfig``, ``MlflowTrackingServer``: each turns its properties into
  the API request (walking botocore's input shape, renaming where CloudFormation's names differ)
  and calls the operations of :mod:`.studio`, so a template is held to what the API accepts.
  ``Ref`` returns the type's primary identifier (parts joined with ``|``) and ``Fn::GetAtt`` its
  read-only properties, both read from CloudFormation's schema as cfn-lint ships it.
- ``AWS::EC2::SecurityGroupIngress`` / ``SecurityGroupEgress``: moto drops the description of a
  rule from another group, has no egress model and deletes no rule; these replace its model.
- ``AWS::S3::BucketPolicy`` (moto has no model) and ``AWS::CDK::Metadata`` (CDK's version
  report, which CloudFormation accepts and ignores).

The engine (:mod:`.engine`) decides create, in-place update, replacement and delete; a model only
performs them.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Mapping
from functools import cache
from typing import Any, ClassVar

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
from moto.core.common_models import CloudFormationModel

from .studio import StudioBackend, drop_none, studio_backend
from .validation import coerce, service_model


class PropertyError(Exception):
    """A property CloudFormation would refuse before calling the service."""


@cache
def resource_schema(resource_type: str) -> dict[str, Any]:
    """CloudFormation's registry schema of ``resource_type``, as cfn-lint ships it."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    schema: dict[str, Any] = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource_type).schema
    return schema


def _top_level(paths: list[str]) -> tuple[str, ...]:
    return tuple(p.removeprefix("/properties/") for p in paths if p.count("/") == 2)


def to_api_request(
    operation: str,
    properties: Mapping[str, Any],
    *,
    renames: Mapping[str, str] | None = None,
    ignore: tuple[str, ...] = (),
    shape_name: str | None = None,
) -> dict[str, Any]:
    """The API request of ``operation`` for CloudFormation ``properties``.

    Keys follow the operation's input shape; ``renames`` maps top-level CloudFormation names to
    API names; ``ignore`` lists top-level properties that are not part of this request. Any other
    key the API does not know fails, as CloudFormation fails an unsupported property.
    """
    model = service_model()
    shape = model.shape_for(shape_name) if shape_name else model.operation_model(operation).input_shape
    renames = renames or {}
    request: dict[str, Any] = {}
    for key, value in properties.items():
        if key in ignore:
            continue
        name = renames.get(key, key)
        if name not in shape.members:
            raise PropertyError(f"Encountered unsupported property {key}")
        request[name] = _checked(shape.members[name], value, key)
    result: dict[str, Any] = drop_none(coerce(shape, request))
    return result


def _checked(shape: Any, value: Any, path: str) -> Any:
    if shape.type_name == "structure" and isinstance(value, Mapping):
        unknown = [k for k in value if k not in shape.members]
        if unknown:
            raise PropertyError(f"Encountered unsupported property {path}/{unknown[0]}")
        return {k: _checked(shape.members[k], v, f"{path}/{k}") for k, v in value.items()}
    if shape.type_name == "list" and isinstance(value, list):
        return [_checked(shape.member, v, f"{path}/{i}") for i, v in enumerate(value)]
    return value


class StudioModel(CloudFormationModel):
    """A Studio resource created through :mod:`.studio`."""

    TYPE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""

    def __init__(self, account_id: str, region_name: str, properties: Mapping[str, Any], identity: Mapping[str, Any]) -> None:
        self.account_id = account_id
        self.region_name = region_name
        self.properties = dict(properties)
        self.identity = dict(identity)

    # -- what subclasses implement ---------------------------------------------------------------

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        raise PropertyError(f"{self.TYPE} has no property that updates in place")

    def _delete(self, studio: StudioBackend) -> None:
        raise NotImplementedError

    @property
    def arn(self) -> str:
        return str(next(v for k, v in self.identity.items() if k.endswith("Arn")))

    # -- CloudFormationModel ---------------------------------------------------------------------

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def _name_property(cls) -> str:
        return cls.NAME

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> StudioModel:
        properties = cloudformation_json.get("Properties") or {}
        studio = studio_backend(account_id, region_name)
        identity = cls._create(studio, properties)
        return cls(account_id, region_name, properties, identity)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: StudioModel,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> StudioModel:
        properties = cloudformation_json.get("Properties") or {}
        original_resource._update(studio_backend(account_id, region_name), properties)
        original_resource.properties = dict(properties)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        raise NotImplementedError("the engine deletes Studio resources through their model's delete()")

    def delete(self, account_id: str, region_name: str) -> None:
        self._delete(studio_backend(account_id, region_name))

    def _value(self, name: str) -> Any:
        if name in self.identity:
            return self.identity[name]
        return self.properties.get(name)

    @property
    def physical_resource_id(self) -> str:
        primary = [p.removeprefix("/properties/") for p in resource_schema(self.TYPE)["primaryIdentifier"]]
        return "|".join(str(self._value(p)) for p in primary)

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        schema = resource_schema(cls.TYPE)
        return attr in _top_level(schema.get("readOnlyProperties", [])) or attr in _top_level(schema["primaryIdentifier"])

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if not self.has_cfn_attr(attribute_name):
            raise UnformattedGetAttTemplateException()
        value = self._value(attribute_name)
        if value is None:
            raise UnformattedGetAttTemplateException()
        return value

    def is_created(self) -> bool:
        return True

    def _replace_tags(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        studio.replace_tags(self.arn, properties.get("Tags"))


_DOMAIN_READ_ONLY = (
    "DomainArn",
    "DomainId",
    "Url",
    "HomeEfsFileSystemId",
    "SecurityGroupIdForDomainBoundary",
    "SingleSignOnManagedApplicationInstanceId",
    "SingleSignOnApplicationArn",
)


_IP_ADDRESS_TYPES = {"IPV4": "ipv4", "DUALSTACK": "dualstack"}
"""``DomainSettings.IpAddressType``: CloudFormation's schema spells the values in capitals, the API
(``IPAddressType``) in lower case; CloudFormation's handler passes the API's spelling."""


def _api_domain_settings(properties: Mapping[str, Any]) -> dict[str, Any]:
    """``properties`` with ``DomainSettings.IpAddressType`` in the API's spelling."""
    settings = properties.get("DomainSettings")
    if not isinstance(settings, Mapping) or "IpAddressType" not in settings:
        return dict(properties)
    value = settings["IpAddressType"]
    if value not in _IP_ADDRESS_TYPES:
        raise PropertyError(f"DomainSettings/IpAddressType: {value!r} is not one of {sorted(_IP_ADDRESS_TYPES)}")
    return {**properties, "DomainSettings": {**settings, "IpAddressType": _IP_ADDRESS_TYPES[value]}}


class Domain(StudioModel):
    TYPE = "AWS::SageMaker::Domain"
    NAME = "DomainName"

    @staticmethod
    def cloudformation_type() -> str:
        return Domain.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        request = to_api_request("CreateDomain", _api_domain_settings(properties), ignore=_DOMAIN_READ_ONLY)
        domain = studio.domains[studio.create_domain(request)["DomainId"]]
        return {k: domain[k] for k in _DOMAIN_READ_ONLY if k in domain}

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        updatable = ("DefaultUserSettings", "DefaultSpaceSettings", "AppSecurityGroupManagement", "SubnetIds",
                     "AppNetworkAccessType", "TagPropagation", "VpcId", "HomeEfsFileSystemCreation")  # fmt: skip
        request = to_api_request("UpdateDomain", {k: v for k, v in properties.items() if k in updatable})
        settings = _api_domain_settings(properties).get("DomainSettings")
        request["DomainSettingsForUpdate"] = (
            to_api_request(
                "UpdateDomain",
                settings,
                renames={"RStudioServerProDomainSettings": "RStudioServerProDomainSettingsForUpdate"},
                shape_name="DomainSettingsForUpdate",
            )
            if settings
            else {}
        )
        request["DomainId"] = self.identity["DomainId"]
        studio.update_domain(request, replace=True)
        self._replace_tags(studio, properties)

    def _delete(self, studio: StudioBackend) -> None:
        """CloudFormation's delete: ``RetentionPolicy`` left out (Retain). A domain already gone (the
        cleanup's DeleteDomain) is deleted: the handler contract answers NotFound, which a stack
        delete takes as done."""
        if self.identity["DomainId"] in studio.domains:
            studio.delete_domain({"DomainId": self.identity["DomainId"]})


class UserProfile(StudioModel):
    TYPE = "AWS::SageMaker::UserProfile"
    NAME = "UserProfileName"

    @staticmethod
    def cloudformation_type() -> str:
        return UserProfile.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        return studio.create_user_profile(to_api_request("CreateUserProfile", properties, ignore=("UserProfileArn",)))

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        request = to_api_request(
            "UpdateUserProfile", {k: properties[k] for k in ("DomainId", "UserProfileName", "UserSettings") if k in properties}
        )
        studio.update_user_profile(request, replace=True)
        self._replace_tags(studio, properties)

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_user_profile(
            {"DomainId": self.properties["DomainId"], "UserProfileName": self.properties["UserProfileName"]}
        )


class Space(StudioModel):
    TYPE = "AWS::SageMaker::Space"
    NAME = "SpaceName"

    @staticmethod
    def cloudformation_type() -> str:
        return Space.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        result = studio.create_space(to_api_request("CreateSpace", properties, ignore=("SpaceArn", "Url")))
        space = studio.spaces[(properties["DomainId"], properties["SpaceName"])]
        return {**result, "Url": space["Url"]}

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        keys = ("DomainId", "SpaceName", "SpaceSettings", "SpaceDisplayName")
        request = to_api_request("UpdateSpace", {k: properties[k] for k in keys if k in properties})
        studio.update_space(request, replace=True)
        self._replace_tags(studio, properties)

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_space({"DomainId": self.properties["DomainId"], "SpaceName": self.properties["SpaceName"]})


class StudioLifecycleConfig(StudioModel):
    TYPE = "AWS::SageMaker::StudioLifecycleConfig"
    NAME = "StudioLifecycleConfigName"

    @staticmethod
    def cloudformation_type() -> str:
        return StudioLifecycleConfig.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        request = to_api_request("CreateStudioLifecycleConfig", properties, ignore=("StudioLifecycleConfigArn",))
        return studio.create_studio_lifecycle_config(request)

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_studio_lifecycle_config({"StudioLifecycleConfigName": self.properties["StudioLifecycleConfigName"]})


_IMAGE_RENAMES = {"ImageDescription": "Description", "ImageDisplayName": "DisplayName", "ImageRoleArn": "RoleArn"}


class Image(StudioModel):
    TYPE = "AWS::SageMaker::Image"
    NAME = "ImageName"

    @staticmethod
    def cloudformation_type() -> str:
        return Image.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        return studio.create_image(to_api_request("CreateImage", properties, renames=_IMAGE_RENAMES, ignore=("ImageArn",)))

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        request = to_api_request(
            "UpdateImage", {k: v for k, v in properties.items() if k != "Tags"}, renames=_IMAGE_RENAMES, ignore=("ImageArn",)
        )
        removed = [
            _IMAGE_RENAMES[k] for k in ("ImageDescription", "ImageDisplayName") if k in self.properties and k not in properties
        ]
        if removed:
            request["DeleteProperties"] = removed
        studio.update_image(request)
        self._replace_tags(studio, properties)

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_image({"ImageName": self.properties["ImageName"]})


_VERSION_FIELDS = ("VendorGuidance", "JobType", "MLFramework", "ProgrammingLang", "Processor", "Horovod", "ReleaseNotes")
_VERSION_READ_ONLY = ("ImageVersionArn", "ImageArn", "Version", "ContainerImage")


class ImageVersion(StudioModel):
    TYPE = "AWS::SageMaker::ImageVersion"
    NAME = ""

    @staticmethod
    def cloudformation_type() -> str:
        return ImageVersion.TYPE

    @staticmethod
    def _aliases(properties: Mapping[str, Any]) -> list[str]:
        aliases = list(properties.get("Aliases") or [])
        if properties.get("Alias") and properties["Alias"] not in aliases:
            aliases.append(properties["Alias"])
        return aliases

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in properties.items() if k not in ("Alias", "Aliases")}
        request = to_api_request("CreateImageVersion", fields, ignore=_VERSION_READ_ONLY)
        request["ClientToken"] = str(uuid.uuid4())
        if cls._aliases(properties):
            request["Aliases"] = cls._aliases(properties)
        result = studio.create_image_version(request)
        version = studio.describe_image_version({"ImageName": properties["ImageName"]})
        return {**result, **{k: version[k] for k in ("ImageArn", "Version", "ContainerImage")}}

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        old, new = self._aliases(self.properties), self._aliases(properties)
        request: dict[str, Any] = {"ImageName": properties["ImageName"], "Version": self.identity["Version"]}
        request.update({k: properties[k] for k in _VERSION_FIELDS if k in properties})
        if [a for a in new if a not in old]:
            request["AliasesToAdd"] = [a for a in new if a not in old]
        if [a for a in old if a not in new]:
            request["AliasesToDelete"] = [a for a in old if a not in new]
        studio.update_image_version(coerce(service_model().operation_model("UpdateImageVersion").input_shape, request))

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_image_version({"ImageName": self.properties["ImageName"], "Version": self.identity["Version"]})


class AppImageConfig(StudioModel):
    TYPE = "AWS::SageMaker::AppImageConfig"
    NAME = "AppImageConfigName"

    @staticmethod
    def cloudformation_type() -> str:
        return AppImageConfig.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        request = to_api_request("CreateAppImageConfig", _container_env_as_map(properties), ignore=("AppImageConfigArn",))
        return studio.create_app_image_config(request)

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        request = to_api_request(
            "UpdateAppImageConfig",
            {k: v for k, v in _container_env_as_map(properties).items() if k != "Tags"},
            ignore=("AppImageConfigArn",),
        )
        studio.update_app_image_config(request, replace=True)
        self._replace_tags(studio, properties)

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_app_image_config({"AppImageConfigName": self.properties["AppImageConfigName"]})


def _container_env_as_map(properties: Mapping[str, Any]) -> dict[str, Any]:
    """CloudFormation lists ``ContainerEnvironmentVariables`` as ``[{Key, Value}]``; the API takes a map."""
    out = copy.deepcopy(dict(properties))
    for app in ("JupyterLabAppImageConfig", "CodeEditorAppImageConfig"):
        container = (out.get(app) or {}).get("ContainerConfig") or {}
        variables = container.get("ContainerEnvironmentVariables")
        if isinstance(variables, list):
            container["ContainerEnvironmentVariables"] = {v["Key"]: v["Value"] for v in variables}
    return out


class MlflowTrackingServer(StudioModel):
    TYPE = "AWS::SageMaker::MlflowTrackingServer"
    NAME = "TrackingServerName"

    @staticmethod
    def cloudformation_type() -> str:
        return MlflowTrackingServer.TYPE

    @classmethod
    def _create(cls, studio: StudioBackend, properties: Mapping[str, Any]) -> dict[str, Any]:
        request = to_api_request("CreateMlflowTrackingServer", properties, ignore=("TrackingServerArn",))
        return studio.create_mlflow_tracking_server(request)

    def _update(self, studio: StudioBackend, properties: Mapping[str, Any]) -> None:
        keys = (
            "TrackingServerName",
            "ArtifactStoreUri",
            "TrackingServerSize",
            "AutomaticModelRegistration",
            "WeeklyMaintenanceWindowStart",
        )
        changed_only_here = [k for k in ("MlflowVersion", "RoleArn") if self.properties.get(k) != properties.get(k)]
        if changed_only_here:
            raise PropertyError(f"{', '.join(changed_only_here)} of an MLflow tracking server cannot be updated through the API")
        studio.update_mlflow_tracking_server(
            to_api_request("UpdateMlflowTrackingServer", {k: properties[k] for k in keys if k in properties})
        )
        self._replace_tags(studio, properties)

    def _delete(self, studio: StudioBackend) -> None:
        studio.delete_mlflow_tracking_server({"TrackingServerName": self.properties["TrackingServerName"]})


STUDIO_MODELS: tuple[type[StudioModel], ...] = (
    Domain,
    UserProfile,
    Space,
    StudioLifecycleConfig,
    Image,
    ImageVersion,
    AppImageConfig,
    MlflowTrackingServer,
)


# -- other types the library's templates carry ---------------------------------------------------


class CdkMetadata(CloudFormationModel):
    """``AWS::CDK::Metadata``: CDK's version report; CloudFormation stores it and does nothing."""

    def __init__(self, logical_id: str) -> None:
        self.logical_id = logical_id
        self.id = f"{logical_id}-{uuid.uuid4()}"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CDK::Metadata"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CdkMetadata:
        return cls(kwargs.get("LogicalId", resource_name))

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: CdkMetadata,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CdkMetadata:
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        return None

    def delete(self, account_id: str, region_name: str) -> None:
        return None

    @property
    def physical_resource_id(self) -> str:
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    def is_created(self) -> bool:
        return True


class BucketPolicy(CloudFormationModel):
    """``AWS::S3::BucketPolicy``: the policy document of a bucket of moto's S3."""

    def __init__(self, bucket: str, logical_id: str) -> None:
        self.bucket = bucket
        self.id = f"{logical_id}-{uuid.uuid4().hex[:12]}"

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::S3::BucketPolicy"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def _s3(account_id: str, region_name: str) -> Any:
        from moto.s3.models import s3_backends
        from moto.utilities.utils import get_partition

        return s3_backends[account_id][get_partition(region_name)]

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> BucketPolicy:
        properties = cloudformation_json["Properties"]
        bucket = properties["Bucket"]
        cls._s3(account_id, region_name).put_bucket_policy(bucket, json.dumps(properties["PolicyDocument"]).encode())
        return cls(bucket, kwargs.get("LogicalId", resource_name))

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: BucketPolicy,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> BucketPolicy:
        document = cloudformation_json["Properties"]["PolicyDocument"]
        cls._s3(account_id, region_name).put_bucket_policy(original_resource.bucket, json.dumps(document).encode())
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        raise NotImplementedError("the engine deletes bucket policies through delete()")

    def delete(self, account_id: str, region_name: str) -> None:
        self._s3(account_id, region_name).delete_bucket_policy(self.bucket)

    @property
    def physical_resource_id(self) -> str:
        return self.id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return False

    def is_created(self) -> bool:
        return True


class _SecurityGroupRule(CloudFormationModel):
    """A security group rule as its own resource, with its description kept for a rule from a group."""

    EGRESS: ClassVar[bool] = False

    def __init__(self, rule_id: str, group_id: str, properties: Mapping[str, Any]) -> None:
        self.rule_id = rule_id
        self.group_id = group_id
        self.properties = dict(properties)

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    @staticmethod
    def _ec2(account_id: str, region_name: str) -> Any:
        from moto.ec2.models import ec2_backends

        return ec2_backends[account_id][region_name]

    @classmethod
    def _arguments(cls, ec2: Any, properties: Mapping[str, Any]) -> dict[str, Any]:
        group_id = properties.get("GroupId")
        if not group_id and properties.get("GroupName"):
            group_id = ec2.get_security_group_by_name_or_id(properties["GroupName"], None).id
        description = properties.get("Description")
        ip_ranges = []
        source_groups = []
        peer = properties.get("DestinationSecurityGroupId") if cls.EGRESS else properties.get("SourceSecurityGroupId")
        if properties.get("CidrIp"):
            ip_ranges.append({"CidrIp": properties["CidrIp"], **({"Description": description} if description else {})})
        if properties.get("CidrIpv6"):
            ip_ranges.append({"CidrIpv6": properties["CidrIpv6"], **({"Description": description} if description else {})})
        if peer:
            source_groups.append({"GroupId": peer, **({"Description": description} if description else {})})
        if not cls.EGRESS and properties.get("SourceSecurityGroupName"):
            source_groups.append(
                {"GroupName": properties["SourceSecurityGroupName"], **({"Description": description} if description else {})}
            )
        if not (ip_ranges or source_groups or properties.get("SourcePrefixListId") or properties.get("DestinationPrefixListId")):
            raise PropertyError("A security group rule needs a CIDR range, a peer security group or a prefix list")
        prefix = properties.get("DestinationPrefixListId") if cls.EGRESS else properties.get("SourcePrefixListId")
        return {
            "group_name_or_id": group_id,
            "ip_protocol": str(properties["IpProtocol"]),
            "from_port": properties.get("FromPort", -1 if str(properties["IpProtocol"]) == "-1" else None),
            "to_port": properties.get("ToPort", -1 if str(properties["IpProtocol"]) == "-1" else None),
            "ip_ranges": ip_ranges,
            "source_groups": source_groups,
            "prefix_list_ids": [{"PrefixListId": prefix, **({"Description": description} if description else {})}]
            if prefix
            else [],
        }

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> _SecurityGroupRule:
        properties = cloudformation_json["Properties"]
        ec2 = cls._ec2(account_id, region_name)
        arguments = cls._arguments(ec2, properties)
        authorize = ec2.authorize_security_group_egress if cls.EGRESS else ec2.authorize_security_group_ingress
        rules, group = authorize(**arguments)
        return cls(rules[0].id, group.id, properties)

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: _SecurityGroupRule,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> _SecurityGroupRule:
        properties = cloudformation_json["Properties"]
        changed = {
            k
            for k in set(properties) | set(original_resource.properties)
            if properties.get(k) != original_resource.properties.get(k)
        }
        if changed - {"Description"}:
            raise PropertyError(f"{', '.join(sorted(changed - {'Description'}))} of a security group rule cannot change in place")
        ec2 = cls._ec2(account_id, region_name)
        update = (
            ec2.update_security_group_rule_descriptions_egress
            if cls.EGRESS
            else ec2.update_security_group_rule_descriptions_ingress
        )
        update(**cls._arguments(ec2, properties))
        original_resource.properties = dict(properties)
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str
    ) -> None:
        raise NotImplementedError("the engine deletes security group rules through delete()")

    def delete(self, account_id: str, region_name: str) -> None:
        ec2 = self._ec2(account_id, region_name)
        arguments = self._arguments(ec2, self.properties)
        revoke = ec2.revoke_security_group_egress if self.EGRESS else ec2.revoke_security_group_ingress
        revoke(**arguments)

    @property
    def physical_resource_id(self) -> str:
        return self.rule_id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return attr == "Id"

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name == "Id":
            return self.rule_id
        raise UnformattedGetAttTemplateException()

    def is_created(self) -> bool:
        return True


class SecurityGroupIngress(_SecurityGroupRule):
    EGRESS = False

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::SecurityGroupIngress"


class SecurityGroupEgress(_SecurityGroupRule):
    EGRESS = True

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::EC2::SecurityGroupEgress"


EXTRA_MODELS: tuple[type[CloudFormationModel], ...] = (
    *STUDIO_MODELS,
    CdkMetadata,
    BucketPolicy,
    SecurityGroupIngress,
    SecurityGroupEgress,
)
"""Every model this module adds or replaces, by CloudFormation type."""
