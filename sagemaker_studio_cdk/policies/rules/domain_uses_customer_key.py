"""The domain encrypts its spaces' volumes with a customer managed KMS key (``KmsKeyId``)."""

from __future__ import annotations

from cdk_nag import NagMessageLevel

from ._base import Resource, Rule, flat


def check(domain: Resource) -> bool:
    key = domain.get("KmsKeyId")
    if key is None:
        return False
    # An alias of an AWS managed key (alias/aws/...) is not a key the customer controls.
    return "alias/aws/" not in flat(key)


RULE = Rule(
    name="DomainCustomerKey",
    level=NagMessageLevel.ERROR,
    resource_types=("AWS::SageMaker::Domain",),
    info="The Studio domain has no customer managed KMS key (KmsKeyId) for its volumes.",
    explanation=(
        "Without KmsKeyId, SageMaker encrypts the EBS volumes of spaces with an AWS owned key: you cannot audit "
        "its use in CloudTrail, restrict it with a key policy or revoke it. Pass a customer managed key "
        "(StudioDomain makes one, with rotation on and retained with the stack, when none is given). The key "
        "cannot change later: CloudFormation would have to replace the domain."
    ),
    check=check,
)
