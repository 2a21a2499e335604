"""E2/E3 building blocks: the CloudEvents envelope, the outbox, the inbox and the unit of work (SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import marshmallow
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select

from kit.clock import FrozenClock
from kit.db import make_engine, make_session_factory
from kit.events import Event, EventSpec, InvalidEvent, check_type, is_newer, seeker_id_of
from kit.inbox import Claim, claim, claim_many, inbox_table
from kit.outbox import outbox_table
from kit.publisher import OutgoingMessage
from kit.uow import UnitOfWork, correlation_id


class Added(marshmallow.Schema):
    job_number = marshmallow.fields.String(required=True)


FAVOURITE_ADDED = EventSpec("jobs.favourite.added.v1", Added, "a favourite was added")


# -- envelope ---------------------------------------------------------------------------------------

def test_e2_envelope_round_trips_through_json():
    event = Event(type="jobs.favourite.added.v1", data={"job_number": "11040-00000301", "名": "越谷"},
                  source="/jobs", subject="seeker-1", correlationid="req-1",
                  time=datetime(2026, 11, 26, 9, 0, tzinfo=UTC))
    envelope = event.to_dict()
    assert envelope["specversion"] == "1.0"
    assert envelope["time"] == "2026-11-26T09:00:00Z"
    assert Event.from_json(event.to_json()) == event


@pytest.mark.parametrize("name", ["auth.mypage.opened.v1", "profile.registration.invalidated.v1",
                                  "retention.erasure.requested.v12"])
def test_e2_event_types_are_service_entity_past_participle_major(name):
    assert check_type(name) == name


@pytest.mark.parametrize("name", ["FavouriteAdded", "jobs.favourite.added", "jobs.favourite.added.v0",
                                  "Jobs.favourite.added.v1", "jobs.favourite.added.v1.extra"])
def test_e2_class_names_and_unversioned_types_are_refused(name):
    with pytest.raises(InvalidEvent):
        check_type(name)


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"specversion": "0.3"}', b'{"specversion": "1.0"}'])
def test_e2_broken_envelopes_are_invalid_events(body):
    with pytest.raises(InvalidEvent):
        Event.from_json(body)


def test_e2_wire_form_of_an_outbox_row_keeps_the_correlation_id():
    event = Event(type="jobs.favourite.added.v1", data={}, source="/jobs", correlationid="req-9")
    message = OutgoingMessage.from_outbox(event.id, event.type, event.to_json())
    assert (message.routing_key, message.message_id, message.correlation_id) == (event.type, event.id, "req-9")


# -- outbox and unit of work ------------------------------------------------------------------------

@pytest.fixture
def db(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'kit.db'}")
    metadata = MetaData()
    tables = {
        "outbox": outbox_table(metadata),
        "inbox": inbox_table(metadata),
        "favourites": Table("favourites", metadata, Column("id", Integer, primary_key=True)),
    }
    metadata.create_all(engine)
    yield engine, tables
    engine.dispose()


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def _uow(engine, tables, hooks=()) -> UnitOfWork:
    return UnitOfWork(make_session_factory(engine), outbox=tables["outbox"], clock=FrozenClock(), source="/jobs",
                      on_commit=hooks)


def test_e2_state_change_and_outbox_rows_commit_together(db):
    engine, tables = db
    woken = []
    with _uow(engine, tables, [lambda: woken.append(True)]) as uow:
        uow.session.execute(insert(tables["favourites"]).values(id=1))
        first = uow.publish(FAVOURITE_ADDED, {"job_number": "11040-00000301"}, subject="seeker-1")
        second = uow.publish(FAVOURITE_ADDED, {"job_number": "11040-00000302"}, subject="seeker-1")
        uow.commit()
    assert _count(engine, tables["favourites"]) == 1
    with engine.connect() as conn:
        rows = conn.execute(select(tables["outbox"]).order_by(tables["outbox"].c.id)).all()
    assert [row.event_id for row in rows] == [first.id, second.id]
    assert Event.from_json(rows[0].body) == first
    assert woken == [True]  # the relay is woken once per commit that wrote events


def test_e2_state_change_and_outbox_rows_roll_back_together(db):
    engine, tables = db
    with _uow(engine, tables) as uow:
        uow.session.execute(insert(tables["favourites"]).values(id=1))
        uow.publish(FAVOURITE_ADDED, {"job_number": "11040-00000301"})
    assert _count(engine, tables["favourites"]) == 0
    assert _count(engine, tables["outbox"]) == 0


def test_e3_payload_outside_the_schema_is_refused(db):
    engine, tables = db
    with _uow(engine, tables) as uow, pytest.raises(InvalidEvent):
        uow.publish(FAVOURITE_ADDED, {"job_number": "1", "password": "secret"})


def test_e2_events_carry_the_current_correlation_id(db):
    engine, tables = db
    token = correlation_id.set("req-7")
    try:
        with _uow(engine, tables) as uow:
            event = uow.publish(FAVOURITE_ADDED, {"job_number": "1"})
    finally:
        correlation_id.reset(token)
    assert event.correlationid == "req-7"


# -- inbox -----------------------------------------------------------------------------------------

def test_e2_inbox_claims_an_event_once_per_handler(db):
    engine, tables = db
    now = datetime(2026, 11, 26, tzinfo=UTC)
    session = make_session_factory(engine)()
    args = {"event_type": "jobs.favourite.added.v1", "subject": None, "now": now}
    assert claim(session, tables["inbox"], event_id="e1", handler="a.h", **args)
    assert not claim(session, tables["inbox"], event_id="e1", handler="a.h", **args)
    assert claim(session, tables["inbox"], event_id="e1", handler="b.h", **args)
    session.commit()
    session.close()


def test_e2_a_rolled_back_claim_is_released(db):
    engine, tables = db
    now = datetime(2026, 11, 26, tzinfo=UTC)
    sessions = make_session_factory(engine)
    args = {"event_id": "e1", "handler": "a.h", "event_type": "jobs.favourite.added.v1", "subject": None, "now": now}
    with sessions() as session:
        assert claim(session, tables["inbox"], **args)
        session.rollback()
    with sessions() as session:
        assert claim(session, tables["inbox"], **args)


def test_e2_claim_many_claims_each_pair_once(db):
    engine, tables = db
    now = datetime(2026, 11, 26, tzinfo=UTC)
    with make_session_factory(engine)() as session:
        claim(session, tables["inbox"], event_id="old", handler="h", event_type="x.y.z.v1", subject=None, now=now)
        claims = [Claim(event_id, "h", "x.y.z.v1", None) for event_id in ("old", "new", "new", "other")]
        assert claim_many(session, tables["inbox"], claims, now=now) == {("new", "h"), ("other", "h")}


@pytest.mark.parametrize("seeker_id", [None, "", "x" * 37, 42, ["s"]])
def test_an_event_without_a_usable_seeker_id_is_logged_and_let_go(seeker_id, caplog):
    event = Event(type="profile.seeker.registered.v1", source="/mypage/profile", data={"seeker_id": seeker_id})
    assert seeker_id_of(event) is None
    assert f"profile.seeker.registered.v1 {event.id} without a usable seeker_id; ignored" in caplog.text


def test_a_usable_seeker_id_is_read_as_sent():
    event = Event(type="profile.seeker.registered.v1", source="/mypage/profile", data={"seeker_id": "x" * 36})
    assert seeker_id_of(event) == "x" * 36


def test_projection_order_older_events_change_nothing_equal_times_apply():
    T = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)  # noqa: N806
    assert is_newer(T, None)
    assert is_newer(T, T)
    assert not is_newer(T - timedelta(microseconds=1), T)
