"""M3: messages and notices are deleted automatically one year after they were sent or received —
still there one second before, gone at the instant (domain.deleted_at); a runtime task on the
injected clock does it."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import func, select

from kit.testing.plugin import eventually
from services.messaging import commands, tasks
from services.messaging.models import Message, Notice
from services.messaging.tasks import RETENTION_TASK

NOTICES = "/api/v1/me/notices"


def _count(runtime, model) -> int:
    with runtime.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def _thread_with_a_message(runtime, seeker_id: str) -> str:
    with runtime.uow() as uow:
        thread = commands.open_thread(uow, seeker_id, "株式会社越谷ケア")
        commands.receive_message(uow, thread.id, "面接日程のご連絡")
        uow.commit()
        return thread.id


def test_m3_kept_at_one_year_minus_one_second_gone_at_one_year(runtime, clock, client, seeker, as_seeker,
                                                               post_notice):
    known = seeker()
    clock.set("2026-11-26T10:00:00+09:00")
    notice = post_notice(known)
    thread_id = _thread_with_a_message(runtime, known["seeker_id"])
    clock.set("2027-11-26T09:59:59+09:00")  # one year minus one second
    assert tasks.purge_expired(runtime) == 0
    assert client.get(f"{NOTICES}/{notice['id']}", headers=as_seeker(known["seeker_id"])).status_code == 200
    assert _count(runtime, Message) == 1
    clock.set("2027-11-26T10:00:00+09:00")  # one year exactly
    assert tasks.purge_expired(runtime) == 2
    assert client.get(f"{NOTICES}/{notice['id']}", headers=as_seeker(known["seeker_id"])).status_code == 404
    conversation = client.get(f"/api/v1/me/messages/{thread_id}", headers=as_seeker(known["seeker_id"])).json
    assert conversation["items"] == [] and conversation["total"] == 0  # the thread stays, its message is gone
    assert tasks.purge_expired(runtime) == 0  # again: harmless


def test_m3_a_read_notice_goes_by_when_it_was_sent_not_read(runtime, clock, client, seeker, as_seeker, post_notice):
    known = seeker()
    notice = post_notice(known)
    clock.advance(days=300)
    client.post(f"{NOTICES}/{notice['id']}/read", headers=as_seeker(known["seeker_id"]))
    clock.advance(days=65)  # 365 days after 2026-11-26: the year has passed
    assert tasks.purge_expired(runtime) == 1


def test_m3_sent_on_29_february_it_goes_at_the_start_of_1_march(runtime, clock, seeker, post_notice):
    known = seeker()
    clock.set("2028-02-29T15:00:00+09:00")
    post_notice(known)
    clock.set("2029-02-28T23:59:59+09:00")
    assert tasks.purge_expired(runtime) == 0
    clock.set("2029-03-01T00:00:00+09:00")
    assert tasks.purge_expired(runtime) == 1


def test_m3_large_backlogs_go_in_batches(runtime, clock, seeker, monkeypatch):
    known = seeker()
    monkeypatch.setattr(tasks, "RETENTION_BATCH", 3)
    with runtime.uow() as uow:
        for n in range(7):
            commands.post_notice(uow, {"seeker_id": known["seeker_id"], "title": f"t{n}", "body": "b"}, "counter")
        uow.commit()
    clock.advance(timedelta(days=366))
    assert tasks.purge_expired(runtime) == 7 and _count(runtime, Notice) == 0


def test_m3_the_runtime_task_sweeps_on_the_injected_clock(runtime, clock, seeker, post_notice):
    known = seeker()
    post_notice(known)
    clock.advance(days=366)
    stop = threading.Event()
    worker = threading.Thread(target=runtime.tasks[RETENTION_TASK], args=(stop,), daemon=True)
    worker.start()
    try:
        eventually(lambda: _count(runtime, Notice) == 0, timeout=10, message="the year-old notice to go")
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()
