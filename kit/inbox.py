"""The inbox (DESIGN §3): `(event id, handler)` rows that make every handler idempotent.

A handler claims the event inside its own transaction; a second delivery of the same event
finds the row and is skipped. Each service adds the table to its own metadata:

    inbox = inbox_table(Base.metadata)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Column, DateTime, MetaData, String, Table, text
from sqlalchemy.orm import Session

from kit.db import insert_ignore

INBOX_TABLE = "inbox"
_KEY = ("event_id", "handler")  # one claim per event and handler


class Claim(NamedTuple):
    """One (event, handler) pair to claim with `claim_many`."""

    event_id: str
    handler: str
    event_type: str
    subject: str | None


def inbox_table(metadata: MetaData) -> Table:
    """Declare the inbox table in `metadata`."""
    if INBOX_TABLE in metadata.tables:
        return metadata.tables[INBOX_TABLE]
    return Table(
        INBOX_TABLE,
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("handler", String(120), primary_key=True),
        Column("event_type", String(120), nullable=False),
        Column("subject", String(120), nullable=True, index=True),
        Column("handled_at", DateTime(timezone=True), nullable=False),
    )


def claim(
    session: Session, table: Table, *, event_id: str, handler: str, event_type: str,
    subject: str | None, now: datetime,
) -> bool:
    """E2: True the first time `handler` sees `event_id`, False for a duplicate.

    The row is part of the handler's transaction, so a rollback releases the claim.
    """
    statement = (
        insert_ignore(session, table, on=_KEY)
        .values(event_id=event_id, handler=handler, event_type=event_type, subject=subject, handled_at=now)
        .returning(table.c.event_id)
    )
    # RETURNING, not rowcount: SQLAlchemy 2.1 + psycopg 3 report rowcount -1 for this statement.
    return session.execute(statement).first() is not None


def claim_many(
    session: Session, table: Table, claims: Sequence[Claim], *, now: datetime,
) -> set[tuple[str, str]]:
    """E2: `claim()` for a batch in one statement; returns the (event id, handler) pairs that are new.

    A pair that is already in the inbox, or twice in `claims`, is claimed at most once.
    """
    if not claims:
        return set()
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        return _claim_many_postgresql(session, table, claims, now)
    statement = insert_ignore(session, table, on=_KEY).returning(table.c.event_id, table.c.handler)
    rows = [
        {"event_id": c.event_id, "handler": c.handler, "event_type": c.event_type, "subject": c.subject,
         "handled_at": now}
        for c in claims
    ]
    # executemany + RETURNING: SQLAlchemy batches it into multi-row INSERTs from one cached statement.
    return {(row.event_id, row.handler) for row in session.execute(statement, rows)}


def _claim_many_postgresql(session: Session, table: Table, claims: Sequence[Claim], now: datetime):
    """One short INSERT … SELECT FROM unnest(arrays): psycopg prepares it once per connection, whereas a
    multi-row VALUES list is a long, new query text for every batch size (parsed each time)."""
    name = session.get_bind().dialect.identifier_preparer.format_table(table)
    statement = text(
        f"INSERT INTO {name} (event_id, handler, event_type, subject, handled_at) "
        "SELECT e, h, t, s, :now FROM unnest(CAST(:ids AS varchar[]), CAST(:handlers AS varchar[]), "
        "CAST(:types AS varchar[]), CAST(:subjects AS varchar[])) AS claim(e, h, t, s) "
        "ON CONFLICT (event_id, handler) DO NOTHING RETURNING event_id, handler"
    )
    rows = session.execute(statement, {
        "now": now,
        "ids": [c.event_id for c in claims],
        "handlers": [c.handler for c in claims],
        "types": [c.event_type for c in claims],
        "subjects": [c.subject for c in claims],
    })
    return {(row.event_id, row.handler) for row in rows}
