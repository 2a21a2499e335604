"""R3 (A9, S12): retention's side of the erasure saga — start, confirmations, retries, the final
round, the audit, and forgetting the seeker once every service confirmed both rounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kit.testing.erasure import rows_mentioning
from services.retention import commands
from services.retention.models import AuditEntry, Erasure

SERVICES = ("auth", "profile", "jobs", "messaging")
INTERVAL = timedelta(minutes=30)
FINAL_DELAY = timedelta(hours=1)  # the default MYPAGE_RETENTION_ERASURE_FINAL_ROUND_SECONDS


@pytest.fixture
def withdrawn(withdraw, requests, new_seeker_id) -> tuple[str, str]:
    """(seeker id, erasure id) of a seeker who just withdrew."""
    seeker = new_seeker_id()
    withdraw(seeker)
    [request] = requests()
    return seeker, request["data"]["erasure_id"]


def test_a9_a_withdrawal_starts_an_erasure_at_once(runtime, withdraw, requests, new_seeker_id, clock):
    seeker = new_seeker_id()
    withdraw(seeker)
    [request] = requests()
    assert request["data"] == {"erasure_id": request["data"]["erasure_id"], "seeker_id": seeker,
                               "reason": "withdrawal", "services": list(SERVICES), "round": 1}
    with runtime.uow() as uow:
        erasure = uow.session.get(Erasure, request["data"]["erasure_id"])
        assert (erasure.seeker_id, erasure.reason, erasure.requested_at) == (seeker, "withdrawal", clock.now())
        assert erasure.completed_at is None


def test_r3_a_second_withdrawal_while_the_erasure_runs_asks_nothing_new(withdrawn, withdraw, requests):
    seeker, _ = withdrawn
    withdraw(seeker)
    assert len(requests()) == 1


def test_r3_the_erasure_completes_only_when_all_four_services_confirmed_both_rounds(
        runtime, clock, withdrawn, confirm, outbox, requests):
    seeker, erasure_id = withdrawn
    for service in ("auth", "profile", "jobs"):
        confirm(erasure_id, service)
    with runtime.uow() as uow:
        assert commands.erasure_view(uow, erasure_id)["pending"] == ["messaging"]
    confirm(erasure_id, "messaging")
    with runtime.uow() as uow:
        view = commands.erasure_view(uow, erasure_id)
        assert (view["status"], view["round"], view["pending"]) == ("final_round", 2, list(SERVICES))
        assert uow.session.get(AuditEntry, erasure_id) is None
    assert outbox("retention.erasure.completed.v1") == []
    clock.advance(FINAL_DELAY - timedelta(seconds=1))
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 0  # the final round waits for its delay
    clock.advance(seconds=1)
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 1
    final = requests()[-1]
    assert final["data"] == {"erasure_id": erasure_id, "seeker_id": seeker, "reason": "withdrawal",
                             "services": list(SERVICES), "round": 2}
    confirm(erasure_id, "auth", 0, 1)  # a late answer to round 1 (a retried request) counts for nothing
    with runtime.uow() as uow:
        assert commands.erasure_view(uow, erasure_id)["confirmed"] == []
    for service in SERVICES[:3]:
        confirm(erasure_id, service, 0, 2)
    assert outbox("retention.erasure.completed.v1") == []
    confirm(erasure_id, "messaging", 0, 2)
    with runtime.uow() as uow:
        assert commands.erasure_view(uow, erasure_id)["status"] == "completed"
    [completed] = outbox("retention.erasure.completed.v1")
    assert completed["data"]["erasure_id"] == erasure_id


def test_r3_an_unconfirmed_final_round_is_asked_again_after_the_interval(
        runtime, clock, withdrawn, confirm, requests):
    _, erasure_id = withdrawn
    for service in SERVICES:
        confirm(erasure_id, service)
    clock.advance(FINAL_DELAY)
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 1
    confirm(erasure_id, "jobs", 1, 2)
    clock.advance(INTERVAL)
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 1
    assert requests()[-1]["data"]["services"] == ["auth", "profile", "messaging"]
    assert requests()[-1]["data"]["round"] == 2


def test_r3_the_audit_entry_records_what_was_erased_and_when_without_personal_data(
        runtime, clock, withdrawn, confirm, outbox):
    seeker, erasure_id = withdrawn
    requested_at = clock.now()
    clock.advance(minutes=5)
    for rows, service in enumerate(SERVICES, start=1):
        confirm(erasure_id, service, rows)
    clock.advance(FINAL_DELAY)
    commands.retry_unconfirmed(runtime, INTERVAL)
    for service in SERVICES:
        confirm(erasure_id, service, 1 if service == "jobs" else 0, 2)  # jobs had a row made again
    with runtime.uow() as uow:
        entry = uow.session.get(AuditEntry, erasure_id)
        assert (entry.reason, entry.requested_at, entry.completed_at) == ("withdrawal", requested_at, clock.now())
        assert entry.rows_erased == {"auth": 1, "profile": 2, "jobs": 4, "messaging": 4}
    [completed] = outbox("retention.erasure.completed.v1")
    assert completed["data"]["rows_erased"] == {"auth": 1, "profile": 2, "jobs": 4, "messaging": 4}
    assert seeker not in str(completed)


def test_s12_once_complete_retention_holds_no_row_with_the_seeker_id(
        runtime, clock, invalidate, withdrawn, confirm, new_seeker_id):
    seeker, erasure_id = withdrawn
    invalidate(seeker, "2025-01-01")  # its R2 row too
    other = new_seeker_id()
    invalidate(other, "2025-01-01")
    assert rows_mentioning(runtime, seeker)  # the erasure, the registration row, the request in the outbox
    for service in SERVICES:
        confirm(erasure_id, service)
    assert rows_mentioning(runtime, seeker)  # kept for the final round
    clock.advance(FINAL_DELAY)
    commands.retry_unconfirmed(runtime, INTERVAL)
    for service in SERVICES:
        confirm(erasure_id, service, 0, 2)
    assert rows_mentioning(runtime, seeker) == {}
    assert rows_mentioning(runtime, other) == {"registrations": 1}
    with runtime.uow() as uow:
        assert uow.session.get(Erasure, erasure_id).seeker_id is None


def test_s12_the_seeker_id_is_purged_from_retentions_inbox_too(runtime, withdrawn, complete_saga):
    from kit.inbox import claim

    seeker, erasure_id = withdrawn
    with runtime.uow() as uow:  # as the consumer records profile's and auth's events about the seeker
        claim(uow.session, runtime.inbox, event_id="e-1", handler="h", event_type="auth.mypage.withdrawn.v1",
              subject=seeker, now=uow.clock.now())
        uow.commit()
    complete_saga(erasure_id)
    assert "inbox" not in rows_mentioning(runtime, seeker)


def test_r3_the_request_is_sent_again_after_the_interval_only_to_services_not_confirmed(
        runtime, clock, withdrawn, confirm, requests):
    seeker, erasure_id = withdrawn
    confirm(erasure_id, "auth")
    confirm(erasure_id, "jobs")
    clock.advance(INTERVAL - timedelta(seconds=1))
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 0
    assert len(requests()) == 1
    clock.advance(seconds=1)
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 1
    first, again = requests()
    assert again["id"] != first["id"]
    assert again["data"] == {"erasure_id": erasure_id, "seeker_id": seeker, "reason": "withdrawal",
                             "services": ["profile", "messaging"], "round": 1}
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 0  # the interval counts from the re-sending
    with runtime.uow() as uow:
        assert commands.erasure_view(uow, erasure_id)["requests"] == 2


def test_r3_a_completed_erasure_is_never_sent_again(runtime, clock, withdrawn, complete_saga, requests):
    _, erasure_id = withdrawn
    complete_saga(erasure_id)
    assert requests() == []  # the request held the seeker id: purged from the outbox on completion (S12)
    clock.advance(days=1)
    assert commands.retry_unconfirmed(runtime, INTERVAL) == 0
    assert requests() == []


def test_r3_the_retry_task_uses_the_configured_interval(runtime, clock, withdrawn, requests):
    from services.retention.tasks import retry_task

    class _OnePass:
        def __init__(self):
            self.done = False

        def is_set(self):
            return self.done

        def wait(self, timeout=None):
            self.done = True
            return True

    clock.advance(minutes=2)
    retry_task(runtime, timedelta(minutes=3), timedelta(seconds=1))(_OnePass())
    assert len(requests()) == 1
    retry_task(runtime, timedelta(minutes=2), timedelta(seconds=1))(_OnePass())
    assert len(requests()) == 2


def test_s12_rerunning_is_harmless_repeated_and_late_confirmations_change_nothing(
        runtime, clock, withdrawn, confirm, outbox):
    _, erasure_id = withdrawn
    confirm(erasure_id, "auth", 5)
    confirm(erasure_id, "auth", 0)  # the retried request answered again: 0 rows, still confirmed
    for service in ("profile", "jobs", "messaging"):
        confirm(erasure_id, service)
    clock.advance(FINAL_DELAY)
    commands.retry_unconfirmed(runtime, INTERVAL)
    for service in SERVICES:
        confirm(erasure_id, service, 0, 2)
    confirm(erasure_id, "messaging", 0, 2)  # after completion
    with runtime.uow() as uow:
        assert uow.session.get(AuditEntry, erasure_id).rows_erased["auth"] == 5
        assert len(list(uow.session.scalars(select(AuditEntry)))) == 1
    assert len(outbox("retention.erasure.completed.v1")) == 1


def test_r3_confirmations_of_unknown_erasures_or_with_a_foreign_service_name_are_ignored(
        runtime, withdrawn, deliver):
    _, erasure_id = withdrawn
    deliver("auth.erasure.completed.v1", {"erasure_id": "no-such-erasure", "service": "auth", "rows_erased": 1})
    deliver("auth.erasure.completed.v1", {"erasure_id": erasure_id, "service": "jobs", "rows_erased": 1})
    with runtime.uow() as uow:
        assert commands.erasure_view(uow, erasure_id)["confirmed"] == []


def test_r3_a_new_erasure_of_the_same_seeker_after_completion_is_a_new_one(
        runtime, withdrawn, withdraw, complete_saga, requests):
    seeker, erasure_id = withdrawn
    complete_saga(erasure_id)
    withdraw(seeker)  # registered again, opened again, withdrew again
    [again] = requests()  # the first one's request was purged with the seeker id
    assert again["data"]["erasure_id"] != erasure_id
    assert again["data"]["seeker_id"] == seeker


# -- staff: GET /api/v1/staff/erasures/{id} ---------------------------------------------------------


def test_r3_staff_see_where_an_erasure_stands_without_the_seeker_id(client, staff, withdrawn, confirm):
    seeker, erasure_id = withdrawn
    confirm(erasure_id, "profile", 2)
    response = client.get(f"/api/v1/staff/erasures/{erasure_id}", headers=staff)
    assert response.status_code == 200
    assert response.json["status"] == "requested"
    assert response.json["confirmed"] == ["profile"]
    assert response.json["pending"] == ["auth", "jobs", "messaging"]
    assert response.json["rows_erased"] == {"profile": 2}
    assert seeker not in response.get_data(as_text=True)


def test_r3_the_erasure_status_is_staff_only_and_unknown_ids_are_404(client, staff, signer, withdrawn):
    seeker, erasure_id = withdrawn
    assert client.get(f"/api/v1/staff/erasures/{erasure_id}", headers=signer.headers(seeker)).status_code == 403
    assert client.get(f"/api/v1/staff/erasures/{erasure_id}").status_code == 401
    missing = client.get("/api/v1/staff/erasures/no-such-erasure", headers=staff)
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/problem+json")
