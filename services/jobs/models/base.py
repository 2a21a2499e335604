"""The declarative base of jobs' tables, its outbox and inbox, and the column types they share."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Integer
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase

from kit.inbox import inbox_table
from kit.outbox import outbox_table

# BigInteger on PostgreSQL; INTEGER PRIMARY KEY (the rowid, so autoincrementing) on SQLite.
ID_TYPE = BigInteger().with_variant(Integer(), "sqlite")
DOCUMENT_TYPE = JSON().with_variant(postgresql.JSONB(), "postgresql")


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
