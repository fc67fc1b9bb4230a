"""The personas the library makes IAM for, and the tag that names them."""

from __future__ import annotations

PERSONA_TAG = "studio:persona"
"""Every role the library creates for a persona carries this tag."""

DOMAIN_ADMIN = "domain-admin"
"""Runs a domain: settings, user profiles, shared spaces; kept out of private spaces."""

EXECUTION = "execution"
"""The role Studio apps run as, for every user of a domain."""

USER_ACCESS = "user-access"
"""The people who open Studio, each as their own profile."""


CLEANUP = "cleanup"
"""A custom resource's functions, their roles and the Provider framework's waiter state machine:
principals no other persona may invoke with its own input or change."""

NETWORK = "network"
"""Roles of the network stack that AWS services assume (VPC flow logs)."""

PERSONAS: tuple[str, ...] = (DOMAIN_ADMIN, EXECUTION, USER_ACCESS, CLEANUP, NETWORK)
