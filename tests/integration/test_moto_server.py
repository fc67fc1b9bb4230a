"""The extension inside a moto server (on 127.0.0.1, a free port): the example deploys over HTTP,
and the Studio APIs answer with AWS's error codes there too."""

from __future__ import annotations

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sagemaker_studio_cdk.testing import StudioMoto

from .helpers import DOMAIN_STACK, variant


def test_example_deploys_and_is_destroyed_through_a_moto_server(studio_moto_server: StudioMoto) -> None:
    assert studio_moto_server.endpoint_url is not None and studio_moto_server.endpoint_url.startswith("http://localhost:")
    directory, spec = variant("base")
    deployer = studio_moto_server.deployer()
    deployer.bootstrap()
    deployer.deploy(directory)
    sm = studio_moto_server.client("sagemaker")
    domain_id = deployer.outputs(DOMAIN_STACK)["DomainId"]
    assert sorted(p["UserProfileName"] for p in sm.list_user_profiles(DomainIdEquals=domain_id)["UserProfiles"]) == sorted(
        u.name for u in spec.users
    )
    unchecked = boto3.client(
        "sagemaker",
        region_name="us-east-1",
        endpoint_url=studio_moto_server.endpoint_url,
        config=Config(parameter_validation=False),
    )
    with pytest.raises(ClientError) as refused:
        unchecked.delete_domain(DomainId=domain_id)
    assert refused.value.response["Error"]["Code"] == "ResourceInUse"
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    deployer.destroy(directory)
    assert sm.list_domains()["Domains"] == []
