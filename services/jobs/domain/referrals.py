"""J5 referrals (紹介) and their letter, J7 recommendations (オンラインハローワーク紹介)."""

from __future__ import annotations

from datetime import date

from services.jobs.domain.gating import ONLINE, REFUSAL_MESSAGES, SeekerStatus, refusal
from services.jobs.domain.refused import Refused

REFERRAL_NOTE_MAX = 500
RECOMMENDATION_COMMENT_MAX = 500


def seeker_not_found() -> Refused:
    return Refused("not_found", ja="該当する求職者が見つかりません。", en="No such job seeker.")


def check_recommendable(status: SeekerStatus | None) -> SeekerStatus:
    """J7 / P3b / P4: staff may recommend postings only to a 利用登録者 whose My Page job features
    are open. The seeker's state (not the staff caller's rights) is in the way: 409 with `reason`."""
    if status is None:
        raise seeker_not_found()
    reason = refusal(status)
    if reason is not None:
        ja, en = REFUSAL_MESSAGES[reason]
        raise Refused("conflict", ja=f"この求職者にはおすすめできません。{ja}",
                      en=f"Postings cannot be recommended to this seeker. {en}", data={"reason": reason})
    if status.kind == ONLINE:
        raise Refused("conflict",
                      ja="オンライン登録者にはハローワークからの求人のおすすめはできません。"
                                "ハローワークの窓口で利用登録者への変更（本人確認）を行ってください。",
                      en="Hello Work cannot recommend postings to an online registrant; the seeker must "
                                "first be confirmed at a Hello Work counter.",
                      data={"reason": "online_registrant"})
    return status


def referral_letter(posting: dict, *, office: str, referred_on: date, interview_place: str | None,
                    interview_date: date | None, note: str | None, seeker_name: str | None = None) -> dict:
    """J5 紹介状: what the letter says, fixed when the referral is made (a later change of the
    posting does not rewrite a letter already issued). `posting` holds the postings columns."""
    return {
        "office": office,
        "referred_on": referred_on.isoformat(),
        "establishment": {"number": posting["establishment_number"], "name": posting["establishment_name"],
                          "prefecture": posting["prefecture"], "municipality": posting["municipality"]},
        "job": {"job_number": posting["job_number"], "title": posting["title"],
                "occupation_code": posting["occupation_code"], "employment_type": posting["employment_type"]},
        "interview": {"place": interview_place,
                      "date": interview_date.isoformat() if interview_date else None},
        "note": note,
        "seeker_name": seeker_name,  # 紹介者氏名 as the counter gave it (None: left blank, written by hand)
    }
