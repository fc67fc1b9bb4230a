"""IAM for RStudio on SageMaker: the domain execution role of the ``RStudioServerPro`` app.

SageMaker runs one ``RStudioServerPro`` app per domain (under the special profile
``domain-shared``) as ``DomainSettings.RStudioServerProDomainSettings.DomainExecutionRoleArn``.
AWS's guide (``rstudio-create-cli``) gives that role License Manager actions (the Posit Workbench
license check-out), CloudWatch Logs delivery, and ``sagemaker:CreateApp`` so SageMaker can start the
server app again when it is deleted or failed. The library gives:

- **License**: ``ExtendLicenseConsumption``, ``ListReceivedLicenses``, ``GetLicense``,
  ``CheckoutLicense``, ``CheckInLicense``. License Manager's grants and received licenses carry
  ids made by License Manager (and Posit's grant), so ``*``.
- **Logs**: writing to SageMaker's log groups (``/aws/sagemaker/*``) and the log-delivery calls, which
  have no resource type. AWS's example also lists ``logs:PutResourcePolicy`` (an account-wide
  resource policy); it is left out here: a missing log delivery shows in the server's logs, an
  account-wide policy change by the server does not.
- **Server app**: ``sagemaker:CreateApp`` on ``app/<domain id>/domain-shared/rstudioserverpro/*`` of
  this domain only, and ``sagemaker:AddTags`` there while creating it (Studio tags what it
  creates). SageMaker lower-cases the names in app ARNs *(observed in AWS's examples, not
  documented as a rule)*; IAM matches ARNs case-sensitively, so the ``RStudioServerPro`` spelling is
  granted too. A deny keeps the role out of every space: ``CreateApp`` carries
  ``sagemaker:SpaceSharingType`` only for an app in a space, and the server app is in none.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

LICENSE: tuple[str, ...] = (
    "license-manager:ExtendLicenseConsumption",
    "license-manager:ListReceivedLicenses",
    "license-manager:GetLicense",
    "license-manager:CheckoutLicense",
    "license-manager:CheckInLicense",
)
"""Checking the Posit Workbench license out and in (AWS's ``rstudio-create-cli`` guide)."""

LOG_WRITES: tuple[str, ...] = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogStreams",
    "logs:GetLogEvents",
)
"""Writing (and reading back) the server's logs in SageMaker's log groups."""

LOG_DELIVERY: tuple[str, ...] = (
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:DescribeLogGroups",
)
"""Log-delivery calls; none has a resource type, so IAM accepts only ``*``."""

SERVER_APP: tuple[str, ...] = ("sagemaker:CreateApp",)
"""Starting the domain's ``RStudioServerPro`` app again."""

SERVER_PROFILE = "domain-shared"
"""The profile SageMaker launches the ``RStudioServerPro`` app under."""


def rstudio_domain_statements(*, partition: str, region: str, account: str) -> list[iam.PolicyStatement]:
    """License Manager and logs: what the server app needs from its first start (so these go into the
    role itself, before the domain exists)."""
    return [
        iam.PolicyStatement(sid="RStudioLicense", actions=list(LICENSE), resources=["*"]),
        iam.PolicyStatement(
            sid="RStudioLogs",
            actions=list(LOG_WRITES),
            resources=[f"arn:{partition}:logs:{region}:{account}:log-group:/aws/sagemaker/*"],
        ),
        iam.PolicyStatement(sid="RStudioLogDelivery", actions=list(LOG_DELIVERY), resources=["*"]),
    ]


def server_app_arns(*, partition: str, region: str, account: str, domain_id: str) -> list[str]:
    """The ARN patterns of the domain's ``RStudioServerPro`` apps (both letter cases of the app type)."""
    base = f"arn:{partition}:sagemaker:{region}:{account}:app/{domain_id}/{SERVER_PROFILE}"
    return [f"{base}/rstudioserverpro/*", f"{base}/RStudioServerPro/*"]


def rstudio_server_app_statements(*, partition: str, region: str, account: str, domain_id: str) -> list[iam.PolicyStatement]:
    """``CreateApp`` (and tags while creating) for this domain's server app only."""
    arns = server_app_arns(partition=partition, region=region, account=account, domain_id=domain_id)
    return [
        iam.PolicyStatement(sid="RStudioServerApp", actions=list(SERVER_APP), resources=arns),
        iam.PolicyStatement(
            sid="RStudioServerAppTags",
            actions=["sagemaker:AddTags"],
            resources=arns,
            conditions={"Null": {"sagemaker:TaggingAction": "false"}},
        ),
        iam.PolicyStatement(
            sid="RStudioServerAppInNoSpace",
            effect=iam.Effect.DENY,
            actions=list(SERVER_APP),
            resources=["*"],
            conditions={"StringLike": {"sagemaker:SpaceSharingType": "*"}},
        ),
    ]
