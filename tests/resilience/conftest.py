"""A private RabbitMQ node for the resilience tests: killed, paused and restarted at will."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kit.testing.plugin import Bus
from kit.testing.servers import RABBITMQ_SERVER, PrivateRabbitMQ


@pytest.fixture(scope="session")
def private_rabbit() -> Iterator[PrivateRabbitMQ]:
    if not os.access(RABBITMQ_SERVER, os.X_OK):
        reason = f"no {RABBITMQ_SERVER} to run a private RabbitMQ node"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and {reason}", pytrace=False)
        pytest.skip(reason)
    with PrivateRabbitMQ() as rabbit:
        yield rabbit


@pytest.fixture
def rabbit(private_rabbit) -> Iterator[PrivateRabbitMQ]:
    """The private node, guaranteed running (and not paused) before and after each test."""
    yield private_rabbit
    private_rabbit.resume()
    if not private_rabbit.ready():
        private_rabbit.stop_server()
        private_rabbit.restart()


@pytest.fixture
def rabbit_bus(rabbit, exchange_name) -> Bus:
    return Bus(rabbit.url, exchange_name)
