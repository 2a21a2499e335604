"""P4 through the API: while the registration is invalid (or unknown, 利用不可, withdrawn) messaging
is refused with a clear 403 problem; notices from Hello Work stay readable while only the
registration is invalid. The projection is fed through the handlers, as the consumer does."""

from __future__ import annotations

import uuid

import pytest

MESSAGES = "/api/v1/me/messages"
NOTICES = "/api/v1/me/notices"
REFUSAL_JA = "求職登録が無効のため、メッセージ機能は利用できません。"


def _refused(response, reason: str) -> dict:
    assert response.status_code == 403, response.json
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert response.json["reason"] == reason
    return response.json


def test_p4_an_invalidated_seeker_is_refused_messaging_and_gets_it_back_when_valid(
        client, deliver, seeker, as_seeker, clock, validated, invalidated):
    known = seeker()
    headers = as_seeker(known["seeker_id"])
    assert client.get(MESSAGES, headers=headers).status_code == 200
    clock.advance(minutes=1)
    deliver("profile.registration.invalidated.v1", invalidated(known["seeker_id"], known["seeker_number"]))
    for method, path, body in (("get", MESSAGES, None), ("get", f"{MESSAGES}/{uuid.uuid4()}", None),
                               ("post", f"{MESSAGES}/{uuid.uuid4()}", {"body": "よろしくお願いします。"}),
                               ("post", f"{MESSAGES}/{uuid.uuid4()}/read", None)):
        problem = _refused(getattr(client, method)(path, headers=headers, json=body), "registration_invalid")
        assert problem["detail"].startswith(REFUSAL_JA) and problem["type"].endswith("/forbidden")
    english = _refused(client.get(MESSAGES, headers=headers | {"Accept-Language": "en"}), "registration_invalid")
    assert "registration is invalid" in english["detail"]
    clock.advance(minutes=1)
    deliver("profile.registration.validated.v1", validated(known["seeker_id"], known["seeker_number"], "reapplication"))
    assert client.get(MESSAGES, headers=headers).status_code == 200


def test_p4_expiry_refuses_too(client, deliver, seeker, as_seeker, clock, invalidated):
    known = seeker()
    clock.advance(days=67)
    deliver("profile.registration.invalidated.v1", invalidated(known["seeker_id"], known["seeker_number"], "expired"))
    _refused(client.get(MESSAGES, headers=as_seeker(known["seeker_id"])), "registration_invalid")


def test_p4_notices_stay_readable_while_the_registration_is_invalid(client, seeker, as_seeker, post_notice):
    known = seeker(status="invalid")
    post_notice(known, title="再求職申込みのご案内")
    headers = as_seeker(known["seeker_id"])
    listed = client.get(NOTICES, headers=headers)
    assert listed.status_code == 200 and listed.json["items"][0]["title"] == "再求職申込みのご案内"
    assert client.post(f"{NOTICES}/{listed.json['items'][0]['id']}/read", headers=headers).status_code == 200


def test_p4_a_seeker_messaging_has_not_heard_of_is_refused(client, as_seeker):
    problem = _refused(client.get(MESSAGES, headers=as_seeker(str(uuid.uuid4()))), "unknown")
    assert "求職登録の状態を確認できない" in problem["detail"]


@pytest.mark.parametrize("path", [MESSAGES, NOTICES, "/internal/v1/home"])
def test_a10_an_unusable_my_page_is_refused_everything(client, deliver, seeker, as_seeker, path):
    known = seeker()
    deliver("auth.mypage.usability_changed.v1", {"seeker_id": known["seeker_id"], "usable": False})
    problem = _refused(client.get(path, headers=as_seeker(known["seeker_id"])), "unusable")
    assert problem["type"].endswith("/forbidden") and "ハローワークにお問い合わせ" in problem["detail"]


def test_a9_a_withdrawn_my_page_is_refused_everything(client, deliver, seeker, as_seeker, clock):
    known = seeker()
    deliver("auth.mypage.withdrawn.v1", {"seeker_id": known["seeker_id"], "withdrawn_at": clock.now().isoformat()})
    for path in (MESSAGES, NOTICES):
        _refused(client.get(path, headers=as_seeker(known["seeker_id"])), "withdrawn")


def test_messages_need_a_seeker_token(client, staff):
    assert client.get(MESSAGES).status_code == 401
    assert client.get(MESSAGES, headers=staff).status_code == 403
