"""E2 on PostgreSQL: the inbox claims a batch in one statement, each (event, handler) at most once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kit.inbox import Claim, claim, claim_many


@pytest.fixture
def world(bus_world, database_url, amqp_bus):
    return bus_world(database_url, amqp_bus)


def test_e2_claim_many_on_postgres_claims_each_pair_once(world):
    now = world.clock.now()
    with world.sessions() as session, session.begin():
        assert claim(session, world.inbox, event_id="e0", handler="a.h", event_type="test.thing.noted.v1",
                     subject=None, now=now)
    claims = [
        Claim("e0", "a.h", "test.thing.noted.v1", None),  # already in the inbox
        Claim("e1", "a.h", "test.thing.noted.v1", "s-1"),
        Claim("e1", "b.h", "test.thing.noted.v1", "s-1"),  # same event, another handler
        Claim("e1", "a.h", "test.thing.noted.v1", "s-1"),  # twice in one batch
        Claim("e2", "a.h", "test.thing.noted.v1", None),
    ]
    with world.sessions() as session, session.begin():
        fresh = claim_many(session, world.inbox, claims, now=now)
    assert fresh == {("e1", "a.h"), ("e1", "b.h"), ("e2", "a.h")}
    with world.sessions() as session:
        rows = session.execute(select(world.inbox.c.event_id, world.inbox.c.handler, world.inbox.c.subject,
                                      world.inbox.c.handled_at).order_by(world.inbox.c.event_id,
                                                                         world.inbox.c.handler)).all()
    assert [(row.event_id, row.handler, row.subject) for row in rows] == [
        ("e0", "a.h", None), ("e1", "a.h", "s-1"), ("e1", "b.h", "s-1"), ("e2", "a.h", None)]
    assert all(row.handled_at == now for row in rows)


def test_e2_claim_many_on_postgres_rolls_back_with_the_transaction(world):
    with world.sessions() as session:
        assert claim_many(session, world.inbox, [Claim("e9", "a.h", "test.thing.noted.v1", None)],
                          now=world.clock.now()) == {("e9", "a.h")}
        session.rollback()
    with world.sessions() as session:
        assert session.execute(select(func.count()).select_from(world.inbox)).scalar_one() == 0
