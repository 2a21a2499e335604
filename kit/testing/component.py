"""The fixtures every service's component tests start from (tests/component/<service>/conftest.py):

    from kit.testing.component import service_fixtures

    globals().update(service_fixtures("messaging", build_runtime, create_app, SUBSCRIPTIONS))

names, in that conftest, `clock`, `runtime`, `signer`, `app`, `client`, `staff`, `employer`, `as_seeker`,
`outbox` and (given the service's subscriptions) `deliver`; what only one service needs stays in its conftest.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import partial
from typing import Any

import pytest

from kit.clock import FrozenClock
from kit.events import Event
from kit.runtime import Runtime
from kit.testing.services import migrated_runtime, outbox_envelopes
from kit.testing.tokens import TestSigner
from kit.tokens import EMPLOYER, STAFF

START = "2026-11-26T01:00:00+00:00"  # 2026-11-26 10:00 in Japan
TOKEN_TTL = timedelta(days=3650)  # tokens outlive the clock moves of a test (a year, more)


def service_fixtures(
    service: str, build_runtime: Callable[..., Runtime], create_app: Callable[..., Any],
    subscriptions: Mapping[str, Callable[[Event, Any], None]] | None = None, *, token_ttl: timedelta = TOKEN_TTL,
    payload: Callable[[str, Any], Any] | None = None, deliver_as: str = "deliver", on_postgresql: bool = False,
) -> dict[str, Any]:
    """`service` in process, as fixtures by name: its runtime (its app module's `build_runtime`) on a
    migrated in-memory SQLite database at a frozen clock, its app (`create_app`) verifying tokens from a
    test signer, and `subscriptions` (event type -> handler) to deliver events to as the consumer does;
    `payload(type, data)`, if given, is what an event delivered carries (e.g. data checked against its
    publisher's schema); `deliver_as` names that fixture. `on_postgresql`: the runtime's database is
    a fresh PostgreSQL one (kit.testing.plugin's `database_url`), for tests under tests/integration."""

    @pytest.fixture
    def clock() -> FrozenClock:
        return FrozenClock(START)

    @pytest.fixture
    def runtime(request, clock):
        database_url = request.getfixturevalue("database_url") if on_postgresql else "sqlite://"
        with migrated_runtime(build_runtime, service, clock, database_url) as runtime:
            yield runtime

    @pytest.fixture
    def signer(clock) -> TestSigner:
        return TestSigner(clock)

    @pytest.fixture
    def app(runtime, signer):
        return create_app(runtime=runtime, token_verifier=signer.verifier())

    @pytest.fixture
    def client(app):
        return app.test_client()

    @pytest.fixture
    def staff(signer) -> dict[str, str]:
        """Headers of the counter system (client credentials, role staff); they outlive clock moves."""
        return signer.headers("counter", roles=(STAFF,), ttl=token_ttl)

    @pytest.fixture
    def employer(signer) -> dict[str, str]:
        """Headers of an employer-side system acting for every establishment (role employer, C2's "*")."""
        return signer.headers("employer", roles=(EMPLOYER,), ttl=token_ttl, establishments="*")

    @pytest.fixture
    def as_seeker(signer) -> Callable[[str], dict[str, str]]:
        """as_seeker(seeker_id) -> the seeker's bearer headers; they outlive clock moves."""
        return lambda seeker_id: signer.headers(seeker_id, ttl=token_ttl)

    @pytest.fixture
    def outbox(runtime) -> Callable[..., list[dict]]:
        """outbox(type=None) -> the envelopes written so far (optionally of one type), oldest first."""
        return partial(outbox_envelopes, runtime)

    fixtures = {"clock": clock, "runtime": runtime, "signer": signer, "app": app, "client": client,
                "staff": staff, "employer": employer, "as_seeker": as_seeker, "outbox": outbox}
    if subscriptions is None:
        return fixtures

    def deliver(runtime) -> Callable[..., Event]:
        """deliver(type, data, at=None, source=…, subject=None) -> the event, handled by the service's
        handler and committed; its subject is the data's seeker_id unless given."""
        return partial(deliver_event, runtime, subscriptions, payload=payload)

    return fixtures | {deliver_as: pytest.fixture(name=deliver_as)(deliver)}


def deliver_event(
    runtime: Runtime, subscriptions: Mapping[str, Callable[[Event, Any], None]], event_type: str, data: Any,
    at: datetime | str | None = None, source: str = "/mypage/test", subject: str | None = None, *,
    payload: Callable[[str, Any], Any] | None = None,
) -> Event:
    """Hand one inbound event to its handler in `subscriptions` in a unit of work and commit, as the
    consumer does; at `at` (default: the runtime's clock), its subject the data's seeker_id unless given."""
    time = datetime.fromisoformat(at) if isinstance(at, str) else at or runtime.clock.now()
    subject = subject or (data.get("seeker_id") if isinstance(data, dict) else None)
    event = Event(type=event_type, data=data if payload is None else payload(event_type, data),
                  source=source, subject=subject, time=time)
    with runtime.uow() as uow:
        subscriptions[event_type](event, uow)
        uow.commit()
    return event
