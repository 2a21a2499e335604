"""The demo seeker 求職 太郎: registered once, announced to auth through the outbox with least data (E3)."""

import json
from datetime import date

import pytest
from sqlalchemy import select

from kit.clock import FrozenClock
from kit.events import InvalidEvent
from kit.testing.services import migrated_runtime
from services.profile.app import build_runtime
from services.profile.demo import load_demo
from services.profile.domain import registration_valid_until
from services.profile.events import PUBLISHES, SEEKER_REGISTERED
from services.profile.models import Seeker


@pytest.fixture
def runtime():
    with migrated_runtime(build_runtime, "profile", FrozenClock("2026-11-30T16:00:00+00:00")) as runtime:  # 12-01 JST
        yield runtime


def _outbox(runtime):
    with runtime.engine.connect() as connection:
        return connection.execute(select(runtime.outbox)).all()


def _seekers(runtime) -> list[Seeker]:
    with runtime.session_factory() as session:
        return session.scalars(select(Seeker)).all()


def test_the_demo_seeker_is_registered_once(runtime):
    assert load_demo(runtime) is True
    assert load_demo(runtime) is False
    [seeker] = _seekers(runtime)
    assert seeker.seeker_number == "11040-12345678"
    assert (seeker.name, seeker.name_kana) == ("求職 太郎", "キュウショク タロウ")
    assert (seeker.birth_date, seeker.email) == (date(1990, 4, 1), "taro@example.jp")
    assert seeker.kind == "registered"
    assert (seeker.office_code, seeker.office_name) == ("11040", "越谷公共職業安定所")
    assert seeker.registration_status == "valid" and seeker.invalidated_on is None
    assert seeker.applied_on == date(2026, 12, 1)  # today in Japan
    assert seeker.valid_until == date(2027, 2, 28)  # P3a: 翌々月末
    address = {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市", "street": None}
    assert seeker.document["address"] == address
    assert seeker.document["desired"]["occupations"] == ["介護職員"]
    assert seeker.document["desired"]["employment_types"] == ["正社員"]


def test_registration_writes_its_events_once_with_the_least_data(runtime):
    load_demo(runtime)
    load_demo(runtime)
    rows = _outbox(runtime)
    [seeker] = _seekers(runtime)
    assert [row.type for row in rows] == ["profile.seeker.registered.v1", "profile.registration.validated.v1",
                                          "profile.desired_conditions.changed.v1"]
    assert all(row.sent_at is None and row.subject == seeker.id for row in rows)
    registered = json.loads(rows[0].body)
    assert registered["subject"] == seeker.id
    assert registered["data"] == {"seeker_id": seeker.id, "seeker_number": "11040-12345678",
                                  "email": "taro@example.jp", "birth_date": "1990-04-01"}
    for row in rows:
        body = row.body.decode()
        for personal in ("求職 太郎", "キュウショク", "343-0023", "048-000-0000"):
            assert personal not in body
        if row is not rows[0]:
            assert "taro@" not in body and "1990-04-01" not in body
        if row is not rows[-1]:
            assert "越谷市" not in body  # only the desired work place travels, to matching (J6)


def test_the_seeker_id_is_opaque(runtime):
    load_demo(runtime)
    [seeker] = _seekers(runtime)
    assert len(seeker.id) == 36 and "11040" not in seeker.id and "taro" not in seeker.id


def test_the_event_is_declared_and_refuses_extra_personal_data():
    assert SEEKER_REGISTERED in PUBLISHES
    payload = {"seeker_id": "5f0c6c1e-0000-4000-8000-000000000000", "seeker_number": "11040-12345678",
               "email": "taro@example.jp", "birth_date": "1990-04-01"}
    assert SEEKER_REGISTERED.payload(payload) == payload
    with pytest.raises(InvalidEvent):
        SEEKER_REGISTERED.payload(payload | {"name": "求職 太郎"})
    with pytest.raises(InvalidEvent):
        SEEKER_REGISTERED.payload(payload | {"seeker_number": "1104012345678"})


@pytest.mark.parametrize(("applied_on", "valid_until"), [
    (date(2026, 11, 2), date(2027, 1, 31)),  # SPEC's example
    (date(2026, 12, 1), date(2027, 2, 28)),
    (date(2027, 12, 31), date(2028, 2, 29)),  # leap year
    (date(2026, 1, 31), date(2026, 3, 31)),
])
def test_p3a_valid_until_the_end_of_the_month_after_next(applied_on, valid_until):
    assert registration_valid_until(applied_on) == valid_until
