"""An outside subscriber of the My Page events, as another Hello Work system would write one (issue 13 item 6).

Plain pika and jsonschema (`pip install pika jsonschema`), nothing of this repository's code: it
declares a durable queue of its own, binds it to the topic exchange with the routing keys it wants,
checks every CloudEvent against the released contract of its type
(contracts/released/events/<type>.json, a copy of which the subscribing system keeps) and prints it
as one JSON line.

    python deploy/examples/subscriber.py --url amqp://mypage-subscriber:…@rabbitmq:5672/%2F \\
        --queue hellowork.counter --bind 'profile.registration.*.v1' --bind 'auth.mypage.#'

- The broker user `mypage-subscriber` (kit/broker_users.py) may declare, bind and read only queues
  named `hellowork.…`, and publishes nothing.
- A contract is open: a later version may add optional fields, which a subscriber ignores; anything
  else is a new type (`….v2`) published beside the old one, so a subscriber moves when it is ready.
- A message that breaks its contract, or whose routing key is not its type, is reported on stderr and
  rejected (it is not delivered again); one of a type without a contract here is reported and acked.
- Delivery is at least once: a real subscriber stores the `id` of each event with its effect and
  skips an `id` it has seen. This one only prints.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

import pika
from jsonschema import Draft202012Validator, FormatChecker

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "released" / "events"
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
PREFETCH = 20


class Contracts:
    """The released schema of each event type, read from `directory` when first needed."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.validators: dict[str, Draft202012Validator | None] = {}

    def errors(self, envelope: object) -> list[str] | None:
        """What is wrong with `envelope` (empty: nothing); None when its type has no contract here."""
        event_type = envelope.get("type") if isinstance(envelope, dict) else None
        if not isinstance(event_type, str):
            return ["not a CloudEvent: no type"]
        if event_type not in self.validators:
            path = self.directory / f"{event_type}.json"
            self.validators[event_type] = (
                Draft202012Validator(json.loads(path.read_text(encoding="utf-8")), format_checker=FormatChecker())
                if "/" not in event_type and path.is_file() else None)
        validator = self.validators[event_type]
        if validator is None:
            return None
        return [f"{'/'.join(map(str, error.absolute_path)) or '(envelope)'}: {error.message}"
                for error in validator.iter_errors(envelope)]


def handle(channel, method, properties, body: bytes, contracts: Contracts) -> None:
    try:
        envelope = json.loads(body)
    except ValueError as error:
        report(f"rejected a message that is not JSON ({error})")
        channel.basic_reject(method.delivery_tag, requeue=False)
        return
    errors = contracts.errors(envelope)
    if errors is None:
        report(f"no contract for {envelope.get('type')!r} in {contracts.directory}: acked unread")
        channel.basic_ack(method.delivery_tag)
        return
    if method.routing_key != envelope.get("type"):
        errors.append(f"routing key {method.routing_key!r} is not the type {envelope.get('type')!r}")
    if errors:
        report(f"rejected {envelope.get('type')} {envelope.get('id')}: breaks its contract\n  " + "\n  ".join(errors))
        channel.basic_reject(method.delivery_tag, requeue=False)
        return
    print(json.dumps(envelope, ensure_ascii=False), flush=True)
    channel.basic_ack(method.delivery_tag)


def report(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("MYPAGE_SUBSCRIBER_AMQP_URL", DEFAULT_URL),
                        help="the broker (default $MYPAGE_SUBSCRIBER_AMQP_URL, else the local guest)")
    parser.add_argument("--exchange", default="mypage.events")
    parser.add_argument("--queue", default="hellowork.example", help="a durable queue of this subscriber's own")
    parser.add_argument("--bind", action="append", metavar="KEY",
                        help="a routing key or pattern (`profile.#`); may be repeated; default every event")
    parser.add_argument("--contracts", type=Path, default=CONTRACTS,
                        help="the released schemas, one <type>.json per type")
    args = parser.parse_args(argv)
    contracts = Contracts(args.contracts)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    connection = pika.BlockingConnection(pika.URLParameters(args.url))
    try:
        channel = connection.channel()
        channel.queue_declare(args.queue, durable=True)
        for key in args.bind or ["#"]:
            channel.queue_bind(args.queue, args.exchange, routing_key=key)
        channel.basic_qos(prefetch_count=PREFETCH)
        channel.basic_consume(args.queue, lambda ch, method, props, body: handle(ch, method, props, body, contracts))
        report(f"listening on {args.queue} ({', '.join(args.bind or ['#'])} from {args.exchange})")
        channel.start_consuming()
    except KeyboardInterrupt:
        pass
    finally:
        if connection.is_open:
            connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
