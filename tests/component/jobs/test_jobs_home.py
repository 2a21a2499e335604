"""P5: jobs' part of the home screen (GET /internal/v1/home, composed by gateway/home.py)."""

from __future__ import annotations

from gateway.home import CONTRIBUTORS, _merge

HOME = "/internal/v1/home"


def test_p5_the_home_fragment_counts_the_seekers_own_favourites_and_saved_searches(client, seeker, post):
    _, headers = seeker()
    _, other = seeker()
    for _ in range(2):
        assert client.put(f"/api/v1/me/favourites/{post()}", headers=headers).status_code == 204
    saved = client.post("/api/v1/me/saved-searches", json={"name": "a", "criteria": {}}, headers=headers)
    assert saved.status_code == 201
    assert client.put(f"/api/v1/me/favourites/{post()}", headers=other).status_code == 204
    fragment = client.get(HOME, headers=headers)
    assert fragment.status_code == 200 and fragment.mimetype == "application/json"
    assert fragment.json == {"counts": {"favourites": 2, "saved_searches": 1, "referrals": 0,
                                        "recommendations": 0}, "restriction": {"no_show": False}}


def test_p5_the_fragment_merges_into_profiles_home_as_the_gateway_does(client, seeker):
    _, headers = seeker()
    home = {"counts": {"favourites": None, "saved_searches": None, "unread_messages": None, "referrals": None,
                       "recommendations": None}, "restriction": {"no_show": None}}
    _merge(home, client.get(HOME, headers=headers).json, CONTRIBUTORS["jobs"])
    assert home["counts"] == {"favourites": 0, "saved_searches": 0, "unread_messages": None, "referrals": 0,
                              "recommendations": 0}


def test_p5_the_fragment_needs_a_seeker_token_and_is_not_in_the_public_api(client):
    assert client.get(HOME).status_code == 401
    assert "/internal/v1/home" not in client.get("/openapi.json").json["paths"]
