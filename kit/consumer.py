"""The event consumer (DESIGN §3, E2, S9, S11): a kombu worker over one service queue.

    consumer = Consumer(topology.connection(settings.amqp_url), service="jobs",
                        subscriptions=handlers.SUBSCRIPTIONS, uow_factory=bootstrap.uow,
                        inbox_table=models.inbox, exchange_name=settings.exchange)
    consumer.run()            # blocks; consumer.stop() from another thread ends it

For each message: parse the CloudEvent (unparseable → parked at once), claim
`(event id, handler)` in the inbox inside a unit of work (a duplicate is acked and skipped),
run the handler, commit, and only then ack. Handlers use `uow.session` and `uow.publish`
and never commit: the consumer does (a handler's `uow.commit()` raises HandlerCommitted).
Messages that arrive together (up to `batch_size`) share one transaction — one commit
instead of one per event; if anything in the batch fails it is rolled back and each message
is handled in its own transaction. A handler marked with `@handles_batches` takes
`(events, uow)` and is called once per batch with every event it has not seen (a projection
can then write one row per event in one executemany); alone, it gets a list of one.

Throughput (bench/events.py): the broker may have `prefetch` (1,000) unacked deliveries in
flight, more than a batch, so it keeps streaming while a batch commits; a batch is committed
when it is full (`batch_size`, 250), when the stream pauses for BATCH_DRAIN_TIMEOUT, or at
the latest BATCH_MAX_WAIT after its first message (the latency bound); on AMQP one
`multiple` ack settles it. On plain `amqp://` the worker reads through kit.amqp_buffered
(chunked socket reads) — still kombu and py-amqp frames, for `memory://` nothing changes.

A handler that raises is retried by republishing a copy (header `x-mypage-attempt`) to the
retry queue of its delay (`retry_delays`, MYPAGE_RETRY_DELAYS: 1 s, 10 s, 1 min, 10 min), from which
RabbitMQ dead-letters it back to the service queue once the delay has passed, and acking the
original, so the messages behind it keep flowing; after the last delay's delivery fails the message
is parked in `<queue>.parked` with the last error in `x-mypage-error` and the time in
`x-mypage-parked-at` (`python -m services.<name> parked` lists and replays them, kit.parked). On
`memory://` (no TTLs there) the copy goes straight back to the tail of the service queue. The quorum
queue's delivery limit parks a message that kills the worker before it can ack (topology). A database
that is unreachable is not the message's fault: the worker waits and retries in place instead of
burning the message's attempts.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kombu import Connection, Producer
from kombu.mixins import ConsumerMixin
from kombu.transport.virtual.exchange import TopicExchange
from sqlalchemy import Table
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from kit import topology
from kit.amqp_buffered import BufferedTransport
from kit.clock import Clock, SystemClock
from kit.erasure import ERASURE_REQUESTED, parse_request
from kit.events import Event, InvalidEvent
from kit.inbox import Claim, claim, claim_many
from kit.settings import DEFAULT_EXCHANGE
from kit.uow import UnitOfWork, correlation_id

log = logging.getLogger(__name__)

Handler = Callable[[Event, UnitOfWork], None]
BatchHandler = Callable[[list[Event], UnitOfWork], None]

ATTEMPT_HEADER = "x-mypage-attempt"
ERROR_HEADER = "x-mypage-error"
PARKED_AT_HEADER = "x-mypage-parked-at"
MAX_ERROR_LENGTH = 1000
DEFAULT_PREFETCH = 1000  # > batch_size: the broker keeps streaming while a batch commits
DEFAULT_BATCH_SIZE = 250
HEARTBEAT_CHECK_INTERVAL = 1.0
IDLE_DRAIN_TIMEOUT = 1.0
BATCH_DRAIN_TIMEOUT = 0.002  # how long to wait for a next message before committing a batch
BATCH_MAX_WAIT = 0.02  # a batch commits at the latest this long after its first message arrived
INFRASTRUCTURE_RETRIES = 10
MAX_INFRASTRUCTURE_PAUSE = 5.0


def handles_batches(handler: BatchHandler) -> BatchHandler:
    """E2: mark `handler(events, uow)` as taking a batch's fresh events in one call (same transaction).

    Each event is still claimed in the inbox on its own, so duplicates never reach the handler;
    if the call raises, every message of the batch is retried in its own transaction.
    """
    handler.handles_batches = True
    return handler


def takes_batches(handler) -> bool:
    return getattr(handler, "handles_batches", False) is True


def handler_name(handler: Handler) -> str:
    """E2: the inbox name of a handler, `module.qualname` — stable across processes — or its own
    `inbox_name` (a handler run by several consumers that must each apply every event, e.g. one
    per search node)."""
    return getattr(handler, "inbox_name", None) or f"{handler.__module__}.{handler.__qualname__}"


class Unavailable(Exception):
    """Something a handler needs besides the database is down (e.g. the search engine): not the
    message's fault. The consumer waits and retries in place, as for an unreachable database."""


@dataclass
class _Work:
    message: object
    event: Event
    handler: Handler


class Consumer(ConsumerMixin):
    """E2/S9/S11: consumes `<prefix>.<service>` and applies each event once per handler."""

    def __init__(
        self,
        connection: Connection,
        *,
        service: str,
        subscriptions: Mapping[str, Handler],
        uow_factory: Callable[[], UnitOfWork],
        inbox_table: Table,
        exchange_name: str = DEFAULT_EXCHANGE,
        prefetch: int = DEFAULT_PREFETCH,
        batch_size: int = DEFAULT_BATCH_SIZE,
        retry_delays: Sequence[float] = topology.RETRY_DELAYS,
        infrastructure_retries: int | None = INFRASTRUCTURE_RETRIES,
        clock: Clock | None = None,
        parking_ttl_days: int = topology.PARKING_TTL_DAYS,
    ) -> None:
        self.connection = connection
        self.service = service
        self.subscriptions = dict(subscriptions)
        self._patterns = [(_topic_regex(key), handler) for key, handler in self.subscriptions.items()]
        self._uow_factory = uow_factory
        self._inbox = inbox_table
        self.exchange_name = exchange_name
        self.prefetch = prefetch
        self.batch_size = max(1, batch_size)
        self.retry_delays = tuple(retry_delays)
        self.max_deliveries = len(self.retry_delays) + 1
        self._retry_queues: dict[float, object] = {}  # delay → its retry queue on this channel (AMQP)
        # None: wait for the infrastructure as long as it takes (a read model that must not skip events)
        self.infrastructure_retries = infrastructure_retries
        self.queue_name = topology.queue_name(service, exchange_name)
        self.parking_queue_name = topology.parking_queue_name(service, exchange_name)
        self._parking_route = topology.parking_routing_key(service, exchange_name)
        self.parking_ttl_days = parking_ttl_days
        self.ready = threading.Event()  # set once the queue is declared and consumed from
        self.handled = 0  # events whose handler committed (duplicates excluded)
        self.duplicates = 0  # deliveries skipped because the inbox had them already
        self.retried = 0
        self.parked = 0
        self._clock = clock or SystemClock()
        self.last_progress = self._clock.now()  # §8 liveness: the loop's last turn
        self._flushing = 0
        self._stopping = threading.Event()
        self._batch: list = []
        self._batch_deadline = 0.0
        self._producer: Producer | None = None
        self._multiple_acks = False
        self._active_connection: Connection | None = None
        self._last_heartbeat_check = 0.0
        self._connection_failures = 0  # failed attempts to reach the broker since it was last reached
        self._external_stop: threading.Event | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Finish the message in hand, then leave `run()`; unacked messages return to the queue."""
        self.should_stop = True
        self._stopping.set()

    def run_forever(self, stop: threading.Event) -> None:
        """E2: consume until `stop` is set (checked at least once a second, reconnecting included)."""
        self._external_stop = stop
        with contextlib.suppress(_Stopped):
            self.run()

    def create_connection(self) -> Connection:
        """The mixin's working connection: on plain `amqp://`, py-amqp with chunked socket reads."""
        if self.connection.transport_cls in ("amqp", "pyamqp") and not self.connection.ssl:
            return self.connection.clone(transport=BufferedTransport)
        return self.connection.clone()

    def get_consumers(self, Consumer, channel):  # noqa: N803 — kombu's signature
        quorum = topology.is_amqp(self.connection.as_uri())
        keys = self.subscriptions.keys()
        queue = topology.service_queue(self.service, keys, exchange_name=self.exchange_name, quorum=quorum)
        parking = topology.parking_queue(self.service, exchange_name=self.exchange_name, quorum=quorum,
                                         ttl_days=self.parking_ttl_days)
        topology.declare_parking(parking(channel), self.parking_ttl_days)
        self._retry_queues = {}
        if quorum:
            for delay in self.retry_delays:
                self._retry_queues[delay] = topology.retry_queue(
                    self.service, delay, exchange_name=self.exchange_name)(channel)
                self._retry_queues[delay].declare()
        self._producer = Producer(channel)
        self._multiple_acks = quorum
        return [Consumer(queues=[queue], on_message=self._receive, prefetch_count=self.prefetch)]

    def on_consume_ready(self, connection, channel, consumers, **kwargs) -> None:
        self._active_connection = connection  # the mixin consumes on a clone of self.connection
        self.ready.set()

    def on_connection_error(self, exc, interval) -> None:
        if self._stop_requested():
            raise _Stopped()  # kombu would otherwise retry connecting forever
        self._connection_failures += 1
        # §8: one WARNING per outage; the attempts after the first at DEBUG, the return at INFO
        log.log(logging.WARNING if self._connection_failures == 1 else logging.DEBUG,
                "consumer %s: broker unreachable (%s); retrying in %s s (attempt %d)", self.service, exc, interval,
                self._connection_failures)

    def on_connection_revived(self) -> None:
        if self._connection_failures:
            log.info("consumer %s: broker reachable again after %d failed attempts", self.service,
                     self._connection_failures)
        self._connection_failures = 0

    def _stop_requested(self) -> bool:
        if self._external_stop is not None and self._external_stop.is_set():
            self.stop()
        return self.should_stop

    @property
    def unacked(self) -> int:
        """§8: deliveries this consumer holds and has not settled yet."""
        return self._flushing + len(self._batch)

    def on_iteration(self) -> None:
        self.last_progress = self._clock.now()
        self._stop_requested()
        now = time.monotonic()
        if now - self._last_heartbeat_check >= HEARTBEAT_CHECK_INTERVAL:
            self._last_heartbeat_check = now
            self._heartbeat()

    def consume(self, limit=None, timeout=None, safety_interval=IDLE_DRAIN_TIMEOUT, **kwargs) -> Iterator:
        """Like ConsumerMixin.consume, but commits what has arrived as soon as the stream pauses
        (BATCH_DRAIN_TIMEOUT), the batch is full, or its first message has waited BATCH_MAX_WAIT."""
        with self.consumer_context(**kwargs) as (conn, _channel, _consumers):
            try:
                while not self.should_stop:
                    self.on_iteration()
                    wait = safety_interval
                    if self._batch:
                        wait = self._batch_deadline - time.monotonic()
                        if wait <= 0:  # a steady trickle must not keep the batch open
                            self._flush()
                            continue
                        wait = min(wait, BATCH_DRAIN_TIMEOUT)
                    try:
                        conn.drain_events(timeout=wait)
                    except TimeoutError:
                        self._flush()
                        continue
                    except OSError:
                        if self.should_stop:
                            break
                        raise
                    if len(self._batch) >= self.batch_size:
                        self._flush()
                    yield
            finally:
                self._batch = []  # unacked: the broker redelivers them to whoever consumes next
                self._active_connection = None
                self.ready.clear()

    def _receive(self, message) -> None:
        if not self._batch:
            self._batch_deadline = time.monotonic() + BATCH_MAX_WAIT
        self._batch.append(message)

    def _heartbeat(self) -> None:
        if self._active_connection is not None:
            with contextlib.suppress(NotImplementedError, AttributeError):
                self._active_connection.heartbeat_check()

    # -- handling -----------------------------------------------------------------------------

    def _flush(self) -> None:
        batch, self._batch = self._batch, []
        self._flushing = len(batch)
        try:
            self._settle(batch)
        finally:
            self._flushing = 0

    def _settle(self, batch: list) -> None:
        work = [item for item in (self._decode(message) for message in batch) if item is not None]
        self._erase_parked(work)
        failed: tuple[_Work | None, Exception] | None = None
        if len(work) > 1:
            failed = self._apply_together(work)
            if failed is None:
                self._acknowledge([item.message for item in work])
                return
        for item in work:
            if failed is not None and item is failed[0] and not _is_infrastructure(failed[1]):
                self._retry_or_park(item.message, failed[1])  # its handler already ran for this delivery
            else:
                self._apply_alone(item)

    def _erase_parked(self, work: list[_Work]) -> None:
        """R3: an erasure request for this service reaches its parking queue too — the parked messages
        naming the seeker are dropped before the request is applied (again on a redelivery: harmless).
        A broker error propagates: the request stays unacked and comes back."""
        requests = (parse_request(item.event) for item in work if item.event.type == ERASURE_REQUESTED)
        seekers = sorted({request.seeker_id for request in requests if request and request.asks(self.service)})
        if not seekers or self._active_connection is None:
            return
        from kit.parked import ParkingLot  # kit.parked reads this module's header names

        lot = ParkingLot(self._active_connection, self.service, exchange_name=self.exchange_name)
        dropped = sum(lot.drop_about(seeker_id) for seeker_id in seekers)
        if dropped:
            log.info("consumer %s: erasure dropped %d parked messages", self.service, dropped,
                     extra={"outcome": "erased"})

    def _decode(self, message) -> _Work | None:
        try:
            event = Event.from_json(message.body)
        except InvalidEvent as error:
            self._park(message, error)
            return None
        handler = self._handler_for(event.type)
        if handler is None:
            self._park(message, LookupError(f"{self.service} has no handler for {event.type}"))
            return None
        return _Work(message, event, handler)

    def _handler_for(self, event_type: str) -> Handler | None:
        handler = self.subscriptions.get(event_type)
        if handler is not None:
            return handler
        return next((handler for pattern, handler in self._patterns if pattern.match(event_type)), None)

    def _apply_together(self, work: list[_Work]) -> tuple[_Work | None, Exception] | None:
        """One transaction (and one inbox INSERT) for the whole batch; on failure the culprit is returned
        (None when it cannot be told, e.g. a batch handler raised)."""
        current: _Work | None = work[0]
        try:
            with self._uow_factory() as uow:
                claims = [Claim(i.event.id, handler_name(i.handler), i.event.type, i.event.subject)
                          for i in work]
                fresh = claim_many(uow.session, self._inbox, claims, now=uow.clock.now())
                applied = 0
                batched: dict[Handler, list[_Work]] = {}
                for current, key in zip(work, claims, strict=True):
                    if (key.event_id, key.handler) in fresh:
                        fresh.discard((key.event_id, key.handler))  # a 2nd copy in the batch: duplicate
                        if takes_batches(current.handler):
                            batched.setdefault(current.handler, []).append(current)
                        else:
                            self._run_handler(uow, current)
                        applied += 1
                current = None
                for handler, items in batched.items():
                    self._run_handler(uow, items[0], handler=handler, events=[i.event for i in items])
                current = work[-1]
                uow.commit()
        except Exception as error:  # noqa: BLE001 — each message is then handled in its own transaction
            log.debug("consumer %s: batch of %d failed", self.service, len(work), exc_info=True)
            return current, error
        self.handled += applied
        self.duplicates += len(work) - applied
        return None

    def _apply_alone(self, item: _Work) -> None:
        """E2/S11: its own transaction; ack after commit, else retry or park."""
        pause = 0
        while True:
            try:
                with self._uow_factory() as uow:
                    applied = self._apply(uow, item)
                    uow.commit()
            except Exception as error:  # noqa: BLE001 — any handler error is the message's to carry
                patient = self.infrastructure_retries is None or pause < self.infrastructure_retries
                if _is_infrastructure(error) and patient and not self.should_stop:
                    self._wait_for_infrastructure(error, pause)
                    pause = min(pause + 1, 16)  # the delay is capped long before
                    continue
                if self.should_stop and _is_infrastructure(error):
                    return  # leave it unacked; it is redelivered
                self._retry_or_park(item.message, error)
                return
            self.handled += applied
            self.duplicates += not applied
            self._acknowledge([item.message])
            return

    def _apply(self, uow: UnitOfWork, item: _Work) -> bool:
        """Claim and run one handler inside `uow`; False for a duplicate (nothing done)."""
        event = item.event
        fresh = claim(
            uow.session, self._inbox, event_id=event.id, handler=handler_name(item.handler),
            event_type=event.type, subject=event.subject, now=uow.clock.now(),
        )
        if fresh:
            self._run_handler(uow, item)
        return fresh

    def _run_handler(self, uow: UnitOfWork, item: _Work, *, handler: Handler | None = None,
                     events: list[Event] | None = None) -> None:
        """Run `item`'s handler (or a batch handler with `events`; the first event's correlation id)."""
        token = correlation_id.set(item.event.correlationid or item.event.id)
        # A handler's own commit would make the batch's inbox claims durable before its peers ran.
        uow.commit = _refuse_commit
        try:
            if events is not None:
                handler(events, uow)
            elif takes_batches(item.handler):
                item.handler([item.event], uow)
            else:
                item.handler(item.event, uow)
        finally:
            del uow.commit
            correlation_id.reset(token)

    def _acknowledge(self, messages: list) -> None:
        """Ack committed messages, in delivery order (a seam: resilience tests crash here).

        On AMQP one `multiple` ack covers the batch: every earlier delivery on this channel is
        settled already (committed here, or retried/parked and acked). kombu's memory transport
        ignores `multiple`, so there each message is acked.
        """
        if self._multiple_acks and len(messages) > 1:
            messages[-1].ack(multiple=True)
            return
        for message in messages:
            message.ack()

    def _wait_for_infrastructure(self, error: Exception, pause: int) -> None:
        delay = min(MAX_INFRASTRUCTURE_PAUSE, 0.25 * 2**pause)
        log.warning("consumer %s: infrastructure unavailable (%s); retrying in %.2f s", self.service, error, delay)
        deadline = time.monotonic() + delay
        while not self._stopping.is_set() and time.monotonic() < deadline:
            self._stopping.wait(min(HEARTBEAT_CHECK_INTERVAL, max(0.0, deadline - time.monotonic())))
            self._heartbeat()
            self.last_progress = self._clock.now()  # waiting as designed: a restart would not help (§8)

    # -- retry and parking ----------------------------------------------------------------------

    def _retry_or_park(self, message, error: Exception) -> None:
        with _correlated(message):
            self._retry_or_park_correlated(message, error)

    def _retry_or_park_correlated(self, message, error: Exception) -> None:
        attempt = delivery_attempt(message)
        if attempt >= self.max_deliveries:
            self._park(message, error)
            return
        delay = self.retry_delays[attempt - 1]
        route = self.queue_name  # memory://: no TTLs, so straight back to the tail
        if self._retry_queues:
            retry_queue = self._retry_queues[delay]
            retry_queue.declare()  # renews its lease (x-expires), or makes it again after it expired
            route = retry_queue.name
        log.warning("consumer %s: attempt %d of %s failed (%s); delivering it again in %s", self.service, attempt,
                    message.properties.get("message_id"), error_text(error), topology.delay_label(delay),
                    extra={"event_id": message.properties.get("message_id")})
        self._republish(message, routing_key=route, attempt=attempt + 1, error=error)
        self.retried += 1
        message.ack()

    def _park(self, message, error: Exception) -> None:
        """S11: move the message to the parking queue with the reason, and ack the original."""
        attempt = delivery_attempt(message)
        with _correlated(message):
            log.error("consumer %s: parking %s after %d deliveries: %s", self.service,
                      message.properties.get("message_id"), attempt, error_text(error),
                      extra={"event_id": message.properties.get("message_id")})
        self._republish(message, routing_key=self._parking_route, attempt=attempt, error=error,
                        parked_at=self._clock.now().isoformat(timespec="seconds"))
        self.parked += 1
        message.ack()

    def _republish(self, message, *, routing_key: str, attempt: int, error: Exception,
                   parked_at: str | None = None) -> None:
        headers = dict(message.headers or {})
        headers.pop("x-delivery-count", None)
        headers[ATTEMPT_HEADER] = attempt
        headers[ERROR_HEADER] = error_text(error)
        if parked_at is not None:
            headers[PARKED_AT_HEADER] = parked_at
        properties = message.properties
        self._producer.publish(
            message.body,
            exchange=topology.dead_letter_exchange(self.exchange_name),
            routing_key=routing_key,
            headers=headers,
            content_type=message.content_type or "application/octet-stream",
            content_encoding=message.content_encoding or "binary",
            delivery_mode=2,
            message_id=properties.get("message_id"),
            type=properties.get("type"),
            correlation_id=properties.get("correlation_id"),
            retry=False,
        )


@contextlib.contextmanager
def _correlated(message) -> Iterator[None]:
    """§8: retry and park log lines carry the event's correlation id (its message id when it has none)."""
    properties = message.properties
    token = correlation_id.set(properties.get("correlation_id") or properties.get("message_id"))
    try:
        yield
    finally:
        correlation_id.reset(token)


class HandlerCommitted(RuntimeError):
    """A handler called `uow.commit()`; the consumer commits, after the inbox claim and the handler."""


def _refuse_commit() -> None:
    raise HandlerCommitted("handlers must not call uow.commit(): the consumer commits the unit of work")


class _Stopped(Exception):
    """Raised out of kombu's reconnect loop when the worker is told to stop."""


def error_text(error: Exception) -> str:
    """S11/S7: the failure as logs and the parked message's header keep it: type and message, bounded.

    Never the exception's repr of a payload; database errors arrive without values (kit.db)."""
    return f"{type(error).__name__}: {error}"[:MAX_ERROR_LENGTH]


def delivery_attempt(message) -> int:
    """S11: which delivery this is, counting our republished retries and RabbitMQ's redeliveries."""
    headers = message.headers or {}
    republished = int(headers.get(ATTEMPT_HEADER, 1))
    redelivered = int(headers.get("x-delivery-count", 0))  # set by quorum queues on redelivery
    return republished + redelivered


def _is_infrastructure(error: Exception) -> bool:
    if isinstance(error, Unavailable):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, OperationalError | InterfaceError)


def _topic_regex(key: str) -> re.Pattern:
    """A topic binding key as a regex (`*` one word, `#` any words), as kombu's memory transport reads it."""
    return re.compile(TopicExchange(None).key_to_pattern(key))
