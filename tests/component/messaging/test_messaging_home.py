"""P5: messaging's fragment of the home screen at /internal/v1/home, in the shape gateway/home.py
merges, for the token's own seeker only — and not in the public API document."""

from __future__ import annotations

from gateway.home import CONTRIBUTORS, FRAGMENT_PATH
from services.messaging import commands


def test_p5_the_fragment_counts_the_seekers_own_unread_notices(runtime, client, seeker, as_seeker, post_notice):
    mine, theirs = seeker(), seeker()
    post_notice(mine)
    post_notice(theirs)
    post_notice(theirs)
    with runtime.uow() as uow:
        thread = commands.open_thread(uow, mine["seeker_id"], "株式会社越谷ケア")
        commands.receive_message(uow, thread.id, "ご連絡")
        uow.commit()
    response = client.get(FRAGMENT_PATH, headers=as_seeker(mine["seeker_id"]))
    assert response.status_code == 200 and response.mimetype == "application/json"
    counts = response.json["counts"]
    assert counts == {"unread_messages": 2, "unread_notices": 1, "unread_establishment_messages": 1}
    assert set(CONTRIBUTORS["messaging"]) <= set(counts)  # what the gateway takes from messaging


def test_p5_an_invalid_registration_still_shows_its_counts(client, seeker, as_seeker, post_notice):
    known = seeker("invalid")
    post_notice(known)
    assert client.get(FRAGMENT_PATH, headers=as_seeker(known["seeker_id"])).json["counts"]["unread_notices"] == 1


def test_p5_the_fragment_needs_the_seekers_token(client, staff):
    assert client.get(FRAGMENT_PATH).status_code == 401
    assert client.get(FRAGMENT_PATH, headers=staff).status_code == 403


def test_the_public_document_has_the_api_but_not_the_internal_fragment(client):
    paths = client.get("/openapi.json").json["paths"]
    assert {"/api/v1/staff/notices", "/api/v1/me/notices", "/api/v1/me/notices/{notice_id}",
            "/api/v1/me/notices/{notice_id}/read", "/api/v1/me/messages", "/api/v1/me/messages/{thread_id}",
            "/api/v1/me/messages/{thread_id}/read"} <= set(paths)
    assert not any(path.startswith("/internal") for path in paths)
