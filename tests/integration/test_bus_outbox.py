"""E2 on PostgreSQL: a state change and its outbox row commit or roll back together."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select


@pytest.fixture
def world(bus_world, database_url, amqp_bus):
    return bus_world(database_url, amqp_bus)


def _count(world, table) -> int:
    with world.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_e2_state_and_event_commit_together(world):
    with world.uow() as uow:
        uow.session.execute(insert(world.effects_table).values(event_id="state-change", value=1))
        uow.publish(_spec(), {"n": 1})
        uow.commit()
    assert _count(world, world.effects_table) == 1
    assert _count(world, world.outbox) == 1


def test_e2_state_and_event_roll_back_together(world):
    with world.uow() as uow:
        uow.session.execute(insert(world.effects_table).values(event_id="state-change", value=1))
        uow.publish(_spec(), {"n": 1})
        # leaving without commit()
    with pytest.raises(RuntimeError), world.uow() as uow:
        uow.session.execute(insert(world.effects_table).values(event_id="state-change", value=2))
        uow.publish(_spec(), {"n": 2})
        raise RuntimeError("the request failed after the change")
    assert _count(world, world.effects_table) == 0
    assert _count(world, world.outbox) == 0


def test_e2_outbox_rows_of_concurrent_transactions_keep_commit_order_per_transaction(world):
    first = world.emit(5)
    second = world.emit(5, start=5)
    assert [row.event_id for row in world.outbox_rows()] == first + second


def _spec():
    from tests.conftest import NOTED, EventSpec, _AnySchema

    return EventSpec(NOTED, _AnySchema, "a test event")
