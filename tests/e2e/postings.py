"""What the e2e tests of postings share (not a test module): SPEC's posting with a far deadline (the embedded
system may run on the real clock), a fresh 求人番号, and the employer-side system's token."""

from __future__ import annotations

import uuid

POSTING = {
    "establishment": {"number": "1104-123456-7", "name": "株式会社越谷ケア"},
    "title": "介護職員", "occupation_code": "361-01", "description": "特別養護老人ホームでの介護業務です。",
    "category": "一般", "full_time": True, "employment_type": "正社員",
    "location": {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅"},
    "wage": {"type": "monthly", "min": 210000, "max": 260000}, "hours": "08:30-17:30",
    "publication_scope": 1, "online_application": True, "received_on": "2026-11-02", "deadline": "2099-01-31",
}


def job_number() -> str:
    return f"11040-8{uuid.uuid4().int % 10**7:07d}"


def employer_token(call) -> str:
    """The development employer-side system's access token (client credentials, every establishment)."""
    answer = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "employer",
                                                 "client_secret": "employer-dev-secret"})
    assert answer.status == 200, answer.data
    return answer.json()["access_token"]
