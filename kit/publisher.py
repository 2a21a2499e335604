"""Publishing a batch of events with a definite answer per message (DESIGN §3, E2, S9, S10).

    publisher = make_publisher(settings.amqp_url, settings.exchange)
    outcomes = publisher.publish([OutgoingMessage.from_event(event)], timeout=5.0)

On `amqp://` a pika `SelectConnection` is driven from the caller's thread: the whole batch is
written, then the IO loop runs until every publisher confirm (or return) has arrived or the
timeout passes, so a paused broker costs `timeout` seconds, never a hang. Messages are
`mandatory`: one that no queue takes comes back as RETURNED, never as CONFIRMED.

On `memory://` (embedded mode, component tests) a kombu Producer publishes in-process; the
transport has no confirms, so a routable message counts as confirmed at once.

A publisher owns one connection, opened lazily and reopened after a failure; it is not
thread-safe — give each thread its own.
"""

from __future__ import annotations

import enum
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import pika
import pika.exceptions
from kombu import Producer

from kit import topology
from kit.events import Event

log = logging.getLogger(__name__)

CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json"
CONNECT_TIMEOUT = 5.0


class Outcome(enum.StrEnum):
    """What the broker said about one message."""

    CONFIRMED = "confirmed"
    RETURNED = "returned"  # no queue is bound for its routing key
    NACKED = "nacked"  # the broker refused to take responsibility for it


class PublishError(Exception):
    """The batch as a whole has no answer; every message in it must be retried."""


class PublishTimeout(PublishError):
    """S10: the broker did not confirm within the timeout (paused, blocked or overloaded)."""


class BrokerUnavailable(PublishError):
    """S9: the connection could not be opened or was lost during the batch."""


@dataclass(frozen=True)
class OutgoingMessage:
    """One event as it goes on the wire: routing key = event type, body = CloudEvent JSON."""

    routing_key: str
    body: bytes
    message_id: str
    type: str
    correlation_id: str | None = None
    content_type: str = CLOUDEVENTS_CONTENT_TYPE

    @classmethod
    def from_event(cls, event: Event) -> OutgoingMessage:
        """E2: the wire form of `event`."""
        return cls(event.type, event.to_json(), event.id, event.type, event.correlationid)

    @classmethod
    def from_outbox(cls, event_id: str, event_type: str, body: bytes) -> OutgoingMessage:
        """E2: the wire form of an outbox row (the correlation id lives in the stored envelope)."""
        try:
            correlation_id = json.loads(body).get("correlationid")
        except (ValueError, AttributeError):
            correlation_id = None
        return cls(event_type, bytes(body), event_id, event_type, correlation_id)


class Publisher(Protocol):
    def publish(self, messages: Sequence[OutgoingMessage], timeout: float) -> list[Outcome]:
        """E2: publish `messages` in order; one outcome per message, in the same order."""

    def keepalive(self) -> None:
        """Let the connection answer heartbeats while idle."""

    def close(self) -> None:
        """Close the connection (a later publish reopens it)."""


def make_publisher(amqp_url: str, exchange: str, *, heartbeat: int = topology.HEARTBEAT_SECONDS) -> Publisher:
    """E2: a pika publisher with batched confirms for `amqp(s)://`, a kombu one for `memory://`."""
    if amqp_url.startswith(("amqp://", "amqps://")):
        return PikaPublisher(amqp_url, exchange, heartbeat=heartbeat)
    if amqp_url.startswith("memory://"):
        return MemoryPublisher(amqp_url, exchange)
    raise ValueError(f"no publisher for {amqp_url.split(':', 1)[0]!r} URLs")


class PikaPublisher:
    """S9/S10: batched asynchronous publisher confirms over one pika SelectConnection."""

    def __init__(self, url: str, exchange: str, *, heartbeat: int = topology.HEARTBEAT_SECONDS,
                 connect_timeout: float = CONNECT_TIMEOUT) -> None:
        self._parameters = pika.URLParameters(url)
        self._parameters.heartbeat = heartbeat
        self._parameters.connection_attempts = 1
        self._parameters.socket_timeout = connect_timeout
        self._parameters.stack_timeout = connect_timeout
        self._exchange = exchange
        self._connect_timeout = connect_timeout
        self._connection: pika.SelectConnection | None = None
        self._channel = None
        self._ready = False
        self._error: BaseException | None = None
        self._next_tag = 0
        self._pending: dict[int, int] = {}  # delivery tag → index in the batch, ascending
        self._index_of: dict[str, int] = {}  # message id → index in the batch
        self._outcomes: list[Outcome | None] = []

    def publish(self, messages: Sequence[OutgoingMessage], timeout: float) -> list[Outcome]:
        """S9/S10: publish the batch and wait at most `timeout` seconds (connecting included)."""
        if not messages:
            return []
        deadline = time.monotonic() + timeout
        self._ensure_open(deadline)
        self._begin_batch(messages)
        try:
            for index, message in enumerate(messages):
                self._send(message)
                self._next_tag += 1
                self._pending[self._next_tag] = index
            self._run_until(lambda: not self._pending or self._error is not None, deadline)
        except pika.exceptions.AMQPError as error:
            self._abort()
            raise BrokerUnavailable(f"connection lost while publishing: {error!r}") from error
        if self._error is not None:
            error = self._error
            self._abort()
            raise BrokerUnavailable(f"connection lost while publishing: {error!r}")
        if self._pending:
            missing = len(self._pending)
            self._abort()  # the broker may still answer later; a fresh connection starts clean
            raise PublishTimeout(f"{missing} of {len(messages)} confirms missing after {timeout:.1f} s")
        return [outcome or Outcome.NACKED for outcome in self._outcomes]

    def keepalive(self) -> None:
        """Run the IO loop once without waiting so heartbeats flow while the relay is idle."""
        if self._connection is not None and self._ready:
            self._run_until(lambda: False, time.monotonic())

    def close(self) -> None:
        """Close politely within a second, then drop the socket whatever the broker does."""
        if self._connection is None:
            return
        if self._connection.is_open:
            self._connection.close()
            self._run_until(lambda: self._connection.is_closed, time.monotonic() + 1.0)
        self._abort()

    # -- connection -------------------------------------------------------------------------

    def _ensure_open(self, deadline: float) -> None:
        if self._connection is not None and self._ready:
            self.keepalive()  # notice a connection the broker closed while we were idle
            if self._ready and self._error is None:
                return
            self._abort()
        self._ready, self._error, self._next_tag = False, None, 0
        self._connection = pika.SelectConnection(
            self._parameters,
            on_open_callback=self._on_connection_open,
            on_open_error_callback=self._on_failure,
            on_close_callback=self._on_failure,
        )
        connect_deadline = min(deadline, time.monotonic() + self._connect_timeout)
        self._run_until(lambda: self._ready or self._error is not None, connect_deadline)
        if not self._ready:
            error = self._error
            self._abort()
            if error is None:
                raise PublishTimeout("the broker did not complete the connection in time")
            raise BrokerUnavailable(f"cannot connect to the broker: {error!r}")

    def _on_connection_open(self, connection) -> None:
        connection.channel(on_open_callback=self._on_channel_open)

    def _on_channel_open(self, channel) -> None:
        self._channel = channel
        channel.add_on_close_callback(self._on_failure)
        channel.add_on_return_callback(self._on_return)
        channel.exchange_declare(
            self._exchange, exchange_type="topic", durable=True,
            callback=lambda _: channel.confirm_delivery(self._on_confirm, callback=self._on_confirm_mode),
        )

    def _on_confirm_mode(self, _frame) -> None:
        self._ready = True
        self._stop_loop()

    def _on_failure(self, _source, error: BaseException) -> None:
        self._ready = False
        self._error = error
        self._stop_loop()

    def _stop_loop(self) -> None:
        if self._connection is not None:
            self._connection.ioloop.stop()

    def _abort(self) -> None:
        """Forget the connection; abort its socket without waiting for the broker."""
        connection, self._connection, self._channel, self._ready = self._connection, None, None, False
        if connection is None:
            return
        try:
            if not connection.is_closed:
                # pika has no public "close now": a graceful close waits for a paused broker forever,
                # so take the path pika's own heartbeat timeout takes.
                connection._terminate_stream(pika.exceptions.StreamLostError("aborted by the publisher"))
                _run_ioloop(connection.ioloop, lambda: connection.is_closed, time.monotonic() + 0.2)
        except Exception:  # noqa: BLE001 — the socket goes away with the IO loop anyway
            log.debug("aborting the pika connection failed", exc_info=True)
        connection.ioloop.close()

    # -- one batch ------------------------------------------------------------------------------

    def _begin_batch(self, messages: Sequence[OutgoingMessage]) -> None:
        self._pending = {}
        self._outcomes = [None] * len(messages)
        self._index_of = {message.message_id: index for index, message in enumerate(messages)}

    def _send(self, message: OutgoingMessage) -> None:
        properties = pika.BasicProperties(
            content_type=message.content_type,
            delivery_mode=pika.DeliveryMode.Persistent,
            message_id=message.message_id,
            type=message.type,
            correlation_id=message.correlation_id,
        )
        self._channel.basic_publish(
            self._exchange, message.routing_key, message.body, properties=properties, mandatory=True,
        )

    def _on_return(self, _channel, _method, properties, _body) -> None:
        # A Basic.Return always precedes the Basic.Ack of the same message.
        index = self._index_of.get(properties.message_id)
        if index is not None:
            self._outcomes[index] = Outcome.RETURNED

    def _on_confirm(self, frame) -> None:
        method = frame.method
        outcome = Outcome.CONFIRMED if isinstance(method, pika.spec.Basic.Ack) else Outcome.NACKED
        tags = [tag for tag in self._pending if tag <= method.delivery_tag] if method.multiple else [
            method.delivery_tag]
        for tag in tags:
            index = self._pending.pop(tag, None)
            if index is not None and self._outcomes[index] is None:
                self._outcomes[index] = outcome
        if not self._pending:
            self._stop_loop()

    def _run_until(self, done: Callable[[], bool], deadline: float) -> None:
        _run_ioloop(self._connection.ioloop, done, deadline)


def _run_ioloop(ioloop, done: Callable[[], bool], deadline: float) -> None:
    """Run a pika IO loop until `done()` (callbacks stop the loop) or `deadline` (monotonic)."""
    if done():
        return
    timer = ioloop.call_later(max(0.0, deadline - time.monotonic()), ioloop.stop)
    try:
        ioloop.start()
    finally:
        ioloop.remove_timeout(timer)


class MemoryPublisher:
    """E2: kombu `memory://` publishing for the embedded mode; routability stands in for `mandatory`."""

    def __init__(self, url: str, exchange: str) -> None:
        self._url = url
        self._exchange_name = exchange
        self._connection = None
        self._producer: Producer | None = None

    def publish(self, messages: Sequence[OutgoingMessage], timeout: float) -> list[Outcome]:
        """E2: publish each message in order; an unroutable one is RETURNED and not delivered."""
        producer = self._ensure_producer()
        outcomes = []
        for message in messages:
            if not self._routable(message.routing_key):
                outcomes.append(Outcome.RETURNED)
                continue
            producer.publish(
                message.body,
                routing_key=message.routing_key,
                content_type=message.content_type,
                content_encoding="utf-8",
                delivery_mode=2,
                message_id=message.message_id,
                type=message.type,
                correlation_id=message.correlation_id,
            )
            outcomes.append(Outcome.CONFIRMED)
        return outcomes

    def keepalive(self) -> None:
        """Nothing to keep alive in-process."""

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()
        self._connection, self._producer = None, None

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            self._connection = topology.connection(self._url)
            exchange = topology.declare_exchange(self._connection, self._exchange_name)
            self._producer = Producer(self._connection.default_channel, exchange=exchange)
        return self._producer

    def _routable(self, routing_key: str) -> bool:
        channel = self._producer.channel
        table = channel.get_table(self._exchange_name)
        return bool(channel.typeof(self._exchange_name).lookup(table, self._exchange_name, routing_key, None))
