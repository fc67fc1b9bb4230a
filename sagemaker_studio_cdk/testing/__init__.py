"""moto, extended for SageMaker Studio and made to deploy CloudFormation as CloudFormation does.

Install with ``pip install sagemaker-studio-cdk[testing]`` (moto pinned exactly), then::

    from sagemaker_studio_cdk.testing import mock_studio

    with mock_studio() as moto:                      # or the pytest fixture ``studio_moto``
        deployer = moto.deployer()
        deployer.bootstrap()
        deployer.deploy("cdk.out")
        moto.client("sagemaker").list_user_profiles()

What it adds: :mod:`.studio` (the Studio APIs, validated against botocore's model, with the
rules AWS enforces across resources), :mod:`.cfn_models` (CloudFormation models of the Studio
types), :mod:`.engine` (create, update, replacement, rollback, policies and nested stacks as
CloudFormation does them; unmodelled types refused), :mod:`.custom_resources` (handlers run
in-process) and :mod:`.deploy` (cloud assemblies deployed as the CDK CLI deploys them).
"""

from .custom_resources import register_handler, unregister_handler
from .deploy import Deployer, DeploymentFailed, stack_artifacts
from .install import install, installed, uninstall
from .session import StudioMoto, mock_studio
from .studio import StudioBackend, studio_backend

__all__ = [
    "Deployer",
    "DeploymentFailed",
    "StudioBackend",
    "StudioMoto",
    "install",
    "installed",
    "mock_studio",
    "register_handler",
    "stack_artifacts",
    "studio_backend",
    "uninstall",
    "unregister_handler",
]
