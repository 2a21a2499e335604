"""J6 + M2 in the embedded system (`make run`), over real HTTP through the gateway: staff register a seeker
with desired conditions (希望条件), who opens the My Page and logs in; the employer-side system publishes a
posting that does not match and one that does; jobs matches them in its worker (its own
`jobs.posting.published.v1`), the seeker's 希望条件に合う新着求人 lists exactly the matching one, and
messaging puts 「希望条件に合う新着求人が届きました」 in the inbox.

The posting that does not match is published first: jobs' queue is first in, first out, so once the
matching one is listed the other has been handled too — its absence is a result, not a race.

Then J6 again: postings changed by the employer-side system and the seeker's changed desired conditions are
matched again over the bus, and no posting reaches the notices twice (a later posting's notice is the
sentinel that messaging has handled everything before it).
"""

from __future__ import annotations

import uuid

from kit.testing import e2e
from kit.testing.plugin import eventually
from tests.e2e.postings import POSTING, employer_token, job_number

PASSWORD = "Koshigaya@2026"
EVENT_DEADLINE = 20.0  # seconds for events to cross the bus (outbox → relay → bus → consumer), twice
DESIRED = {"occupations": ["介護職員"], "employment_types": ["正社員"], "prefectures": ["埼玉県"],
           "municipalities": ["越谷市"], "wage_min": 200000}


def _register_and_log_in(call, system) -> str:
    """P1: staff register a seeker with desired conditions; they open the My Page and log in."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    body = {"seeker_number": number, "name": "希望 三郎", "name_kana": "キボウ サブロウ", "birth_date": "1991-05-20",
            "email": email, "kind": "registered", "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "phone": "048-000-0000", "desired": DESIRED}
    created = call("POST", "/api/v1/staff/seekers", body, token=e2e.staff_token(call))
    assert created.status == 201, created.data
    e2e.open_mypage(call, system, email, "1991-05-20", PASSWORD)
    token = e2e.login(call, system, email, PASSWORD)["access_token"]
    eventually(lambda: call("GET", "/api/v1/me/matching-jobs", token=token).status == 200,
               timeout=EVENT_DEADLINE, message="jobs to hear of the new registration")
    return token


def test_j6_a_new_matching_posting_reaches_the_seekers_my_page_and_inbox(call, system):
    token = _register_and_log_in(call, system)
    employer = employer_token(call)
    elsewhere, matching = job_number(), job_number()
    other_place = POSTING | {"job_number": elsewhere,
                             "location": {"prefecture": "埼玉県", "municipality": "川口市", "station": "川口駅"}}
    assert call("POST", "/api/v1/employer/jobs", other_place, token=employer).status == 201
    assert call("POST", "/api/v1/employer/jobs", POSTING | {"job_number": matching}, token=employer).status == 201

    def listed() -> list[str]:
        answer = call("GET", "/api/v1/me/matching-jobs", token=token)
        assert answer.status == 200, answer.data
        return [item["job_number"] for item in answer.json()["items"]]

    eventually(listed, timeout=EVENT_DEADLINE, message="the matching posting on the seeker's My Page")
    page = call("GET", "/api/v1/me/matching-jobs?per_page=10", token=token).json()
    assert [item["job_number"] for item in page["items"]] == [matching]  # not the one in 川口市
    assert page["total"] == 1 and page["page"] == 1 and page["per_page"] == 10
    assert page["items"][0]["matched_at"] and page["items"][0]["establishment"]["name"] == "株式会社越谷ケア"

    def inbox() -> list[dict]:
        answer = call("GET", "/api/v1/me/notices", token=token)
        assert answer.status == 200, answer.data
        return [item for item in answer.json()["items"] if item["kind"] == "matching"]

    [entry] = eventually(inbox, timeout=EVENT_DEADLINE, message="the matching posting in the inbox")
    assert entry["job_number"] == matching and entry["title"] == "希望条件に合う新着求人が届きました"
    assert matching in entry["body"] and entry["read"] is False
    assert call("GET", "/api/v1/me/notices", token=token).json()["unread"] >= 1

    assert call("GET", "/api/v1/me/matching-jobs").status == 401  # the seeker's own, through the gateway


def test_j6_changed_postings_and_conditions_are_matched_again_over_the_bus_never_twice(call, system):
    """J6 again (commands/rematching.py) through the gateway and the bus: a posting changed so it no longer
    fits leaves the list, one changed into fitting joins it (and the notices, once), one changed back is
    listed again without a second notice, and changed desired conditions take off what no longer fits."""
    token = _register_and_log_in(call, system)
    fits, elsewhere = job_number(), job_number()
    kawaguchi = {"prefecture": "埼玉県", "municipality": "川口市", "station": "川口駅"}
    koshigaya = POSTING["location"]
    assert call("POST", "/api/v1/employer/jobs", POSTING | {"job_number": elsewhere, "location": kawaguchi},
                token=employer_token(call)).status == 201
    assert call("POST", "/api/v1/employer/jobs", POSTING | {"job_number": fits},
                token=employer_token(call)).status == 201

    def listed() -> set[str]:
        answer = call("GET", "/api/v1/me/matching-jobs", token=token)
        assert answer.status == 200, answer.data
        return {item["job_number"] for item in answer.json()["items"]}

    def change(number: str, **changes) -> None:
        answer = call("PATCH", f"/api/v1/employer/jobs/{number}", changes, token=employer_token(call))
        assert answer.status == 200, answer.data

    def noticed() -> list[str]:
        answer = call("GET", "/api/v1/me/notices?per_page=50", token=token)
        assert answer.status == 200, answer.data
        return [item["job_number"] for item in answer.json()["items"] if item["kind"] == "matching"]

    eventually(lambda: listed() == {fits}, timeout=EVENT_DEADLINE, message="the fitting posting listed")
    change(fits, wage={"type": "monthly", "min": 190000, "max": 260000})  # under the seeker's 200,000
    eventually(lambda: listed() == set(), timeout=EVENT_DEADLINE, message="the changed posting off the list")
    change(elsewhere, location=koshigaya)
    eventually(lambda: listed() == {elsewhere}, timeout=EVENT_DEADLINE, message="a posting changed into fitting")
    change(fits, wage={"type": "monthly", "min": 210000, "max": 260000})
    eventually(lambda: listed() == {fits, elsewhere}, timeout=EVENT_DEADLINE, message="the posting listed again")
    sentinel = job_number()  # its notice comes after anything the changes above could have sent
    assert call("POST", "/api/v1/employer/jobs", POSTING | {"job_number": sentinel},
                token=employer_token(call)).status == 201
    eventually(lambda: sentinel in noticed(), timeout=EVENT_DEADLINE, message="the sentinel's notice")
    assert sorted(noticed()) == sorted([fits, elsewhere, sentinel])  # each once

    moved = call("PATCH", "/api/v1/me/profile", {"desired": DESIRED | {"municipalities": ["川口市"]}}, token=token)
    assert moved.status == 200, moved.data
    eventually(lambda: listed() == set(), timeout=EVENT_DEADLINE, message="the 越谷市 postings off the list")
