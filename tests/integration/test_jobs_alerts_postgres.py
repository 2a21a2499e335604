"""J3 alerts on PostgreSQL (production's database): the daily pass run by several workers at once sends each
saved search's digest exactly once (the conditional UPDATE of `alert_since` is the claim), counts only the
postings that arrived after the last digest and up to 7:00 in Japan, and sends nothing when nothing is new."""

from __future__ import annotations

import uuid

from kit.testing.component import deliver_event, service_fixtures
from kit.testing.services import in_parallel, outbox_envelopes
from services.jobs.app import build_runtime, create_app
from services.jobs.commands import create_saved_search
from services.jobs.commands.alerts import send_digests
from services.jobs.handlers import SUBSCRIPTIONS
from tests.component.jobs.conftest import insert_postings, job_number, registration

SEARCHES = 30
DIGEST = "jobs.saved_search.digest.v1"


# clock (10:00 in Japan), runtime (on a fresh PostgreSQL database), … (kit/testing/component.py)
globals().update(service_fixtures("jobs", build_runtime, create_app, on_postgresql=True))


def _seeker(runtime) -> str:
    seeker_id = str(uuid.uuid4())
    deliver_event(runtime, SUBSCRIPTIONS, *registration(seeker_id, "valid"))
    return seeker_id


def _post(runtime, count: int, **changes) -> list[str]:
    return insert_postings(runtime, [job_number() for _ in range(count)], **changes)


def test_j3_four_workers_send_each_digest_once_and_nothing_when_nothing_is_new(runtime, clock):
    for index in range(SEARCHES):
        with runtime.uow() as uow:
            create_saved_search(uow, _seeker(runtime), {"name": f"介護{index}", "email_alert": True, "criteria": {
                "municipality": ["11222"], "occupation": ["361"]}})
            uow.commit()
    clock.advance(minutes=1)
    _post(runtime, 6)
    _post(runtime, 2, location={"prefecture": "埼玉県", "municipality": "川口市", "station": "川口駅"})
    clock.set("2026-11-27T06:59:59+09:00")
    assert send_digests(runtime) == 0
    clock.set("2026-11-27T07:00:00+09:00")
    late = _post(runtime, 1)  # at 7:00 itself: still today's

    sent = in_parallel([lambda: send_digests(runtime)] * 4)
    assert sum(sent) == SEARCHES
    digests = outbox_envelopes(runtime, DIGEST)
    assert len(digests) == SEARCHES and len({d["data"]["saved_search_id"] for d in digests}) == SEARCHES
    assert {d["data"]["count"] for d in digests} == {7}
    assert all(d["data"]["postings"][0]["job_number"] == late[0] and len(d["data"]["postings"]) == 5
               for d in digests)

    clock.set("2026-11-28T07:00:00+09:00")
    assert sum(in_parallel([lambda: send_digests(runtime)] * 2)) == 0  # nothing new: nothing sent
    assert len(outbox_envelopes(runtime, DIGEST)) == SEARCHES
