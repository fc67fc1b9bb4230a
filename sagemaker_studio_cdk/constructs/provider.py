"""What every custom resource of the library built on CDK's provider framework shares."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import CfnResource, Duration, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import custom_resources as cr
from constructs import Construct, IConstruct

from ..policies.nag import acknowledge, acknowledge_inline_policy


def handler_provider(
    scope: Construct,
    *,
    module: str,
    code: lambda_.Code,
    role: iam.IRole,
    log_group: logs.ILogGroup,
    memory_size: int,
    description: str,
    query_interval: Duration,
    total_timeout: Duration,
) -> tuple[list[lambda_.Function], cr.Provider]:
    """A handler module of this package behind CDK's provider framework: its ``on_event`` and
    ``is_complete`` functions (``OnEvent``, ``IsComplete`` in ``scope``) running as ``role`` and
    logging to ``log_group``, and the ``Provider`` whose waiter polls ``is_complete``."""
    functions = [
        lambda_.Function(
            scope,
            construct_id,
            runtime=lambda_.Runtime.PYTHON_3_14,
            handler=f"{module}.{handler}",
            code=code,
            role=role,
            timeout=Duration.minutes(5),
            memory_size=memory_size,
            log_group=log_group,
            description=f"{description}: {handler}",
        )
        for construct_id, handler in (("OnEvent", "on_event"), ("IsComplete", "is_complete"))
    ]
    provider = cr.Provider(
        scope,
        "Provider",
        on_event_handler=functions[0],
        is_complete_handler=functions[1],
        query_interval=query_interval,
        total_timeout=total_timeout,
        log_group=log_group,
    )
    return functions, provider


def drop_redundant_role_dependencies(provider: cr.Provider, functions: Sequence[lambda_.Function]) -> None:
    """aws-cdk-lib's functions and the waiter state machine also ``DependsOn`` the role their
    ``Role`` already references, which cfn-lint reports (W3005); keep only the dependency on the
    role's policy. ``functions``: the user functions given to ``provider``."""
    stack = Stack.of(provider)
    pairs: list[tuple[IConstruct, IConstruct]] = []
    for name in ("onEvent", "isComplete", "onTimeout"):
        framework = provider.node.try_find_child(f"framework-{name}")
        if framework is not None:
            pairs.append((framework, framework.node.find_child("ServiceRole")))
    pairs += [(f, f.role) for f in functions if f.role is not None]
    waiter = provider.node.try_find_child("waiter-state-machine")
    if waiter is not None:
        pairs.append((waiter, waiter.node.find_child("Role")))
    for owner, role in pairs:
        resource = owner.node.default_child
        assert isinstance(resource, CfnResource)
        policy = role.node.try_find_child("DefaultPolicy")
        policy_resource = policy.node.default_child if policy is not None else None
        if isinstance(policy_resource, CfnResource):
            resource.add_override("DependsOn", [stack.get_logical_id(policy_resource)])
        else:
            resource.add_deletion_override("DependsOn")


_PROVIDER_FINDINGS: tuple[tuple[str, str], ...] = (
    ("AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
     "framework-managed-policy"),
    ("AwsSolutions-SF1", "waiter-logs"),
    ("AwsSolutions-SF2", "waiter-tracing"),
    ("NIST.800.53.R5-CloudWatchLogGroupEncrypted", "log-encryption"),
    ("HIPAA.Security-CloudWatchLogGroupEncrypted", "log-encryption"),
    ("NIST.800.53.R5-LambdaConcurrency", "concurrency"),
    ("HIPAA.Security-LambdaConcurrency", "concurrency"),
    ("NIST.800.53.R5-LambdaDLQ", "dlq"),
    ("HIPAA.Security-LambdaDLQ", "dlq"),
    ("NIST.800.53.R5-LambdaInsideVPC", "vpc"),
    ("HIPAA.Security-LambdaInsideVPC", "vpc"),
)  # fmt: skip
"""The cdk-nag findings every provider-framework custom resource of the library acknowledges."""


def acknowledge_provider_findings(
    owner: IConstruct,
    provider: cr.Provider,
    functions: Sequence[lambda_.Function],
    *,
    what: str,
    logs_hold: str,
    calls: str,
) -> None:
    """Acknowledge, on ``owner``, the cdk-nag findings of a custom resource behind CDK's provider
    framework, with the reasons that hold for all of them.

    :param what: the custom resource, for the reasons ("the domain cleanup").
    :param logs_hold: what its logs hold ("names and states of profiles, spaces and apps").
    :param calls: the AWS APIs its functions call ("SageMaker, CloudFormation").
    """
    reasons = {
        "framework-managed-policy": (
            "The provider framework's own functions (made by aws-cdk-lib) get AWSLambdaBasicExecutionRole, which "
            "allows only creating and writing their own log groups and streams."
        ),
        "waiter-logs": (
            "The waiter state machine only retries the is-complete function; every attempt is logged by that "
            "function, and the stack's events show the outcome."
        ),
        "waiter-tracing": "The waiter makes one Lambda call per attempt; its trace would show nothing the logs do not.",
        "log-encryption": (
            f"The logs of {what} hold {logs_hold}, never users' files or artifacts; CloudWatch Logs encrypts them at "
            "rest, and a customer key would need a key policy for the logs service in every Region."
        ),
        "concurrency": f"The functions run only when CloudFormation sends an event for {what}, one operation at a time.",
        "dlq": (
            "Every failure is reported to CloudFormation, which shows it in the stack's events and rolls back; a "
            "dead-letter queue would hold events nobody can replay."
        ),
        "vpc": f"The functions call only the {calls} APIs and reach nothing in a VPC.",
    }
    for finding_id, reason in _PROVIDER_FINDINGS:
        acknowledge(owner, finding_id, reasons[reason])
    acknowledge_inline_policy(provider)
    stack = Stack.of(owner)
    invoked: list[IConstruct] = [*functions]
    invoked += [provider.node.find_child(f"framework-{name}") for name in ("isComplete", "onTimeout")]
    for function in invoked:
        resource = function.node.default_child
        assert isinstance(resource, lambda_.CfnFunction)
        acknowledge(
            provider,
            f"AwsSolutions-IAM5[Resource::<{stack.get_logical_id(resource)}.Arn>:*]",
            f"aws-cdk-lib's provider framework may invoke the functions of {what} and their versions and aliases "
            "(<function ARN>:*), nothing else.",
        )
