"""kit.db.insert_ignore: INSERT … ON CONFLICT (key) DO NOTHING in the dialect of the bind, on SQLite (the
embedded mode) and on the real PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, select

from kit.db import insert_ignore, make_engine, make_session_factory

metadata = MetaData()
pairs = Table("insert_ignore_pairs", metadata, Column("a", String(10), primary_key=True),
              Column("b", String(10), primary_key=True), Column("n", Integer, nullable=False))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def engine(request, tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'db.sqlite'}"
    url = sqlite if request.param == "sqlite" else request.getfixturevalue("database_url")
    engine = make_engine(url)
    metadata.create_all(engine)
    yield engine
    metadata.drop_all(engine)
    engine.dispose()


def test_a_row_whose_key_is_there_is_left_as_it_is_and_returning_names_only_the_new_ones(engine):
    with engine.begin() as connection:
        connection.execute(insert_ignore(connection, pairs, on=("a", "b")).values(a="x", b="1", n=1))
        new = connection.execute(insert_ignore(connection, pairs, on=("a", "b")).returning(pairs.c.a, pairs.c.b),
                                 [{"a": "x", "b": "1", "n": 2}, {"a": "x", "b": "2", "n": 3}]).all()
        assert [tuple(row) for row in new] == [("x", "2")]
        assert connection.execute(select(pairs.c.b, pairs.c.n).order_by(pairs.c.b)).all() == [("1", 1), ("2", 3)]


def test_a_session_is_a_bind_too(engine):
    with make_session_factory(engine)() as session:
        statement = insert_ignore(session, pairs, on=["a", "b"]).returning(pairs.c.n)
        assert session.execute(statement.values(a="y", b="1", n=1)).first() == (1,)
        assert session.execute(statement.values(a="y", b="1", n=9)).first() is None
        assert session.scalar(select(pairs.c.n).where(pairs.c.a == "y")) == 1
