"""kit.db.for_update: the rows a statement reads are held until the transaction ends — FOR UPDATE on the real
PostgreSQL, the database's write lock on SQLite (the embedded mode) — so a concurrent writer waits."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text, update
from sqlalchemy.exc import OperationalError

from kit.db import for_update, insert_ignore, make_engine, make_session_factory

metadata = MetaData()
rows = Table("for_update_rows", metadata, Column("id", Integer, primary_key=True), Column("n", Integer))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def engine(request, tmp_path):
    if request.param == "sqlite":  # a writer that finds the database locked gives up at once
        engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}",
                             connect_args={"check_same_thread": False, "timeout": 0.2})
    else:
        engine = make_engine(request.getfixturevalue("database_url"))
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(rows.insert(), [{"id": 1, "n": 0}])
    yield engine
    metadata.drop_all(engine)
    engine.dispose()


def _another_writer_gets_through(engine) -> bool:
    """Whether another transaction can change row 1 now (it gives up after a fifth of a second)."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("SET lock_timeout = '200ms'"))
        try:
            connection.execute(update(rows).where(rows.c.id == 1).values(n=rows.c.n + 1))
        except OperationalError:
            return False
        connection.commit()
        return True


def test_a_read_names_its_rows_and_holds_them_until_the_transaction_ends(engine):
    with make_session_factory(engine)() as session:
        assert session.execute(select(rows.c.n).where(rows.c.id == 1)).scalar() == 0
        assert _another_writer_gets_through(engine)  # a plain read holds nothing
        session.rollback()
        statement = for_update(session, select(rows.c.n).where(rows.c.id == 1), key=rows.c.id, value=1)
        assert session.execute(statement).scalar() == 1
        assert not _another_writer_gets_through(engine)
        session.commit()
    assert _another_writer_gets_through(engine)


def test_after_a_write_of_its_own_a_read_names_no_key(engine):
    with make_session_factory(engine)() as session:
        session.execute(insert_ignore(session, rows, on="id").values(id=1, n=9))  # there already: left as it is
        assert session.execute(for_update(session, select(rows.c.n).where(rows.c.id == 1))).scalar() == 0
        assert not _another_writer_gets_through(engine)
        session.commit()
    assert _another_writer_gets_through(engine)
