"""S11/§8: the parked-message command of every service, `python -m services.<name> parked …`.

    parked list              every message in `mypage.<name>.parked`: id, type, deliveries, when, last error
    parked show ID           one of them: its last error, headers and body
    parked replay ID         put it back on the service queue with its attempt count reset
    parked replay --all      every parked message
    parked drop ID           delete it

Erasure (R3) reaches the parking queue as well: for every `retention.erasure.requested.v1` that asks
its service, the consumer drops the parked messages naming the seeker (`ParkingLot.drop_about`)
before it applies the request, so an event about an erased seeker is neither kept there nor replayed.

ID is the event id (the AMQP message id), as `list` shows it; a message without one (an unparseable
body) is named `body-` and the first 16 hex digits of its body's SHA-256. Every copy with that ID is
acted on (a wire duplicate parked twice is replayed twice; the service's inbox applies it once).

A replay publishes the message to the dead-letter exchange with the service queue's own routing key,
so only this service gets it again, without the headers that count and explain its failures
(`x-mypage-attempt`, `x-mypage-error`, `x-mypage-parked-at`, RabbitMQ's `x-death`…): it starts over
with every retry delay. The copy is confirmed by the broker before the parked message is acked.

Reading the parking queue takes its messages unacked and gives back the ones not acted on, so `list`
and `show` change nothing. Run one such command at a time: messages another
holds meanwhile are not seen.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from kombu import Connection, Producer, Queue
from kombu.exceptions import ChannelError

from kit import topology
from kit.consumer import ATTEMPT_HEADER, ERROR_HEADER, PARKED_AT_HEADER
from kit.erasure import mentions
from kit.settings import DEFAULT_EXCHANGE

RESET_HEADERS = (ATTEMPT_HEADER, ERROR_HEADER, PARKED_AT_HEADER, "x-death", "x-delivery-count")
RESET_PREFIXES = ("x-first-death-", "x-last-death-")
LIST_ERROR_WIDTH = 60


class MissingQueue(LookupError):
    """The service's parking queue or service queue does not exist on this broker (its migrate has not run)."""


@dataclass(frozen=True)
class ParkedMessage:
    """One parked message as an operator reads it."""

    id: str
    type: str
    deliveries: int | None
    parked_at: str
    error: str
    headers: dict
    body: bytes

    def body_text(self) -> str:
        """The body as indented JSON when it is JSON, else as text."""
        try:
            return json.dumps(json.loads(self.body), ensure_ascii=False, indent=2)
        except ValueError:
            return self.body.decode("utf-8", errors="replace")


class ParkingLot:
    """S11: the parked messages of `service` on the broker `connection` reaches."""

    def __init__(self, connection: Connection, service: str, *, exchange_name: str = DEFAULT_EXCHANGE) -> None:
        self._connection = connection
        self._exchange_name = exchange_name
        self.queue_name = topology.parking_queue_name(service, exchange_name)
        self.service_queue_name = topology.queue_name(service, exchange_name)

    def messages(self) -> list[ParkedMessage]:
        """Every parked message, oldest first; nothing is taken out."""
        return self._visit(lambda _channel, _message, _parked: False)

    def replay(self, message_id: str | None) -> int:
        """Put the messages named `message_id` (None: all) back on the service queue, attempts reset;
        returns how many."""
        self._require(self.service_queue_name)
        exchange = topology.dead_letter_exchange(self._exchange_name)

        def republish(channel, message, parked: ParkedMessage) -> bool:
            if message_id is not None and parked.id != message_id:
                return False
            properties = {key: value for key, value in message.properties.items()
                          if key in ("message_id", "type", "correlation_id")}
            Producer(channel).publish(
                message.body, exchange=exchange, routing_key=self.service_queue_name,
                headers=_reset(message.headers), content_type=message.content_type,
                content_encoding=message.content_encoding, delivery_mode=2, retry=False, **properties)
            return True  # confirmed (confirm_publish): the parked one may go

        return self._count(republish)

    def drop(self, message_id: str) -> int:
        """Delete the messages named `message_id`; returns how many."""
        return self._count(lambda _channel, _message, parked: parked.id == message_id)

    def drop_about(self, seeker_id: str) -> int:
        """R3: delete every parked message naming `seeker_id` (kit.erasure.mentions); returns how many.
        The consumer calls it for each erasure request of its service, so erasure reaches the broker too."""
        return self._count(lambda _channel, message, _parked: mentions(message.body, seeker_id))

    def _count(self, act: Callable) -> int:
        taken = 0

        def counted(channel, message, parked: ParkedMessage) -> bool:
            nonlocal taken
            done = act(channel, message, parked)
            taken += done
            return done

        self._visit(counted)
        return taken

    def _visit(self, act: Callable) -> list[ParkedMessage]:
        """Take every parked message unacked; ack those `act` settled and give the rest back, in order.
        On AMQP the closing channel returns them (an explicit basic.reject may count as a failed delivery
        against a quorum queue's delivery limit); kombu's memory transport (the embedded mode) drops what
        a closing channel holds, so there they are requeued first."""
        self._require(self.queue_name)
        channel = self._connection.channel()
        returns_on_close = getattr(channel, "do_restore", True)  # kombu's virtual channels say; py-amqp's do
        held = []
        try:
            queue = Queue(self.queue_name, channel=channel, no_declare=True)
            seen = []
            while (message := queue.get(no_ack=False)) is not None:
                parked = _describe(message)
                if act(channel, message, parked):
                    message.ack()
                else:
                    if not returns_on_close:
                        held.append(message)
                    seen.append(parked)
            return seen
        finally:
            try:
                for message in held:
                    message.requeue()
            finally:
                channel.close()

    def _require(self, name: str) -> None:
        channel = self._connection.channel()
        try:
            channel.queue_declare(name, passive=True)
        except ChannelError as error:  # NOT_FOUND (the broker closed the channel)
            raise MissingQueue(f"{name} does not exist on this broker: run `migrate` (or start the worker) "
                                 f"first") from error
        channel.close()


def parked_id(message_id: str | None, body: bytes) -> str:
    """S11: how the command names a parked message."""
    return message_id or f"body-{hashlib.sha256(body).hexdigest()[:16]}"


def _describe(message) -> ParkedMessage:
    headers = dict(message.headers or {})
    deaths = headers.get("x-death") or []
    latest = deaths[0] if deaths else {}  # RabbitMQ puts the latest first
    error = headers.get(ERROR_HEADER)
    if latest.get("reason") == "delivery_limit":  # parked by the queue, not by the consumer
        error = "delivery limit: the worker died on it (no ack) every time"
    parked_at = headers.get(PARKED_AT_HEADER) or (str(latest["time"]) if "time" in latest else "")
    deliveries = headers.get(ATTEMPT_HEADER)
    return ParkedMessage(
        id=parked_id(message.properties.get("message_id"), message.body),
        type=message.properties.get("type") or "?", deliveries=None if deliveries is None else int(deliveries),
        parked_at=parked_at, error=error or "?", headers=headers, body=message.body,
    )


def _reset(headers: dict | None) -> dict:
    return {key: value for key, value in (headers or {}).items()
            if key not in RESET_HEADERS and not key.startswith(RESET_PREFIXES)}


# -- the command ------------------------------------------------------------------------------------

def parse(service: str, argv: list[str]) -> argparse.Namespace:
    """§8: the arguments of `python -m services.<service> parked …` (exits 2 with usage when wrong)."""
    parser = argparse.ArgumentParser(prog=f"python -m services.{service} parked",
                                     description=f"List, inspect, replay or drop the messages parked in "
                                                 f"mypage.{service}.parked (S11).")
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every parked message: id, type, deliveries, when parked, last error")
    actions.add_parser("show", help="one message: last error, headers, body").add_argument("id")
    replay = actions.add_parser("replay", help="back to the service queue, attempt count reset")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?")
    which.add_argument("--all", action="store_true", help="every parked message")
    actions.add_parser("drop", help="delete it").add_argument("id")
    return parser.parse_args(argv)


def run(runtime, args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """§8: carry out `args` on `runtime`'s parking queue, writing to `out`/`err` (default: stdout/stderr
    as they are then); the exit status (0 done, 1 no such message, 2 no broker or no parking queue)."""
    out, err = out or sys.stdout, err or sys.stderr
    settings = runtime.settings
    if settings.embedded:
        print("parked messages are kept by RabbitMQ: set MYPAGE_AMQP_URL (the embedded mode has none)", file=err)
        return 2
    with topology.connection(settings.amqp_url) as conn:
        lot = ParkingLot(conn, runtime.name, exchange_name=settings.exchange)
        try:
            return _act(lot, args, out, err)
        except MissingQueue as error:
            print(error, file=err)
            return 2


def _act(lot: ParkingLot, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.action == "list":
        messages = lot.messages()
        _print_table(messages, out)
        print(f"{len(messages)} parked in {lot.queue_name}", file=out)
        return 0
    if args.action == "show":
        found = [parked for parked in lot.messages() if parked.id == args.id]
        for parked in found:
            _print_message(parked, out)
    elif args.action == "replay":
        found = lot.replay(None if args.all else args.id)
        print(f"replayed {found} to {lot.service_queue_name}", file=out)
        if args.all:
            return 0
    else:
        found = lot.drop(args.id)
        print(f"dropped {found}", file=out)
    if not found:
        print(f"no parked message {args.id} in {lot.queue_name}", file=err)
        return 1
    return 0


def _print_table(messages: list[ParkedMessage], out: TextIO) -> None:
    rows = [("ID", "TYPE", "DELIVERIES", "PARKED AT", "LAST ERROR")]
    rows += [(m.id, m.type, "?" if m.deliveries is None else str(m.deliveries), m.parked_at,
              _shorten(m.error)) for m in messages]
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*padded, row[4]]), file=out)


def _print_message(parked: ParkedMessage, out: TextIO) -> None:
    print(f"id:          {parked.id}\ntype:        {parked.type}\n"
          f"deliveries:  {'?' if parked.deliveries is None else parked.deliveries}\n"
          f"parked at:   {parked.parked_at}\nlast error:  {parked.error}", file=out)
    print("headers:", file=out)
    for key, value in sorted(parked.headers.items()):
        print(f"  {key}: {value}", file=out)
    print(f"body:\n{parked.body_text()}", file=out)


def _shorten(text: str) -> str:
    line = text.replace("\n", " ")
    return line if len(line) <= LIST_ERROR_WIDTH else line[:LIST_ERROR_WIDTH - 1] + "…"
