"""The broker topology (DESIGN §3): what exists on RabbitMQ and how it is named.

    exchange            <exchange>                 durable topic exchange, routing key = event type
    dead letters        <exchange>.dlx             durable topic exchange, bound only by exact queue names
    service queue       <prefix>.<service>         bound to the exchange by each subscribed key,
                                                   and to the dlx by its own name (retries)
    retry queues        <prefix>.<service>.retry.<delay>  one per retry delay (e.g. `.retry.10s`), bound to
                                                   the dlx by its own name; a message expires there after
                                                   the delay and is dead-lettered back to the service queue
    parking queue       <prefix>.<service>.parked  bound to the dlx by `<prefix>.<service>.parking`;
                                                   its messages expire after the parking TTL (14 days)
    archive             <prefix>.archive           a bounded copy of event types without personal data
    discard             <prefix>.discard           routes, and drops at once, personal-data types only
                                                   outside systems read (EventSpec.outside_only)

`<prefix>` is the exchange name without its `.events` suffix, so production gets
`mypage.jobs` and a test exchange `t-1a2b.events` gets `t-1a2b.jobs`: tests never share queues.

On AMQP the service queue is a quorum queue whose `x-delivery-limit` dead-letters into the
parking queue a message that crashed the worker before its ack (S11's safety net). kombu's
`memory://` transport (embedded mode, component tests) knows no queue types, TTLs or dead-lettering, so
queues are classic and there are no retry queues (the consumer retries at once there).

S11 retries wait in retry queues (`MYPAGE_RETRY_DELAYS`, default 1 s, 10 s, 1 min, 10 min): the delay is
part of the queue's name, so a changed delay is a new queue, never a PRECONDITION_FAILED. A retry queue
whose delay is no longer configured deletes itself (`x-expires`, renewed each time a consumer declares it,
which it does before every retry it puts there): a lease longer than the delay, so it is empty by then.

Parked messages hold personal data (an erasure, R3, drops the seeker's at once: kit.consumer), so the
parking queue carries `x-message-ttl` as well (DESIGN §8: inspect and replay within the TTL). RabbitMQ refuses to
redeclare a queue with other arguments (PRECONDITION_FAILED), and a policy needs management rights a
service's user does not have and yields to any broader policy, so the TTL came with a new queue name:
`.parked` replaced `.parking`, bound by the old routing key, which the service queues' own
`x-dead-letter-routing-key` argument keeps. `retire_legacy_parking` moves what the old queue holds.
"""

from __future__ import annotations

from collections.abc import Iterable

from amqp.exceptions import PreconditionFailed
from kombu import Connection, Exchange, Producer, Queue, binding
from kombu.exceptions import ChannelError

from kit.settings import DEFAULT_EXCHANGE, DEFAULT_RETRY_DELAYS, MAX_RETRIES, ConfigurationError

HEARTBEAT_SECONDS = 20
MAX_DELIVERIES = MAX_RETRIES + 1  # S11: a message is parked after at most this many deliveries
RETRY_DELAYS = DEFAULT_RETRY_DELAYS  # S11: seconds before the 2nd…5th delivery (MYPAGE_RETRY_DELAYS)
RETRY_LEASE_MARGIN_MS = 60_000  # a retry queue outlives its last declaration by twice its delay plus this
PARKING_TTL_DAYS = 14  # S11/R3: a parked message is dropped after (MYPAGE_PARKING_TTL_DAYS)
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
    """S11: where `service`'s poison messages wait for a human, e.g. `mypage.jobs.parked`."""
    return f"{queue_name(service, exchange_name)}.parked"


def parking_routing_key(service: str, exchange_name: str = DEFAULT_EXCHANGE) -> str:
    """S11: the dlx routing key of `service`'s parked messages, e.g. `mypage.jobs.parking` (the name of the
    parking queue before it had a TTL; service queues carry it as their dead-letter routing key)."""
    return f"{queue_name(service, exchange_name)}.parking"


def retry_queue_name(service: str, delay: float, exchange_name: str = DEFAULT_EXCHANGE) -> str:
    """S11: where `service`'s failed messages wait `delay` seconds, e.g. `mypage.jobs.retry.10s`."""
    return f"{queue_name(service, exchange_name)}.retry.{delay_label(delay)}"


def delay_label(delay: float) -> str:
    """S11: a delay as a retry queue's name says it: `200ms`, `1s`, `10s`, `1m`, `10m`."""
    ms = round(delay * 1000)
    if ms % 60_000 == 0:
        return f"{ms // 60_000}m"
    if ms % 1000 == 0:
        return f"{ms // 1000}s"
    return f"{ms}ms"


def events_exchange(exchange_name: str = DEFAULT_EXCHANGE) -> Exchange:
    """E2: the durable topic exchange every event is published to."""
    return Exchange(exchange_name, type="topic", durable=True)


def dead_letter_exchange(exchange_name: str = DEFAULT_EXCHANGE) -> Exchange:
    """S11: the durable exchange for retries and parked messages (`<exchange>.dlx`).

    A topic exchange whose bindings are exact queue names, so it routes as a direct one would; RabbitMQ
    checks topic permissions on topic exchanges only, and with them a service's broker user can put a
    message only into its own queues through it (kit/broker_users.py)."""
    return Exchange(f"{exchange_name}.dlx", type="topic", durable=True)


def declare_dead_letter_exchange(channel, exchange_name: str = DEFAULT_EXCHANGE) -> None:
    """S11: declare the dlx; one left as a direct exchange by an older version is a clear start-up error."""
    try:
        dead_letter_exchange(exchange_name)(channel).declare()
    except PreconditionFailed as error:
        raise ConfigurationError(
            f"{exchange_name}.dlx exists as a direct exchange; it is a topic exchange now (per-service broker "
            f"users): with every worker stopped, delete it (`rabbitmqadmin delete exchange name={exchange_name}"
            f".dlx`) and run every service's migrate again, which binds its queues to the new one",
        ) from error


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
            "x-dead-letter-routing-key": parking_routing_key(service, exchange_name),
        }
    bindings = [binding(exchange, routing_key=key) for key in sorted(set(routing_keys))]
    bindings.append(binding(dlx, routing_key=name))
    return Queue(name, bindings=bindings, durable=True, queue_arguments=arguments)


def retry_queue(service: str, delay: float, *, exchange_name: str = DEFAULT_EXCHANGE) -> Queue:
    """S11: a quorum queue holding each message `delay` seconds (`x-message-ttl`), then dead-lettering it
    back to the service queue; at-least-once dead-lettering, so a retry is never lost on its way back."""
    name = retry_queue_name(service, delay, exchange_name)
    ttl = round(delay * 1000)
    return Queue(
        name, exchange=dead_letter_exchange(exchange_name), routing_key=name, durable=True,
        queue_arguments={
            "x-queue-type": "quorum",
            "x-message-ttl": ttl,
            "x-dead-letter-exchange": dead_letter_exchange(exchange_name).name,
            "x-dead-letter-routing-key": queue_name(service, exchange_name),
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",  # required by at-least-once dead-lettering
            "x-expires": 2 * ttl + RETRY_LEASE_MARGIN_MS,
        },
    )


def parking_queue(service: str, *, exchange_name: str = DEFAULT_EXCHANGE, quorum: bool = True,
                  ttl_days: int = PARKING_TTL_DAYS) -> Queue:
    """S11/R3: `service`'s parking queue, bound to the dlx by the parking routing key; a message in it
    expires `ttl_days` after it was parked."""
    arguments = {"x-queue-type": "quorum"} if quorum else {}
    arguments["x-message-ttl"] = ttl_days * DAY_MS
    return Queue(
        parking_queue_name(service, exchange_name), exchange=dead_letter_exchange(exchange_name),
        routing_key=parking_routing_key(service, exchange_name), durable=True, queue_arguments=arguments,
    )


def declare(
    conn: Connection, service: str, routing_keys: Iterable[str], *, exchange_name: str = DEFAULT_EXCHANGE,
    parking_ttl_days: int = PARKING_TTL_DAYS, retry_delays: Iterable[float] = RETRY_DELAYS,
) -> tuple[Queue, Queue]:
    """E2/S11: declare exchange, dlx, service queue (with bindings), retry queues (AMQP only) and parking
    queue; idempotent.

    Returns the (service queue, parking queue) bound to the connection's default channel.
    Quorum queues on AMQP, classic on `memory://`.
    """
    quorum = is_amqp(conn.as_uri())
    channel = conn.default_channel
    declare_exchange(conn, exchange_name)
    declare_dead_letter_exchange(channel, exchange_name)
    queue = service_queue(service, routing_keys, exchange_name=exchange_name, quorum=quorum)(channel)
    queue.declare()
    if quorum:
        for delay in sorted(set(retry_delays)):
            retry_queue(service, delay, exchange_name=exchange_name)(channel).declare()
    parking = parking_queue(service, exchange_name=exchange_name, quorum=quorum, ttl_days=parking_ttl_days)(channel)
    declare_parking(parking, parking_ttl_days)
    return queue, parking


def declare_parking(parking: Queue, ttl_days: int) -> None:
    """S11: declare the (bound) parking queue; one declared with another TTL is a clear start-up error."""
    try:
        parking.declare()
    except PreconditionFailed as error:
        raise ConfigurationError(
            f"{parking.name} exists with another message TTL than MYPAGE_PARKING_TTL_DAYS={ttl_days}: replay or "
            f"drain its messages, delete it, then run migrate again (or set the TTL it was declared with)",
        ) from error


def retire_legacy_parking(conn: Connection, service: str, *, exchange_name: str = DEFAULT_EXCHANGE) -> int:
    """S11/R3: move what the TTL-less parking queue of old (`<prefix>.<service>.parking`) holds into the
    parking queue, each message confirmed before it is acked there, then delete the old queue.

    Returns how many messages moved; 0 when there is no such queue. Idempotent; migrate calls it after
    `declare`. The moved messages keep their headers (attempts, last error) and start their TTL anew.
    """
    legacy = parking_routing_key(service, exchange_name)
    channel = conn.channel()
    try:
        channel.queue_declare(legacy, passive=True)
    except ChannelError:  # NOT_FOUND: never existed or already retired (the broker closed this channel)
        return 0
    try:
        # From here on the dlx routes parked messages only to the new queue.
        channel.queue_unbind(legacy, dead_letter_exchange(exchange_name).name, routing_key=legacy)
        producer, old = Producer(channel), Queue(legacy, channel=channel, no_declare=True)
        moved = 0
        while (message := old.get(no_ack=False)) is not None:
            properties = {key: value for key, value in message.properties.items()
                          if key in ("message_id", "type", "correlation_id")}
            producer.publish(message.body, exchange=dead_letter_exchange(exchange_name), routing_key=legacy,
                             headers=message.headers, content_type=message.content_type,
                             content_encoding=message.content_encoding, delivery_mode=2, retry=False,
                             **properties)
            message.ack()  # after the broker confirmed the copy (confirm_publish)
            moved += 1
        if channel.queue_declare(legacy, passive=True).message_count == 0:  # quorum queues know no if_empty
            channel.queue_delete(legacy)
        return moved
    finally:
        channel.close()


def declare_exchange(conn: Connection, exchange_name: str = DEFAULT_EXCHANGE) -> Exchange:
    """E2: declare the events exchange (what a publisher needs before its first publish)."""
    exchange = events_exchange(exchange_name)(conn.default_channel)
    exchange.declare()
    return exchange


DAY_MS = 24 * 3600 * 1000
ARCHIVE_MAX_LENGTH = 1_000_000
ARCHIVE_TTL_MS = 7 * DAY_MS


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


def discard_queue_name(exchange_name: str = DEFAULT_EXCHANGE) -> str:
    return f"{queue_prefix(exchange_name)}.discard"


def discard_queue(discarded_types: Iterable[str] = (), exchange_name: str = DEFAULT_EXCHANGE) -> Queue:
    """E3/R3: a queue of length 0 bound to personal-data types that only outside systems read.

    Such an event is routed (so the relay's `mandatory` publish is confirmed, not returned forever
    while no outside system has bound its queue yet) and dropped at once: no copy is kept anywhere
    for erasure to miss. Outside subscribers bind queues of their own and get every event from then on.
    """
    exchange = events_exchange(exchange_name)
    return Queue(
        discard_queue_name(exchange_name),
        bindings=[binding(exchange, routing_key=key) for key in sorted(set(discarded_types))],
        durable=True,
        queue_arguments={"x-max-length": 0, "x-overflow": "drop-head"},
    )


def declare_service_topology(conn: Connection, service: str, routing_keys: Iterable[str], *,
                             archived_types: Iterable[str] = (), personal_types: Iterable[str] = (),
                             discarded_types: Iterable[str] = (), exchange_name: str = DEFAULT_EXCHANGE,
                             parking_ttl_days: int = PARKING_TTL_DAYS,
                             retry_delays: Iterable[float] = RETRY_DELAYS) -> None:
    """E2/E3: everything a service needs on the broker before its relay or worker starts.

    The exchange, the dlx, the archive queue bound to the service's archived types and unbound from
    its `personal_types` (a type flagged personal after it was archived must stop being copied), the
    discard queue bound to its `discarded_types`, and — when it subscribes to anything — its queue, retry
    queues and parking queue, with the old parking queue's messages moved over. Idempotent; `python -m
    services.<name> migrate` calls it.
    """
    declare_exchange(conn, exchange_name)
    channel = conn.default_channel
    archive = archive_queue(archived_types, exchange_name)(channel)
    archive.declare()
    for event_type in sorted(set(personal_types)):
        channel.queue_unbind(archive.name, exchange_name, routing_key=event_type)  # absent binding: a no-op
    discard_queue(discarded_types, exchange_name)(channel).declare()
    if routing_keys:
        declare(conn, service, routing_keys, exchange_name=exchange_name, parking_ttl_days=parking_ttl_days,
                retry_delays=retry_delays)
        retire_legacy_parking(conn, service, exchange_name=exchange_name)
