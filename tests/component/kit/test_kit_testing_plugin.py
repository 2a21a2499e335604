"""The pytest plugin's own promises: isolated exchanges and a waiter that never sleeps blindly."""

from __future__ import annotations

import pytest

from kit.events import Event
from kit.publisher import OutgoingMessage, make_publisher


def test_each_test_gets_its_own_exchange(exchange_name, memory_bus):
    assert exchange_name.startswith("test-") and exchange_name.endswith(".events")
    assert memory_bus.exchange == exchange_name


def test_wait_for_event_returns_the_event_published_inside_the_block(memory_bus, wait_for_event):
    event = Event(type="jobs.favourite.added.v1", data={"job_number": "1"}, source="/jobs")
    publisher = make_publisher(memory_bus.url, memory_bus.exchange)
    with wait_for_event("jobs.favourite.added.v1", timeout=2) as waited:
        publisher.publish([OutgoingMessage.from_event(event)], timeout=1)
    assert waited.event == event


def test_wait_for_event_fails_the_test_when_nothing_comes(memory_bus, wait_for_event):
    with pytest.raises(pytest.fail.Exception, match="no jobs.favourite.added.v1 event"), \
            wait_for_event("jobs.favourite.added.v1", timeout=0.2):
        pass


def test_frozen_clock_moves_only_when_told(frozen_clock):
    before = frozen_clock.now()
    assert frozen_clock.now() == before
    assert (frozen_clock.advance(minutes=50) - before).total_seconds() == 3000
