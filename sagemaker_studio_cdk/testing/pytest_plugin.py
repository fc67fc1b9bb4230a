"""pytest fixtures of the extension (registered through the ``pytest11`` entry point when
``sagemaker-studio-cdk[testing]`` is installed; or ``pytest_plugins = ["sagemaker_studio_cdk.testing.pytest_plugin"]``).

- ``studio_moto``: moto with the Studio extension under ``mock_aws``, for one test.
- ``studio_moto_server``: the same behind a moto server on 127.0.0.1, for one test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def studio_moto() -> Iterator[Any]:
    """A :class:`~sagemaker_studio_cdk.testing.StudioMoto` under ``mock_aws`` (us-east-1)."""
    from .session import mock_studio

    with mock_studio() as moto:
        yield moto


@pytest.fixture
def studio_moto_server() -> Iterator[Any]:
    """A :class:`~sagemaker_studio_cdk.testing.StudioMoto` behind a moto server on 127.0.0.1."""
    from .session import mock_studio

    with mock_studio(server=True) as moto:
        yield moto
