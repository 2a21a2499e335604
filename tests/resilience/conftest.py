"""A private RabbitMQ node and a private PostgreSQL cluster for the resilience tests: killed,
paused and restarted at will, never the shared servers."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from kit.testing.plugin import Bus, unavailable
from kit.testing.servers import POSTGRES_BIN, RABBITMQ_SERVER, PrivatePostgreSQL, PrivateRabbitMQ


@pytest.fixture(scope="session")
def private_rabbit() -> Iterator[PrivateRabbitMQ]:
    if not os.access(RABBITMQ_SERVER, os.X_OK):
        unavailable(f"no {RABBITMQ_SERVER} to run a private RabbitMQ node")
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


@pytest.fixture(scope="session")
def private_postgres() -> Iterator[PrivatePostgreSQL]:
    if not os.access(POSTGRES_BIN / "postgres", os.X_OK):
        unavailable(f"no {POSTGRES_BIN / 'postgres'} to run a private PostgreSQL cluster")
    with PrivatePostgreSQL() as postgres:
        yield postgres


@pytest.fixture
def postgres(private_postgres) -> Iterator[PrivatePostgreSQL]:
    """The private cluster, guaranteed running before and after each test (restarted if a test killed it)."""
    yield private_postgres
    if not private_postgres.ready():
        private_postgres.stop_server()
        private_postgres.restart()
