"""The runtime: migrations, the unit of work, and the correlation id carried from HTTP into events."""

import json

import pytest
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import func, select

from kit.clock import FrozenClock
from kit.events import EventSpec, InvalidEvent
from kit.runtime import Runtime
from kit.settings import Settings
from kit.web import create_service_app
from services.auth.app import MIGRATIONS
from services.auth.models import Base


class _Payload(Schema):
    seeker_id = fields.String(required=True)


PROBED = EventSpec("auth.probe.happened.v1", _Payload, "A test event.")


@pytest.fixture
def runtime():
    runtime = Runtime(Settings.from_env("auth", {}, database_url="sqlite://"), metadata=Base.metadata,
                      migrations=MIGRATIONS, clock=FrozenClock("2026-11-26T09:00:00+00:00"))
    runtime.migrate()
    yield runtime
    runtime.dispose()


def _outbox_rows(runtime):
    with runtime.engine.connect() as connection:
        return connection.execute(select(runtime.outbox).order_by(runtime.outbox.c.id)).all()


def test_migrate_is_idempotent(runtime):
    runtime.migrate()
    assert _outbox_rows(runtime) == []


def test_commit_writes_events_and_calls_hooks(runtime):
    woken = []
    runtime.on_commit(lambda: woken.append(True))
    with runtime.uow() as uow:
        uow.publish(PROBED, {"seeker_id": "s-1"}, subject="s-1")
        uow.commit()
    rows = _outbox_rows(runtime)
    assert len(rows) == 1 and woken == [True]
    envelope = json.loads(rows[0].body)
    assert envelope["type"] == "auth.probe.happened.v1"
    assert envelope["time"] == "2026-11-26T09:00:00Z"
    assert envelope["source"] == "/mypage/auth"
    assert rows[0].subject == "s-1" and rows[0].sent_at is None


def test_leaving_without_commit_writes_nothing(runtime):
    with runtime.uow() as uow:
        uow.publish(PROBED, {"seeker_id": "s-1"})
    assert _outbox_rows(runtime) == []


def test_payload_is_validated_before_anything_is_written(runtime):
    with runtime.uow() as uow, pytest.raises(InvalidEvent):
        uow.publish(PROBED, {"seeker_id": "s-1", "password": "@abcd1234"})
    with runtime.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(runtime.outbox)).scalar() == 0


def test_correlation_id_travels_from_http_into_the_event(runtime):
    blp = Blueprint("probe", __name__, url_prefix="/api/v1")

    @blp.route("/probe")
    class Probe(MethodView):
        @blp.response(204)
        def post(self):
            with runtime.uow() as uow:
                uow.publish(PROBED, {"seeker_id": "s-2"})
                uow.commit()

    client = create_service_app("auth", title="probe", blueprints=[blp], runtime=runtime).test_client()
    client.post("/api/v1/probe", headers={"X-Correlation-ID": "corr-42"})
    client.post("/api/v1/probe", headers={"X-Request-ID": "req-7"})
    first, second = (json.loads(row.body) for row in _outbox_rows(runtime))
    assert first["correlationid"] == "corr-42"
    assert second["correlationid"] == "req-7"
