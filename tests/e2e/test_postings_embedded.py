"""J1 in the embedded system (`make run`), over real HTTP through the gateway: the employer-side system gets
a token with its client credentials, publishes a posting, and anyone's search finds it; the system closes
it (募集終了) and it is gone from search and from the public detail, while the employer still reads it.
"""

from __future__ import annotations

import uuid

import pytest

from kit.testing.plugin import eventually

# The embedded mode searches PostgreSQL, so a change shows at once; `make up` searches the search node, which
# the indexer keeps from jobs' posting events (DESIGN §9: outbox → relay → bus → indexer → Groonga)
SEARCH_DEADLINE = 20.0  # seconds

# SPEC "Employers publish a posting", with two of the J1 extras
POSTING = {
    "establishment": {"number": "1104-123456-7", "name": "株式会社越谷ケア"},
    "title": "介護職員", "occupation_code": "361-01", "category": "一般", "full_time": True,
    "employment_type": "正社員",
    "location": {"prefecture": "埼玉県", "municipality": "越谷市", "station": "越谷駅"},
    "wage": {"type": "monthly", "min": 200000, "max": 260000}, "hours": "08:30-17:30",
    "holidays": {"two_days_weekly": "毎週", "annual_days": 120},
    # a far deadline: the embedded system runs on the real clock, and an expired posting is not found
    "publication_scope": 1, "online_application": True, "received_on": "2026-11-02", "deadline": "2099-01-31",
    "insurance": ["雇用", "労災"], "contact": {"person": "越谷 花子", "phone": "048-000-1111"},
}


def _search(call, word: str, *, total: int) -> dict | None:
    """The free-word search's answer for `word` once it finds `total` postings, else None."""
    answer = call("GET", f"/api/v1/jobs?q={word}")
    assert answer.status == 200, answer.data
    return answer.json() if answer.json()["total"] == total else None


@pytest.fixture(scope="module")
def employer_token(call) -> str:
    """The employer-side system's access token (client credentials, role employer; the development client)."""
    answer = call("POST", "/api/v1/auth/token", {"grant_type": "client_credentials", "client_id": "employer",
                                                 "client_secret": "employer-dev-secret"})
    assert answer.status == 200, answer.data
    return answer.json()["access_token"]


def test_j1_a_posting_from_the_employer_system_is_found_until_it_is_closed(call, employer_token, staff_token):
    word = f"zq{uuid.uuid4().hex[:10]}"  # a free word no demo posting holds
    number = f"11040-9{uuid.uuid4().int % 10**7:07d}"
    posting = POSTING | {"job_number": number, "description": f"介護業務です。{word}"}

    published = call("POST", "/api/v1/employer/jobs", posting, token=employer_token)
    assert published.status == 201, published.data
    assert published.json()["job_number"] == number and published.json()["status"] == "open"
    again = call("POST", "/api/v1/employer/jobs", posting, token=employer_token)
    assert again.status == 200, again.data  # the employer system retrying: nothing changes

    found = eventually(lambda: _search(call, word, total=1), timeout=SEARCH_DEADLINE, message="the posting found")
    assert [item["job_number"] for item in found["items"]] == [number]
    detail = call("GET", f"/api/v1/jobs/{number}")
    assert detail.status == 200 and detail.json()["establishment"]["name"] == "株式会社越谷ケア"

    # only the employer-side system: no token is 401, the counter system's is 403
    assert call("POST", "/api/v1/employer/jobs", posting).status == 401
    assert call("DELETE", f"/api/v1/employer/jobs/{number}", token=staff_token).status == 403

    assert call("DELETE", f"/api/v1/employer/jobs/{number}", token=employer_token).status == 204
    gone = eventually(lambda: _search(call, word, total=0), timeout=SEARCH_DEADLINE, message="the posting gone")
    assert gone["items"] == []
    assert call("GET", f"/api/v1/jobs/{number}").status == 404
    kept = call("GET", f"/api/v1/employer/jobs/{number}", token=employer_token)
    assert kept.status == 200 and kept.json()["status"] == "closed"
