"""Demo data of the embedded mode (DESIGN §4): the seeker 求職 太郎 at 越谷公共職業安定所."""

from __future__ import annotations

import uuid
from datetime import date, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kit.runtime import Runtime
from services.profile.domain import registration_valid_until
from services.profile.events import SEEKER_REGISTERED
from services.profile.models import Seeker

JST = timezone(timedelta(hours=9), "JST")

# SPEC "Staff register a seeker" example payload, applied_on set to the day of loading.
DEMO_SEEKER: dict[str, Any] = {
    "seeker_number": "11040-12345678",
    "name": "求職 太郎",
    "name_kana": "キュウショク タロウ",
    "birth_date": "1990-04-01",
    "email": "taro@example.jp",
    "kind": "registered",
    "office": {"code": "11040", "name": "越谷公共職業安定所"},
    "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
    "phone": "048-000-0000",
    "desired": {"occupations": ["介護職員"], "employment_types": ["正社員"],
                "prefectures": ["埼玉県"], "municipalities": ["越谷市"], "wage_min": 200000},
}


def load_demo(runtime: Runtime) -> bool:
    """Register the demo seeker unless already there; True if it was registered now.

    The row and its profile.seeker.registered.v1 event commit together (outbox), so auth
    learns of the seeker through the bus like any other registration. Idempotent.
    """
    registration = DEMO_SEEKER
    now = runtime.clock.now()
    today = now.astimezone(JST).date()
    with runtime.uow() as uow:
        number = registration["seeker_number"]
        if uow.session.scalar(select(Seeker.id).where(Seeker.seeker_number == number)) is not None:
            return False
        seeker = Seeker(
            id=str(uuid.uuid4()),
            seeker_number=registration["seeker_number"],
            name=registration["name"],
            name_kana=registration["name_kana"],
            birth_date=date.fromisoformat(registration["birth_date"]),
            email=registration["email"],
            kind=registration["kind"],
            office_code=registration["office"]["code"],
            office_name=registration["office"]["name"],
            registration_status="valid",
            applied_on=today,
            valid_until=registration_valid_until(today),
            invalidated_on=None,
            document={key: registration[key] for key in ("address", "phone", "desired")}
            | {"education": [], "history": [], "qualifications": []},
            created_at=now,
            updated_at=now,
        )
        uow.session.add(seeker)
        uow.publish(
            SEEKER_REGISTERED,
            {"seeker_id": seeker.id, "seeker_number": seeker.seeker_number, "email": seeker.email,
             "birth_date": registration["birth_date"]},
            subject=seeker.id,
        )
        try:
            uow.commit()
        except IntegrityError:  # registered concurrently by another process
            return False
    return True
