from aws_cdk import RemovalPolicy
from aws_cdk import aws_efs as efs

from sagemaker_studio_cdk.policies.rules.efs_is_retained import RULE
from tests.rules.support import assert_flags, assert_passes, stack


def test_a_retained_file_system_passes() -> None:
    scope = stack()
    files = efs.CfnFileSystem(scope, "Files", encrypted=True)
    files.apply_removal_policy(RemovalPolicy.RETAIN)
    assert_passes(scope, RULE)


def test_fails_when_the_file_system_goes_with_its_stack() -> None:
    scope = stack()
    files = efs.CfnFileSystem(scope, "Files", encrypted=True)
    files.apply_removal_policy(RemovalPolicy.DESTROY)
    assert_flags(scope, RULE, "Test/Files")


def test_fails_without_a_deletion_policy() -> None:
    scope = stack()
    efs.CfnFileSystem(scope, "Files", encrypted=True)
    assert_flags(scope, RULE, "Test/Files")
