from aws_cdk import aws_efs as efs

from sagemaker_studio_cdk.policies.rules.efs_is_encrypted import RULE
from tests.rules.support import assert_flags, assert_passes, stack


def test_an_encrypted_file_system_passes() -> None:
    scope = stack()
    efs.CfnFileSystem(scope, "Files", encrypted=True)
    assert_passes(scope, RULE)


def test_fails_when_the_file_system_is_not_encrypted() -> None:
    scope = stack()
    efs.CfnFileSystem(scope, "Files")
    assert_flags(scope, RULE, "Test/Files")
