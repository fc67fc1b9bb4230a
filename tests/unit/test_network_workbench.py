"""StudioNetworkStack's opt-in endpoints for MLflow and Feature Store's runtime."""

from __future__ import annotations

import json

from aws_cdk import Environment

from sagemaker_studio_cdk.stacks.network import StudioNetworkStack
from tests.support import new_app, template_of


def test_mlflow_and_feature_store_endpoints_are_opt_in() -> None:
    app = new_app()
    env = Environment(account="111122223333", region="eu-west-1")
    plain = StudioNetworkStack(app, "Plain", env=env)
    full = StudioNetworkStack(app, "Full", env=env, mlflow_endpoints=True, feature_store_endpoint=True)

    def services(stack: StudioNetworkStack) -> set[str]:
        endpoints = template_of(stack).find_resources("AWS::EC2::VPCEndpoint")
        return {json.dumps(e["Properties"]["ServiceName"]) for e in endpoints.values()}

    added = services(full) - services(plain)
    assert added == {'"aws.sagemaker.eu-west-1.experiments"', '"com.amazonaws.eu-west-1.sagemaker.featurestore-runtime"'}


def test_license_manager_endpoint_is_opt_in_for_rstudio() -> None:
    app = new_app()
    env = Environment(account="111122223333", region="eu-west-1")
    plain = StudioNetworkStack(app, "Plain", env=env)
    rstudio = StudioNetworkStack(app, "RStudio", env=env, rstudio_endpoints=True)

    def services(stack: StudioNetworkStack) -> set[str]:
        endpoints = template_of(stack).find_resources("AWS::EC2::VPCEndpoint")
        return {json.dumps(e["Properties"]["ServiceName"]) for e in endpoints.values()}

    assert services(rstudio) - services(plain) == {'"com.amazonaws.eu-west-1.license-manager"'}
