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

Behind CDK's provider framework with an ``isCompleteHandler`` (``USER_IS_COMPLETE_FUNCTION_ARN``),
the framework's waiter runs in-process too: the is-complete handler (found the same way) gets the
event merged with the on-event answer, first at once and then once per retry of the waiter state
machine's definition (``MaxAttempts``, no waiting between calls), until it answers
``{"IsComplete": true}`` (its ``Data`` merged into the on-event's); when the attempts run out the
resource fails with the framework's reason, "Operation timed out".

Handlers call AWS with plain boto3 clients. While one runs, moto's in-process interception is on
(under ``mock_aws`` it already is; in a moto server of this process it is turned on for the call,
without resetting anything), the region is the stack's, and credentials are moto's fake ones, so
a handler reaches the same moto backends as the stack, never AWS.
"""

from __future__ import annotations

import importlib
import json
import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Target:
    """What answers a custom resource: its handler, and behind the provider framework with an
    is-complete handler, that handler and how often the waiter asks it."""

    handler: Handler
    function_name: str
    is_complete: Handler | None = None
    max_attempts: int = 0


def _function(backend: Any, arn: str) -> Any:
    try:
        return backend.get_function(arn)
    except Exception:
        return None


def _lookup(handler_string: str | None) -> Handler | None:
    """A registered handler, or the library's own (``module.function`` in ``handlers``)."""
    if not handler_string:
        return None
    if handler_string in _HANDLERS:
        return _HANDLERS[handler_string]
    if "." in handler_string:
        module_name, function = handler_string.rsplit(".", 1)
        try:
            module = importlib.import_module(f"sagemaker_studio_cdk.handlers.{module_name}")
        except ImportError:
            return None
        found = getattr(module, function, None)
        if callable(found):
            return found  # type: ignore[no-any-return]
    return None


def _waiter_attempts(state_machine_arn: str | None, account_id: str, region_name: str) -> int:
    """``MaxAttempts`` of the provider framework's waiter (its is-complete task's retry)."""
    if not state_machine_arn:
        return 0
    from moto.stepfunctions.models import stepfunctions_backends

    try:
        machine = stepfunctions_backends[account_id][region_name].describe_state_machine(state_machine_arn)
        states = json.loads(machine.definition)["States"]
    except Exception:
        return 0
    retries = [r for state in states.values() for r in state.get("Retry", [])]
    return max((int(r.get("MaxAttempts", 0)) for r in retries), default=0)


def find_target(resource_type: str, service_token: str, account_id: str, region_name: str) -> Target:
    """The in-process handler(s) of a custom resource."""
    if resource_type in _HANDLERS:
        return Target(_HANDLERS[resource_type], resource_type)
    handler_string: str | None = None
    function_name = service_token
    is_complete: Handler | None = None
    attempts = 0
    if ":function:" in service_token:
        from moto.awslambda.models import lambda_backends

        backend = lambda_backends[account_id][region_name]
        function = _function(backend, service_token)
        if function is not None:
            environment = function.environment_vars or {}
            user_arn = environment.get("USER_ON_EVENT_FUNCTION_ARN")
            user = _function(backend, user_arn) if user_arn else function
            if user is not None:
                handler_string, function_name = user.handler, user.function_name
            complete_arn = environment.get("USER_IS_COMPLETE_FUNCTION_ARN")
            if complete_arn:
                complete = _function(backend, complete_arn)
                is_complete = _lookup(complete.handler if complete is not None else None)
                if is_complete is None:
                    raise ValidationError(
                        message=f"Custom resource {resource_type}: the provider framework's is-complete function "
                        f"{complete_arn} has no in-process handler: register one with "
                        "sagemaker_studio_cdk.testing.register_handler"
                    )
                attempts = _waiter_attempts(environment.get("WAITER_STATE_MACHINE_ARN"), account_id, region_name)
    handler = _lookup(handler_string)
    if handler is None:
        raise ValidationError(
            message=(
                f"Custom resource {resource_type} (ServiceToken {service_token}, handler {handler_string or 'unknown'}) has "
                "no in-process handler: register one with sagemaker_studio_cdk.testing.register_handler"
            )
        )
    return Target(handler, function_name, is_complete, attempts)


def find_handler(resource_type: str, service_token: str, account_id: str, region_name: str) -> tuple[Handler, str]:
    """The in-process handler of a custom resource, and a function name for its context."""
    target = find_target(resource_type, service_token, account_id, region_name)
    return target.handler, target.function_name


@contextmanager
def reaching_moto(region_name: str) -> Iterator[None]:
    """boto3 clients made inside the block reach this process's moto backends in ``region_name``."""
    from moto import mock_aws

    saved = {k: os.environ.get(k) for k in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    mock = mock_aws()
    mock.start(reset=False)
    os.environ["AWS_REGION"] = os.environ["AWS_DEFAULT_REGION"] = region_name
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        mock.stop(remove_data=False)


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
        target = find_target(self.resource_type, token, account_id, region_name)
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
        context = LambdaContext(target.function_name)
        with reaching_moto(region_name):
            result = dict(target.handler(event, context) or {})
            if result.get("Status") == "FAILED":
                raise ValidationError(message=str(result.get("Reason") or "the custom resource handler answered FAILED"))
            physical = result.get("PhysicalResourceId") or (request_id if request_type == "Create" else self.physical_id)
            if request_type == "Delete" and str(physical) != self.physical_id:
                raise ValidationError(
                    message=f'DELETE: cannot change the physical resource ID from "{self.physical_id}" to "{physical}"'
                )
            data = dict(result.get("Data") or {})
            if target.is_complete is not None:
                data = self._wait(target, {**event, **result, "PhysicalResourceId": str(physical)}, context, data)
        return {"PhysicalResourceId": str(physical), "Data": data}

    @staticmethod
    def _wait(target: Target, event: dict[str, Any], context: Any, data: dict[str, Any]) -> dict[str, Any]:
        """The provider framework's waiter: the first call at once, then one per retry."""
        assert target.is_complete is not None
        for _ in range(target.max_attempts + 1):
            answer = dict(target.is_complete(event, context) or {})
            if answer.get("IsComplete"):
                return {**data, **dict(answer.get("Data") or {})}
            if answer.get("Data"):
                raise ValidationError(message='"Data" is not allowed if "IsComplete" is "False"')
        raise ValidationError(message="Operation timed out")

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
