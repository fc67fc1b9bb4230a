"""Every EFS file system is encrypted at rest."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule


def check(file_system: Resource) -> bool:
    return file_system.get("Encrypted") in (True, "true", "True")


RULE = Rule(
    name="EfsEncrypted",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::EFS::FileSystem",),
    info="The EFS file system is not encrypted at rest (Encrypted is not true).",
    explanation=(
        "Studio mounts custom file systems into users' spaces, so they hold the same data as the spaces' own "
        "volumes. Encryption can only be chosen when the file system is made: set Encrypted to true, with the "
        "domain's KMS key (EfsMount does both) and move the data to the new file system."
    ),
    check=check,
)
