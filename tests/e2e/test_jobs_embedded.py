"""Jobs through the gateway over real HTTP (the embedded system and `make up`): the demo postings are found
without a login; a seeker the counter registered opens the My Page and logs in, keeps favourites and a saved
search, sees their counts on the home screen; when staff set the registration invalid at profile, jobs hears
it from the event and refuses favourites and saved searches within a bounded time (P4) while public search
stays open; a re-application opens them again.
Nothing sleeps: every wait is a condition with a deadline.
"""

from __future__ import annotations

import pytest

from kit.testing.e2e import login, open_mypage, register_seeker
from kit.testing.plugin import eventually

NAME, BIRTH_DATE, PASSWORD = "求職 次郎", "1990-04-01", "Koshigaya@2026"
GATING_DEADLINE = 20.0  # seconds from staff's change to the refusal (outbox → relay → bus → projection)


@pytest.fixture(scope="module")
def seeker(system, call, staff_token) -> dict:
    """P1: the counter registers 求職 次郎, who opens a My Page and logs in with the mailed key and OTP."""
    return register_seeker(call, staff_token, NAME, "キュウショク ジロウ", BIRTH_DATE, kind="registered")


@pytest.fixture(scope="module")
def seeker_token(system, call, seeker) -> str:
    open_mypage(call, system, seeker["email"], BIRTH_DATE, PASSWORD)
    return login(call, system, seeker["email"], PASSWORD)["access_token"]


def test_public_search_finds_the_demo_postings_without_a_login(call):
    page = call("GET", "/api/v1/jobs?prefecture=埼玉県&per_page=10")
    assert page.status == 200, page.data
    assert page.json()["total"] > 0 and len(page.json()["items"]) == 10
    number = page.json()["items"][0]["job_number"]
    assert call("GET", f"/api/v1/jobs/{number}").json()["job_number"] == number
    bad = call("GET", "/api/v1/jobs?per_page=7")
    assert bad.status == 422 and bad.headers["Content-Type"].startswith("application/problem+json")


def test_j2b_facets_through_the_gateway_add_up_to_the_total(call):
    page = call("GET", "/api/v1/jobs?q=介護&facets=prefecture,employment_type,occupation_group,category&per_page=10")
    assert page.status == 200, page.data
    body = page.json()
    assert body["total"] > 10 and len(body["items"]) == 10
    assert set(body["facets"]) == {"prefecture", "employment_type", "occupation_group", "category"}
    for values in body["facets"].values():
        assert sum(value["count"] for value in values) == body["total"]
    assert body["facets"]["prefecture"][0] == {"code": "11", "name": "埼玉県",
                                               "count": body["facets"]["prefecture"][0]["count"]}


def test_p4_invalid_registration_gates_favourites_through_the_gateway(call, seeker, seeker_token, staff_token):
    numbers = [item["job_number"] for item in call("GET", "/api/v1/jobs?per_page=10").json()["items"]]

    # jobs knows the seeker from profile's events: favourites open
    eventually(lambda: call("PUT", f"/api/v1/me/favourites/{numbers[0]}", token=seeker_token).status == 204,
               timeout=GATING_DEADLINE, message="the seeker's favourites to open")
    assert call("PUT", f"/api/v1/me/favourites/{numbers[1]}", token=seeker_token).status == 204
    saved = call("POST", "/api/v1/me/saved-searches", {"name": "越谷の求人", "criteria": {"municipality": ["越谷市"]}},
                 token=seeker_token)
    assert saved.status == 201, saved.data
    listed = call("GET", "/api/v1/me/favourites", token=seeker_token).json()
    assert [item["job_number"] for item in listed["items"]] == [numbers[1], numbers[0]] and listed["total"] == 2

    # P5: the home screen shows jobs' counts, composed by the gateway in the same round trip
    home = call("GET", "/api/v1/me", token=seeker_token)
    assert home.status == 200, home.data
    assert home.json()["greeting"] == f"{NAME}様"
    assert home.json()["counts"]["favourites"] == 2 and home.json()["counts"]["saved_searches"] == 1
    assert home.json()["counts"]["referrals"] == 0  # J5: none recorded for the seeker yet
    assert "jobs" not in (home.headers.get("X-MyPage-Partial") or "")

    # staff set the registration invalid at profile; jobs hears it and refuses within the deadline
    invalid = call("PUT", f"/api/v1/staff/seekers/{seeker['seeker_number']}/registration", {"status": "invalid"},
                   token=staff_token)
    assert invalid.status == 200, invalid.data
    refused = eventually(lambda: (lambda r: r if r.status == 403 else None)(
        call("GET", "/api/v1/me/favourites", token=seeker_token)), timeout=GATING_DEADLINE,
        message="favourites to be refused after the registration became invalid")
    assert refused.headers["Content-Type"].startswith("application/problem+json")
    assert refused.json()["detail"].startswith("求職登録が無効のため、この機能は利用できません。")
    assert call("PUT", f"/api/v1/me/favourites/{numbers[2]}", token=seeker_token).status == 403
    assert call("GET", "/api/v1/me/saved-searches", token=seeker_token).status == 403
    # public search stays open — with the token and without; the own profile stays readable
    assert call("GET", "/api/v1/jobs", token=seeker_token).status == 200
    assert call("GET", "/api/v1/jobs").status == 200
    assert call("GET", "/api/v1/me/profile", token=seeker_token).status == 200
    home = call("GET", "/api/v1/me", token=seeker_token).json()
    assert home["restriction"]["registration_invalid"] is True and home["counts"]["favourites"] == 2

    # 再求職申込 at the counter opens them again, with what was kept
    again = call("POST", f"/api/v1/staff/seekers/{seeker['seeker_number']}/reapplication", {}, token=staff_token)
    assert again.status == 200, again.data
    reopened = eventually(lambda: (lambda r: r if r.status == 200 else None)(
        call("GET", "/api/v1/me/favourites", token=seeker_token)), timeout=GATING_DEADLINE,
        message="favourites to open again after the re-application")
    assert reopened.json()["total"] == 2
