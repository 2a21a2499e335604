"""Profile in the embedded system (`make run`), over real HTTP through the gateway: the counter
system registers and manages a seeker with a client-credentials token; the demo seeker is there."""

from __future__ import annotations

import uuid

from kit.testing.e2e import open_mypage


def test_p1_the_demo_seeker_is_registered(call, staff_token):
    response = call("GET", "/api/v1/staff/seekers/11040-12345678", token=staff_token)
    assert response.status == 200, response.data
    assert response.json()["office"]["name"] == "越谷公共職業安定所"


def test_p1_to_p3_the_counter_registers_and_manages_a_seeker(call, staff_token):
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    body = {"seeker_number": number, "name": "求職 花子", "name_kana": "ｷｭｳｼｮｸ ﾊﾅｺ", "birth_date": "1995-05-05",
            "email": f"{number}@example.jp", "kind": "online",
            "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"},
            "phone": "048-000-0000"}
    created = call("POST", "/api/v1/staff/seekers", body, token=staff_token)
    assert created.status == 201, created.data
    assert created.json()["name_kana"] == "キュウショク ハナコ"
    assert call("POST", "/api/v1/staff/seekers", body, token=staff_token).status == 409
    invalid = call("PUT", f"/api/v1/staff/seekers/{number}/registration", {"status": "invalid"}, token=staff_token)
    assert invalid.json()["status"] == "invalid"
    again = call("POST", f"/api/v1/staff/seekers/{number}/reapplication", {}, token=staff_token)
    assert again.json()["status"] == "valid" and again.json()["invalidated_on"] is not None
    confirmed = call("POST", f"/api/v1/staff/seekers/{number}/confirmation", token=staff_token)
    assert confirmed.json()["kind"] == "registered"


def test_p1_a3_a_birth_date_typed_with_full_width_dashes_registers_and_opens_alike(call, system, staff_token):
    """kit.fields.TypedDate at both doors: the counter types １９９５－０５－０５ (P1) and the seeker opens
    the My Page typing 1995－05－05 (A3) — once refused at opening (422) though accepted at registration."""
    number = f"11040-{uuid.uuid4().int % 10**8:08d}"
    email = f"{number}@example.jp"
    body = {"seeker_number": number, "name": "求職 次郎", "name_kana": "キュウショク ジロウ",
            "birth_date": "１９９５－０５－０５", "email": email,
            "office": {"code": "11040", "name": "越谷公共職業安定所"},
            "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"}}
    created = call("POST", "/api/v1/staff/seekers", body, token=staff_token)
    assert created.status == 201, created.data
    assert created.json()["birth_date"] == "1995-05-05"
    open_mypage(call, system, email, "1995－05－05", "Koshigaya@2026")  # asserts the opening completes (201)


def test_bad_values_are_field_level_problems_in_english_on_request(call, staff_token):
    response = call("POST", "/api/v1/staff/seekers", {"seeker_number": "x"}, token=staff_token,
                    **{"Accept-Language": "en"})
    assert response.status == 422 and response.headers["Content-Type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"seeker_number", "name", "email", "office", "address"} <= fields


def test_me_needs_a_login(call):
    for path in ("/api/v1/me", "/api/v1/me/profile"):
        response = call("GET", path)
        assert response.status == 401 and response.headers["Content-Type"].startswith("application/problem+json")
