"""Every EFS file system survives its stack's deletion and replacement (``DeletionPolicy: Retain``)."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule

RETAINING = ("Retain", "RetainExceptOnCreate")


def check(file_system: Resource) -> bool:
    return file_system.deletion_policy in RETAINING


RULE = Rule(
    name="EfsRetained",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::EFS::FileSystem",),
    info="The EFS file system is deleted with its stack (no DeletionPolicy Retain): users' shared files go with it.",
    explanation=(
        "CloudFormation's default for a file system is to delete it, files included, when the stack is deleted "
        "or the resource leaves the template. Give it RemovalPolicy.RETAIN (DeletionPolicy and UpdateReplacePolicy "
        "Retain; EfsMount does) and delete it by hand once its files are saved."
    ),
    check=check,
)
