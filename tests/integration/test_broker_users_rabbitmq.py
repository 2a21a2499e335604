"""Issue 11 item 4 / DESIGN §8: a RabbitMQ user per service, enforced by the broker itself.

The users are created on the machine's RabbitMQ with `rabbitmqctl` (as `make up` does), named after
this test's own exchange (so nothing is shared with another test or a running stack), and deleted
afterwards; one test imports the same document through the management API of a private node (as
compose's and k8s's provisioning job does). Each service's real subscriptions and event types are
declared as its own user: the grants are what the code needs, and no more.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import secrets
import shutil
import uuid
from collections.abc import Iterator

import pytest
from amqp.exceptions import AccessRefused
from kombu import Connection, Exchange, Producer, Queue, binding

from kit import broker_users as broker
from kit import topology
from kit.settings import SERVICES
from kit.testing.plugin import unavailable

FORGED_TYPE = "profile.seeker.changed.v1"  # the forged event: it created an account


def _spec(service: str):
    events = importlib.import_module(f"services.{service}.events")
    handlers = importlib.import_module(f"services.{service}.handlers")
    return sorted(handlers.SUBSCRIPTIONS), events.PUBLISHES


@pytest.fixture(scope="module")
def exchange() -> str:
    return f"test-{uuid.uuid4().hex[:12]}.events"


@pytest.fixture(scope="module")
def users(_amqp_server_url, exchange) -> Iterator[dict[str, str]]:
    """{who: URL} for every service, the gateway and the subscriber, provisioned with rabbitmqctl; every
    service's topology declared as its own user (what migrate and a worker's start do)."""
    if shutil.which("rabbitmqctl") is None:
        unavailable("no rabbitmqctl to create RabbitMQ users (make up uses it)")
    passwords = {who: secrets.token_urlsafe(16) for who in (*broker.WHO, *broker.OUTSIDE)}
    admin = broker.Admin()
    admin.import_definitions(broker.definitions(passwords, "/", exchange))
    try:
        urls = {who: broker.url_for(who, _amqp_server_url, password, exchange) for who, password in passwords.items()}
        _migrate_as_own_users(urls, exchange)
        yield urls
    finally:
        admin.delete_users(broker.user_name(who, exchange) for who in passwords)
        _delete_everything(_amqp_server_url, exchange)


def _delete_everything(admin_url: str, exchange: str) -> None:
    names = [topology.archive_queue_name(exchange), topology.discard_queue_name(exchange),
             topology.queue_name("jobs.search.node-1", exchange), f"hellowork.{topology.queue_prefix(exchange)}"]
    for service in SERVICES:
        names += [topology.queue_name(service, exchange), topology.parking_queue_name(service, exchange),
                  *(topology.retry_queue_name(service, delay, exchange) for delay in topology.RETRY_DELAYS)]
    with contextlib.suppress(Exception), topology.connection(admin_url) as connection:
        channel = connection.default_channel
        for name in names:
            channel.queue_delete(name)
        channel.exchange_delete(topology.dead_letter_exchange(exchange).name)
        channel.exchange_delete(exchange)


def _migrate_as_own_users(users: dict[str, str], exchange: str) -> None:
    """What `python -m services.<name> migrate` and a worker's start declare, each as its own user."""
    for service in SERVICES:
        keys, publishes = _spec(service)
        with topology.connection(users[service]) as connection:
            topology.declare_service_topology(
                connection, service, keys, archived_types=[s.type for s in publishes if not s.personal_data],
                personal_types=[s.type for s in publishes if s.personal_data],
                discarded_types=[s.type for s in publishes if s.outside_only], exchange_name=exchange)
    with topology.connection(users["jobs"]) as connection:  # the search node's queue (services.jobs.indexer)
        topology.declare(connection, "jobs.search.node-1", ["jobs.posting.published.v1"], exchange_name=exchange)


def _publish(url: str, exchange: str, routing_key: str, body: bytes = b"{}") -> None:
    """Publish with confirms; the broker's refusal closes the channel and raises here."""
    with topology.connection(url) as connection:
        Producer(connection.channel()).publish(body, exchange=exchange, routing_key=routing_key, retry=False,
                                               message_id=uuid.uuid4().hex, type=routing_key)


def _ready(admin_url: str, queue: str) -> int:
    with topology.connection(admin_url) as connection:
        return connection.channel().queue_declare(queue, passive=True).message_count


def test_s8_every_service_declares_its_topology_as_its_own_user(users, exchange, _amqp_server_url):
    for service in SERVICES:  # the fixture declared them, each as its own user
        if _spec(service)[0]:
            assert _ready(_amqp_server_url, topology.parking_queue_name(service, exchange)) == 0


def test_s8_a_forged_profile_event_from_another_service_is_refused_by_the_broker(
        users, exchange, _amqp_server_url):
    auth_queue = topology.queue_name("auth", exchange)  # auth opens accounts on profile's events
    before = _ready(_amqp_server_url, auth_queue)
    for forger in ("jobs", "messaging", "auth", "retention", broker.GATEWAY, broker.SUBSCRIBER, broker.EMPLOYER):
        with pytest.raises(AccessRefused, match="ACCESS_REFUSED"):
            _publish(users[forger], exchange, FORGED_TYPE)
    assert _ready(_amqp_server_url, auth_queue) == before

    _publish(users["profile"], exchange, FORGED_TYPE)  # its own type: accepted and routed
    assert _ready(_amqp_server_url, auth_queue) == before + 1


def test_s8_a_forged_event_cannot_go_round_through_the_dead_letter_exchange(users, exchange, _amqp_server_url):
    dlx = topology.dead_letter_exchange(exchange).name
    auth_queue = topology.queue_name("auth", exchange)
    before = _ready(_amqp_server_url, auth_queue)
    with pytest.raises(AccessRefused):  # the dlx binds each service queue by its name
        _publish(users["jobs"], dlx, auth_queue)
    with pytest.raises(AccessRefused):
        _publish(users["jobs"], dlx, topology.parking_routing_key("auth", exchange))
    assert _ready(_amqp_server_url, auth_queue) == before
    _publish(users["jobs"], dlx, topology.retry_queue_name("jobs", 1.0, exchange))  # its own retry: fine


def test_s8_a_service_reads_only_its_own_queues(users, exchange):
    for queue in (topology.queue_name("auth", exchange), topology.parking_queue_name("auth", exchange),
                  topology.archive_queue_name(exchange)):
        with topology.connection(users["jobs"]) as connection, pytest.raises(AccessRefused):
            connection.channel().basic_get(queue=queue, no_ack=False)
    with topology.connection(users["jobs"]) as connection:
        assert connection.channel().basic_get(queue=topology.queue_name("jobs", exchange)) is None


def test_s8_the_subscriber_user_reads_events_into_its_own_queue_and_publishes_nothing(
        users, exchange, _amqp_server_url):
    name = f"hellowork.{topology.queue_prefix(exchange)}"
    with topology.connection(users[broker.SUBSCRIBER]) as connection:
        events = Exchange(exchange, type="topic", passive=True)  # it may not declare My Page's exchange
        Queue(name, bindings=[binding(events, routing_key="jobs.no_show.reported.v1")], durable=False,
              auto_delete=False)(connection.channel()).declare()
    _publish(users["jobs"], exchange, "jobs.no_show.reported.v1")
    with topology.connection(users[broker.SUBSCRIBER]) as connection:
        assert connection.channel().basic_get(queue=name, no_ack=True) is not None
    with pytest.raises(AccessRefused):
        _publish(users[broker.SUBSCRIBER], exchange, "jobs.no_show.reported.v1")
    with topology.connection(users[broker.SUBSCRIBER]) as connection, pytest.raises(AccessRefused):
        connection.channel().basic_get(queue=topology.queue_name("jobs", exchange))


def test_s8_the_management_api_provisions_the_same_users(managed_rabbit, exchange_name, monkeypatch, capsys):
    """compose's and k8s's provisioning job: `python -m kit.broker_users provision` with the services' URLs."""
    passwords = {who: secrets.token_urlsafe(16) for who in broker.WHO}
    for who, password in passwords.items():
        monkeypatch.setenv(f"MYPAGE_{who.upper()}_AMQP_URL",
                           broker.url_for(who, managed_rabbit.url, password, exchange_name))
    monkeypatch.delenv("MYPAGE_SUBSCRIBER_AMQP_URL", raising=False)
    monkeypatch.setenv("MYPAGE_EXCHANGE", exchange_name)
    monkeypatch.setenv("MYPAGE_RABBITMQ_ADMIN_URL", managed_rabbit.api_url)
    assert broker.main(["provision"]) == 0
    assert broker.user_name("profile", exchange_name) in capsys.readouterr().err
    users = {who: os.environ[f"MYPAGE_{who.upper()}_AMQP_URL"] for who in broker.WHO}
    with topology.connection(users["jobs"]) as connection:
        topology.declare_exchange(connection, exchange_name)
    with pytest.raises(AccessRefused):
        _publish(users["jobs"], exchange_name, FORGED_TYPE)
    _publish(users["profile"], exchange_name, FORGED_TYPE)
    with Connection(managed_rabbit.url.replace("guest:guest", f"{broker.user_name('auth', exchange_name)}:wrong")) \
            as connection, pytest.raises(AccessRefused):
        connection.ensure_connection(max_retries=0)


def test_j1_only_the_employer_user_publishes_employer_posting_events(users, exchange, _amqp_server_url):
    """J1 by events: no service (and no subscriber) may speak for an employer; the employer-side system
    may say nothing else."""
    jobs_queue = topology.queue_name("jobs", exchange)  # jobs subscribes to the employer's posting events
    before = _ready(_amqp_server_url, jobs_queue)
    for forger in ("profile", "messaging", broker.SUBSCRIBER, broker.GATEWAY):
        with pytest.raises(AccessRefused):
            _publish(users[forger], exchange, "employer.posting.published.v1")
    with pytest.raises(AccessRefused):
        _publish(users[broker.EMPLOYER], exchange, "jobs.posting.published.v1")
    _publish(users[broker.EMPLOYER], exchange, "employer.posting.published.v1")
    assert _ready(_amqp_server_url, jobs_queue) == before + 1
