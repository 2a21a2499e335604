"""Messaging's rules on PostgreSQL (production's database): projection, notices, M3's edge, two sweeps at once.
The events' data are those of the component tests (tests/component/messaging/conftest.py)."""

from __future__ import annotations

import threading
import uuid

from kit.testing.component import deliver_event, service_fixtures
from kit.testing.services import in_parallel, outbox_envelopes
from services.messaging import commands, seekers, tasks
from services.messaging.app import build_runtime, create_app
from services.messaging.handlers import SUBSCRIPTIONS
from tests.component.messaging.conftest import invalidation_data, registration_data

# clock (10:00 in Japan), runtime (on a fresh PostgreSQL database), … (kit/testing/component.py)
globals().update(service_fixtures("messaging", build_runtime, create_app, on_postgresql=True))


def _deliver(runtime, event_type: str, data: dict) -> None:
    deliver_event(runtime, SUBSCRIPTIONS, event_type, data, source="/t")


def test_projection_notices_and_m3_on_postgres(runtime, clock):
    seeker_id, number = str(uuid.uuid4()), "11040-00000009"
    _deliver(runtime, "profile.registration.validated.v1", registration_data(seeker_id, number))
    clock.advance(seconds=1)
    _deliver(runtime, "profile.registration.invalidated.v1", invalidation_data(seeker_id, number))
    with runtime.uow() as uow:
        assert seekers.status_of(uow, seeker_id).registration == "invalid"
        notice, _ = commands.post_notice(uow, {"seeker_number": number, "title": "t", "body": "b"}, "counter")
        uow.commit()
    clock.set("2027-11-26T10:00:00.999999+09:00")  # posted at 10:00:01 JST: a microsecond short of the year
    assert tasks.purge_expired(runtime) == 0
    clock.set("2027-11-26T10:00:01+09:00")
    results: list[int] = []
    sweeps = [threading.Thread(target=lambda: results.append(tasks.purge_expired(runtime))) for _ in range(2)]
    for sweep in sweeps:
        sweep.start()
    for sweep in sweeps:
        sweep.join(30)
    assert sorted(results) == [0, 1]
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, seeker_id) == 0


def test_m1_m2_application_threads_and_recommendations_on_postgres(runtime, clock):
    seeker_id, application_id = str(uuid.uuid4()), uuid.uuid4().hex
    _deliver(runtime, "profile.registration.validated.v1", registration_data(seeker_id, "11040-00000010"))
    application = {"application_id": application_id, "seeker_id": seeker_id, "job_number": "11040-00012345",
                   "establishment_number": "1104-123456-7"}
    for _ in range(2):  # delivered twice: one thread, one notice
        _deliver(runtime, "jobs.application.submitted.v1",
                 application | {"route": "self", "submitted_at": clock.now().isoformat()})
        _deliver(runtime, "jobs.recommendation.made.v1", {"seeker_id": seeker_id, "job_number": "11040-00012345"})
    with runtime.uow() as uow:
        message, thread = commands.post_employer_message(uow, None, "ご連絡", application_id=application_id)
        uow.commit()
    with runtime.uow() as uow:
        assert commands.threads_page(uow, seeker_id, 1, 20)["total"] == 1
        assert commands.unread_messages(uow, seeker_id) == 1 and commands.unread_notices(uow, seeker_id) == 1
        assert commands.mark_thread_read(uow, seeker_id, thread.id) == 1
        commands.send_message(uow, seeker_id, thread.id, "承知しました。")
        uow.commit()
    with runtime.uow() as uow:
        assert commands.mark_read_by_employer(uow, None, application_id=application_id) == (1, 0)
        uow.commit()


def test_m2_one_matching_posting_delivered_by_eight_events_at_once_is_one_notice(runtime):
    """J6/M2: never the same posting twice in the notices — eight deliveries at once (as from a re-matched posting
    and replays on several workers) race on the unique index; ON CONFLICT DO NOTHING keeps one notice and one
    messaging.notice.posted.v1, and none of them fails."""
    seeker_id, job_number = str(uuid.uuid4()), "11040-00000042"
    _deliver(runtime, "profile.registration.validated.v1", registration_data(seeker_id, "11040-00000010"))
    data = {"seeker_id": seeker_id, "job_number": job_number}
    added = in_parallel([lambda: _matched(runtime, data) for _ in range(8)])
    assert sorted(added) == [False] * 7 + [True]
    with runtime.uow() as uow:
        assert commands.unread_notices(uow, seeker_id) == 1
    posted = [e for e in outbox_envelopes(runtime, "messaging.notice.posted.v1") if e["subject"] == seeker_id]
    assert len(posted) == 1 and posted[0]["data"]["kind"] == "matching"


def _matched(runtime, data: dict) -> bool:
    with runtime.uow() as uow:
        notice = commands.deliver_matching(uow, data["seeker_id"], data["job_number"])
        uow.commit()
    return notice is not None
