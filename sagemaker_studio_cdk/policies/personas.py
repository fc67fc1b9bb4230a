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

IMAGE = "image"
"""SageMaker reading a custom image's container: pull from its one repository, nothing else."""

PERSONAS: tuple[str, ...] = (DOMAIN_ADMIN, EXECUTION, USER_ACCESS, IMAGE)
