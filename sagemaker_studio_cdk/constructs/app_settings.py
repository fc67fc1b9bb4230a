"""Checks of the JupyterLab and Code Editor settings a domain, profile or space can set beyond
instance types, images and idle shutdown: code repositories and built-in lifecycle configs."""

from __future__ import annotations

from collections.abc import Sequence

from .. import limits
from ..errors import StudioConfigError
from .lifecycle_config import LifecycleConfig, check_defaults


def check_code_repositories(field: str, urls: Sequence[str]) -> None:
    """Git URLs for JupyterLab's Git extension: ``https://`` URLs matching the API's
    ``RepositoryUrl`` pattern, within the API's list length."""
    if isinstance(urls, str):
        raise StudioConfigError(field, urls, "a list of Git URLs")
    maximum = int(limits._shape("CodeRepositories").metadata["max"])
    if len(urls) > maximum:
        raise StudioConfigError(field, f"{len(urls)} repositories", f"at most {maximum}")
    limits.check_unique(field, [u for u in urls if not limits.is_token(u)])
    for i, url in enumerate(urls):
        limits.check_pattern(f"{field}[{i}]", url, "RepositoryUrl", "an https:// Git URL")


def check_built_in(field: str, configs: Sequence[LifecycleConfig]) -> None:
    """At most one built-in lifecycle config per app type (it runs before the default one)."""
    check_defaults(field, configs)
