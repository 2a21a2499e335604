"""J1: postings (求人) from the employer-side system — publish, change, close, read. One function per
use case, in a unit of work; the views (api.py) commit.

A posting is the payload of `POST /api/v1/employer/jobs` mapped to a row by models.posting_row (the
searched fields as columns, everything else in `document`, `search_text` for the free word); a change
rebuilds that payload from the row, lays the fields given over it and maps it again, so every column,
the document and `search_text` stay consistent. Each write takes the posting's row first (FOR UPDATE on
PostgreSQL, SQLite's write lock), so a change and a close of one posting run one after the other.
The events go through the outbox in the same transaction (uow.publish).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from kit.db import for_update, insert_ignore
from kit.problem import Problem, msg
from kit.uow import UnitOfWork
from services.jobs import domain, search
from services.jobs.commands.common import canonical_job_number, job_not_found, today
from services.jobs.events import POSTING_CHANGED, POSTING_CLOSED, POSTING_PUBLISHED
from services.jobs.models import posting_row, postings

# Columns a change never writes: the posting's identity, when it arrived, whether it is closed.
_NOT_CHANGED = ("job_number", "created_at", "closed")


def publish_posting(uow: UnitOfWork, establishments: frozenset[str] | None,
                    payload: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """J1: a posting arrives from the employer-side system; (the posting as the employer sees it, new?).

    C2 first: only for one of the employer's establishments (another's: 403). A 求人番号 already posted
    with the same content is a retry: nothing changes (False). With other content it is refused (409:
    change it with PATCH). `jobs.posting.published.v1` for a new one.
    """
    row = posting_row(_without_empty_extras(payload), now=uow.clock.now())
    domain.check_acts_for(establishments, row["establishment_number"])
    # ON CONFLICT DO NOTHING: a parallel retry of the same posting waits for the first, then compares;
    # RETURNING, not rowcount: an INSERT's rowcount is -1 on PostgreSQL (kit.db.insert_ignore)
    inserted = uow.session.execute(insert_ignore(uow.session, postings, on="job_number").values(**row)
                                   .returning(postings.c.id)).first()
    stored = locked(uow, row["job_number"])
    if inserted is None:
        if domain.changed_posting_fields(stored._asdict(), row):
            raise domain.already_posted(row["job_number"])
        return employer_view(stored, today(uow)), False
    uow.publish(POSTING_PUBLISHED, {
        "job_number": row["job_number"], "establishment_number": row["establishment_number"],
        "occupation_code": row["occupation_code"], "prefecture_code": row["prefecture_code"],
        "municipality_code": row["municipality_code"], "employment_type": row["employment_type"],
        "online_application": row["online_application"], "publication_scope": row["publication_scope"],
        "received_on": row["received_on"].isoformat(), "deadline": row["deadline"].isoformat()},
        subject=row["job_number"])
    return employer_view(stored, today(uow)), True


def change_posting(uow: UnitOfWork, establishments: frozenset[str] | None, job_number: str,
                   changes: dict[str, Any]) -> dict[str, Any]:
    """J1: the employer-side system changes a posting; each field given replaces that field (a nested
    object as a whole; an extra given as null is removed). Checked as a whole again (受付年月日 ≤
    紹介期限日 on the merged posting). Unknown: 404; another establishment's (C2): 403; closed (募集終了):
    409. Nothing different: no event, `updated_at` kept; otherwise `jobs.posting.changed.v1` with the
    changed fields' names."""
    job_number = canonical_job_number(job_number)
    current = _locked_own(uow, establishments, job_number)
    domain.check_changeable(current.closed, job_number)
    if changes.get("job_number", job_number) != job_number:
        raise Problem("validation-failed", fields={"job_number": [msg(
            "求人番号は変更できません。", "The job number cannot be changed.")]})
    merged = _payload_of(current) | changes
    new = posting_row(_without_empty_extras(merged), now=uow.clock.now())
    domain.check_same_establishment(current.establishment_number, new["establishment_number"])
    domain.check_posting_dates(new["received_on"], new["deadline"],
                               field="received_on" if "deadline" not in changes else "deadline")
    before = current._asdict()
    changed = domain.changed_posting_fields(before, new)
    if not changed:
        return employer_view(current, today(uow))
    values = {column: value for column, value in new.items() if column not in _NOT_CHANGED}
    uow.session.execute(update(postings).where(postings.c.id == current.id).values(**values))
    uow.publish(POSTING_CHANGED, {"job_number": job_number, "establishment_number": new["establishment_number"],
                                  "changed_fields": changed}, subject=job_number)
    return employer_view(_find(uow, job_number), today(uow))


def close_posting(uow: UnitOfWork, establishments: frozenset[str] | None, job_number: str) -> bool:
    """J1 募集終了: the posting is no longer found by search (nor shown on the public detail) but stays
    readable where favourited, referred or applied to. True if closed now; closing again changes nothing.
    C2: another establishment's posting is 403."""
    job_number = canonical_job_number(job_number)
    current = _locked_own(uow, establishments, job_number)
    if current.closed:
        return False
    uow.session.execute(update(postings).where(postings.c.id == current.id)
                        .values(closed=True, updated_at=uow.clock.now()))
    uow.publish(POSTING_CLOSED, {"job_number": job_number, "establishment_number": current.establishment_number},
                subject=job_number)
    return True


def employer_posting(uow: UnitOfWork, establishments: frozenset[str] | None, job_number: str) -> dict[str, Any]:
    """J1: a posting as the employer-side system sees it — closed ones too, whatever the 公開範囲; C2:
    only one of its establishments' (another's: 403)."""
    job_number = canonical_job_number(job_number)
    row = _find(uow, job_number)
    if row is None:
        raise job_not_found(job_number)
    domain.check_acts_for(establishments, row.establishment_number)
    return employer_view(row, today(uow))


def _locked_own(uow: UnitOfWork, establishments: frozenset[str] | None, job_number: str):
    """The posting's row, locked (`locked`); unknown: 404; C2: another establishment's: 403."""
    current = locked(uow, job_number)
    if current is None:
        raise job_not_found(job_number)
    domain.check_acts_for(establishments, current.establishment_number)
    return current


def employer_view(row, day) -> dict[str, Any]:
    """Everything of a posting: the fields as the API names them (the place with its codes too), the rest as
    sent in `details`."""
    view = _fields_of(row)
    view["location"] |= {"prefecture_code": row.prefecture_code, "municipality_code": row.municipality_code}
    return view | {
        "details": dict(row.document or {}),
        "status": domain.posting_status(row.closed, row.deadline, day),
        "created_at": _aware(row.created_at),
        "updated_at": _aware(row.updated_at),
    }


def _fields_of(row) -> dict[str, Any]:
    """A posting row's fields shaped as the payload has them, by the field map (domain.POSTING_FIELDS)."""
    fields = {name: getattr(row, column) for name, column in domain.POSTING_FIELDS.items() if "." not in name}
    return fields | {part: search.posting_part(row, part) for part in domain.POSTING_PARTS}


def _find(uow: UnitOfWork, job_number: str):
    return uow.session.execute(select(postings).where(postings.c.job_number == job_number)).first()


def locked(uow: UnitOfWork, job_number: str):
    """The posting's row, held until the transaction ends (its first statement on this posting)."""
    key = postings.c.job_number
    statement = for_update(uow.session, select(postings).where(key == job_number), key=key, value=job_number)
    return uow.session.execute(statement).first()


def _payload_of(row) -> dict[str, Any]:
    """The payload a posting row was made from (the inverse of models.posting_row)."""
    document = dict(row.document or {})
    extras = {key: document.pop(key) for key in domain.POSTING_PARTS if isinstance(document.get(key), dict)}
    payload = document | _fields_of(row)
    for part, extra in extras.items():
        payload[part] |= extra
    return payload


def _without_empty_extras(payload: dict[str, Any]) -> dict[str, Any]:
    """An extra given as null is not kept (on a change: it is removed)."""
    return {key: value for key, value in payload.items() if value is not None or key in domain.POSTING_PAYLOAD_FIELDS}


def _aware(value: datetime) -> datetime:
    # SQLite hands back the UTC time it was given without its offset
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
