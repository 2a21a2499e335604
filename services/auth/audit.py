"""The audit trail of staff writes (C3).

The gateway records every write a staff system sends (`POST`/`PUT`/`PATCH`/`DELETE` under
`/api/v1/staff/`) here before it forwards it, and refuses the write (503) when it cannot — so no
staff write goes unrecorded. Who and for which office come from the staff client's verified token
(`sub`, `office`), not from what the gateway says; what is the method and the path with every
identifier (a 求職番号, a client id) replaced by `*`, so no personal data is kept; when is auth's
clock; the request id is the gateway's. Staff read the trail of their own office, newest first.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from kit.tokens import Principal
from services.auth import commands
from services.auth.models import StaffAudit

MAX_PER_PAGE = 100
API_PREFIX = "/api/v1"
_WORD = re.compile(r"^[a-z]+(-[a-z]+)*$")  # a path segment that names a resource, never an identifier


def action(method: str, path: str) -> str:
    """C3: what a write did, without the identifiers in its path: `PUT /api/v1/staff/seekers/*/mypage-status`."""
    prefix = API_PREFIX if path.startswith(f"{API_PREFIX}/") else ""
    rest = path[len(prefix):].split("/")
    shape = prefix + "/".join(segment if _WORD.match(segment) or not segment else "*" for segment in rest)
    return f"{method.upper()} {shape}"[:200]


def record(ctx: commands.AuthContext, staff: Principal, what: str, service: str, request_id: str) -> None:
    """C3: one staff write, committed before the gateway forwards it."""
    with ctx.uow() as uow:
        uow.session.add(StaffAudit(at=ctx.now(), client_id=staff.subject, office=staff.office, action=what,
                                   service=service, request_id=request_id[:64]))
        uow.commit()


def trail(ctx: commands.AuthContext, office: str | None, *, page: int, per_page: int) -> dict[str, Any]:
    """C3: the staff writes of `office` (a staff client without one: those without an office), newest first."""
    where = StaffAudit.office == office if office is not None else StaffAudit.office.is_(None)
    with ctx.uow() as uow:
        total = uow.session.scalar(select(func.count()).select_from(StaffAudit).where(where))
        rows = uow.session.scalars(select(StaffAudit).where(where).order_by(StaffAudit.at.desc(), StaffAudit.id.desc())
                                   .limit(per_page).offset((page - 1) * per_page)).all()
        items = [{"at": row.at, "client_id": row.client_id, "office": row.office, "action": row.action,
                  "service": row.service, "request_id": row.request_id} for row in rows]
    return {"items": items, "total": total, "page": page, "per_page": per_page}
