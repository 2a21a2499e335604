"""The mechanics of erasing one seeker from one service's database (SPEC R3, DESIGN S12).

Retention's saga (services/retention) asks every service with `retention.erasure.requested.v1`
{erasure_id, seeker_id, reason, services}; each service answers `<service>.erasure.completed.v1`
{erasure_id, service, rows_erased} once its rows are gone. What a row "of the seeker" is, is
decided here generically from the service's SQLAlchemy metadata, so a table added later is
covered without touching the erasure code:

- every table with a `seeker_id` column (or the column a service names in `key_columns`, e.g.
  profile's `seekers.id`): its rows holding the id;
- every table without one whose foreign key points at such a table (recursively): its rows
  belonging to those rows (e.g. a document of an application), deleted before their parents;
- the inbox: rows whose `subject` is the id;
- the outbox: rows whose `subject` is the id or whose CloudEvent body holds it as a JSON string
  value — sent or not: an unsent one would carry the id onto the broker after the erasure;
- events collected but not yet written in the same unit of work (a batch of the consumer).

Then the service publishes its completion (after the purge, in the same transaction) with no
seeker id in it: retention maps erasure_id → seeker. Running it again deletes 0 rows and
confirms again (S12: harmless). Retention asks twice (`round` 1, then a final round 2 some time
later): an event about the seeker that was already on its way when round 1 ran may have made a
row again (a projection); round 2 erases it. The completion echoes the round it answers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from marshmallow import Schema, fields, validate
from sqlalchemy import ColumnElement, LargeBinary, MetaData, Table, delete, func, literal, or_, select

from kit.events import Event, EventSpec
from kit.inbox import INBOX_TABLE
from kit.outbox import OUTBOX_TABLE
from kit.uow import UnitOfWork

log = logging.getLogger("mypage.erasure")

ERASURE_REQUESTED = "retention.erasure.requested.v1"
SEEKER_COLUMN = "seeker_id"
SAGA_SERVICES = ("auth", "profile", "jobs", "messaging")  # every service holding seeker data (R3)
REASONS = ("withdrawal", "retention_5y")  # A9 退会 | R2 five years after the registration became invalid


class ErasureCompletedPayload(Schema):
    """R3: one service erased the seeker of `erasure_id`; a count only, no seeker id (S12, E3)."""

    erasure_id = fields.String(required=True, validate=validate.Length(min=1, max=36),
                               metadata={"description": "the erasure retention asked for"})
    service = fields.String(required=True, validate=validate.OneOf(SAGA_SERVICES),
                            metadata={"description": "the service that erased its rows"})
    rows_erased = fields.Integer(required=True, validate=validate.Range(min=0),
                                 metadata={"description": "rows deleted now (0 when it had been done already)"})
    round = fields.Integer(load_default=1, validate=validate.Range(min=1, max=2),
                           metadata={"description": "the round of the request answered (1, then the final 2)"})


@dataclass(frozen=True)
class ErasureRequest:
    """The parts of `retention.erasure.requested.v1` a service acts on."""

    erasure_id: str
    seeker_id: str
    services: tuple[str, ...]
    round: int = 1

    def asks(self, service: str) -> bool:
        """A retry names only the services that have not confirmed yet (R3)."""
        return service in self.services


def parse_request(event: Event) -> ErasureRequest | None:
    """The request in `event`, or None (logged) when it is malformed — retrying cannot fix that."""
    data = event.data
    erasure_id, seeker_id, services = data.get("erasure_id"), data.get("seeker_id"), data.get("services")
    round_ = data.get("round", 1)
    if services is None:
        services = list(SAGA_SERVICES)
    if not (isinstance(erasure_id, str) and 0 < len(erasure_id) <= 36 and isinstance(seeker_id, str)
            and 0 < len(seeker_id) <= 36 and isinstance(services, list) and round_ in (1, 2)):
        log.warning("%s %s is malformed; ignored", event.type, event.id)
        return None
    return ErasureRequest(erasure_id, seeker_id, tuple(str(service) for service in services), round_)


def erase_seeker_rows(uow: UnitOfWork, metadata: MetaData, seeker_id: str, *,
                      key_columns: Mapping[str, str] | None = None) -> dict[str, int]:
    """S12: delete every row of `metadata`'s tables that holds `seeker_id` (see the module); rows per table.

    `key_columns` names, per table, the column that holds the seeker id when it is not `seeker_id`.
    Children go before their parents (reverse dependency order), so no foreign key is violated
    whether or not it cascades.
    """
    session = uow.session
    keys = dict(key_columns or {})
    owned: dict[str, ColumnElement[bool] | None] = {}

    def condition(table: Table) -> ColumnElement[bool] | None:
        if table.name in owned:
            return owned[table.name]
        owned[table.name] = None  # a cycle of foreign keys ends here
        column = keys.get(table.name, SEEKER_COLUMN)
        if column in table.c:
            owned[table.name] = table.c[column] == seeker_id
            return owned[table.name]
        parents = []
        for foreign_key in table.foreign_keys:
            parent = foreign_key.column.table
            parent_condition = condition(parent) if parent is not table else None
            if parent_condition is not None:
                parents.append(foreign_key.parent.in_(select(foreign_key.column).where(parent_condition)))
        owned[table.name] = or_(*parents) if parents else None
        return owned[table.name]

    counts: dict[str, int] = {}
    for table in reversed(metadata.sorted_tables):
        if table.name == INBOX_TABLE:
            where = table.c.subject == seeker_id
        elif table.name == OUTBOX_TABLE:
            where = or_(table.c.subject == seeker_id, _body_mentions(session, table, seeker_id))
        else:
            where = condition(table)
        if where is None:
            continue
        deleted = session.execute(delete(table).where(where), execution_options={"synchronize_session": False})
        counts[table.name] = max(deleted.rowcount or 0, 0)
    drop_pending_events(uow, seeker_id)
    return counts


def erase_and_confirm(uow: UnitOfWork, event: Event, *, service: str, metadata: MetaData,
                      completed: EventSpec, key_columns: Mapping[str, str] | None = None,
                      erased_before: int = 0) -> int | None:
    """R3/S12: one service's whole part of the saga, inside the consumer's unit of work.

    Erase the seeker's rows (erase_seeker_rows), then publish `completed` {erasure_id, service,
    rows_erased} — after the purge, so the confirmation itself is never purged. Returns the rows
    erased, or None when the request is malformed or (a retry) does not ask `service`.
    """
    request = parse_request(event)
    if request is None or not request.asks(service):
        return None
    counts = erase_seeker_rows(uow, metadata, request.seeker_id, key_columns=key_columns)
    erased = erased_before + sum(counts.values())
    uow.publish(completed, {"erasure_id": request.erasure_id, "service": service, "rows_erased": erased,
                            "round": request.round}, subject=request.erasure_id)
    log.info("erasure %s: %d rows erased in %s", request.erasure_id, erased, service,
             extra={"outcome": "erased"})
    return erased


def drop_pending_events(uow: UnitOfWork, seeker_id: str) -> int:
    """S12: forget events collected in `uow` (not yet in the outbox) that mention `seeker_id`."""
    kept = [event for event in uow.events if event.subject != seeker_id and not mentions(event.to_json(), seeker_id)]
    dropped = len(uow.events) - len(kept)
    uow.events[:] = kept
    return dropped


def mentions(body: bytes, seeker_id: str) -> bool:
    """S12: a CloudEvent body names `seeker_id` — as its subject or anywhere as a JSON string value
    (quotes included, so one id never matches inside a longer one)."""
    return _json_string(seeker_id) in body


def _json_string(value: str) -> bytes:
    """How `value` appears as a string in a CloudEvent body (kit.events: UTF-8, not ASCII-escaped)."""
    return json.dumps(value, ensure_ascii=False).encode()


def _body_mentions(session, outbox: Table, seeker_id: str) -> ColumnElement[bool]:
    """The outbox body (bytes) contains the id as a JSON string value: `"<id>"`, quotes included,
    so one id never matches inside a longer one."""
    needle = literal(_json_string(seeker_id), LargeBinary)
    if session.get_bind().dialect.name == "postgresql":
        return func.position(needle.op("IN")(outbox.c.body)) > 0  # position(bytea IN bytea)
    return func.instr(outbox.c.body, needle) > 0
