"""The messaging service's own tables."""

from sqlalchemy.orm import DeclarativeBase

from kit.inbox import inbox_table
from kit.outbox import outbox_table


class Base(DeclarativeBase):
    pass


outbox = outbox_table(Base.metadata)
inbox = inbox_table(Base.metadata)
