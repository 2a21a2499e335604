"""P4 in messaging: the local seeker_status projection, fed by handlers.py from profile's and auth's
events, and the gate every seeker-facing use case passes (require_messaging, require_notices), with the
problem a refused seeker reads."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import update

from kit.events import is_newer
from kit.problem import Problem
from kit.uow import UnitOfWork
from services.messaging import domain
from services.messaging.models import SeekerStatusRow

log = logging.getLogger("mypage.messaging")


# P4: what the seeker reads when a feature is refused, by domain reason.
_REFUSALS: dict[str, tuple[str, str, str]] = {
    domain.REGISTRATION_INVALID: (
        "forbidden",
        "求職登録が無効のため、メッセージ機能は利用できません。"
        "求職登録を有効にするか、ハローワークで再求職申込みを行ってください。",
        "Messaging is not available because your job-seeker registration is invalid. "
        "Set it valid again, or re-apply at Hello Work.",
    ),
    domain.REGISTRATION_UNKNOWN: (
        "forbidden",
        "求職登録の状態を確認できないため、メッセージ機能は利用できません。"
        "しばらくしてから再度お試しいただくか、ハローワークにお問い合わせください。",
        "Messaging is not available because your job-seeker registration cannot be confirmed yet. "
        "Try again later, or contact Hello Work.",
    ),
    domain.MYPAGE_UNUSABLE: (
        "forbidden",
        "このマイページは利用不可となっています。ハローワークにお問い合わせください。",
        "This My Page has been made unusable; please contact Hello Work.",
    ),
    domain.MYPAGE_WITHDRAWN: (
        "forbidden",
        "このマイページは退会済みです。",
        "This My Page has been closed (withdrawn).",
    ),
}


def refusal_problem(reason: str) -> Problem:
    """P4: the 403 problem for a refused feature; `reason` says why, for clients to branch on."""
    key, ja, en = _REFUSALS[reason]
    return Problem(key, detail_ja=ja, detail_en=en, extra={"reason": reason})


# -- the seeker_status projection (fed by handlers.py) --------------------------------------------


def status_of(uow: UnitOfWork, seeker_id: str) -> domain.SeekerStatus:
    """What messaging knows of the seeker now (UNKNOWN when no event about them arrived yet)."""
    row = uow.session.get(SeekerStatusRow, seeker_id)
    if row is None:
        return domain.UNKNOWN
    return domain.SeekerStatus(registration=row.registration, usable=row.usable, withdrawn_at=row.withdrawn_at,
                               opened_at=row.opened_at)


def _status_row(uow: UnitOfWork, seeker_id: str) -> SeekerStatusRow:
    row = uow.session.get(SeekerStatusRow, seeker_id, with_for_update=True)
    if row is None:
        row = SeekerStatusRow(seeker_id=seeker_id, usable=True, updated_at=uow.clock.now())
        uow.session.add(row)
    return row


def _set_seeker_number(uow: UnitOfWork, row: SeekerStatusRow, seeker_number: str | None) -> None:
    if not seeker_number or row.seeker_number == seeker_number:
        return
    # A number names one seeker: if another row still holds it (a correction), it moves here.
    uow.session.execute(update(SeekerStatusRow).where(SeekerStatusRow.seeker_number == seeker_number,
                                                      SeekerStatusRow.seeker_id != row.seeker_id)
                        .values(seeker_number=None))
    uow.session.flush()
    row.seeker_number = seeker_number


def record_seeker(uow: UnitOfWork, seeker_id: str, seeker_number: str) -> None:
    """M2: staff name a seeker by the 求職番号; remember which opaque id it is."""
    row = _status_row(uow, seeker_id)
    _set_seeker_number(uow, row, seeker_number)
    row.updated_at = uow.clock.now()


def record_registration(uow: UnitOfWork, seeker_id: str, seeker_number: str | None, status: str,
                        as_of: datetime) -> bool:
    """P4: the registration is valid or invalid as of `as_of`; an older event changes nothing.

    Returns whether the state was applied."""
    row = _status_row(uow, seeker_id)
    _set_seeker_number(uow, row, seeker_number)
    if not is_newer(as_of, row.registration_as_of):
        log.info("registration event of %s older than the state applied; ignored", seeker_id)
        return False
    row.registration, row.registration_as_of, row.updated_at = status, as_of, uow.clock.now()
    return True


def record_usability(uow: UnitOfWork, seeker_id: str, usable: bool, as_of: datetime) -> bool:
    """A10: staff made the My Page 利用不可 or lifted it, as of `as_of`; older events change nothing."""
    row = _status_row(uow, seeker_id)
    if not is_newer(as_of, row.usable_as_of):
        return False
    row.usable, row.usable_as_of, row.updated_at = usable, as_of, uow.clock.now()
    return True


def record_withdrawal(uow: UnitOfWork, seeker_id: str, withdrawn_at: datetime) -> None:
    """A9: the seeker withdrew (退会); the latest withdrawal counts."""
    row = _status_row(uow, seeker_id)
    if row.withdrawn_at is None or withdrawn_at > row.withdrawn_at:
        row.withdrawn_at = withdrawn_at
    row.updated_at = uow.clock.now()


def record_opening(uow: UnitOfWork, seeker_id: str, opened_at: datetime) -> None:
    """A6: the My Page was opened; an opening after a withdrawal (re-registered, opened again) ends it."""
    row = _status_row(uow, seeker_id)
    if row.opened_at is None or opened_at > row.opened_at:
        row.opened_at = opened_at
    row.updated_at = uow.clock.now()


def _check(check: Callable[[domain.SeekerStatus], None], uow: UnitOfWork, seeker_id: str) -> None:
    try:
        check(status_of(uow, seeker_id))
    except domain.Refused as refused:
        raise refusal_problem(refused.reason) from refused


def require_messaging(uow: UnitOfWork, seeker_id: str) -> None:
    """P4: 403 unless the seeker may use messages now."""
    _check(domain.check_messaging, uow, seeker_id)


def require_notices(uow: UnitOfWork, seeker_id: str) -> None:
    """M2: 403 unless the seeker may read notices now (an invalid registration may)."""
    _check(domain.check_notices, uow, seeker_id)
