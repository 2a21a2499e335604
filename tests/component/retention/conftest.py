"""The retention service in-process: a SQLite database, a frozen clock, tokens from a test signer,
and events delivered straight to its handlers (as the consumer does)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

import pytest

from kit.erasure import SAGA_SERVICES
from kit.events import Event
from kit.testing.component import service_fixtures
from services.retention.app import build_runtime, create_app
from services.retention.handlers import SUBSCRIPTIONS

# clock, runtime, signer, app, client, staff, employer, as_seeker, outbox, deliver (kit/testing/component.py); the
# staff's token outlives the tests' moves of the clock by years
globals().update(service_fixtures("retention", build_runtime, create_app, SUBSCRIPTIONS,
                                  token_ttl=timedelta(days=3650 * 2)))


@pytest.fixture
def requests(outbox) -> Callable[[], list[dict]]:
    """The retention.erasure.requested.v1 envelopes so far, oldest first."""
    return partial(outbox, "retention.erasure.requested.v1")


@pytest.fixture
def new_seeker_id() -> Callable[[], str]:
    return lambda: str(uuid.uuid4())


@pytest.fixture
def invalidate(deliver) -> Callable[..., Event]:
    """invalidate(seeker_id, on="2021-11-27", at=None): profile says the registration became invalid on `on`."""

    def send(seeker_id: str, on: str = "2021-11-27", at: datetime | str | None = None) -> Event:
        return deliver("profile.registration.invalidated.v1",
                       {"seeker_id": seeker_id, "seeker_number": "11040-12345678", "kind": "registered",
                        "invalidated_on": on, "reason": "expired"}, at=at or f"{on}T00:00:00+00:00")

    return send


@pytest.fixture
def validate(deliver) -> Callable[..., Event]:
    """validate(seeker_id, at, reason="reapplication"): profile says the registration is valid (再求職申込)."""

    def send(seeker_id: str, at: datetime | str, reason: str = "reapplication") -> Event:
        return deliver("profile.registration.validated.v1",
                       {"seeker_id": seeker_id, "seeker_number": "11040-12345678", "kind": "registered",
                        "applied_on": "2022-01-01", "valid_until": "2022-03-31", "reason": reason}, at=at)

    return send


@pytest.fixture
def withdraw(deliver) -> Callable[[str], Event]:
    """withdraw(seeker_id): auth says the seeker withdrew (A9)."""
    return lambda seeker_id: deliver("auth.mypage.withdrawn.v1",
                                     {"seeker_id": seeker_id, "withdrawn_at": "2026-11-26T01:00:00Z"})


@pytest.fixture
def confirm(deliver) -> Callable[..., Event]:
    """confirm(erasure_id, service, rows=3, round_=1): `service` answers round `round_` with its completion event."""
    return lambda erasure_id, service, rows=3, round_=1: deliver(
        f"{service}.erasure.completed.v1",
        {"erasure_id": erasure_id, "service": service, "rows_erased": rows, "round": round_})


@pytest.fixture
def complete_saga(runtime, clock, confirm) -> Callable[..., None]:
    """complete_saga(erasure_id, first=3, final=0): every service confirms round 1 (`first` rows each), the
    final round is asked once its delay has passed, and every service confirms it (`final` rows each)."""
    from services.retention import commands
    from services.retention.domain import DEFAULT_FINAL_ROUND_DELAY

    def run(erasure_id: str, first: int = 3, final: int = 0) -> None:
        for service in SAGA_SERVICES:
            confirm(erasure_id, service, first)
        clock.advance(DEFAULT_FINAL_ROUND_DELAY)
        assert commands.retry_unconfirmed(runtime) == 1
        for service in SAGA_SERVICES:
            confirm(erasure_id, service, final, 2)

    return run
