"""R3/S12: each service's part of the erasure saga (services/<name>/erasure.py, kit/erasure.py).

For auth, profile, jobs and messaging alike: two seekers with a row in every table holding a
seeker id (seeded from the tables themselves, so a table added later is covered), inbox and
outbox rows included; erasing one leaves 0 rows holding their id and the other's rows untouched;
the confirmation carries a count and no seeker id; re-running is harmless.
"""

from __future__ import annotations

import importlib
import uuid

import pytest
from marshmallow import Schema, fields
from sqlalchemy import func, select

from contracts import validate_event
from kit.clock import FrozenClock
from kit.erasure import ERASURE_REQUESTED
from kit.events import EventSpec
from kit.testing.erasure import erasure_request, rows_mentioning, seed_rows
from kit.testing.services import migrated_runtime, outbox_envelopes

SAGA = ("auth", "profile", "jobs", "messaging")
KEY_COLUMNS = {"profile": {"seekers": "id"}}


@pytest.fixture(params=SAGA)
def service(request) -> str:
    return request.param


@pytest.fixture
def runtime(service):
    app = importlib.import_module(f"services.{service}.app")
    with migrated_runtime(app.build_runtime, service, FrozenClock()) as runtime:
        yield runtime


@pytest.fixture
def erase(service, runtime):
    """erase(event): run the service's subscription to the request, as the consumer does, and commit."""
    handler = importlib.import_module(f"services.{service}.handlers").SUBSCRIPTIONS[ERASURE_REQUESTED]

    def run(event, before=None):
        with runtime.uow() as uow:
            if before:
                before(uow)
            handler(event, uow)
            uow.commit()

    return run


def _counts(runtime) -> dict[str, int]:
    with runtime.engine.connect() as connection:
        return {table.name: connection.scalar(select(func.count()).select_from(table))
                for table in runtime.metadata.sorted_tables}


def _confirmations(runtime, service) -> list[dict]:
    return outbox_envelopes(runtime, f"{service}.erasure.completed.v1")


def test_every_saga_service_subscribes_to_the_request_and_declares_its_confirmation(service):
    assert ERASURE_REQUESTED in importlib.import_module(f"services.{service}.handlers").SUBSCRIPTIONS
    published = {spec.type: spec for spec in importlib.import_module(f"services.{service}.events").PUBLISHES}
    assert f"{service}.erasure.completed.v1" in published
    assert not published[f"{service}.erasure.completed.v1"].personal_data


def test_s12_erasing_one_seeker_leaves_no_row_with_their_id_and_the_others_rows_intact(service, runtime, erase):
    erased, kept = str(uuid.uuid4()), str(uuid.uuid4())
    seeded = seed_rows(runtime, erased, key_columns=KEY_COLUMNS.get(service))
    seed_rows(runtime, kept, key_columns=KEY_COLUMNS.get(service))
    assert len(seeded) >= 3  # at least a table of its own, the inbox and the outbox
    before, kept_before = _counts(runtime), rows_mentioning(runtime, kept)
    assert rows_mentioning(runtime, erased)  # the seeding did put the id somewhere

    request = erasure_request(erased)
    erase(request)

    assert rows_mentioning(runtime, erased) == {}
    assert rows_mentioning(runtime, kept) == kept_before
    after = _counts(runtime)
    for table, rows in seeded.items():  # rows that held no id themselves (a mail of a key) went too
        expected = before[table] - rows + (1 if table == "outbox" else 0)  # + the confirmation
        assert after[table] == expected, table
    [confirmation] = _confirmations(runtime, service)
    assert confirmation["data"] == {"erasure_id": request.data["erasure_id"], "service": service,
                                    "rows_erased": sum(seeded.values()), "round": 1}
    assert confirmation["subject"] == request.data["erasure_id"]
    validate_event(confirmation)  # E1: as the checked-in catalogue says


def test_s12_rerunning_an_erasure_erases_nothing_and_confirms_again(service, runtime, erase):
    seeker = str(uuid.uuid4())
    seed_rows(runtime, seeker, key_columns=KEY_COLUMNS.get(service))
    request = erasure_request(seeker)
    erase(request)
    erase(erasure_request(seeker, erasure_id=request.data["erasure_id"]))  # a retry: a new event, same erasure
    first, second = _confirmations(runtime, service)
    assert first["data"]["rows_erased"] > 0
    assert second["data"]["rows_erased"] == 0
    assert second["data"]["erasure_id"] == first["data"]["erasure_id"]
    assert rows_mentioning(runtime, seeker) == {}


def test_s12_the_final_round_erases_rows_a_late_event_made_again_and_answers_round_2(service, runtime, erase):
    """Between round 1 and the final round an event about the seeker, already on its way, arrived and
    made a row again (a projection): the final round erases it and its confirmation says round 2."""
    seeker = str(uuid.uuid4())
    first = erasure_request(seeker)
    erase(first)
    again = seed_rows(runtime, seeker, key_columns=KEY_COLUMNS.get(service))  # the late event's doing
    erase(erasure_request(seeker, erasure_id=first.data["erasure_id"], round_=2))
    assert rows_mentioning(runtime, seeker) == {}
    confirmations = _confirmations(runtime, service)
    assert [c["data"]["round"] for c in confirmations] == [1, 2]
    assert confirmations[1]["data"]["rows_erased"] == sum(again.values())
    validate_event(confirmations[1])


def test_r3_a_retry_for_other_services_is_ignored(service, runtime, erase):
    seeker = str(uuid.uuid4())
    seed_rows(runtime, seeker, key_columns=KEY_COLUMNS.get(service))
    others = [name for name in SAGA if name != service]
    erase(erasure_request(seeker, services=others))
    assert _confirmations(runtime, service) == []
    assert rows_mentioning(runtime, seeker)


def test_r3_a_malformed_request_is_ignored(service, runtime, erase):
    request = erasure_request("x")
    request.data.pop("seeker_id")
    erase(request)
    assert _confirmations(runtime, service) == []


class _MentionPayload(Schema):
    seeker_id = fields.String()


_MENTION = EventSpec("test.seeker.mentioned.v1", _MentionPayload, "an event about a seeker")


def test_s12_events_collected_earlier_in_the_same_batch_about_the_seeker_are_dropped(service, runtime, erase):
    """The consumer may run several handlers in one unit of work: what an earlier one published about the
    seeker is not in the outbox yet, and must not reach it after the erasure."""
    seeker, other = str(uuid.uuid4()), str(uuid.uuid4())

    def earlier_handlers(uow):
        uow.publish(_MENTION, {"seeker_id": seeker}, subject=None)
        uow.publish(_MENTION, {"seeker_id": other}, subject=other)

    erase(erasure_request(seeker), before=earlier_handlers)
    types = [(envelope["type"], envelope["data"].get("seeker_id")) for envelope in outbox_envelopes(runtime)]
    assert types == [("test.seeker.mentioned.v1", other), (f"{service}.erasure.completed.v1", None)]


def test_s12_auth_erases_mail_to_the_login_email_that_points_at_no_key():
    from services.auth.app import build_runtime
    from services.auth.erasure import erase_seeker
    from services.auth.models import Account, Mail

    seeker = str(uuid.uuid4())
    with migrated_runtime(build_runtime, "auth", FrozenClock()) as runtime:
        seeded = seed_rows(runtime, seeker)
        with runtime.uow() as uow:
            account = uow.session.get(Account, seeker)
            account.email = f"{seeker}@example.jp"
            for recipient in (account.email, "someone-else@example.jp"):
                uow.session.add(Mail(template="opening_key", recipient=recipient, params={},
                                     created_at=uow.clock.now(), attempts=0))
            uow.commit()
        with runtime.uow() as uow:
            erase_seeker(erasure_request(seeker), uow)
            uow.commit()
        with runtime.uow() as uow:
            assert set(uow.session.scalars(select(Mail.recipient))) == {"someone-else@example.jp"}
        [confirmation] = _confirmations(runtime, "auth")
        assert confirmation["data"]["rows_erased"] == sum(seeded.values()) + 1  # the seeded rows and the keyless mail


def test_s12_an_id_that_is_the_start_of_another_is_not_confused_with_it(service, runtime, erase):
    erased = str(uuid.uuid4())
    longer = erased + "0"  # the outbox is searched for the id as a whole JSON string
    seed_rows(runtime, erased, key_columns=KEY_COLUMNS.get(service))
    seed_rows(runtime, longer, key_columns=KEY_COLUMNS.get(service))
    before = rows_mentioning(runtime, longer)
    erase(erasure_request(erased))
    assert rows_mentioning(runtime, longer) == before
