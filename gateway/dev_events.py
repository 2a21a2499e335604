"""/dev/events: the embedded mode's tap on the event exchange (development only).

In one process nothing outside can subscribe, so an event no service consumes would have no
route and the relay would keep it unsent (E2: an unroutable event is never marked sent). The
tap binds a queue to every routing key, which makes each event routable and lets a developer
watch the flow: the newest events, newest first, at /dev/events and /dev/events.json.
"""

from __future__ import annotations

import collections
import json
import logging
import threading

from flask import Blueprint, Response, current_app, jsonify
from kombu import Queue
from kombu.mixins import ConsumerMixin

from kit import topology
from kit.problem import Problem

log = logging.getLogger("mypage.dev_events")
KEEP = 500


class EventTap(ConsumerMixin):
    """Consumes a copy of every event on the exchange into a bounded in-memory list."""

    def __init__(self, amqp_url: str, exchange_name: str, keep: int = KEEP) -> None:
        self.connection = topology.connection(amqp_url)
        self.exchange_name = exchange_name
        self.events: collections.deque[dict] = collections.deque(maxlen=keep)
        self.ready = threading.Event()

    def get_consumers(self, Consumer, channel):  # noqa: N803 - kombu's signature
        exchange = topology.declare_exchange(self.connection, self.exchange_name)
        queue = Queue(f"{topology.queue_prefix(self.exchange_name)}.dev-events", exchange=exchange,
                      routing_key="#", durable=False, auto_delete=True)
        return [Consumer(queues=[queue], on_message=self._receive, accept=["json"])]

    def on_consume_ready(self, connection, channel, consumers, **kwargs) -> None:
        self.ready.set()

    def _receive(self, message) -> None:
        try:
            self.events.appendleft(json.loads(message.body))
        except ValueError:
            log.warning("dev events: a message that is not JSON")
        message.ack()

    def run_forever(self, stop: threading.Event) -> None:
        watcher = threading.Thread(target=lambda: (stop.wait(), setattr(self, "should_stop", True)), daemon=True)
        watcher.start()
        self.run()


def create_dev_events_blueprint(tap: EventTap | None) -> Blueprint:
    blueprint = Blueprint("dev_events", __name__, url_prefix="/dev")

    @blueprint.before_request
    def _development_only() -> None:
        if current_app.extensions["settings"].production or tap is None:
            raise Problem("not-found")

    @blueprint.get("/events.json")
    def events_json() -> Response:
        items = list(tap.events)
        return jsonify(items=items, total=len(items))

    @blueprint.get("/events")
    def events_page() -> Response:
        rows = "".join(
            f"<tr><td>{_esc(e.get('time'))}</td><td>{_esc(e.get('type'))}</td><td>{_esc(e.get('subject'))}</td>"
            f"<td><code>{_esc(json.dumps(e.get('data'), ensure_ascii=False))}</code></td></tr>"
            for e in tap.events
        )
        page = ("<!doctype html><html lang='ja'><meta charset='utf-8'>"
                "<meta name='viewport' content='width=device-width,initial-scale=1'>"
                "<title>イベント（開発用）</title><link rel='stylesheet' href='/css/style.css'>"
                "<main><h1>イベント（開発用）</h1><p>新しい順に最大500件。</p>"
                "<table><tr><th>時刻</th><th>種類</th><th>subject</th><th>data</th></tr>"
                f"{rows}</table></main></html>")
        return Response(page, mimetype="text/html")

    return blueprint


def _esc(value) -> str:
    from markupsafe import escape

    return str(escape("" if value is None else value))
