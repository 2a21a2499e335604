"""P3, P3a, P3b through the API and the scheduled check: every change is an event."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from kit.events import Event
from services.profile import commands
from services.profile.app import EXPIRY_TASK
from services.profile.handlers import JOBS_APPLICATION_SUBMITTED, SUBSCRIPTIONS, on_online_application

STAFF_SEEKERS = "/api/v1/staff/seekers"


def _jst(clock, day: str, hour: int = 10) -> None:
    """Set the clock to `hour` o'clock in Japan on `day`."""
    clock.set(f"{day}T{hour:02d}:00:00+09:00")


def test_p3_the_seeker_sets_invalid_then_valid_again(client, register, as_seeker, outbox):
    seeker = register()
    headers = as_seeker(seeker["seeker_id"])
    invalid = client.put("/api/v1/me/registration", headers=headers, json={"status": "invalid"})
    assert invalid.status_code == 200
    assert invalid.json["status"] == "invalid" and invalid.json["invalidated_on"] == "2026-11-26"
    again = client.put("/api/v1/me/registration", headers=headers, json={"status": "invalid"})
    assert again.status_code == 200  # idempotent, no second event
    valid = client.put("/api/v1/me/registration", headers=headers, json={"status": "valid"})
    assert valid.json["status"] == "valid" and valid.json["invalidated_on"] == "2026-11-26"  # kept
    [invalidated] = outbox("profile.registration.invalidated.v1")
    assert invalidated["data"] == {"seeker_id": seeker["seeker_id"], "seeker_number": seeker["seeker_number"],
                                   "kind": "registered", "invalidated_on": "2026-11-26", "reason": "seeker"}
    validated = outbox("profile.registration.validated.v1")
    assert [e["data"]["reason"] for e in validated] == ["registered", "seeker"]
    assert validated[-1]["data"]["valid_until"] == "2027-01-31"


def test_p3_bad_status_is_field_level(client, register, as_seeker):
    seeker = register()
    response = client.put("/api/v1/me/registration", headers=as_seeker(seeker["seeker_id"]) | {"Accept-Language": "en"},
                          json={"status": "paused"})
    assert response.status_code == 422
    assert response.json["errors"] == [{"field": "status", "messages": ["status is valid or invalid."]}]


def test_p3_staff_set_the_status_too(client, staff, register, outbox):
    seeker = register()
    response = client.put(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/registration", headers=staff,
                          json={"status": "invalid"})
    assert response.status_code == 200 and response.json["status"] == "invalid"
    assert outbox("profile.registration.invalidated.v1")[0]["data"]["reason"] == "staff"


def test_p3a_expiry_turns_invalid_by_itself_on_the_day_after(client, runtime, clock, register, as_seeker, outbox):
    seeker = register(applied_on="2026-11-26")  # valid through 2027-01-31
    _jst(clock, "2027-01-31", 23)
    assert commands.expire_due_registrations(runtime) == 0
    assert outbox("profile.registration.invalidated.v1") == []
    _jst(clock, "2027-02-01", 0)
    assert commands.expire_due_registrations(runtime) == 1
    assert commands.expire_due_registrations(runtime) == 0  # once
    [event] = outbox("profile.registration.invalidated.v1")
    assert event["data"] == {"seeker_id": seeker["seeker_id"], "seeker_number": seeker["seeker_number"],
                             "kind": "registered", "invalidated_on": "2027-02-01", "reason": "expired"}
    me = client.get("/api/v1/me/profile", headers=as_seeker(seeker["seeker_id"])).json["registration"]
    assert me["status"] == "invalid" and me["invalidated_on"] == "2027-02-01"


def test_p3a_the_scheduled_check_is_a_runtime_task_reading_the_injected_clock(runtime, clock, register, outbox):
    register(applied_on="2026-11-26")
    _jst(clock, "2027-02-01", 9)
    loop = runtime.tasks[EXPIRY_TASK]
    stop = threading.Event()
    thread = threading.Thread(target=loop, args=(stop,), daemon=True)
    thread.start()
    try:
        from kit.testing.plugin import eventually

        eventually(lambda: outbox("profile.registration.invalidated.v1"), timeout=10, message="expiry event")
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()


def test_p3a_after_expiry_the_seeker_cannot_make_it_valid_but_staff_reapply(client, staff, runtime, clock, register,
                                                                          as_seeker, outbox):
    seeker = register(applied_on="2026-11-26")
    _jst(clock, "2027-02-03")
    commands.expire_due_registrations(runtime)
    headers = as_seeker(seeker["seeker_id"])
    refused = client.put("/api/v1/me/registration", headers=headers, json={"status": "valid"})
    assert refused.status_code == 409 and "再求職申込" in refused.json["detail"]
    staff_refused = client.put(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/registration", headers=staff,
                               json={"status": "valid"})
    assert staff_refused.status_code == 409
    again = client.post(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/reapplication", headers=staff, json={})
    assert again.status_code == 200
    assert again.json == {"status": "valid", "kind": "registered", "applied_on": "2027-02-03",
                          "valid_until": "2027-04-30", "invalidated_on": "2027-02-01", "confirmed_on": None}
    last = outbox("profile.registration.validated.v1")[-1]
    assert last["data"]["reason"] == "reapplication" and last["data"]["valid_until"] == "2027-04-30"


def test_p3_reapplication_with_a_date(client, staff, register):
    seeker = register()
    response = client.post(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/reapplication", headers=staff,
                           json={"applied_on": "2026-11-20"})
    assert response.json["applied_on"] == "2026-11-20" and response.json["valid_until"] == "2027-01-31"
    future = client.post(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/reapplication", headers=staff,
                         json={"applied_on": "2026-12-01"})
    assert future.status_code == 422 and future.json["errors"][0]["field"] == "applied_on"


def test_p3_reapplication_needs_staff(client, register, as_seeker):
    seeker = register()
    response = client.post(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/reapplication",
                           headers=as_seeker(seeker["seeker_id"]), json={})
    assert response.status_code == 403


@pytest.mark.parametrize(("today", "extended", "valid_until"), [
    ("2026-12-31", False, "2027-01-31"),  # the month before the final month: not yet
    ("2027-01-01", True, "2027-02-28"),
    ("2027-01-31", True, "2027-02-28"),
])
def test_p3a_counselling_extends_only_in_the_final_month(client, staff, clock, register, outbox, today, extended,
                                                         valid_until):
    seeker = register(applied_on="2026-11-26")
    _jst(clock, today)
    response = client.post(f"{STAFF_SEEKERS}/{seeker['seeker_number']}/counselling", headers=staff,
                           json={"kind": "referral"})
    assert response.status_code == 200, response.json
    assert response.json["extended"] is extended
    assert response.json["registration"]["valid_until"] == valid_until
    events = outbox("profile.registration.extended.v1")
    if extended:
        assert [e["data"] for e in events] == [{"seeker_id": seeker["seeker_id"],
                                                "seeker_number": seeker["seeker_number"], "kind": "registered",
                                                "valid_until": valid_until, "reason": "referral"}]
    else:
        assert events == []


def test_p3a_two_visits_in_the_final_month_extend_once(client, staff, clock, register):
    seeker = register(applied_on="2026-11-26")
    _jst(clock, "2027-01-10")
    url = f"{STAFF_SEEKERS}/{seeker['seeker_number']}/counselling"
    assert client.post(url, headers=staff, json={}).json["extended"] is True
    second = client.post(url, headers=staff, json={})
    assert second.json["extended"] is False and second.json["registration"]["valid_until"] == "2027-02-28"


def _application_event(seeker_id: str, submitted_at: str) -> Event:
    return Event(type=JOBS_APPLICATION_SUBMITTED, source="/mypage/jobs", subject=seeker_id,
                 data={"seeker_id": seeker_id, "application_id": "a-1", "submitted_at": submitted_at},
                 time=datetime(2027, 1, 31, tzinfo=UTC))


def test_p3a_an_online_self_application_in_the_final_month_extends(runtime, clock, register, outbox):
    assert SUBSCRIPTIONS[JOBS_APPLICATION_SUBMITTED] is on_online_application
    seeker = register(applied_on="2026-11-26")
    _jst(clock, "2027-02-01", 0)  # the event arrives late: the submission day counts
    with runtime.uow() as uow:
        on_online_application(_application_event(seeker["seeker_id"], "2027-01-31T14:30:00Z"), uow)  # 23:30 JST
        uow.commit()
    [event] = outbox("profile.registration.extended.v1")
    assert event["data"]["reason"] == "online_application" and event["data"]["valid_until"] == "2027-02-28"


@pytest.mark.parametrize("submitted_at", ["2026-12-31T14:59:59Z",  # 23:59 JST on 12-31: not the final month yet
                                          "2027-01-31T15:00:00Z"])  # 00:00 JST on 02-01: already over
def test_p3a_an_online_self_application_outside_the_final_month_changes_nothing(runtime, register, outbox,
                                                                                submitted_at):
    seeker = register(applied_on="2026-11-26")
    with runtime.uow() as uow:
        on_online_application(_application_event(seeker["seeker_id"], submitted_at), uow)
        uow.commit()
    assert outbox("profile.registration.extended.v1") == []


def test_online_application_events_that_cannot_apply_are_ignored(runtime, register, outbox):
    register()
    with runtime.uow() as uow:
        on_online_application(_application_event("unknown-seeker", "2027-01-10T00:00:00Z"), uow)
        on_online_application(Event(type=JOBS_APPLICATION_SUBMITTED, source="/x", data={"seeker_id": 3}), uow)
        on_online_application(Event(type=JOBS_APPLICATION_SUBMITTED, source="/x",
                                    data={"seeker_id": "a", "submitted_at": "yesterday"}), uow)
        uow.commit()
    assert outbox("profile.registration.extended.v1") == []


def test_p3b_staff_confirm_an_online_registrant(client, staff, register, outbox, as_seeker):
    seeker = register(kind="online")
    assert outbox("profile.registration.validated.v1")[0]["data"]["kind"] == "online"
    url = f"{STAFF_SEEKERS}/{seeker['seeker_number']}/confirmation"
    response = client.post(url, headers=staff)
    assert response.status_code == 200
    assert response.json["kind"] == "registered" and response.json["confirmed_on"] == "2026-11-26"
    assert client.post(url, headers=staff).status_code == 200  # again: harmless, no event
    [event] = outbox("profile.seeker.confirmed.v1")
    assert event["data"] == {"seeker_id": seeker["seeker_id"], "seeker_number": seeker["seeker_number"],
                             "kind": "registered", "confirmed_on": "2026-11-26"}
    home = client.get("/api/v1/me", headers=as_seeker(seeker["seeker_id"])).json
    assert home["restriction"]["online_registrant"] is False


def test_status_endpoints_of_an_unknown_seeker_are_404(client, staff):
    for path in ("registration", "reapplication", "counselling", "confirmation"):
        method = client.put if path == "registration" else client.post
        response = method(f"{STAFF_SEEKERS}/11040-99999999/{path}", headers=staff, json={"status": "valid"}
                          if path == "registration" else {})
        assert response.status_code == 404, path
