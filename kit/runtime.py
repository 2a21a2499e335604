"""The composition root of one service process: settings, clock, database, unit of work,
and — when asked — the relay and the consumer that run beside the web app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from sqlalchemy import MetaData

from kit import housekeeping
from kit.clock import Clock, SystemClock
from kit.db import make_engine, make_session_factory
from kit.events import Event, EventSpec
from kit.inbox import inbox_table
from kit.migrations import upgrade
from kit.outbox import notify_channel, outbox_table
from kit.settings import Settings
from kit.uow import UnitOfWork

log = logging.getLogger("mypage.runtime")

Handler = Callable[[Event, UnitOfWork], None]


class Runtime:
    """Everything a service's handlers and views need, built once per process."""

    def __init__(
        self,
        settings: Settings,
        *,
        metadata: MetaData,
        migrations: Path,
        subscriptions: Mapping[str, Handler] | None = None,
        publishes: Iterable[EventSpec] = (),
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self.name = settings.service
        self.clock = clock or SystemClock()
        self.metadata = metadata
        self.migrations = migrations
        self.engine = make_engine(settings.database_url)
        self.session_factory = make_session_factory(self.engine)
        self.outbox = outbox_table(metadata)
        self.inbox = inbox_table(metadata)
        self.subscriptions = dict(subscriptions or {})
        self.publishes = list(publishes)
        self.notify_channel = notify_channel(self.name)
        self._commit_hooks: list[Callable[[], None]] = []
        self.tasks: dict[str, Callable[[threading.Event], None]] = {}
        self.add_task(housekeeping.TASK, housekeeping.pruning_task(self))  # every service prunes its own

    @property
    def source(self) -> str:
        """The CloudEvents `source` of this service's events."""
        return f"/mypage/{self.name}"

    def uow(self) -> UnitOfWork:
        """A fresh unit of work; use it as a context manager."""
        return UnitOfWork(
            self.session_factory,
            outbox=self.outbox,
            clock=self.clock,
            source=self.source,
            notify_channel=self.notify_channel,
            on_commit=self._commit_hooks,
        )

    def on_commit(self, hook: Callable[[], None]) -> None:
        """Call `hook` after every commit that wrote events (the embedded relay's wake-up)."""
        self._commit_hooks.append(hook)

    def add_task(self, name: str, loop: Callable[[threading.Event], None]) -> None:
        """Register a service-specific background loop (e.g. auth's mail dispatcher, retention's sweeps).

        `loop(stop)` runs until `stop` is set; the worker process (and the embedded mode) runs it
        beside the consumer. It must wake on its own schedule from `self.clock`-based rules.
        """
        self.tasks[name] = loop

    def migrate(self) -> None:
        """Apply this service's Alembic migrations."""
        upgrade(self.engine, self.migrations)
        log.info("%s: database migrated", self.name)

    def dispose(self) -> None:
        self.engine.dispose()
