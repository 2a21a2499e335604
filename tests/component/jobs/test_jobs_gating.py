"""P4: the seeker_status projection (fed through the real handlers) gates the My Page job features;
public job search stays open. Out-of-order and repeated events change nothing they should not."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from services.jobs import domain, seekers

from .conftest import registration

FAVOURITES, SAVED, JOBS = "/api/v1/me/favourites", "/api/v1/me/saved-searches", "/api/v1/jobs"
CRITERIA = {"name": "越谷", "criteria": {"municipality": ["越谷市"]}}


def _status(runtime, seeker_id):
    with runtime.session_factory() as session:
        return seekers.load(session, seeker_id)


def _gated(client, headers, number, saved_id) -> list[tuple[str, int, str | None]]:
    """Every My Page job feature, with the status and reason it answered."""
    answers = []
    for method, path, body in (("get", FAVOURITES, None), ("put", f"{FAVOURITES}/{number}", None),
                               ("delete", f"{FAVOURITES}/{number}", None), ("get", SAVED, None),
                               ("post", SAVED, CRITERIA), ("put", f"{SAVED}/{saved_id}", CRITERIA),
                               ("get", f"{SAVED}/{saved_id}/jobs", None), ("delete", f"{SAVED}/{saved_id}", None)):
        response = getattr(client, method)(path, json=body, headers=headers)
        answers.append((f"{method} {path}", response.status_code, (response.json or {}).get("reason")))
    return answers


def test_p4_an_invalidated_seeker_is_refused_the_my_page_job_features_and_gets_them_back(client, seeker, feed,
                                                                                          post, clock):
    seeker_id, headers = seeker()
    number = post()
    assert client.put(f"{FAVOURITES}/{number}", headers=headers).status_code == 204
    saved_id = client.post(SAVED, json=CRITERIA, headers=headers).json["id"]

    clock.advance(minutes=1)
    feed(*registration(seeker_id, "invalid"))
    for what, status, reason in _gated(client, headers, number, saved_id):
        assert (status, reason) == (403, "registration_invalid"), what
    refused = client.get(FAVOURITES, headers=headers)
    assert refused.mimetype == "application/problem+json" and refused.json["type"].endswith("/forbidden")
    assert refused.json["detail"].startswith("求職登録が無効のため、この機能は利用できません。")
    english = client.get(FAVOURITES, headers=headers | {"Accept-Language": "en"})
    assert english.json["detail"].startswith("Your job-seeker registration is invalid")
    # public job search stays open, with or without the token
    assert client.get(JOBS, headers=headers).status_code == 200
    assert client.get(f"{JOBS}/{number}", headers=headers).status_code == 200
    assert client.get(JOBS).json["total"] == 1

    clock.advance(minutes=1)
    feed(*registration(seeker_id, "valid", reason="reapplication"))
    assert client.get(FAVOURITES, headers=headers).json["total"] == 1  # kept while gated
    assert client.get(f"{SAVED}/{saved_id}/jobs", headers=headers).json["total"] == 1


@pytest.mark.parametrize(("event_type", "data", "reason"), [
    ("auth.mypage.usability_changed.v1", {"usable": False}, "unusable"),
    ("auth.mypage.withdrawn.v1", {"withdrawn_at": "2026-11-26T10:00:00+09:00"}, "withdrawn"),
])
def test_p4_an_unusable_or_withdrawn_my_page_is_refused_too(client, seeker, feed, clock, event_type, data, reason):
    seeker_id, headers = seeker()
    clock.advance(minutes=1)
    feed(event_type, {"seeker_id": seeker_id} | data)
    response = client.get(FAVOURITES, headers=headers)
    assert response.status_code == 403 and response.json["reason"] == reason
    assert client.get(JOBS, headers=headers).status_code == 200


def test_p4_a_seeker_jobs_has_not_heard_of_is_refused(client, signer):
    response = client.get(SAVED, headers=signer.headers("never-registered"))
    assert response.status_code == 403 and response.json["reason"] == "unknown"


def test_usability_lifted_opens_the_features_again(client, seeker, feed, clock):
    seeker_id, headers = seeker()
    clock.advance(minutes=1)
    feed("auth.mypage.usability_changed.v1", {"seeker_id": seeker_id, "usable": False})
    clock.advance(minutes=1)
    feed("auth.mypage.usability_changed.v1", {"seeker_id": seeker_id, "usable": True})
    assert client.get(FAVOURITES, headers=headers).status_code == 200


def test_an_older_event_arriving_late_changes_nothing(runtime, feed):
    seeker_id = "late-events"
    t0 = datetime.fromisoformat("2026-11-26T10:00:00+09:00")
    feed(*registration(seeker_id, "invalid"), at=t0 + timedelta(minutes=5))
    feed(*registration(seeker_id, "valid"), at=t0)  # published earlier, delivered later
    assert _status(runtime, seeker_id).registration == "invalid"
    feed("auth.mypage.usability_changed.v1", {"seeker_id": seeker_id, "usable": False}, at=t0 + timedelta(minutes=2))
    feed("auth.mypage.usability_changed.v1", {"seeker_id": seeker_id, "usable": True}, at=t0 + timedelta(minutes=1))
    status = _status(runtime, seeker_id)
    assert status.usable is False and status.registration == "invalid"  # the parts are kept apart
    feed(*registration(seeker_id, "valid"), at=t0 + timedelta(minutes=6))
    assert _status(runtime, seeker_id).registration == "valid"


def test_the_projection_follows_kind_validity_and_the_same_event_twice(runtime, feed):
    seeker_id = "kinds"
    feed("profile.seeker.registered.v1", {"seeker_id": seeker_id, "seeker_number": "11040-00000001",
                                          "email": "a@example.jp", "birth_date": "1990-04-01"})
    known = _status(runtime, seeker_id)
    assert known.registration is None and domain.refusal(known) == "unknown"  # known, status not yet heard
    feed(*registration(seeker_id, "valid", kind="online"))
    feed(*registration(seeker_id, "valid", kind="online"))  # a redelivery is harmless
    assert _status(runtime, seeker_id).kind == "online"
    feed("profile.seeker.confirmed.v1", {"seeker_id": seeker_id, "seeker_number": "11040-00000001",
                                         "kind": "registered", "confirmed_on": "2026-11-26"})
    feed("profile.registration.extended.v1", {"seeker_id": seeker_id, "seeker_number": "11040-00000001",
                                              "kind": "registered", "valid_until": "2027-02-28",
                                              "reason": "counselling"})
    status = _status(runtime, seeker_id)
    assert (status.kind, status.registration, str(status.valid_until)) == ("registered", "valid", "2027-02-28")
    assert domain.refusal(status) is None


def test_a_my_page_opened_again_after_withdrawal_is_open(runtime, feed, clock):
    seeker_id = "reopened"
    feed(*registration(seeker_id, "valid"))
    clock.advance(minutes=1)
    feed("auth.mypage.withdrawn.v1", {"seeker_id": seeker_id, "withdrawn_at": clock.now().isoformat()})
    assert domain.refusal(_status(runtime, seeker_id)) == "withdrawn"
    clock.advance(days=1)
    feed("auth.mypage.opened.v1", {"seeker_id": seeker_id, "opened_at": clock.now().isoformat()})
    assert domain.refusal(_status(runtime, seeker_id)) is None


def test_a_malformed_event_is_logged_and_let_go(runtime, caplog):
    from kit.events import Event
    from services.jobs.handlers import SUBSCRIPTIONS

    event = Event(type="profile.registration.invalidated.v1", data={"kind": "registered"}, source="/x")
    with runtime.uow() as uow:
        SUBSCRIPTIONS[event.type](event, uow)
        uow.commit()
    assert "without a usable seeker_id" in caplog.text
