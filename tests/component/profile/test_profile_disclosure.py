"""J8a 求職情報公開 in profile: the seeker discloses an anonymous profile (and stops), employers look
for disclosed seekers with a valid registration and see nothing that names or reaches them."""

from __future__ import annotations

import pytest

from contracts import validate_event
from kit.tokens import EMPLOYER
from tests.component.profile.conftest import LONG

DISCLOSURE, SEARCH = "/api/v1/me/disclosure", "/api/v1/employer/seekers"
WORK = [{"company": "株式会社越谷ケア", "from": "2015-04", "to": "2020-03", "description": "特養での介護業務"}]


@pytest.fixture
def employer(signer) -> dict[str, str]:
    return signer.headers("employer", roles=(EMPLOYER,), ttl=LONG)


def test_j8a_disclosing_shows_employers_an_anonymous_profile_and_announces_the_reference(
        client, register, as_seeker, employer, outbox):
    seeker = register(work_history=WORK, qualifications=[{"name": "介護福祉士", "acquired_on": "2018-04"}])
    headers = as_seeker(seeker["seeker_id"])
    assert client.get(DISCLOSURE, headers=headers).json == {"public": False, "disclosed_at": None,
                                                            "shown_to_employers": None}
    disclosed = client.put(DISCLOSURE, json={"public": True}, headers=headers)
    assert disclosed.status_code == 200 and disclosed.json["public"] is True
    shown = disclosed.json["shown_to_employers"]
    found = client.get(SEARCH, headers=employer).json
    assert found["total"] == 1 and found["items"] == [shown]
    assert shown["age"] == "30代" and shown["prefecture"] == "埼玉県"
    assert shown["qualifications"] == ["介護福祉士"] and shown["desired"]["occupations"] == ["介護職員"]
    assert shown["work_history"] == [{"from": "2015-04", "to": "2020-03", "description": "特養での介護業務"}]
    text = str(found)
    for secret in (seeker["name"], seeker["seeker_number"], seeker["email"], "1990-04-01", "越谷ケア", "343-0023",
                   "048-000-0000", seeker["seeker_id"]):
        assert secret not in text
    [event] = outbox("profile.disclosure.changed.v1")
    validate_event(event)
    assert event["data"] == {"seeker_id": seeker["seeker_id"], "public": True, "public_ref": shown["ref"]}


def test_j8a_stopping_hides_the_profile_and_a_new_disclosure_gets_a_new_reference(
        client, register, as_seeker, employer, outbox):
    headers = as_seeker(register()["seeker_id"])
    first = client.put(DISCLOSURE, json={"public": True}, headers=headers).json["shown_to_employers"]["ref"]
    assert client.put(DISCLOSURE, json={"public": True}, headers=headers).status_code == 200  # again: no change
    stopped = client.put(DISCLOSURE, json={"public": False}, headers=headers)
    assert stopped.json == {"public": False, "disclosed_at": None, "shown_to_employers": None}
    assert client.get(SEARCH, headers=employer).json["total"] == 0
    second = client.put(DISCLOSURE, json={"public": True}, headers=headers).json["shown_to_employers"]["ref"]
    assert second != first
    assert [(e["data"]["public"], e["data"]["public_ref"]) for e in outbox("profile.disclosure.changed.v1")] == [
        (True, first), (False, None), (True, second)]


def test_j8a_an_invalid_registration_cannot_be_disclosed_and_drops_out_of_the_search(
        client, register, as_seeker, employer):
    headers = as_seeker(register()["seeker_id"])
    client.put(DISCLOSURE, json={"public": True}, headers=headers)
    client.put("/api/v1/me/registration", json={"status": "invalid"}, headers=headers)
    assert client.get(SEARCH, headers=employer).json["total"] == 0
    other = as_seeker(register()["seeker_id"])
    client.put("/api/v1/me/registration", json={"status": "invalid"}, headers=other)
    refused = client.put(DISCLOSURE, json={"public": True}, headers=other | {"Accept-Language": "en"})
    assert refused.status_code == 409 and refused.json["reason"] == "registration_invalid"
    assert "cannot be disclosed" in refused.json["detail"]


def test_j8a_employers_filter_by_desired_occupation_and_prefecture(client, register, as_seeker, employer):
    care = register(desired={"occupations": ["361-01"], "prefectures": ["埼玉県"]})
    office = register(desired={"occupations": ["事務員"], "prefectures": ["東京都"]})
    for seeker in (care, office):
        client.put(DISCLOSURE, json={"public": True}, headers=as_seeker(seeker["seeker_id"]))

    def refs(**query):
        return [item["desired"]["occupations"][0] for item in client.get(SEARCH, query_string=query,
                                                                         headers=employer).json["items"]]

    assert sorted(refs()) == ["361-01", "事務員"]
    assert refs(occupation="361") == ["361-01"]  # a code prefix
    assert refs(occupation="事務員") == ["事務員"]
    assert refs(prefecture="東京") == ["事務員"]  # folded to 東京都
    assert refs(occupation="361", prefecture="東京都") == []
    bad = client.get(SEARCH, query_string={"prefecture": "火星"}, headers=employer)
    assert bad.status_code == 422 and [e["field"] for e in bad.json["errors"]] == ["prefecture"]


def test_j8a_the_search_is_for_employers_and_the_disclosure_for_the_seeker(client, register, as_seeker, staff):
    seeker = register()
    assert client.get(SEARCH, headers=as_seeker(seeker["seeker_id"])).status_code == 403
    assert client.get(SEARCH, headers=staff).status_code == 403
    assert client.get(SEARCH).status_code == 401
    assert client.put(DISCLOSURE, json={"public": True}, headers=staff).status_code == 403
    bad = client.put(DISCLOSURE, json={"public": "yes please"}, headers=as_seeker(seeker["seeker_id"]))
    assert bad.status_code == 422 and [e["field"] for e in bad.json["errors"]] == ["public"]
