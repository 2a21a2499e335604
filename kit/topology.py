"""The broker topology (DESIGN §3): what exists on RabbitMQ and how it is named.

    exchange            <exchange>                 durable topic exchange, routing key = event type
    dead letters        <exchange>.dlx             durable direct exchange
    service queue       <prefix>.<service>         bound to the exchange by each subscribed key,
                                                   and to the dlx by its own name (retries)
    parking queue       <prefix>.<service>.parking bound to the dlx by its own name

`<prefix>` is the exchange name without its `.events` suffix, so production gets
`mypage.jobs` and a test exchange `t-1a2b.events` gets `t-1a2b.jobs`: tests never share queues.

On AMQP the service queue is a quorum queue whose `x-delivery-limit` dead-letters into the
parking queue a message that crashed the worker before its ack (S11's safety net). kombu's
`memory://` transport (embedded mode, unit tests) knows no queue types, so queues are classic.
"""

from __future__ import annotations

from collections.abc import Iterable

from kombu import Connection, Exchange, Queue, binding

from kit.settings import DEFAULT_EXCHANGE

HEARTBEAT_SECONDS = 20
MAX_DELIVERIES = 5  # S11: a message is parked after at most this many deliveries
MEMORY_POLLING_INTERVAL = 0.01  # kombu's default of 1 s would add a second to every embedded hop


def is_amqp(url: str) -> bool:
    """E2: True for a RabbitMQ URL, False for kombu's in-process `memory://` transport."""
    return not url.startswith("memory://")


def connection(url: str, *, heartbeat: int = HEARTBEAT_SECONDS) -> Connection:
    """E2: a kombu connection with explicit heartbeats (AMQP) or a fast-polling memory transport."""
    if is_amqp(url):
        # Confirms make the consumer's own retry/park republishes safe before it acks the original.
        return Connection(url, heartbeat=heartbeat, transport_options={"confirm_publish": True})
    if url.rstrip("/") == "memory:":
        url = "memory://localhost/"  # the same in-process broker, without kombu's "no hostname" warning
    return Connection(url, transport_options={"polling_interval": MEMORY_POLLING_INTERVAL})


def queue_prefix(exchange_name: str = DEFAULT_EXCHANGE) -> str:
    """E2: `mypage.events` → `mypage`; any other exchange name is its own prefix stem."""
    return exchange_name.removesuffix(".events")


def queue_name(service: str, exchange_name: str = DEFAULT_EXCHANGE) -> str:
    """E2: the one durable queue `service` consumes from, e.g. `mypage.jobs`."""
    return f"{queue_prefix(exchange_name)}.{service}"


def parking_queue_name(service: str, exchange_name: str = DEFAULT_EXCHANGE) -> str:
    """S11: where `service`'s poison messages wait for a human, e.g. `mypage.jobs.parking`."""
    return f"{queue_name(service, exchange_name)}.parking"


def events_exchange(exchange_name: str = DEFAULT_EXCHANGE) -> Exchange:
    """E2: the durable topic exchange every event is published to."""
    return Exchange(exchange_name, type="topic", durable=True)


def dead_letter_exchange(exchange_name: str = DEFAULT_EXCHANGE) -> Exchange:
    """S11: the durable direct exchange for retries and parked messages (`<exchange>.dlx`)."""
    return Exchange(f"{exchange_name}.dlx", type="direct", durable=True)


def service_queue(
    service: str, routing_keys: Iterable[str], *, exchange_name: str = DEFAULT_EXCHANGE, quorum: bool = True,
) -> Queue:
    """E2/S11: `service`'s queue, bound to each subscribed routing key and to the dlx for retries.

    A quorum queue dead-letters a message into the parking queue once RabbitMQ has delivered
    it MAX_DELIVERIES times without an ack (a worker that crashes on it every time).
    """
    name = queue_name(service, exchange_name)
    exchange = events_exchange(exchange_name)
    dlx = dead_letter_exchange(exchange_name)
    arguments = {}
    if quorum:
        arguments = {
            "x-queue-type": "quorum",
            "x-delivery-limit": MAX_DELIVERIES - 1,  # redeliveries after the first delivery
            "x-dead-letter-exchange": dlx.name,
            "x-dead-letter-routing-key": parking_queue_name(service, exchange_name),
        }
    bindings = [binding(exchange, routing_key=key) for key in sorted(set(routing_keys))]
    bindings.append(binding(dlx, routing_key=name))
    return Queue(name, bindings=bindings, durable=True, queue_arguments=arguments)


def parking_queue(service: str, *, exchange_name: str = DEFAULT_EXCHANGE, quorum: bool = True) -> Queue:
    """S11: `service`'s parking queue, bound to the dlx by its own name."""
    name = parking_queue_name(service, exchange_name)
    arguments = {"x-queue-type": "quorum"} if quorum else {}
    return Queue(
        name, exchange=dead_letter_exchange(exchange_name), routing_key=name, durable=True,
        queue_arguments=arguments,
    )


def declare(
    conn: Connection, service: str, routing_keys: Iterable[str], *, exchange_name: str = DEFAULT_EXCHANGE,
) -> tuple[Queue, Queue]:
    """E2/S11: declare exchange, dlx, service queue (with bindings) and parking queue; idempotent.

    Returns the (service queue, parking queue) bound to the connection's default channel.
    Quorum queues on AMQP, classic on `memory://`.
    """
    quorum = is_amqp(conn.as_uri())
    channel = conn.default_channel
    declare_exchange(conn, exchange_name)
    dead_letter_exchange(exchange_name)(channel).declare()
    queue = service_queue(service, routing_keys, exchange_name=exchange_name, quorum=quorum)(channel)
    queue.declare()
    parking = parking_queue(service, exchange_name=exchange_name, quorum=quorum)(channel)
    parking.declare()
    return queue, parking


def declare_exchange(conn: Connection, exchange_name: str = DEFAULT_EXCHANGE) -> Exchange:
    """E2: declare the events exchange (what a publisher needs before its first publish)."""
    exchange = events_exchange(exchange_name)(conn.default_channel)
    exchange.declare()
    return exchange


ARCHIVE_MAX_LENGTH = 1_000_000
ARCHIVE_TTL_MS = 7 * 24 * 3600 * 1000


def archive_queue_name(exchange_name: str = DEFAULT_EXCHANGE) -> str:
    return f"{queue_prefix(exchange_name)}.archive"


def archive_queue(archived_types: Iterable[str] = (), exchange_name: str = DEFAULT_EXCHANGE) -> Queue:
    """E1/E2: a bounded copy of the events of `archived_types` (7 days, at most 1,000,000, oldest dropped).

    With it every archived type has a route, so the relay's `mandatory` check fails only when the
    topology itself is missing — not because no outside system subscribes to a type yet — and
    operators can replay a recent event to a late subscriber. Types whose data is personal
    (EventSpec.personal_data) are never archived: they must have a subscriber of their own.
    """
    exchange = events_exchange(exchange_name)
    return Queue(
        archive_queue_name(exchange_name),
        bindings=[binding(exchange, routing_key=key) for key in sorted(set(archived_types))],
        durable=True,
        queue_arguments={"x-max-length": ARCHIVE_MAX_LENGTH, "x-message-ttl": ARCHIVE_TTL_MS,
                         "x-overflow": "drop-head", "x-queue-mode": "lazy"},
    )


def declare_service_topology(conn: Connection, service: str, routing_keys: Iterable[str], *,
                             archived_types: Iterable[str] = (), exchange_name: str = DEFAULT_EXCHANGE) -> None:
    """E2: everything a service needs on the broker before its relay or worker starts.

    The exchange, the dlx, the archive queue bound to the service's archived types, and — when
    it subscribes to anything — its queue and parking queue. Idempotent; `python -m
    services.<name> migrate` calls it.
    """
    declare_exchange(conn, exchange_name)
    archive = archive_queue(archived_types, exchange_name)(conn.default_channel)
    archive.declare()
    if routing_keys:
        declare(conn, service, routing_keys, exchange_name=exchange_name)
