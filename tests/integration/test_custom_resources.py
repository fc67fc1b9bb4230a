"""Custom resources run their handlers in-process: a small in-repo handler behind a Lambda-backed
``CustomResource`` is called for create, update and delete, and a custom resource nobody handles
fails the deployment at once instead of leaving moto waiting for a Lambda."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import CfnOutput, CustomResource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from sagemaker_studio_cdk.testing import DeploymentFailed, StudioMoto, register_handler, unregister_handler
from tests.support import new_app

HANDLER = "index.on_event"
CALLS: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = []


def on_event(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The in-repo handler: echoes its ``Value`` upper-cased, one physical id per value."""
    assert context.function_name
    properties = event["ResourceProperties"]
    CALLS.append(
        (event["RequestType"], {k: v for k, v in properties.items() if k != "ServiceToken"}, event.get("OldResourceProperties"))
    )
    if event["RequestType"] == "Delete":
        return {}
    return {"PhysicalResourceId": f"echo-{properties['Value']}", "Data": {"Echo": properties["Value"].upper()}}


def _assembly(value: str, resource_type: str = "Custom::StudioEcho") -> Path:
    app = new_app()
    stack = Stack(app, "Echo")
    role = iam.CfnRole(
        stack,
        "HandlerRole",
        assume_role_policy_document={
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
        },
    )
    function = lambda_.CfnFunction(  # L1: the L2 adds a DependsOn that cfn-lint flags (W3005)
        stack,
        "Handler",
        runtime="python3.12",
        handler=HANDLER,
        role=role.attr_arn,
        code=lambda_.CfnFunction.CodeProperty(zip_file="def on_event(event, context):\n    raise NotImplementedError\n"),
    )
    echo = CustomResource(
        stack, "Echo", service_token=function.attr_arn, resource_type=resource_type, properties={"Value": value}
    )
    CfnOutput(stack, "Echoed", value=echo.get_att_string("Echo"))
    return Path(app.synth().directory)


@pytest.fixture
def handler() -> Any:
    CALLS.clear()
    register_handler(HANDLER, on_event)
    yield CALLS
    unregister_handler(HANDLER)


def test_custom_resource_handler_runs_for_create_update_and_delete(studio_moto: StudioMoto, handler: Any) -> None:
    deployer = studio_moto.deployer()
    deployer.bootstrap()
    deployer.deploy(_assembly("one"))
    assert deployer.outputs("Echo")["Echoed"] == "ONE"
    assert handler == [("Create", {"Value": "one"}, None)]

    deployer.deploy(_assembly("two"))
    assert deployer.outputs("Echo")["Echoed"] == "TWO"
    echoes = [r for r in deployer.resources("Echo").values() if r["ResourceType"] == "Custom::StudioEcho"]
    assert [r["PhysicalResourceId"] for r in echoes] == ["echo-two"]
    update = handler[1]
    assert update[0] == "Update" and update[1] == {"Value": "two"} and update[2] is not None and update[2]["Value"] == "one"
    assert handler[2][0] == "Delete"  # a new physical id: the old resource is deleted

    deployer.destroy(_assembly("two"))
    assert handler[-1] == ("Delete", {"Value": "two"}, None)


def test_custom_resource_without_handler_fails_instead_of_hanging(studio_moto: StudioMoto) -> None:
    deployer = studio_moto.deployer()
    deployer.bootstrap()
    with pytest.raises(DeploymentFailed) as failed:
        deployer.deploy(_assembly("one", resource_type="Custom::Unhandled"))
    assert failed.value.status == "ROLLBACK_COMPLETE"
    assert any("has no in-process handler" in reason for reason in failed.value.reasons)


def test_behind_cdks_provider_framework_the_user_function_handles(studio_moto: StudioMoto, handler: Any) -> None:
    """The provider framework's Lambda names the user's function in USER_ON_EVENT_FUNCTION_ARN."""

    def function(name: str, handler_string: str, environment: dict[str, Any] | None = None) -> dict[str, Any]:
        properties: dict[str, Any] = {
            "FunctionName": name,
            "Runtime": "python3.12",
            "Handler": handler_string,
            "Role": {"Fn::GetAtt": ["Role", "Arn"]},
            "Code": {"ZipFile": "def handler(event, context):\n    raise NotImplementedError\n"},
        }
        if environment:
            properties["Environment"] = {"Variables": environment}
        return {"Type": "AWS::Lambda::Function", "Properties": properties}

    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    template = {
        "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust}},
            "User": function("user-on-event", HANDLER),
            "Framework": function(
                "framework", "framework.onEvent", {"USER_ON_EVENT_FUNCTION_ARN": {"Fn::GetAtt": ["User", "Arn"]}}
            ),
            "Echo": {
                "Type": "AWS::CloudFormation::CustomResource",
                "Properties": {"ServiceToken": {"Fn::GetAtt": ["Framework", "Arn"]}, "Value": "framed"},
            },
        },
        "Outputs": {"Echoed": {"Value": {"Fn::GetAtt": ["Echo", "Echo"]}}},
    }
    cloudformation = studio_moto.client("cloudformation")
    cloudformation.create_stack(StackName="framework", TemplateBody=json.dumps(template))
    stack = cloudformation.describe_stacks(StackName="framework")["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    assert stack["Outputs"][0]["OutputValue"] == "FRAMED"
    assert handler == [("Create", {"Value": "framed"}, None)]


def test_the_provider_frameworks_waiter_asks_is_complete_until_done_or_timed_out(studio_moto: StudioMoto) -> None:
    """CDK's Provider with an is-complete handler: the waiter's retries (its state machine's
    MaxAttempts, from total_timeout / query_interval) bound the calls; Data is merged."""
    from aws_cdk import Duration
    from aws_cdk import custom_resources as cr

    from sagemaker_studio_cdk.constructs.provider import drop_redundant_role_dependencies

    polls: list[str] = []

    def on_event(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"PhysicalResourceId": "waited", "Data": {"Started": "yes"}}

    def is_complete(event: dict[str, Any], context: Any) -> dict[str, Any]:
        polls.append(event["PhysicalResourceId"])
        done = len(polls) >= int(event["ResourceProperties"]["Polls"])
        return {"IsComplete": True, "Data": {"Polls": str(len(polls))}} if done else {"IsComplete": False}

    def assembly(needed: int) -> Path:
        app = new_app()
        stack = Stack(app, "Waited")
        code = lambda_.Code.from_inline("def handler(event, context):\n    raise NotImplementedError\n")
        functions = [
            lambda_.Function(stack, name, runtime=lambda_.Runtime.PYTHON_3_14, handler=f"waiter_probe.{name}", code=code)
            for name in ("on_event", "is_complete")
        ]
        provider = cr.Provider(
            stack,
            "Provider",
            on_event_handler=functions[0],
            is_complete_handler=functions[1],
            query_interval=Duration.minutes(1),
            total_timeout=Duration.minutes(3),
        )
        resource = CustomResource(stack, "Waited", service_token=provider.service_token, properties={"Polls": str(needed)})
        drop_redundant_role_dependencies(provider, functions)
        CfnOutput(stack, "Polls", value=resource.get_att_string("Polls"))
        CfnOutput(stack, "Started", value=resource.get_att_string("Started"))
        return Path(app.synth().directory)

    register_handler("waiter_probe.on_event", on_event)
    register_handler("waiter_probe.is_complete", is_complete)
    try:
        deployer = studio_moto.deployer()
        deployer.bootstrap()
        deployer.deploy(assembly(3))
        assert deployer.outputs("Waited") == {"Polls": "3", "Started": "yes"}
        deployer.destroy(assembly(3))
        polls.clear()
        with pytest.raises(DeploymentFailed) as failed:
            deployer.deploy(assembly(10))
        assert len(polls) == 4  # the first call, then MaxAttempts = 3 minutes / 1 minute retries
        assert any("Operation timed out" in reason for reason in failed.value.reasons)
    finally:
        unregister_handler("waiter_probe.on_event")
        unregister_handler("waiter_probe.is_complete")
