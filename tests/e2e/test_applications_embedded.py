"""Applications (J8), interview no-shows (J9) and the validity extension (P3a) in the embedded system
(`make run`), over real HTTP through the gateway: staff register a seeker, who opens the My Page, logs
in and applies online with a motivation and a PDF; the employer-side system reads the application,
downloads the PDF and moves it on; the seeker withdraws, and a no-show on it is refused. Five no-shows
restrict online self-application until staff lift it; an application in the registration's final
month extends it by one month.

This module's system runs on an injected FrozenClock (EmbeddedSystem(clock=...)): days pass when a
test says so, and nothing sleeps — every wait is a condition with a deadline.
"""

from __future__ import annotations

import base64
import calendar
import uuid
from datetime import date
from typing import NamedTuple

import pytest

from kit.clock import FrozenClock
from kit.testing import e2e
from kit.testing.plugin import eventually
from services.jobs.domain import today_in_japan

EMBEDDED_ONLY = ("its system runs on a FrozenClock injected into every service (days pass in this process); the make "
                 "up stack runs on the real clock")

START = "2026-11-26T01:00:00+00:00"  # Thursday 2026-11-26, 10:00 in Japan
APPLY = "/api/v1/me/applications"
MOTIVATION = "介護の仕事を続けてきた経験を活かしたく、応募いたします。"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PASSWORD = "Koshigaya@2026"
EVENT_DEADLINE = 20.0  # seconds for an event to cross the bus (outbox → relay → bus → consumer)


@pytest.fixture(scope="module")
def clock() -> FrozenClock:
    return FrozenClock(START)


# -- helpers ---------------------------------------------------------------------------------------


class Seeker(NamedTuple):
    number: str  # 求職番号
    token: str


def today(clock: FrozenClock) -> date:
    return today_in_japan(clock.now())


def first_of_month(day: date, months_after: int = 0) -> date:
    year, month0 = divmod(day.year * 12 + day.month - 1 + months_after, 12)
    return date(year, month0 + 1, 1)


def end_of_month(day: date, months_after: int = 0) -> date:
    first = first_of_month(day, months_after)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def employer_token(call) -> str:
    """The employer-side system's access token (client credentials, role employer). Tokens live 5 minutes
    of the frozen clock, so each step asks for a fresh one."""
    answer = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "employer",
                                                 "client_secret": "employer-dev-secret"})
    assert answer.status == 200, answer.data
    return answer.json()["access_token"]


def register_and_log_in(call, system, *, applied_on: date | None = None) -> Seeker:
    """P1/A1–A7: staff register a seeker (求職登録), who opens the My Page and logs in; returns once jobs
    has heard of the registration (the seeker's job features open)."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    body = {"seeker_number": number, "name": "応募 次郎", "name_kana": "オウボ ジロウ", "birth_date": "1992-06-15",
            "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "phone": "048-000-0000"}
    if applied_on is not None:
        body["applied_on"] = applied_on.isoformat()
    created = call("POST", "/api/v1/staff/seekers", body, token=e2e.staff_token(call))
    assert created.status == 201, created.data
    e2e.open_mypage(call, system, email, "1992-06-15", PASSWORD)
    token = e2e.login(call, system, email, PASSWORD)["access_token"]
    eventually(lambda: call("GET", "/api/v1/me/favourites", token=token).status == 200,
               timeout=EVENT_DEADLINE, message="jobs to hear of the new registration")
    return Seeker(number, token)


def document(filename: str = "履歴書.pdf", content: bytes = PDF) -> dict:
    return {"filename": filename, "content": base64.b64encode(content).decode()}


def apply(call, seeker: Seeker, job_number: str, **headers: str):
    """J8: an online self-application with a motivation statement."""
    return call("POST", APPLY, {"job_number": job_number, "motivation": MOTIVATION}, token=seeker.token, **headers)


def applied(call, seeker: Seeker, job_number: str) -> str:
    made = apply(call, seeker, job_number)
    assert made.status == 201, made.data
    return made.json()["id"]


def report_no_show(call, application_id: str, interview_date: date):
    """J9 面接不参加, reported by the employer-side system."""
    return call("POST", f"/api/v1/employer/applications/{application_id}/no-show",
                {"interview_date": interview_date.isoformat()}, token=employer_token(call))


def status_labels(call, seeker: Seeker) -> dict[str, str]:
    """J8 応募状況: application id → 応募中 / 選考中 / 採用 / 不採用 / 辞退, as the seeker sees them."""
    answer = call("GET", APPLY, token=seeker.token)
    assert answer.status == 200, answer.data
    assert answer.json()["total"] == len(answer.json()["items"])
    return {item["id"]: item["status_label"] for item in answer.json()["items"]}


def home(call, seeker: Seeker) -> dict:
    answer = call("GET", "/api/v1/me", token=seeker.token)
    assert answer.status == 200, answer.data
    return answer.json()


def no_show_restricted(call, seeker: Seeker) -> bool | None:
    """P5/J9: what the home screen says of the no-show restriction (None: jobs' part is unknown)."""
    return home(call, seeker)["restriction"]["no_show"]


def is_problem(answer, status: int) -> bool:
    return answer.status == status and answer.headers["Content-Type"].startswith("application/problem+json")


@pytest.fixture(scope="module")
def online_postings(call) -> list[str]:
    """Open demo postings that accept online self-applications (J8), enough for every test here."""
    found: list[str] = []
    page = 1
    while len(found) < 12:
        answer = call("GET", f"/api/v1/jobs?per_page=50&page={page}")
        assert answer.status == 200, answer.data
        items = answer.json()["items"]
        assert items, "the demo data has too few postings accepting online self-applications"
        found += [item["job_number"] for item in items if item["online_application"] and item["status"] == "open"]
        page += 1
    return found


# -- J8: apply, follow, withdraw; J9: no no-show after a withdrawal ---------------------------------------


def test_j8_apply_with_a_pdf_follow_the_status_withdraw_and_no_show_refused(call, system, clock, online_postings):
    """J8: the seeker applies with a 志望動機 and a PDF and sees 応募中; the employer reads it, downloads the
    PDF and sets 選考中, which the seeker sees; the seeker withdraws (辞退), which the employer sees.
    J9: a no-show for an interview on the day after the withdrawal is refused (409)."""
    seeker = register_and_log_in(call, system)
    job_number = online_postings[0]

    made = call("POST", APPLY, {"job_number": job_number, "motivation": MOTIVATION, "documents": [document()]},
                token=seeker.token)
    assert made.status == 201, made.data
    application = made.json()
    assert (application["route"], application["status"], application["status_label"]) == ("self", "applied", "応募中")
    assert application["job"]["job_number"] == job_number and application["motivation"] == MOTIVATION
    [attached] = application["documents"]
    assert attached["filename"] == "履歴書.pdf" and attached["size"] == len(PDF)
    assert status_labels(call, seeker) == {application["id"]: "応募中"}
    again = apply(call, seeker, job_number)
    assert is_problem(again, 409) and again.json()["reason"] == "already_applied"

    # the employer-side system reads it and its PDF; a seeker's token cannot
    employer_path = f"/api/v1/employer/applications/{application['id']}"
    assert call("GET", employer_path, token=seeker.token).status == 403
    read = call("GET", employer_path, token=employer_token(call))
    assert read.status == 200, read.data
    assert read.json()["motivation"] == MOTIVATION and read.json()["status_label"] == "応募中"
    assert read.json()["documents"] == [attached]
    pdf = call("GET", f"{employer_path}/documents/{attached['id']}", token=employer_token(call))
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.data == PDF

    screening = call("PUT", f"{employer_path}/status", {"status": "screening"}, token=employer_token(call))
    assert screening.status == 200, screening.data
    assert screening.json()["status_label"] == "選考中"
    assert status_labels(call, seeker) == {application["id"]: "選考中"}

    withdrawn = call("POST", f"{APPLY}/{application['id']}/withdraw", token=seeker.token)
    assert withdrawn.status == 200, withdrawn.data
    assert withdrawn.json()["status_label"] == "辞退" and withdrawn.json()["withdrawn_at"] is not None
    assert status_labels(call, seeker) == {application["id"]: "辞退"}
    assert call("GET", employer_path, token=employer_token(call)).json()["status"] == "withdrawn"

    # the interview was to be the next day: the seeker did send their 辞退, so this is no no-show
    clock.advance(days=1)
    refused = report_no_show(call, application["id"], today(clock))
    assert is_problem(refused, 409), refused.data
    assert refused.json()["reason"] == "withdrawn"


# -- J9: five no-shows restrict until staff lift it ------------------------------------------------------


def test_j9_five_no_shows_restrict_self_application_until_staff_lift_it(call, system, clock, online_postings):
    """J9: 4 no-shows within 3 months do not restrict; the 5th does — the home screen shows it (P5), a new
    online self-application is 403 `no_show_restricted` in Japanese (English on request), staff see it;
    staff lift it (the seeker came to the office) and applying works again."""
    seeker = register_and_log_in(call, system)
    staff_path = f"/api/v1/staff/seekers/{seeker.number}/restriction"
    jobs = online_postings[1:8]

    for job_number in jobs[:4]:
        reported = report_no_show(call, applied(call, seeker, job_number), today(clock))
        assert reported.status == 201, reported.data
    assert no_show_restricted(call, seeker) is False
    fifth = applied(call, seeker, jobs[4])  # 4 no-shows do not restrict
    assert report_no_show(call, fifth, today(clock)).status == 201

    eventually(lambda: no_show_restricted(call, seeker) is True, timeout=EVENT_DEADLINE,
               message="the home screen to show the no-show restriction")
    refused = apply(call, seeker, jobs[5])
    assert is_problem(refused, 403) and refused.json()["reason"] == "no_show_restricted"
    assert refused.json()["detail"].startswith("面接不参加が3か月で5件以上となったため")
    in_english = apply(call, seeker, jobs[5], **{"Accept-Language": "en"})
    assert is_problem(in_english, 403) and "restricted" in in_english.json()["detail"]
    restriction = call("GET", staff_path, token=e2e.staff_token(call))
    assert restriction.status == 200, restriction.data
    assert restriction.json()["restricted"] is True
    assert (restriction.json()["counting_no_shows"], restriction.json()["limit"]) == (5, 5)

    lifted = call("POST", f"{staff_path}/lift", token=e2e.staff_token(call))
    assert lifted.status == 200, lifted.data
    assert lifted.json()["restricted"] is False and lifted.json()["lifted_at"] is not None
    eventually(lambda: no_show_restricted(call, seeker) is False, timeout=EVENT_DEADLINE,
               message="the home screen to show the restriction lifted")
    assert apply(call, seeker, jobs[5]).status == 201
    nothing_to_lift = call("POST", f"{staff_path}/lift", token=e2e.staff_token(call))
    assert is_problem(nothing_to_lift, 409) and nothing_to_lift.json()["reason"] == "not_restricted"


# -- P3a: an application in the final month extends the registration ------------------------------------


def test_p3a_an_online_application_in_the_final_month_extends_validity_by_a_month(call, system, clock,
                                                                                  online_postings):
    """P3a: registered two months before this one, the registration is valid until the end of this month
    (翌々月末), its final month; an online self-application now extends it to the end of next month
    (profile hears `jobs.application.submitted.v1`)."""
    day = today(clock)
    seeker = register_and_log_in(call, system, applied_on=first_of_month(day, -2))
    assert home(call, seeker)["registration"]["valid_until"] == end_of_month(day).isoformat()

    applied(call, seeker, online_postings[8])

    extended_until = end_of_month(day, 1).isoformat()
    eventually(lambda: home(call, seeker)["registration"]["valid_until"] == extended_until,
               timeout=EVENT_DEADLINE, message=f"the registration to be extended to {extended_until}")
