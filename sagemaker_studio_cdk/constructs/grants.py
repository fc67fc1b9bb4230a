"""Statements given to a grantee the library does not own (an execution role, say)."""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct

from ..policies.nag import acknowledge_wildcards
from ..policies.wildcards import WILDCARD_REASONS


def grant_statements(grantee: iam.IGrantable, statements: list[iam.PolicyStatement]) -> iam.Grant:
    """Add ``statements`` to ``grantee``'s policy (without their ``Sid``: two grants of the same kind
    must not clash in one policy) and acknowledge their cdk-nag wildcard findings on ``grantee``
    with the reasons of :data:`WILDCARD_REASONS` (by ``Sid``)."""
    grant: iam.Grant | None = None
    for statement in statements:
        result = iam.Grant.add_to_principal(
            grantee=grantee,
            actions=statement.actions,
            resource_arns=statement.resources,
            conditions=statement.conditions or None,
        )
        grant = result if grant is None else grant.combine(result)
    if isinstance(grantee, Construct):
        acknowledge_wildcards(grantee, statements, WILDCARD_REASONS)
    assert grant is not None, "no statements to grant"
    return grant
