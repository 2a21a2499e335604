"""Profile on PostgreSQL (production's database): migrations, registration, the expiry sweep run by
several workers at once (rows locked, skip locked) — each expiry happens and is announced once."""

from __future__ import annotations

import json
import threading
import uuid

from sqlalchemy import select

from contracts import validate_event
from kit.events import Event
from kit.testing.component import service_fixtures
from kit.testing.services import in_parallel
from kit.tokens import EMPLOYER
from services.profile import commands
from services.profile.app import build_runtime, create_app
from services.profile.applications import freeze

# clock (10:00 in Japan), runtime (on a fresh PostgreSQL database), signer, client, staff, … (kit/testing/component.py)
globals().update(service_fixtures("profile", build_runtime, create_app, on_postgresql=True))


def _register(client, headers, count: int) -> list[str]:
    numbers = []
    for _ in range(count):
        unique = uuid.uuid4().int % 10**8
        body = {"seeker_number": f"11040-{unique:08d}", "name": "求職 太郎", "name_kana": "キュウショク タロウ",
                "birth_date": "1990-04-01", "email": f"s{unique}@example.jp",
                "office": {"code": "11040", "name": "越谷公共職業安定所"},
                "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
                "applied_on": "2026-11-02"}
        response = client.post("/api/v1/staff/seekers", json=body, headers=headers)
        assert response.status_code == 201, response.json
        numbers.append(body["seeker_number"])
    return numbers


def test_registration_and_concurrent_expiry_sweeps_on_postgresql(runtime, client, staff):
    _register(client, staff, 30)
    runtime.clock.set("2027-02-01T00:00:00+09:00")
    commands.EXPIRY_BATCH, batch = 7, commands.EXPIRY_BATCH  # several batches per sweep
    try:
        counts: list[int] = []
        threads = [threading.Thread(target=lambda: counts.append(commands.expire_due_registrations(runtime)))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        commands.EXPIRY_BATCH = batch
    with runtime.engine.connect() as connection:
        rows = connection.execute(select(runtime.outbox.c.body).where(
            runtime.outbox.c.type == "profile.registration.invalidated.v1")).scalars().all()
    events = [json.loads(body) for body in rows]
    assert len(events) == 30 and len({e["subject"] for e in events}) == 30
    for event in events:
        validate_event(event)
        assert event["data"]["invalidated_on"] == "2027-02-01"
    assert sum(counts) == 30  # every registration expired by exactly one of the workers
    assert commands.expire_due_registrations(runtime) == 0


def test_item3_the_applicants_profile_frozen_once_on_postgresql_for_its_establishment_only(runtime, client, staff,
                                                                                         signer):
    """Issue 13 item 3 on PostgreSQL: four deliveries at once of one application's event keep one frozen profile
    (INSERT … ON CONFLICT DO NOTHING), JSONB round-trips it with the ticked phone, and C2 holds."""
    [number] = _register(client, staff, 1)
    with runtime.uow() as uow:
        seeker = commands.seeker_by_number(uow, number)
        seeker_id = seeker.id
    application_id = uuid.uuid4().hex
    event = Event(type="jobs.application.submitted.v1", source="/mypage/jobs", subject=seeker_id,
                  time=runtime.clock.now(), data={
                      "application_id": application_id, "seeker_id": seeker_id, "job_number": "11040-00012345",
                      "establishment_number": "1104-123456-7", "establishment_name": None, "route": "self",
                      "submitted_at": runtime.clock.now().isoformat(), "shared_contact": ["birth_date"]})

    def deliver() -> bool:
        with runtime.uow() as uow:
            kept = freeze(uow, event)
            uow.commit()
        return kept

    assert sorted(in_parallel([deliver] * 4)) == [False, False, False, True]
    path = f"/api/v1/employer/applications/{application_id}/profile"
    mine = signer.headers("employer-system", roles=(EMPLOYER,), establishments=["1104-123456-7"])
    read = client.get(path, headers=mine)
    assert read.status_code == 200 and read.json["profile"]["birth_date"] == "1990-04-01", read.json
    assert "phone" not in read.json["profile"] and read.json["shared_contact"] == ["birth_date"]
    other = signer.headers("employer-system", roles=(EMPLOYER,), establishments=["1104-999999-9"])
    assert client.get(path, headers=other).status_code == 404
