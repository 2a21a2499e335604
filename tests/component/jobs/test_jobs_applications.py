"""J8 applications (オンライン自主応募), J7 online referral, J9 interview no-shows and the restriction,
with P3b and P4 on top: the jobs service in-process (SQLite, frozen clock, tokens from a test signer)."""

from __future__ import annotations

import base64
import uuid

import pytest

from contracts import validate_event
from kit.tokens import EMPLOYER
from services.jobs import domain
from tests.component.jobs.conftest import LONG, registration

APPLY = "/api/v1/me/applications"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
MOTIVATION = "介護の仕事を続けてきた経験を活かしたく、応募いたします。"


def document(content: bytes = PDF, filename: str = "履歴書.pdf") -> dict:
    return {"filename": filename, "content": base64.b64encode(content).decode()}


@pytest.fixture
def numbered_seeker(feed, signer):
    """numbered_seeker() -> (opaque id, 求職番号, headers): a valid 利用登録者 with a number of their own."""

    def make() -> tuple[str, str, dict[str, str]]:
        seeker_id, number = str(uuid.uuid4()), f"11040-{uuid.uuid4().int % 10**8:08d}"
        feed(*registration(seeker_id, "valid", seeker_number=number))
        return seeker_id, number, signer.headers(seeker_id, ttl=LONG)

    return make


@pytest.fixture
def apply(client):
    def send(headers, job_number, **body):
        return client.post(APPLY, json={"job_number": job_number, "motivation": MOTIVATION} | body, headers=headers)

    return send


def no_show(client, employer, application_id, interview_date):
    return client.post(f"/api/v1/employer/applications/{application_id}/no-show",
                       json={"interview_date": interview_date}, headers=employer)


# -- J8: applying -----------------------------------------------------------------------------------


def test_j8_a_self_application_is_made_with_its_documents_and_announced(client, seeker, post, apply, outbox):
    seeker_id, headers = seeker()
    job = post()
    made = apply(headers, job, documents=[document(), document(filename="職務経歴書.PDF")])
    assert made.status_code == 201, made.json
    body = made.json
    assert body["route"] == "self" and body["status"] == "applied" and body["status_label"] == "応募中"
    assert body["motivation"] == MOTIVATION and body["job"]["job_number"] == job
    assert sorted(d["filename"] for d in body["documents"]) == ["履歴書.pdf", "職務経歴書.PDF"]
    [event] = outbox("jobs.application.submitted.v1")
    validate_event(event)
    assert event["data"] == {"application_id": body["id"], "seeker_id": seeker_id, "job_number": job,
                             "establishment_number": "1104-123456-7", "establishment_name": "株式会社越谷ケア",
                             "route": "self", "submitted_at": event["data"]["submitted_at"],
                             "shared_contact": []}  # none of 住所, 電話番号, 生年月日 unless ticked (issue 13 item 3)
    listed = client.get(APPLY, headers=headers).json
    assert listed["total"] == 1 and listed["items"][0]["status_label"] == "応募中"
    assert "motivation" not in listed["items"][0]


def test_item3_the_contact_parts_ticked_travel_with_the_event_in_a_fixed_order(seeker, post, apply, outbox):
    _, headers = seeker()
    made = apply(headers, post(), share_contact=["phone", "address", "phone"])
    assert made.status_code == 201, made.json
    [event] = outbox("jobs.application.submitted.v1")
    validate_event(event)
    assert event["data"]["shared_contact"] == ["address", "phone"]  # profile freezes the 求職情報 with these


@pytest.mark.parametrize("share", [["email"], "phone", [1], ["address"] * 4])
def test_item3_only_address_phone_and_birth_date_can_be_sent(seeker, post, apply, share):
    _, headers = seeker()
    refused = apply(headers, post(), share_contact=share)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert refused.json["errors"][0]["field"].startswith("share_contact")


def test_j2a_the_submitted_event_names_the_establishment_only_where_the_posting_shows_it(seeker, post, apply,
                                                                                         outbox):
    _, headers = seeker()
    for scope in (2, 3):
        assert apply(headers, post(publication_scope=scope)).status_code == 201
    names = [event["data"]["establishment_name"] for event in outbox("jobs.application.submitted.v1")]
    assert names == ["株式会社越谷ケア", None]  # 公開範囲3 never shows the name (J2a)


def test_j8_the_seeker_downloads_their_own_pdf_and_nobody_elses(client, seeker, post, apply):
    _, headers = seeker()
    _, other = seeker()
    made = apply(headers, post(), documents=[document()]).json
    path = f"{APPLY}/{made['id']}/documents/{made['documents'][0]['id']}"
    got = client.get(path, headers=headers)
    assert got.status_code == 200 and got.mimetype == "application/pdf" and got.data == PDF
    assert "attachment" in got.headers["Content-Disposition"]
    assert client.get(path, headers=other).status_code == 404
    assert client.get(f"{APPLY}/{made['id']}", headers=other).status_code == 404
    assert client.post(f"{APPLY}/{made['id']}/withdraw", headers=other).status_code == 404


def test_j8_only_postings_that_accept_online_self_application(client, seeker, post, apply):
    _, headers = seeker()
    refused = apply(headers, post(online_application=False))
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert refused.json["reason"] == "online_application_not_accepted"
    assert "オンライン自主応募を受け付けていません" in refused.json["detail"]


def test_j8_closed_unknown_and_offline_postings_cannot_be_applied_to(client, seeker, post, apply):
    _, headers = seeker()
    assert apply(headers, post(deadline="2026-11-25")).status_code == 409  # 紹介期限日 passed yesterday
    assert apply(headers, post(deadline="2026-11-26")).status_code == 201  # the deadline day itself is open
    assert apply(headers, post(publication_scope=4)).status_code == 404
    assert apply(headers, "11040-99999999").status_code == 404


def test_j8_one_application_per_posting(client, seeker, post, apply):
    _, headers = seeker()
    job = post()
    assert apply(headers, job).status_code == 201
    again = apply(headers, job)
    assert again.status_code == 409 and again.json["reason"] == "already_applied"
    assert client.get(APPLY, headers=headers).json["total"] == 1


@pytest.mark.parametrize(("motivation", "status"), [
    ("あ" * domain.MOTIVATION_MAX, 201), ("あ" * (domain.MOTIVATION_MAX + 1), 422), ("  　", 422), ("", 422)])
def test_j8_the_motivation_statement_is_required_and_at_most_2000_characters(seeker, post, apply, motivation,
                                                                                status):
    _, headers = seeker()
    answer = apply(headers, post(), motivation=motivation)
    assert answer.status_code == status
    if status == 422:
        assert [e["field"] for e in answer.json["errors"]] == ["motivation"]


def test_j8_the_motivation_is_required_field_level_in_english_too(client, seeker, post):
    _, headers = seeker()
    answer = client.post(APPLY, json={"job_number": post()}, headers=headers | {"Accept-Language": "en"})
    assert answer.status_code == 422 and answer.json["errors"] == [
        {"field": "motivation", "messages": ["Missing data for required field."]}]


@pytest.mark.parametrize(("documents", "field", "english"), [
    ([document()] * 4, "documents", "At most 3 documents can be attached."),
    ([document(PDF + b"0" * (domain.DOCUMENT_MAX_BYTES - len(PDF) + 1))], "documents.0.content",
     "A document is at most 2 MB."),
    ([document(b"GIF89a not a pdf")], "documents.0.content", "Only PDF documents can be attached."),
    ([{"filename": "a.pdf", "content": "@@not base64@@"}], "documents.0.content", "Send the file's content as base64."),
    ([document(filename="履歴書.docx")], "documents.0.filename",
     "The file name is at most 100 characters and ends in .pdf."),
    ([document(filename="../../etc/a.pdf")], "documents.0.filename",
     "The file name is at most 100 characters and ends in .pdf."),
])
def test_j8_documents_are_pdfs_of_at_most_2_mb_and_at_most_3(client, seeker, post, outbox, documents, field,
                                                              english):
    _, headers = seeker()
    job = post()
    answer = client.post(APPLY, json={"job_number": job, "motivation": MOTIVATION, "documents": documents},
                         headers=headers | {"Accept-Language": "en"})
    assert answer.status_code == 422 and answer.mimetype == "application/problem+json"
    assert answer.json["errors"] == [{"field": field, "messages": [english]}]
    assert client.get(APPLY, headers=headers).json["total"] == 0 and outbox("jobs.application.submitted.v1") == []


def test_j8_three_documents_of_exactly_2_mb_are_accepted(seeker, post, apply):
    _, headers = seeker()
    exactly = PDF + b"0" * (domain.DOCUMENT_MAX_BYTES - len(PDF))
    made = apply(headers, post(), documents=[document(exactly)] * 3)
    assert made.status_code == 201 and [d["size"] for d in made.json["documents"]] == [domain.DOCUMENT_MAX_BYTES] * 3


def test_p4_applying_is_refused_while_the_registration_is_invalid_but_applications_stay_readable(
        client, seeker, post, apply, feed):
    seeker_id, headers = seeker()
    made = apply(headers, post()).json
    feed(*registration(seeker_id, "invalid"))
    refused = apply(headers, post())
    assert refused.status_code == 403 and refused.json["reason"] == "registration_invalid"
    assert client.get(APPLY, headers=headers).json["total"] == 1
    withdrawn = client.post(f"{APPLY}/{made['id']}/withdraw", headers=headers)
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"


def test_a9_a_withdrawn_seeker_no_longer_reads_applications(client, seeker, post, apply, feed):
    seeker_id, headers = seeker()
    apply(headers, post())
    feed("auth.mypage.withdrawn.v1", {"seeker_id": seeker_id, "withdrawn_at": "2026-11-26T01:00:00+00:00"})
    refused = client.get(APPLY, headers=headers)
    assert refused.status_code == 403 and refused.json["reason"] == "withdrawn"


# -- J7 / P3b: applying to a recommendation is an online referral ----------------------------------


def test_j7_applying_to_a_recommended_posting_is_an_online_referral_even_without_the_self_flag(
        client, seeker, post, apply, staff, outbox):
    seeker_id, headers = seeker()
    job = post(online_application=False)
    assert client.post("/api/v1/staff/recommendations", json={"seeker_id": seeker_id, "job_number": job},
                       headers=staff).status_code == 201
    made = apply(headers, job)
    assert made.status_code == 201 and made.json["route"] == "recommendation"
    assert outbox("jobs.application.submitted.v1")[0]["data"]["route"] == "recommendation"


def test_p3b_an_online_registrant_cannot_apply_through_online_referral(client, seeker, post, apply, staff, feed):
    seeker_id, headers = seeker()
    job = post()
    assert client.post("/api/v1/staff/recommendations", json={"seeker_id": seeker_id, "job_number": job},
                       headers=staff).status_code == 201
    feed(*registration(seeker_id, "valid", kind="online"), at="2026-11-26T02:00:00+00:00")
    refused = apply(headers | {"Accept-Language": "en"}, job)
    assert refused.status_code == 403 and refused.json["reason"] == "online_registrant"
    assert "online registrant" in refused.json["detail"]
    assert apply(headers, post()).status_code == 201  # a self-application stays open to them


# -- J8: withdrawal and the employer's statuses -----------------------------------------------------


def test_j8_withdrawal_notifies_the_employer_once(client, seeker, post, apply, outbox):
    seeker_id, headers = seeker()
    made = apply(headers, post()).json
    first = client.post(f"{APPLY}/{made['id']}/withdraw", headers=headers)
    assert first.status_code == 200 and first.json["status_label"] == "辞退" and first.json["withdrawn_at"]
    assert client.post(f"{APPLY}/{made['id']}/withdraw", headers=headers).status_code == 200
    [event] = outbox("jobs.application.withdrawn.v1")
    validate_event(event)
    assert event["data"]["application_id"] == made["id"] and event["data"]["seeker_id"] == seeker_id


def test_j8_the_employer_reads_moves_and_decides_an_application(client, seeker, post, apply, employer, outbox):
    _, headers = seeker()
    made = apply(headers, post(), documents=[document()]).json
    base = f"/api/v1/employer/applications/{made['id']}"
    read = client.get(base, headers=employer)
    assert read.status_code == 200 and read.json["motivation"] == MOTIVATION
    pdf = client.get(f"{base}/documents/{read.json['documents'][0]['id']}", headers=employer)
    assert pdf.status_code == 200 and pdf.data == PDF
    listed = client.get("/api/v1/employer/applications", query_string={"establishment_number": "1104-123456-7"},
                        headers=employer)
    assert listed.status_code == 200 and [i["id"] for i in listed.json["items"]] == [made["id"]]
    assert client.put(f"{base}/status", json={"status": "screening"}, headers=employer).status_code == 200
    assert client.get(f"{APPLY}/{made['id']}", headers=headers).json["status_label"] == "選考中"
    assert client.put(f"{base}/status", json={"status": "hired"}, headers=employer).json["status_label"] == "採用"
    decided = client.put(f"{base}/status", json={"status": "rejected"}, headers=employer)
    assert decided.status_code == 409
    assert [e["data"]["status"] for e in outbox("jobs.application.status_changed.v1")] == ["screening", "hired"]
    withdrawn = client.post(f"{APPLY}/{made['id']}/withdraw", headers=headers)  # 内定辞退
    assert withdrawn.status_code == 200 and withdrawn.json["status"] == "withdrawn"


def test_j8_a_rejected_application_cannot_be_withdrawn_and_a_withdrawn_one_cannot_be_decided(
        client, seeker, post, apply, employer):
    _, headers = seeker()
    rejected, withdrawn = apply(headers, post()).json["id"], apply(headers, post()).json["id"]
    client.put(f"/api/v1/employer/applications/{rejected}/status", json={"status": "rejected"}, headers=employer)
    assert client.post(f"{APPLY}/{rejected}/withdraw", headers=headers).status_code == 409
    client.post(f"{APPLY}/{withdrawn}/withdraw", headers=headers)
    refused = client.put(f"/api/v1/employer/applications/{withdrawn}/status", json={"status": "screening"},
                         headers=employer)
    assert refused.status_code == 409 and refused.json["status"] == "withdrawn"


def test_the_employer_routes_need_the_employer_role(client, seeker, post, apply, staff):
    _, headers = seeker()
    made = apply(headers, post()).json
    for caller in (headers, staff):
        assert client.get(f"/api/v1/employer/applications/{made['id']}", headers=caller).status_code == 403
        assert no_show(client, caller, made["id"], "2026-11-26").status_code == 403
    assert client.get(f"/api/v1/employer/applications/{made['id']}").status_code == 401


# -- J9: no-shows -----------------------------------------------------------------------------------


def test_j9_a_no_show_is_reported_once(client, seeker, post, apply, employer, outbox):
    seeker_id, headers = seeker()
    made = apply(headers, post()).json
    first = no_show(client, employer, made["id"], "2026-11-26")
    assert first.status_code == 201 and first.json["interview_date"] == "2026-11-26"
    assert no_show(client, employer, made["id"], "2026-11-26").status_code == 200  # the same again: nothing new
    assert no_show(client, employer, made["id"], "２０２６－１１－２６").status_code == 200  # typed: the same day
    other_day = no_show(client, employer, made["id"], "2026-11-25")
    assert other_day.status_code == 409
    [event] = outbox("jobs.no_show.reported.v1")
    validate_event(event)
    assert event["data"] == {"application_id": made["id"], "seeker_id": seeker_id, "interview_date": "2026-11-26"}


def test_j9_a_no_show_on_an_application_withdrawn_by_the_interview_day_is_rejected(
        client, seeker, post, apply, employer, clock):
    _, headers = seeker()
    before, after = apply(headers, post()).json["id"], apply(headers, post()).json["id"]
    client.post(f"{APPLY}/{before}/withdraw", headers=headers)  # 11-26: on the interview day
    refused = no_show(client, employer, before, "2026-11-26")
    assert refused.status_code == 409 and refused.json["reason"] == "withdrawn"
    clock.advance(days=1)
    client.post(f"{APPLY}/{after}/withdraw", headers=headers)  # 11-27: after missing the 11-26 interview
    assert no_show(client, employer, after, "2026-11-26").status_code == 201


@pytest.mark.parametrize("interview_date", ["2026-11-27", "2026-11-25"])
def test_j9_the_interview_date_lies_between_the_application_and_today(client, seeker, post, apply, employer,
                                                                      interview_date):
    _, headers = seeker()
    made = apply(headers, post()).json  # applied 2026-11-26 (Japan); today is 2026-11-26
    refused = no_show(client, employer, made["id"], interview_date)
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["interview_date"]


def test_j9_no_shows_are_reported_on_self_applications_only(client, seeker, post, apply, staff, employer):
    seeker_id, headers = seeker()
    job = post()
    client.post("/api/v1/staff/recommendations", json={"seeker_id": seeker_id, "job_number": job}, headers=staff)
    made = apply(headers, job).json
    refused = no_show(client, employer, made["id"], "2026-11-26")
    assert refused.status_code == 409 and refused.json["reason"] == "not_self_application"


def _self_applications(apply, headers, post, count: int) -> list[str]:
    return [apply(headers, post()).json["id"] for _ in range(count)]


def test_j9_four_no_shows_within_3_months_do_not_restrict_the_fifth_does(
        client, seeker, post, apply, employer, outbox, clock):
    clock.set("2026-09-01T01:00:00+00:00")  # tokens and the seeker from before the applications
    seeker_id, headers = seeker()
    ids = _self_applications(apply, headers, post, 6)
    clock.set("2026-11-26T01:00:00+00:00")
    for application_id in ids[:4]:
        assert no_show(client, employer, application_id, "2026-09-10").status_code == 201
    assert client.get("/internal/v1/home", headers=headers).json["restriction"]["no_show"] is False
    assert outbox("jobs.seeker.restricted.v1") == []
    assert apply(headers, post()).status_code == 201
    assert no_show(client, employer, ids[4], "2026-11-20").status_code == 201  # the 5th
    assert client.get("/internal/v1/home", headers=headers).json["restriction"]["no_show"] is True
    [event] = outbox("jobs.seeker.restricted.v1")
    validate_event(event)
    assert event["data"]["seeker_id"] == seeker_id
    assert no_show(client, employer, ids[5], "2026-11-21").status_code == 201  # the 6th: still one event
    assert len(outbox("jobs.seeker.restricted.v1")) == 1


@pytest.mark.parametrize(("reported", "restricted"), [("2026-11-25T01:00:00+00:00", True),
                                                     ("2026-11-26T01:00:00+00:00", False)])
def test_r4_a_no_show_counts_for_3_months_to_the_day(client, seeker, post, apply, signer, clock, reported,
                                                       restricted):
    """The interview of 08-26 counts through 11-25 and no longer on 11-26 (08-26 + 3 months)."""
    clock.set("2026-08-25T01:00:00+00:00")
    _, headers = seeker()
    ids = _self_applications(apply, headers, post, 5)
    clock.set(reported)
    employer = signer.headers("employer", roles=(EMPLOYER,), ttl=LONG, establishments="*")
    assert no_show(client, employer, ids[0], "2026-08-26").status_code == 201
    for application_id in ids[1:]:
        assert no_show(client, employer, application_id, "2026-11-20").status_code == 201
    assert client.get("/internal/v1/home", headers=headers).json["restriction"]["no_show"] is restricted


def test_j9_the_restriction_refuses_self_application_until_staff_lift_it(
        client, numbered_seeker, post, apply, employer, staff, outbox, clock):
    seeker_id, number, headers = numbered_seeker()
    ids = _self_applications(apply, headers, post, 6)
    for application_id in ids[:5]:
        no_show(client, employer, application_id, "2026-11-26")
    refused = apply(headers | {"Accept-Language": "en"}, post())
    assert refused.status_code == 403 and refused.json["reason"] == "no_show_restricted"
    assert "visit Hello Work" in refused.json["detail"]
    assert "来所" in apply(headers, post()).json["detail"]
    job = post()  # an online referral stays open: Hello Work is involved
    client.post("/api/v1/staff/recommendations", json={"seeker_id": seeker_id, "job_number": job}, headers=staff)
    assert apply(headers, job).status_code == 201
    clock.advance(days=200)  # R4: the no-shows no longer count, but the restriction holds until lifted
    assert client.get(f"/api/v1/staff/seekers/{number}/restriction", headers=staff).json == {
        "seeker_id": seeker_id, "restricted": True, "restricted_at": "2026-11-26T01:00:00+00:00",
        "lifted_at": None, "counting_no_shows": 0, "limit": 5}
    assert apply(headers, post(deadline="2027-12-31")).status_code == 403
    lifted = client.post(f"/api/v1/staff/seekers/{number}/restriction/lift", headers=staff)
    assert lifted.status_code == 200 and lifted.json["restricted"] is False and lifted.json["lifted_at"]
    [event] = outbox("jobs.seeker.restriction_lifted.v1")
    validate_event(event)
    assert apply(headers, post(deadline="2027-12-31")).status_code == 201
    again = client.post(f"/api/v1/staff/seekers/{number}/restriction/lift", headers=staff)
    assert again.status_code == 409 and again.json["reason"] == "not_restricted"


def test_j9_a_lift_is_a_fresh_start_for_the_count(client, numbered_seeker, post, apply, employer, staff, clock):
    _, number, headers = numbered_seeker()
    ids = _self_applications(apply, headers, post, 10)
    for application_id in ids[:5]:
        no_show(client, employer, application_id, "2026-11-26")
    client.post(f"/api/v1/staff/seekers/{number}/restriction/lift", headers=staff)
    clock.advance(days=1)
    for application_id in ids[5:9]:  # 4 after the lift (9 within 3 months in all)
        no_show(client, employer, application_id, "2026-11-27")
    assert client.get("/internal/v1/home", headers=headers).json["restriction"]["no_show"] is False
    no_show(client, employer, ids[9], "2026-11-27")  # the 5th since the lift
    assert client.get("/internal/v1/home", headers=headers).json["restriction"]["no_show"] is True


def test_j9_lifting_needs_staff_and_a_known_seeker(client, numbered_seeker, staff, employer):
    _, number, headers = numbered_seeker()
    assert client.post(f"/api/v1/staff/seekers/{number}/restriction/lift", headers=headers).status_code == 403
    assert client.post(f"/api/v1/staff/seekers/{number}/restriction/lift", headers=employer).status_code == 403
    unknown = client.post("/api/v1/staff/seekers/99999-99999999/restriction/lift", headers=staff)
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"


# -- the month arithmetic behind the window ---------------------------------------------------------


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2026-08-26", 3, "2026-11-26"), ("2026-11-30", 3, "2027-02-28"), ("2027-11-30", 3, "2028-02-29"),
    ("2026-10-31", 3, "2027-01-31"), ("2026-12-15", -3, "2026-09-15"), ("2026-03-31", -1, "2026-02-28")])
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    from datetime import date
    assert domain.add_months(date.fromisoformat(day), months) == date.fromisoformat(expected)
