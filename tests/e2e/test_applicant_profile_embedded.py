"""Issue 13 item 3 end to end in the embedded system, through the gateway and the bus: the seeker reads which of
their 求職情報 goes with an application, applies ticking only 電話番号, and the employer-side system reads the
applicant's profile with the application — as it was when they applied (a later change does not reach it),
without 住所 or 生年月日."""

from __future__ import annotations

import uuid

from kit.testing import e2e
from kit.testing.plugin import eventually
from tests.e2e.postings import POSTING, employer_token, job_number

PASSWORD = "Koshigaya@2026"
EVENT_DEADLINE = 20.0  # seconds for the application's event to reach profile
WORK = [{"company": "株式会社越谷ケア", "from": "2015-04", "to": "2020-03", "description": "特養での介護業務"}]


def test_item3_the_employer_reads_what_the_seeker_saw_and_ticked_frozen_at_application(call, system):
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    body = {"seeker_number": number, "name": "応募 四郎", "name_kana": "オウボ シロウ", "birth_date": "1988-08-08",
            "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "phone": "048-000-4444", "work_history": WORK,
            "qualifications": [{"name": "介護福祉士", "acquired_on": "2018-04"}]}
    assert call("POST", "/api/v1/staff/seekers", body, token=e2e.staff_token(call)).status == 201
    e2e.open_mypage(call, system, email, "1988-08-08", PASSWORD)
    token = e2e.login(call, system, email, PASSWORD)["access_token"]
    assert call("PATCH", "/api/v1/me/profile", {"self_pr": "夜勤にも対応できます。"}, token=token).status == 200

    preview = call("GET", "/api/v1/me/application-profile", token=token)
    assert preview.status == 200, preview.data
    assert set(preview.json()["sent"]) == {"name", "name_kana", "work_history", "qualifications", "desired",
                                          "self_pr"}
    assert preview.json()["optional"]["phone"] == "048-000-4444"

    posting = job_number()
    assert call("POST", "/api/v1/employer/jobs", POSTING | {"job_number": posting},
                token=employer_token(call)).status == 201
    eventually(lambda: call("GET", "/api/v1/me/favourites", token=token).status == 200,
               timeout=EVENT_DEADLINE, message="jobs to hear of the new registration")
    applied = call("POST", "/api/v1/me/applications", {"job_number": posting, "motivation": "経験を活かします。",
                                                       "share_contact": ["phone"]}, token=token)
    assert applied.status == 201, applied.data
    application_id = applied.json()["id"]

    def read():
        answer = call("GET", f"/api/v1/employer/applications/{application_id}/profile", token=employer_token(call))
        return answer if answer.status == 200 else None

    frozen = eventually(read, timeout=EVENT_DEADLINE, message="the applicant's profile for the employer").json()
    assert frozen["job_number"] == posting and frozen["shared_contact"] == ["phone"]
    profile = frozen["profile"]
    assert profile["name"] == "応募 四郎" and profile["phone"] == "048-000-4444" and profile["work_history"] == WORK
    assert profile["self_pr"] == "夜勤にも対応できます。"
    assert "address" not in profile and "birth_date" not in profile

    assert call("PATCH", "/api/v1/me/profile", {"phone": "090-0000-5555", "self_pr": "変更しました。"},
                token=token).status == 200
    again = read().json()["profile"]
    assert again["phone"] == "048-000-4444" and again["self_pr"] == "夜勤にも対応できます。"  # as when applying
    refused = call("POST", "/api/v1/me/applications", {"job_number": posting, "motivation": "再応募",
                                                       "share_contact": ["email"]}, token=token)
    assert refused.status == 422 and refused.headers["Content-Type"].startswith("application/problem+json")
