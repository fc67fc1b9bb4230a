"""One call turns the extension on: :func:`mock_studio` (a context manager) and the pytest
fixtures of :mod:`.pytest_plugin` built on it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .deploy import Deployer, fake_credentials
from .install import install


@dataclass
class StudioMoto:
    """What :func:`mock_studio` yields: where moto answers, and helpers to use it.

    :param endpoint_url: the moto server's URL (``http://localhost:PORT``), or ``None`` under
        ``mock_aws``, where boto3 clients made in this process reach moto without one.
    :param region: the default region.
    """

    endpoint_url: str | None
    region: str

    def client(self, service: str, region: str | None = None) -> Any:
        """A boto3 client that reaches moto."""
        import boto3

        return boto3.client(service, region_name=region or self.region, endpoint_url=self.endpoint_url)

    def deployer(self, region: str | None = None) -> Deployer:
        """A :class:`Deployer` of cloud assemblies to this moto."""
        return Deployer(endpoint_url=self.endpoint_url, region=region or self.region)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def mock_studio(*, region: str = "us-east-1", server: bool = False) -> Iterator[StudioMoto]:
    """moto with the Studio extension, for the ``with`` block.

    :param server: run a moto server on 127.0.0.1 (a free port) instead of ``mock_aws``, for
        tools that call AWS over HTTP (the CDK CLI: give it ``endpoint_url``). The server runs in
        this process, so the extension and every backend are shared with it.

    Fake credentials are set for the block, so nothing can reach a real account.
    """
    install()
    env = {**fake_credentials(), "AWS_DEFAULT_REGION": region}
    if not server:
        from moto import mock_aws

        with _environment(env), mock_aws():
            yield StudioMoto(endpoint_url=None, region=region)
        return
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    moto_server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto_server.start()
    _, port = moto_server.get_host_and_port()
    endpoint = f"http://localhost:{port}"
    try:
        with _environment(env):
            import requests

            requests.post(f"{endpoint}/moto-api/reset", timeout=30)
            yield StudioMoto(endpoint_url=endpoint, region=region)
    finally:
        moto_server.stop()
