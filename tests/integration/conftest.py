"""Fixtures shared by integration tests that need more than the machine's servers give."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kit.testing.plugin import unavailable
from kit.testing.servers import RABBITMQ_SERVER, PrivateRabbitMQ


@pytest.fixture(scope="module")
def managed_rabbit() -> Iterator[PrivateRabbitMQ]:
    """A private RabbitMQ node with the management API (the machine's runs without the plugin)."""
    if not os.access(RABBITMQ_SERVER, os.X_OK):
        unavailable(f"no {RABBITMQ_SERVER} to run a private RabbitMQ node")
    with PrivateRabbitMQ(management=True) as rabbit:
        yield rabbit
