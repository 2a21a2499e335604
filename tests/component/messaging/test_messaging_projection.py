"""DESIGN §1: the seeker_status projection from profile's and auth's events — idempotent, ordered
by event time (an older event changes nothing), never committing by itself."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from kit.events import Event
from services.messaging import domain, seekers
from services.messaging.handlers import SUBSCRIPTIONS
from services.messaging.models import SeekerStatusRow


def _status(runtime, seeker_id: str) -> domain.SeekerStatus:
    with runtime.uow() as uow:
        return seekers.status_of(uow, seeker_id)


def _row(runtime, seeker_id: str):
    """The projection row as stored (None when there is none)."""
    with runtime.engine.connect() as connection:
        return connection.execute(select(SeekerStatusRow.__table__)
                                  .where(SeekerStatusRow.seeker_id == seeker_id)).one_or_none()


def test_subscriptions_are_the_gating_events_the_erasure_request_and_jobs_applications_and_recommendations():
    assert set(SUBSCRIPTIONS) == {
        "profile.seeker.registered.v1", "profile.seeker.changed.v1", "profile.registration.validated.v1",
        "profile.registration.invalidated.v1", "profile.registration.extended.v1", "auth.mypage.opened.v1",
        "auth.mypage.usability_changed.v1", "auth.mypage.withdrawn.v1",
        "retention.erasure.requested.v1",  # R3/S12 (services/messaging/erasure.py)
        # jobs: applications open threads (M1), recommendations and matching postings reach the notices (M2)
        "jobs.application.submitted.v1", "jobs.application.withdrawn.v1", "jobs.application.status_changed.v1",
        "jobs.recommendation.made.v1", "jobs.posting.matched.v1",
        "jobs.direct_request.sent.v1", "jobs.referral.recorded.v1"}


def test_registration_makes_the_number_and_the_valid_status_known(runtime, seeker):
    known = seeker()
    row = _row(runtime, known["seeker_id"])
    assert row.seeker_number == known["seeker_number"] and row.registration == "valid"
    assert domain.messaging_refusal(_status(runtime, known["seeker_id"])) is None


def test_p4_invalid_then_valid_again(runtime, deliver, seeker, clock, validated, invalidated):
    known = seeker()
    clock.advance(minutes=1)
    deliver("profile.registration.invalidated.v1", invalidated(known["seeker_id"], known["seeker_number"]))
    assert _status(runtime, known["seeker_id"]).registration == "invalid"
    clock.advance(minutes=1)
    deliver("profile.registration.validated.v1",
            validated(known["seeker_id"], known["seeker_number"], reason="reapplication"))
    assert _status(runtime, known["seeker_id"]).registration == "valid"


def test_a_duplicate_event_changes_nothing(runtime, deliver, seeker, clock, invalidated):
    known = seeker()
    clock.advance(minutes=1)
    invalidated = deliver("profile.registration.invalidated.v1",
                          invalidated(known["seeker_id"], known["seeker_number"]))
    before = _row(runtime, known["seeker_id"])
    with runtime.uow() as uow:  # the same event again (the inbox would skip it; the handler is harmless anyway)
        SUBSCRIPTIONS[invalidated.type](invalidated, uow)
        uow.commit()
    after = _row(runtime, known["seeker_id"])
    assert (after.registration, after.registration_as_of) == (before.registration, before.registration_as_of)


def test_an_event_older_than_the_state_applied_is_ignored(runtime, deliver, clock, validated, invalidated):
    seeker_id, number = str(uuid.uuid4()), "11040-00000001"
    now = clock.now()
    deliver("profile.registration.invalidated.v1", invalidated(seeker_id, number), at=now)
    # the validated event of the registration, delayed on the way, arrives after the invalidation
    deliver("profile.registration.validated.v1", validated(seeker_id, number), at=now - timedelta(seconds=5))
    assert _status(runtime, seeker_id).registration == "invalid"
    deliver("profile.registration.extended.v1",
            {"seeker_id": seeker_id, "seeker_number": number, "kind": "registered", "valid_until": "2027-02-28",
             "reason": "counselling"}, at=now + timedelta(seconds=5))
    assert _status(runtime, seeker_id).registration == "valid"


def test_a10_unusable_and_lifted_in_event_order(runtime, deliver, seeker, clock):
    known = seeker()
    now = clock.now()
    deliver("auth.mypage.usability_changed.v1", {"seeker_id": known["seeker_id"], "usable": False}, at=now)
    deliver("auth.mypage.usability_changed.v1", {"seeker_id": known["seeker_id"], "usable": True},
            at=now - timedelta(seconds=1))  # late and older: ignored
    assert _status(runtime, known["seeker_id"]).usable is False
    deliver("auth.mypage.usability_changed.v1", {"seeker_id": known["seeker_id"], "usable": True},
            at=now + timedelta(seconds=1))
    assert _status(runtime, known["seeker_id"]).usable is True


def test_a9_withdrawn_until_opened_again(runtime, deliver, seeker, clock):
    known = seeker()
    withdrawn_at = clock.now()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": withdrawn_at.isoformat()})
    assert _status(runtime, known["seeker_id"]).withdrawn
    deliver("auth.mypage.opened.v1", {"seeker_id": known["seeker_id"],
                                      "opened_at": (withdrawn_at - timedelta(days=30)).isoformat()})
    assert _status(runtime, known["seeker_id"]).withdrawn  # the opening before the withdrawal does not count
    deliver("auth.mypage.opened.v1", {"seeker_id": known["seeker_id"],
                                      "opened_at": (withdrawn_at + timedelta(days=1)).isoformat()})
    assert not _status(runtime, known["seeker_id"]).withdrawn


def test_a_corrected_number_moves_to_the_seeker_now_holding_it(runtime, deliver):
    first, second, number = str(uuid.uuid4()), str(uuid.uuid4()), "11040-00000002"
    facts = {"email": "x@example.jp", "birth_date": "1990-04-01"}
    deliver("profile.seeker.registered.v1", {"seeker_id": first, "seeker_number": number, **facts})
    deliver("profile.seeker.changed.v1", {"seeker_id": second, "seeker_number": number, **facts})
    with runtime.uow() as uow:
        holders = uow.session.scalars(select(SeekerStatusRow.seeker_id)
                                      .where(SeekerStatusRow.seeker_number == number)).all()
    assert holders == [second]


def test_e3_the_email_and_birth_date_are_not_kept(runtime, seeker):
    known = seeker()
    row = _row(runtime, known["seeker_id"])
    assert "@example.jp" not in str(tuple(row)) and "1990" not in str(tuple(row))


def test_a_malformed_event_is_ignored_not_retried_forever(runtime, deliver):
    deliver("profile.registration.invalidated.v1", {"seeker_id": 42})
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": "s", "withdrawn_at": "yesterday"})
    with runtime.uow() as uow:
        assert uow.session.scalars(select(SeekerStatusRow)).all() == []


def test_handlers_never_commit(runtime, invalidated):
    event = Event(type="profile.registration.invalidated.v1", source="/t",
                  data=invalidated("never-committed", "11040-00000003"))
    with runtime.uow() as uow:
        SUBSCRIPTIONS[event.type](event, uow)  # no commit: leaving the block rolls back
    assert _row(runtime, "never-committed") is None
