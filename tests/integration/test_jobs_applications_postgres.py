"""Applications (J8) and interview no-shows (J9) on PostgreSQL, production's database, under concurrency:
the 5th no-show within 3 months restricts exactly once however many reports arrive at the same moment;
one seeker's parallel applications to one posting leave one application (S6); the same no-show reported
twice at once is recorded and announced once. Time comes from an injected FrozenClock, never a sleep.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from kit.events import Event
from kit.testing.component import START, deliver_event, service_fixtures
from kit.testing.services import in_parallel, outbox_envelopes
from kit.tokens import EMPLOYER
from services.jobs.app import build_runtime, create_app
from services.jobs.handlers import SUBSCRIPTIONS
from services.jobs.models import applications, no_show_restrictions, no_shows
from tests.component.jobs.conftest import insert_postings, job_number, registration

NOW = START  # 2026-11-26 10:00 in Japan
TODAY = "2026-11-26"
APPLY = "/api/v1/me/applications"
MOTIVATION = "介護の仕事を続けてきた経験を活かしたく、応募いたします。"
RECEIVED_ON = "2026-08-03"  # the postings and the seekers' registrations: three months and more ago


# clock (NOW), runtime (on a fresh PostgreSQL database), signer, app, … (kit/testing/component.py)
globals().update(service_fixtures("jobs", build_runtime, create_app, on_postgresql=True))


def _seeker(runtime) -> str:
    """A valid 利用登録者 as jobs knows it from profile's event; their opaque id."""
    seeker_id = str(uuid.uuid4())
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    deliver_event(runtime, SUBSCRIPTIONS, *registration(seeker_id, "valid", seeker_number=number,
                                                        applied_on=RECEIVED_ON), source="/mypage/profile")
    return seeker_id


def _postings(runtime, count: int) -> list[str]:
    return insert_postings(runtime, [job_number(serial) for serial in range(1, count + 1)], received_on=RECEIVED_ON)


def _apply(app, signer, seeker_id: str, job_number: str):
    """J8: the seeker's online self-application (a token minted at the clock's present)."""
    return app.test_client().post(APPLY, json={"job_number": job_number, "motivation": MOTIVATION},
                                  headers=signer.headers(seeker_id))


def _applied(app, signer, seeker_id: str, job_numbers: list[str]) -> list[str]:
    """The ids of the seeker's applications to `job_numbers`, made one after the other."""
    ids = []
    for number in job_numbers:
        made = _apply(app, signer, seeker_id, number)
        assert made.status_code == 201, made.json
        ids.append(made.json["id"])
    return ids


def _report_no_show(app, signer, application_id: str, interview_date: str):
    """J9: the employer-side system reports that the seeker missed the interview."""
    return app.test_client().post(f"/api/v1/employer/applications/{application_id}/no-show",
                                  json={"interview_date": interview_date},
                                  headers=signer.headers("employer", roles=(EMPLOYER,), establishments="*"))


def _count(runtime, query) -> int:
    with runtime.engine.connect() as connection:
        return connection.scalar(query)


def _rows(runtime, table, seeker_id: str) -> int:
    return _count(runtime, select(func.count()).select_from(table).where(table.c.seeker_id == seeker_id))


def _restriction(runtime, seeker_id: str):
    with runtime.engine.connect() as connection:
        return connection.execute(select(no_show_restrictions)
                                  .where(no_show_restrictions.c.seeker_id == seeker_id)).first()


# -- J9: the 5th no-show restricts exactly once --------------------------------------------------


def test_j9_eight_parallel_no_shows_after_four_restrict_the_seeker_exactly_once(runtime, app, signer, clock):
    """J9 / R4: a seeker with 4 counting no-shows (and one from August that no longer counts) gets 8
    reports at the same moment: all 8 are recorded, the restriction is set, and exactly one
    `jobs.seeker.restricted.v1` is in the outbox — from the report that made the 5th, not from each after it."""
    seeker_id = _seeker(runtime)
    numbers = _postings(runtime, 14)
    old, counting, parallel, after = numbers[0], numbers[1:5], numbers[5:13], numbers[13]

    # R4: the interview of 2026-08-20 is more than 3 months ago on 11-26: recorded, no longer counting
    clock.set("2026-08-20T01:00:00+00:00")
    (old_application,) = _applied(app, signer, seeker_id, [old])
    assert _report_no_show(app, signer, old_application, "2026-08-20").status_code == 201
    clock.set(NOW)
    for application_id in _applied(app, signer, seeker_id, counting):
        reported = _report_no_show(app, signer, application_id, TODAY)
        assert reported.status_code == 201, reported.json
    assert _restriction(runtime, seeker_id).restricted_at is None  # 4 counting (+1 too old): not yet
    assert outbox_envelopes(runtime, "jobs.seeker.restricted.v1") == []

    racing = _applied(app, signer, seeker_id, parallel)
    statuses = in_parallel([lambda application_id=application_id: _report_no_show(
        app, signer, application_id, TODAY).status_code for application_id in racing])

    assert statuses == [201] * 8
    assert _rows(runtime, no_shows, seeker_id) == 13
    assert len(outbox_envelopes(runtime, "jobs.no_show.reported.v1")) == 13
    restricted = outbox_envelopes(runtime, "jobs.seeker.restricted.v1")
    assert [event["data"] for event in restricted] == [{"seeker_id": seeker_id, "at": clock.now().isoformat()}]
    row = _restriction(runtime, seeker_id)
    assert row.restricted_at == clock.now() and row.lifted_at is None
    # the restriction holds: the next online self-application is refused
    refused = _apply(app, signer, seeker_id, after)
    assert refused.status_code == 403 and refused.json["reason"] == "no_show_restricted"


# -- S6 / J8: one application per seeker and posting -----------------------------------------------


def test_j8_twenty_parallel_applications_to_one_posting_leave_one(runtime, app, signer):
    """J8 / S6: 20 applications by one seeker to the same posting at the same moment: one is made (201),
    19 are refused 409 `already_applied`; one row, one `jobs.application.submitted.v1`."""
    seeker_id = _seeker(runtime)
    (number,) = _postings(runtime, 1)
    headers = signer.headers(seeker_id)

    def apply():
        answer = app.test_client().post(APPLY, json={"job_number": number, "motivation": MOTIVATION},
                                        headers=headers)
        return answer.status_code, (answer.json or {}).get("reason")

    results = in_parallel([apply] * 20)

    assert sorted(results, key=lambda result: result[0]) == [(201, None)] + [(409, "already_applied")] * 19
    assert _rows(runtime, applications, seeker_id) == 1
    [submitted] = outbox_envelopes(runtime, "jobs.application.submitted.v1")
    assert submitted["data"]["seeker_id"] == seeker_id and submitted["data"]["job_number"] == number


# -- J9: the same report twice ------------------------------------------------------------------------


def test_j9_the_same_no_show_reported_twice_in_parallel_is_recorded_once(runtime, app, signer):
    """J9: the employer-side system sends the same report twice at once (a retry): one is made (201),
    the other answers the report already there (200); one no_shows row, one `jobs.no_show.reported.v1`."""
    seeker_id = _seeker(runtime)
    (number,) = _postings(runtime, 1)
    (application_id,) = _applied(app, signer, seeker_id, [number])

    def report():
        answer = _report_no_show(app, signer, application_id, TODAY)
        return answer.status_code, answer.json["interview_date"]

    results = in_parallel([report, report])

    assert sorted(results) == [(200, TODAY), (201, TODAY)]
    assert _rows(runtime, no_shows, seeker_id) == 1
    [reported] = outbox_envelopes(runtime, "jobs.no_show.reported.v1")
    assert reported["data"] == {"application_id": application_id, "seeker_id": seeker_id, "interview_date": TODAY}
    assert _restriction(runtime, seeker_id).restricted_at is None  # one no-show restricts nothing


def _disclosed(runtime) -> tuple[str, str]:
    """A valid seeker who disclosed their information (J8a), as jobs hears it from profile; (id, ref)."""
    seeker_id, ref = _seeker(runtime), uuid.uuid4().hex
    event = Event(type="profile.disclosure.changed.v1", source="/mypage/profile", subject=seeker_id,
                  data={"seeker_id": seeker_id, "public": True, "public_ref": ref}, time=runtime.clock.now())
    with runtime.uow() as uow:
        SUBSCRIPTIONS[event.type](event, uow)
        uow.commit()
    return seeker_id, ref


def test_j8a_twenty_parallel_direct_requests_for_one_posting_reach_exactly_ten_seekers(runtime, app, signer):
    from services.jobs.models import direct_requests

    [job_number] = _postings(runtime, 1)
    refs = [_disclosed(runtime)[1] for _ in range(20)]
    employer = signer.headers("employer", roles=(EMPLOYER,), establishments="*")

    def send(ref):
        return lambda: app.test_client().post("/api/v1/employer/direct-requests",
                                              json={"job_number": job_number, "seeker_ref": ref}, headers=employer)

    answers = in_parallel([send(ref) for ref in refs])
    assert sorted(answer.status_code for answer in answers) == [201] * 10 + [409] * 10
    assert _count(runtime, select(func.count()).select_from(direct_requests)) == 10
    assert len(outbox_envelopes(runtime, "jobs.direct_request.sent.v1")) == 10
