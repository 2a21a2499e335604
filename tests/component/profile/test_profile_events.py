"""E1/E3: every event profile writes validates against the checked-in catalogue and carries least data."""

from __future__ import annotations

from contracts import validate_event
from services.profile import commands
from services.profile.events import ERASURE_COMPLETED, PUBLISHES

STAFF_SEEKERS = "/api/v1/staff/seekers"
PERSONAL = ("求職 太郎", "キュウショク", "343-0023", "048-000-0000")


def _every_kind_of_change(client, staff, runtime, clock, register, as_seeker) -> None:
    online = register(kind="online", applied_on="2026-11-26")
    number = online["seeker_number"]
    client.patch(f"{STAFF_SEEKERS}/{number}", headers=staff, json={"email": "changed@example.jp"})
    client.patch("/api/v1/me/profile", headers=as_seeker(online["seeker_id"]),
                 json={"desired": {"occupations": ["介護職員"], "prefectures": ["埼玉県"]}})
    client.post(f"{STAFF_SEEKERS}/{number}/confirmation", headers=staff)
    client.put("/api/v1/me/disclosure", headers=as_seeker(online["seeker_id"]), json={"public": True})
    clock.set("2027-01-15T10:00:00+09:00")
    client.post(f"{STAFF_SEEKERS}/{number}/counselling", headers=staff, json={})
    client.put("/api/v1/me/registration", headers=as_seeker(online["seeker_id"]), json={"status": "invalid"})
    client.put(f"{STAFF_SEEKERS}/{number}/registration", headers=staff, json={"status": "valid"})
    client.post(f"{STAFF_SEEKERS}/{number}/reapplication", headers=staff, json={})
    clock.set("2027-04-01T10:00:00+09:00")
    commands.expire_due_registrations(runtime)


def test_e1_every_event_written_validates_against_the_catalogue(client, staff, runtime, clock, register,
                                                               as_seeker, outbox):
    _every_kind_of_change(client, staff, runtime, clock, register, as_seeker)
    envelopes = outbox()
    # the erasure confirmation (R3) names no seeker: tests/component/services/test_service_erasure.py checks it
    assert {e["type"] for e in envelopes} == {spec.type for spec in PUBLISHES} - {ERASURE_COMPLETED.type}
    for envelope in envelopes:
        validate_event(envelope)
        assert envelope["source"] == "/mypage/profile" and envelope["subject"] == envelope["data"]["seeker_id"]


def test_e3_no_name_address_or_phone_in_any_event(client, staff, runtime, clock, register, as_seeker, outbox):
    _every_kind_of_change(client, staff, runtime, clock, register, as_seeker)
    for envelope in outbox():
        body = str(envelope)
        assert not any(value in body for value in PERSONAL), envelope["type"]
        if not envelope["type"].startswith(("profile.seeker.registered", "profile.seeker.changed")):
            assert "birth_date" not in envelope["data"] and "email" not in envelope["data"]


def test_p4_invalidation_reaches_the_bus_as_an_event_jobs_and_messaging_gate_on(client, register, as_seeker, outbox):
    """P4's gating itself lives in jobs and messaging (not built yet); profile's part is the event."""
    seeker = register()
    client.put("/api/v1/me/registration", headers=as_seeker(seeker["seeker_id"]), json={"status": "invalid"})
    [event] = outbox("profile.registration.invalidated.v1")
    validate_event(event)
    assert event["data"]["seeker_id"] == seeker["seeker_id"]
