"""J8 applications (オンライン自主応募 / オンラインハローワーク紹介): routes, statuses and who may
move them."""

from __future__ import annotations

from services.jobs.domain.gating import ONLINE, SeekerStatus
from services.jobs.domain.refused import Refused

APPLIED, SCREENING, HIRED, REJECTED, APPLICATION_WITHDRAWN = "applied", "screening", "hired", "rejected", "withdrawn"
# 応募中, 選考中, 採用, 不採用, 辞退 (the seeker withdrew the application — not 退会, the seeker leaving the My Page)
APPLICATION_STATUSES = (APPLIED, SCREENING, HIRED, REJECTED, APPLICATION_WITHDRAWN)
STATUS_LABELS = {APPLIED: "応募中", SCREENING: "選考中", HIRED: "採用", REJECTED: "不採用",
                 APPLICATION_WITHDRAWN: "辞退"}
EMPLOYER_STATUSES = (SCREENING, HIRED, REJECTED)  # what the employer-side system may set
SELF, RECOMMENDATION = "self", "recommendation"  # オンライン自主応募 / オンラインハローワーク紹介 (J7)

MOTIVATION_MAX = 2000  # 志望動機
MAX_DOCUMENTS = 3
DOCUMENT_MAX_BYTES = 2 * 1024 * 1024  # J8: PDF, size-limited


def application_route(recommended: bool) -> str:
    """J7/J8: applying to a posting Hello Work recommended is an online referral; anything else
    is an online self-application."""
    return RECOMMENDATION if recommended else SELF


def check_can_apply(status: SeekerStatus, *, route: str, accepts_online: bool, restricted: bool) -> None:
    """J8, J7, P3b, J9 — after P4 (require_job_features) has passed:
    an online referral only for a 利用登録者; a self-application only to a posting that accepts it
    and not while the no-show restriction holds (online referral stays open: staff are involved)."""
    if route == RECOMMENDATION:
        if status.kind == ONLINE:
            raise Refused("forbidden",
                          ja="オンライン登録者はオンラインハローワーク紹介を利用できません。"
                                    "ハローワークの窓口で利用登録者への変更（本人確認）を行ってください。",
                          en="An online registrant cannot use online Hello Work referral; please be "
                                    "confirmed at a Hello Work counter first.",
                          data={"reason": "online_registrant"})
        return
    if not accepts_online:
        raise Refused("conflict", ja="この求人はオンライン自主応募を受け付けていません。",
                      en="This posting does not accept online self-applications.",
                      data={"reason": "online_application_not_accepted"})
    if restricted:
        raise Refused("forbidden",
                      ja="面接不参加が3か月で5件以上となったため、オンライン自主応募は制限されています。"
                                "解除にはハローワークへの来所が必要です。",
                      en="Online self-application is restricted after 5 or more interview no-shows within "
                                "3 months; please visit Hello Work to have it lifted.",
                      data={"reason": "no_show_restricted"})


def check_withdrawable(status: str) -> None:
    """J8: the seeker may withdraw (辞退) while applied, in screening or hired (内定辞退); not after
    a rejection. Withdrawing twice is handled by the caller (nothing changes)."""
    if status == REJECTED:
        raise Refused("conflict", ja="不採用となった応募は辞退できません。",
                      en="An application that was rejected cannot be withdrawn.",
                      data={"status": status})


def check_employer_status(current: str, new: str) -> None:
    """The employer moves an application on: 応募中 → 選考中 → 採用／不採用; not once withdrawn or decided."""
    if current == APPLICATION_WITHDRAWN:
        raise Refused("conflict", ja="求職者が辞退した応募です。",
                      en="The seeker withdrew this application.", data={"status": current})
    if current in (HIRED, REJECTED) and new != current:
        raise Refused("conflict", ja="選考結果が確定した応募は変更できません。",
                      en="The result of this application is already decided.", data={"status": current})
    if current == SCREENING and new == APPLIED:
        raise Refused("conflict", ja="選考中の応募を応募中に戻すことはできません。",
                      en="An application in screening cannot go back to applied.", data={"status": current})
