"""The transactional outbox (DESIGN §3): an event is a row written in the same transaction as
the state change it describes; the relay publishes it afterwards.

Each service adds the table to its own metadata (so its Alembic history owns it):

    outbox = outbox_table(Base.metadata)
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    insert,
    text,
)
from sqlalchemy.orm import Session

from kit.db import ROW_ID
from kit.events import Event

OUTBOX_TABLE = "outbox"



def outbox_table(metadata: MetaData) -> Table:
    """Declare the outbox table in `metadata`: one row per event, sent_at NULL until confirmed."""
    if OUTBOX_TABLE in metadata.tables:
        return metadata.tables[OUTBOX_TABLE]
    return Table(
        OUTBOX_TABLE,
        metadata,
        Column("id", ROW_ID, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("type", String(120), nullable=False),
        Column("subject", String(120), nullable=True),
        Column("body", LargeBinary, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("next_attempt_at", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=True),
        Index("ix_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL"), sqlite_where=text("sent_at IS NULL")),
        Index("ix_outbox_subject", "subject"),
    )


def notify_channel(service: str) -> str:
    """The PostgreSQL LISTEN/NOTIFY channel that wakes `service`'s relay on commit."""
    return f"mypage_outbox_{service}"


def record(session: Session, table: Table, event: Event, *, notify: str | None = None) -> None:
    """E2: write `event` into the outbox inside the caller's transaction.

    The row commits or rolls back with the state change. On PostgreSQL, `notify` names the
    channel whose listener (the relay) is woken when the transaction commits.
    """
    record_many(session, table, [event], notify=notify)


def record_many(
    session: Session, table: Table, events: Sequence[Event], *, notify: str | None = None,
) -> None:
    """E2: `record()` for several events: one multi-row INSERT and at most one NOTIFY, in order."""
    if not events:
        return
    rows = [
        {"event_id": event.id, "type": event.type, "subject": event.subject, "body": event.to_json(),
         "created_at": event.time}
        for event in events
    ]
    session.execute(insert(table), rows)
    if notify and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": notify})
