"""RStudio's rules in the extension's Studio API, answered as AWS documents them: a VPC-only domain
with RStudio needs Service-managed security groups, its domain execution role must exist, and its
network access type is frozen once RStudio is set."""

from __future__ import annotations

from typing import Any

from sagemaker_studio_cdk.testing import StudioMoto
from tests.integration.test_studio_api import _error


def _network(moto: StudioMoto) -> tuple[Any, str, str, str]:
    sm = moto.client("sagemaker")
    ec2 = moto.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24", AvailabilityZone=f"{moto.region}a")["Subnet"]["SubnetId"]
    role = moto.client("iam").create_role(RoleName="rstudio", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    return sm, vpc, subnet, role


def test_rstudio_rules(studio_moto: StudioMoto) -> None:
    sm, vpc, subnet, role = _network(studio_moto)
    base: dict[str, Any] = {
        "AuthMode": "IAM",
        "VpcId": vpc,
        "SubnetIds": [subnet],
        "DefaultUserSettings": {"ExecutionRole": role},
        "AppNetworkAccessType": "VpcOnly",
    }
    code, message = _error(
        lambda: sm.create_domain(
            DomainName="no-service", DomainSettings={"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": role}}, **base
        )
    )
    assert code == "ValidationException"
    assert "AppSecurityGroupManagement must be Service" in message
    missing = role.replace("role/rstudio", "role/missing")
    code, message = _error(
        lambda: sm.create_domain(
            DomainName="no-role",
            DomainSettings={"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": missing}},
            AppSecurityGroupManagement="Service",
            **base,
        )
    )
    assert (code, message.split(" (")[0]) == ("ValidationException", f"Role {missing} does not exist")
    domain_id = sm.create_domain(
        DomainName="r",
        DomainSettings={"RStudioServerProDomainSettings": {"DomainExecutionRoleArn": role}},
        AppSecurityGroupManagement="Service",
        **base,
    )["DomainId"]
    (server,) = sm.list_apps(DomainIdEquals=domain_id)["Apps"]
    assert (server["UserProfileName"], server["AppType"]) == ("domain-shared", "RStudioServerPro")
    code, _ = _error(lambda: sm.delete_domain(DomainId=domain_id))
    assert code == "ResourceInUse"  # domain-shared is still there
    code, message = _error(lambda: sm.update_domain(DomainId=domain_id, AppNetworkAccessType="PublicInternetOnly"))
    assert code == "ValidationException"
    assert "AppNetworkAccessType cannot be updated" in message
    user = sm.create_user_profile(
        DomainId=domain_id,
        UserProfileName="alice",
        UserSettings={"RStudioServerProAppSettings": {"AccessStatus": "ENABLED", "UserGroup": "R_STUDIO_ADMIN"}},
    )
    assert user["UserProfileArn"].endswith("/alice")
    described = sm.describe_user_profile(DomainId=domain_id, UserProfileName="alice")
    assert described["UserSettings"]["RStudioServerProAppSettings"]["UserGroup"] == "R_STUDIO_ADMIN"
