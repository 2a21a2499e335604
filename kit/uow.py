"""The unit of work: one transaction that commits state and the events it produced together.

    with service.uow() as uow:
        uow.session.add(...)
        uow.publish(SEEKER_REGISTERED, {...}, subject=seeker_id)
        uow.commit()

Leaving the block without `commit()` rolls everything back, events included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session, sessionmaker

from kit.clock import Clock
from kit.events import Event, EventSpec
from kit.outbox import record_many

# The correlation id of the request or event being handled; carried into every event it causes.
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


class UnitOfWork:
    """A session plus the events collected while using it."""

    def __init__(
        self,
        session_factory: sessionmaker,
        *,
        outbox: Table,
        clock: Clock,
        source: str,
        notify_channel: str | None = None,
        on_commit: Iterable[Callable[[], None]] = (),
    ) -> None:
        self._session_factory = session_factory
        self._outbox = outbox
        self.clock = clock
        self._source = source
        self._notify_channel = notify_channel
        self._on_commit = list(on_commit)
        self.session: Session | None = None
        self.events: list[Event] = []

    def __enter__(self) -> UnitOfWork:
        self.session = self._session_factory()
        self.events = []
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.session.rollback()
        finally:
            self.session.close()

    def publish(self, spec: EventSpec, data: dict[str, Any], *, subject: str | None = None) -> Event:
        """Collect an event; it is written to the outbox by `commit()`, in the same transaction."""
        event = Event(
            type=spec.type,
            data=spec.payload(data),
            source=self._source,
            subject=subject,
            time=self.clock.now(),
            correlationid=correlation_id.get(),
        )
        self.events.append(event)
        return event

    def commit(self) -> None:
        record_many(self.session, self._outbox, self.events, notify=self._notify_channel)
        had_events = bool(self.events)
        self.session.commit()
        self.events = []
        if had_events:
            for hook in self._on_commit:
                hook()

    def rollback(self) -> None:
        self.events = []
        self.session.rollback()
