"""The declarative base of jobs' tables, its outbox and inbox (the column types they share: kit.db)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase

from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
