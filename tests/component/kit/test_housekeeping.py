"""kit.housekeeping: sent outbox rows go 7 days after sending, inbox rows 30 days after handling,
unsent rows never; in batches; on SQLite and PostgreSQL; registered as a task of every runtime."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from kit import housekeeping
from kit.clock import FrozenClock
from kit.settings import ConfigurationError, Settings
from kit.testing.services import migrated_runtime
from services.retention.app import build_runtime

NOW = "2026-11-27T03:00:00+00:00"


@pytest.fixture(params=["sqlite", "postgresql"])
def runtime(request):
    url = "sqlite://" if request.param == "sqlite" else request.getfixturevalue("database_url")
    with migrated_runtime(build_runtime, "retention", FrozenClock(NOW), database_url=url) as runtime:
        yield runtime


def _outbox(runtime, *, sent_days_ago: float | None, created_days_ago: float = 40) -> str:
    now = runtime.clock.now()
    event_id = str(uuid.uuid4())
    with runtime.engine.begin() as connection:
        connection.execute(insert(runtime.outbox).values(
            event_id=event_id, type="retention.test.v1", subject="s", body=b"{}",
            created_at=now - timedelta(days=created_days_ago),
            sent_at=None if sent_days_ago is None else now - timedelta(days=sent_days_ago)))
    return event_id


def _inbox(runtime, *, handled_days_ago: float) -> str:
    event_id = str(uuid.uuid4())
    with runtime.engine.begin() as connection:
        connection.execute(insert(runtime.inbox).values(
            event_id=event_id, handler="h", event_type="x.y.z.v1", subject="s",
            handled_at=runtime.clock.now() - timedelta(days=handled_days_ago)))
    return event_id


def _left(runtime, table) -> set[str]:
    with runtime.engine.connect() as connection:
        return set(connection.scalars(select(table.c.event_id)))


def test_sent_outbox_rows_go_after_7_days_unsent_ones_never(runtime):
    kept_at_the_edge = _outbox(runtime, sent_days_ago=7)
    gone = _outbox(runtime, sent_days_ago=7 + 1 / 86400)
    unsent = _outbox(runtime, sent_days_ago=None, created_days_ago=400)
    recent = _outbox(runtime, sent_days_ago=0.5)
    assert housekeeping.prune(runtime) == (1, 0)
    assert _left(runtime, runtime.outbox) == {kept_at_the_edge, unsent, recent}
    assert gone not in _left(runtime, runtime.outbox)


def test_inbox_rows_go_after_30_days(runtime):
    kept = _inbox(runtime, handled_days_ago=30)
    _inbox(runtime, handled_days_ago=30 + 1 / 86400)
    _inbox(runtime, handled_days_ago=365)
    assert housekeeping.prune(runtime) == (0, 2)
    assert _left(runtime, runtime.inbox) == {kept}


def test_pruning_goes_in_batches_until_nothing_is_left(runtime):
    for _ in range(10):
        _outbox(runtime, sent_days_ago=9)
        _inbox(runtime, handled_days_ago=31)
    assert housekeeping.prune(runtime, batch=3) == (10, 10)
    with runtime.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(runtime.outbox)) == 0
    assert housekeeping.prune(runtime, batch=3) == (0, 0)  # again: harmless


def test_the_windows_come_from_the_settings(tmp_path):
    settings = Settings.from_env("retention", {"MYPAGE_OUTBOX_KEEP_DAYS": "1", "MYPAGE_INBOX_KEEP_DAYS": "2"},
                                 database_url="sqlite://")
    runtime = build_runtime(settings, clock=FrozenClock(NOW))
    runtime.migrate()
    try:
        _outbox(runtime, sent_days_ago=1.5)
        _inbox(runtime, handled_days_ago=1.5)
        assert housekeeping.prune(runtime) == (1, 0)
    finally:
        runtime.dispose()


@pytest.mark.parametrize("value", ["0", "-3", "seven", ""])
def test_a_window_that_is_not_a_positive_number_of_days_is_refused(value):
    with pytest.raises(ConfigurationError, match="MYPAGE_OUTBOX_KEEP_DAYS"):
        Settings.from_env("jobs", {"MYPAGE_OUTBOX_KEEP_DAYS": value})


def test_every_runtime_runs_the_pruning_task(runtime):
    assert housekeeping.TASK in runtime.tasks
