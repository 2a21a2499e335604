"""Each e2e module runs its own embedded system (`make run` in-process) on a temporary var dir and
a free port, with its own exchange (memory:// is shared by the whole process)."""

from __future__ import annotations

import pytest

from gateway.embedded import EmbeddedSystem
from kit.testing import e2e
from kit.testing.embedded import isolated_environ


@pytest.fixture(scope="module")
def system(request, tmp_path_factory):
    var_dir = tmp_path_factory.mktemp(request.module.__name__.rpartition(".")[2])
    with EmbeddedSystem(isolated_environ(var_dir)) as running:
        yield running


@pytest.fixture(scope="module")
def call(system):
    """call(method, path, body=None, token=None, **headers) -> the gateway's answer (kit.testing.e2e)."""
    client = e2e.GatewayClient(system.url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def staff_token(call) -> str:
    """The counter system's access token (client credentials, role staff)."""
    return e2e.staff_token(call)
