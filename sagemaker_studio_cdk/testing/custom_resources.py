"""Custom resources whose handlers run in-process, instead of moto waiting for a Lambda.

moto runs a custom resource's Lambda in Docker and waits for its answer; without Docker it waits
forever. Here a ``Custom::*`` or ``AWS::CloudFormation::CustomResource`` resource calls a Python
handler directly, with the event CloudFormation sends::

    {"RequestType": "Create" | "Update" | "Delete", "ResourceProperties": {...},
     "OldResourceProperties": {...}, "PhysicalResourceId": "...", "LogicalResourceId": "...",
     "ResourceType": "Custom::...", "StackId": "...", "RequestId": "...", "ServiceToken": "..."}

and takes its answer as the CDK provider framework's ``onEvent`` does: a mapping with
``PhysicalResourceId`` (default: the request id on create, the current id otherwise) and
``Data`` (the attributes ``Fn::GetAtt`` reads); an exception fails the resource with its message.

The handler is found, in order:

1. registered for the resource type (``register_handler("Custom::StudioCanvas", fn)``);
2. registered for the Lambda handler string of the function the ``ServiceToken`` names
   (``register_handler("index.on_event", fn)``); behind CDK's provider framework, that is the
   user function the framework calls (``USER_ON_EVENT_FUNCTION_ARN``);
3. the library's own: a handler string ``module.function`` names
   ``sagemaker_studio_cdk.handlers.module.function`` when that module exists.

Anything else fails the resource at once, naming what to register.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from moto.cloudformation.exceptions import UnformattedGetAttTemplateException, ValidationError
from moto.core.common_models import CloudFormationModel

Handler = Callable[[dict[str, Any], Any], Mapping[str, Any] | None]

_HANDLERS: dict[str, Handler] = {}


def register_handler(name: str, handler: Handler) -> None:
    """Run ``handler`` for custom resources of type ``name`` (``Custom::...``), or for those whose
    ``ServiceToken`` names a Lambda function with handler string ``name`` (``index.on_event``)."""
    _HANDLERS[name] = handler


def unregister_handler(name: str) -> None:
    """Forget what :func:`register_handler` registered under ``name``."""
    _HANDLERS.pop(name, None)


class LambdaContext:
    """The parts of a Lambda context object handlers commonly read."""

    def __init__(self, function_name: str) -> None:
        self.function_name = function_name
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.memory_limit_in_mb = 128

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 900_000


def _lambda_handler_string(service_token: str, account_id: str, region_name: str) -> tuple[str | None, str]:
    """The handler string and name of the function a service token names (behind CDK's provider
    framework, of the user function it calls)."""
    if ":function:" not in service_token:
        return None, service_token
    from moto.awslambda.models import lambda_backends

    backend = lambda_backends[account_id][region_name]
    try:
        function = backend.get_function(service_token)
    except Exception:
        return None, service_token
    user = (function.environment_vars or {}).get("USER_ON_EVENT_FUNCTION_ARN")
    if user:
        try:
            function = backend.get_function(user)
        except Exception:
            return None, user
    return function.handler, function.function_name


def find_handler(resource_type: str, service_token: str, account_id: str, region_name: str) -> tuple[Handler, str]:
    """The in-process handler of a custom resource, and a function name for its context."""
    if resource_type in _HANDLERS:
        return _HANDLERS[resource_type], resource_type
    handler_string, function_name = _lambda_handler_string(service_token, account_id, region_name)
    if handler_string and handler_string in _HANDLERS:
        return _HANDLERS[handler_string], function_name
    if handler_string and "." in handler_string:
        module_name, function = handler_string.rsplit(".", 1)
        try:
            module = importlib.import_module(f"sagemaker_studio_cdk.handlers.{module_name}")
        except ImportError:
            module = None
        if module is not None and callable(getattr(module, function, None)):
            return getattr(module, function), function_name
    raise ValidationError(
        message=(
            f"Custom resource {resource_type} (ServiceToken {service_token}, handler {handler_string or 'unknown'}) has no "
            "in-process handler: register one with sagemaker_studio_cdk.testing.register_handler"
        )
    )


class CustomResource(CloudFormationModel):
    """A ``Custom::*`` or ``AWS::CloudFormation::CustomResource`` resource."""

    def __init__(self, resource_type: str, logical_id: str, stack_id: str, properties: Mapping[str, Any]) -> None:
        self.resource_type = resource_type
        self.logical_id = logical_id
        self.stack_id = stack_id
        self.properties = dict(properties)
        self.physical_id = ""
        self.data: dict[str, Any] = {}

    @staticmethod
    def cloudformation_type() -> str:
        return "AWS::CloudFormation::CustomResource"

    @staticmethod
    def cloudformation_name_type() -> str:
        return ""

    def _call(
        self, request_type: str, account_id: str, region_name: str, old: Mapping[str, Any] | None = None
    ) -> Mapping[str, Any]:
        token = str(self.properties.get("ServiceToken", ""))
        handler, function_name = find_handler(self.resource_type, token, account_id, region_name)
        request_id = str(uuid.uuid4())
        event: dict[str, Any] = {
            "RequestType": request_type,
            "ServiceToken": token,
            "ResponseURL": "in-process://sagemaker-studio-cdk.testing",
            "StackId": self.stack_id,
            "RequestId": request_id,
            "LogicalResourceId": self.logical_id,
            "ResourceType": self.resource_type,
            "ResourceProperties": dict(self.properties),
        }
        if request_type != "Create":
            event["PhysicalResourceId"] = self.physical_id
        if old is not None:
            event["OldResourceProperties"] = dict(old)
        result = handler(event, LambdaContext(function_name)) or {}
        if result.get("Status") == "FAILED":
            raise ValidationError(message=str(result.get("Reason") or "the custom resource handler answered FAILED"))
        physical = result.get("PhysicalResourceId") or (request_id if request_type == "Create" else self.physical_id)
        return {"PhysicalResourceId": str(physical), "Data": dict(result.get("Data") or {})}

    @classmethod
    def create_from_cloudformation_json(
        cls, resource_name: str, cloudformation_json: dict[str, Any], account_id: str, region_name: str, **kwargs: Any
    ) -> CustomResource:
        resource = cls(
            kwargs.get("ResourceType", cloudformation_json.get("Type", "AWS::CloudFormation::CustomResource")),
            kwargs.get("LogicalId", resource_name),
            kwargs.get("StackId", ""),
            cloudformation_json.get("Properties") or {},
        )
        answer = resource._call("Create", account_id, region_name)
        resource.physical_id, resource.data = answer["PhysicalResourceId"], answer["Data"]
        return resource

    @classmethod
    def update_from_cloudformation_json(
        cls,
        original_resource: CustomResource,
        new_resource_name: str,
        cloudformation_json: dict[str, Any],
        account_id: str,
        region_name: str,
    ) -> CustomResource:
        old = dict(original_resource.properties)
        original_resource.properties = dict(cloudformation_json.get("Properties") or {})
        answer = original_resource._call("Update", account_id, region_name, old)
        if answer["PhysicalResourceId"] != original_resource.physical_id:
            # A new physical id means the handler replaced the resource: the old one gets a Delete.
            previous = cls(original_resource.resource_type, original_resource.logical_id, original_resource.stack_id, old)
            previous.physical_id = original_resource.physical_id
            previous._call("Delete", account_id, region_name)
        original_resource.physical_id, original_resource.data = answer["PhysicalResourceId"], answer["Data"]
        return original_resource

    @classmethod
    def delete_from_cloudformation_json(cls, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError("the engine deletes custom resources through delete()")

    def delete(self, account_id: str, region_name: str) -> None:
        self._call("Delete", account_id, region_name)

    @property
    def physical_resource_id(self) -> str:
        return self.physical_id

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str) -> Any:
        if attribute_name not in self.data:
            raise UnformattedGetAttTemplateException()
        return self.data[attribute_name]

    def is_created(self) -> bool:
        return True
