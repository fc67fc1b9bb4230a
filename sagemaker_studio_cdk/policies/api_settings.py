"""IAM for the settings handler (``handlers/api_settings.py``): the update and describe calls of one
domain, its profiles and its shared spaces (one wildcard per kind), and passing only the roles the
settings name, to SageMaker."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import aws_iam as iam

SETTINGS_DOMAIN: tuple[str, ...] = ("sagemaker:DescribeDomain", "sagemaker:UpdateDomain")
SETTINGS_PROFILES: tuple[str, ...] = ("sagemaker:DescribeUserProfile", "sagemaker:UpdateUserProfile")
SETTINGS_SPACES: tuple[str, ...] = ("sagemaker:DescribeSpace", "sagemaker:UpdateSpace")
SETTINGS_SPACE_WRITES: tuple[str, ...] = ("sagemaker:UpdateSpace",)
"""Of :data:`SETTINGS_SPACES`, those whose request carries ``sagemaker:SpaceSharingType`` (a
condition on it would deny ``DescribeSpace``, which carries no such key, every time)."""
SETTINGS_LOGS: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")


def settings_statements(
    *,
    partition: str,
    region: str,
    account: str,
    domain_id: str,
    log_group_arn: str,
    passed_roles: Sequence[str],
) -> list[iam.PolicyStatement]:
    """The settings handler's statements.

    :param passed_roles: the role ARNs the settings name (Canvas, EMR, Bedrock, RStudio...): the
        only roles it may pass, and only to SageMaker. None: no ``iam:PassRole`` at all.
    """
    base = f"arn:{partition}:sagemaker:{region}:{account}"
    statements = [
        iam.PolicyStatement(sid="SettingsDomain", actions=list(SETTINGS_DOMAIN), resources=[f"{base}:domain/{domain_id}"]),
        iam.PolicyStatement(
            sid="SettingsProfiles", actions=list(SETTINGS_PROFILES), resources=[f"{base}:user-profile/{domain_id}/*"]
        ),
        # changes to shared spaces only: a private space is its owner's (docs/security.md)
        iam.PolicyStatement(
            sid="SettingsSpaces",
            actions=list(SETTINGS_SPACE_WRITES),
            resources=[f"{base}:space/{domain_id}/*"],
            conditions={"StringEquals": {"sagemaker:SpaceSharingType": "Shared"}},
        ),
        iam.PolicyStatement(
            sid="SettingsDescribeSpaces",
            actions=[a for a in SETTINGS_SPACES if a not in SETTINGS_SPACE_WRITES],
            resources=[f"{base}:space/{domain_id}/*"],
        ),
        iam.PolicyStatement(sid="SettingsLogs", actions=list(SETTINGS_LOGS), resources=[log_group_arn]),
    ]
    if passed_roles:
        statements.append(
            iam.PolicyStatement(
                sid="SettingsPassRole",
                actions=["iam:PassRole"],
                resources=sorted(set(passed_roles)),
                conditions={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
            )
        )
    return statements
