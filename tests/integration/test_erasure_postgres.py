"""S12 end to end (R2, R3, A9): five services, each on its own PostgreSQL database, joined by a
real RabbitMQ exchange. A withdrawal published by auth starts retention's saga; auth, profile,
jobs and messaging erase and confirm; retention writes the audit and forgets the seeker. Then
no row in any of the five databases holds the seeker's id — inbox and outbox included — while
another seeker's rows are all there.
"""

from __future__ import annotations

import importlib
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from kit.background import start_background
from kit.clock import FrozenClock
from kit.settings import Settings
from kit.testing.erasure import rows_mentioning, seed_rows
from kit.testing.plugin import eventually
from kit.testing.tokens import TestSigner
from kit.tokens import STAFF
from services.retention.config import RetentionOptions

SERVICES = ("auth", "profile", "jobs", "messaging", "retention")
DELIVERY = 60.0  # seconds: five relays and consumers on two cores


@pytest.fixture
def system(new_database_url, amqp_url, exchange_name):
    """{service: runtime}, migrated, with relay, consumer and tasks running against RabbitMQ."""
    clock = FrozenClock("2026-11-26T01:00:00+00:00")
    runtimes = {}
    stop = threading.Event()
    threads: list[threading.Thread] = []
    try:
        for name in SERVICES:
            settings = Settings.from_env(name, {}, database_url=new_database_url(), amqp_url=amqp_url,
                                         exchange=exchange_name)
            module = importlib.import_module(f"services.{name}.app")
            if name == "retention":  # the final round at the retry task's next pass (5 per second here)
                runtime = module.build_runtime(settings, clock=clock, options=RetentionOptions(
                    final_round_delay=timedelta(0), retry_check_every=timedelta(seconds=0.2)))
            else:
                runtime = module.build_runtime(settings, clock=clock)
            runtime.tasks.pop("auth-mail", None)  # no SMTP here; mails are not what this test is about
            runtime.migrate()
            runtimes[name] = runtime
        for runtime in runtimes.values():
            threads.extend(start_background(runtime, stop))
        yield runtimes
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)
        for runtime in runtimes.values():
            runtime.dispose()


def _register(profile_runtime, number: str) -> str:
    """Staff register a seeker at the counter (P1) through profile's API; returns the opaque id."""
    from services.profile.app import create_app

    signer = TestSigner(profile_runtime.clock)
    client = create_app(runtime=profile_runtime, token_verifier=signer.verifier()).test_client()
    body = {"seeker_number": number, "name": "求職 太郎", "name_kana": "キュウショク タロウ",
            "birth_date": "1990-04-01", "email": f"{number}@example.jp",
            "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "applied_on": "2026-11-02"}
    response = client.post("/api/v1/staff/seekers", json=body,
                           headers=signer.headers("counter", roles=(STAFF,), ttl=timedelta(days=1)))
    assert response.status_code == 201, response.json
    from services.profile.models import Seeker

    with profile_runtime.uow() as uow:
        return uow.session.scalar(select(Seeker.id).where(Seeker.seeker_number == number))


def _known_everywhere(system, seeker_id: str) -> bool:
    """Profile's registration events have reached auth, jobs, messaging and retention."""
    return all(rows_mentioning(system[name], seeker_id) for name in ("auth", "jobs", "messaging", "retention"))


def _withdraw(auth_runtime, seeker_id: str) -> None:
    """A9: auth records the withdrawal and publishes auth.mypage.withdrawn.v1 (as flows.withdraw does)."""
    from services.auth.events import MYPAGE_WITHDRAWN

    with auth_runtime.uow() as uow:
        uow.publish(MYPAGE_WITHDRAWN, {"seeker_id": seeker_id, "withdrawn_at": uow.clock.now()}, subject=seeker_id)
        uow.commit()


def _audit(retention_runtime) -> list:
    from services.retention.models import audit

    with retention_runtime.engine.connect() as connection:
        return connection.execute(select(audit)).all()


def test_s12_a_withdrawal_erases_the_seeker_from_all_five_databases(system):
    erased = _register(system["profile"], f"11040-{uuid.uuid4().int % 10**8:08d}")
    kept = _register(system["profile"], f"11040-{uuid.uuid4().int % 10**8:08d}")
    eventually(lambda: _known_everywhere(system, erased) and _known_everywhere(system, kept), DELIVERY,
               message="the registrations reaching every service")
    for name in ("auth", "jobs", "messaging"):  # a row in every table holding a seeker id, inbox/outbox too
        seed_rows(system[name], erased)
        seed_rows(system[name], kept)
    kept_before = {name: rows_mentioning(runtime, kept) for name, runtime in system.items()}

    _withdraw(system["auth"], erased)

    [entry] = eventually(lambda: _audit(system["retention"]), DELIVERY, message="the erasure's audit entry")
    assert entry.reason == "withdrawal"  # written after both rounds were confirmed by all four
    assert set(entry.rows_erased) == {"auth", "profile", "jobs", "messaging"}
    assert all(count > 0 for count in entry.rows_erased.values()), entry.rows_erased
    for name, runtime in system.items():
        assert rows_mentioning(runtime, erased) == {}, name
        assert rows_mentioning(runtime, kept) == kept_before[name], name
