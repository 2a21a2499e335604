"""C1/C2 in auth: staff register employer clients bound to their establishments (secret shown once,
kept as an HMAC; rotation; changed establishments; revocation, each announced so the gateway refuses
the tokens issued before), and the token of an employer client names the establishments it acts for
(the development `employer` client: every one, "*"; staff tokens name none)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from contracts import validate_event
from kit.settings import ConfigurationError, Settings
from kit.tokens import EMPLOYER, EVERY_ESTABLISHMENT, KeySet, TokenVerifier
from services.auth.clients import CLIENT_SECRET
from services.auth.config import load_secrets
from services.auth.domain import digest
from services.auth.models import EmployerClient


def _principal(world, client_id: str, secret: str):
    response = world.client.post("/api/v1/auth/token", json={"grant_type": "client_credentials",
                                                             "client_id": client_id, "client_secret": secret})
    assert response.status_code == 200, response.json
    return TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock).verify(
        response.json["access_token"])


def test_c2_the_development_employer_client_acts_for_every_establishment(world):
    principal = _principal(world, "employer", "employer-dev-secret")
    assert principal.establishments == {EVERY_ESTABLISHMENT} and principal.establishment_scope() is None


def test_c2_a_staff_token_names_no_establishment(world):
    principal = _principal(world, "counter", "counter-dev-secret")
    assert principal.establishments == frozenset() and principal.establishment_scope() == frozenset()


# -- C1: staff register employer clients ----------------------------------------------------------------

CLIENTS = "/api/v1/staff/employer-clients"
OURS, OTHER = "1104-123456-7", "1104-000001-1"


def _register(world, establishments=(OURS,), name="株式会社越谷ケア 採用システム") -> dict:
    response = world.client.post(CLIENTS, json={"name": name, "establishments": list(establishments)},
                                 headers=world.staff_headers())
    assert response.status_code == 201, response.json
    return response.json


def _token(world, client: dict, secret: str | None = None):
    return world.client.post("/api/v1/auth/token", json={"grant_type": "client_credentials",
                                                         "client_id": client["client_id"],
                                                         "client_secret": secret or client["client_secret"]})


def _verify(world, token: str):
    return TokenVerifier(KeySet(world.ctx.secrets.public_jwks), clock=world.clock).verify(token)


def _revoked(world) -> list[dict]:
    return [event.data for event in world.published("auth.client_tokens.revoked.v1")]


def test_c1_staff_register_a_client_whose_token_names_its_establishments(world):
    client = _register(world, establishments=["１１０４ー１２３４５６ー７", OTHER, OURS])  # typed full width, twice
    assert client["client_id"].startswith("ec-") and client["name"] == "株式会社越谷ケア 採用システム"
    assert client["establishments"] == [OURS, OTHER] and client["revoked_at"] is None
    assert len(client["client_secret"]) >= 43  # 256 bits, URL-safe
    issued = _token(world, client)
    assert issued.status_code == 200 and issued.json["expires_in"] == 300
    principal = _verify(world, issued.json["access_token"])
    assert principal.subject == client["client_id"] and principal.roles == {EMPLOYER}
    assert principal.establishment_scope() == {OURS, OTHER} and principal.session_id


def test_c1_the_secret_is_shown_once_and_stored_only_as_a_keyed_hash(world):
    client = _register(world)
    read = world.client.get(f"{CLIENTS}/{client['client_id']}", headers=world.staff_headers())
    assert read.status_code == 200 and "client_secret" not in read.json
    assert read.json["establishments"] == [OURS] and read.headers["Cache-Control"] == "no-store"
    with world.runtime.engine.connect() as connection:
        row = connection.execute(select(EmployerClient.__table__)
                                 .where(EmployerClient.client_id == client["client_id"])).one()
    assert client["client_secret"] not in {str(value) for value in row}
    assert row.secret_digest == digest(world.ctx.secrets.hmac_key, CLIENT_SECRET, client["client_secret"])


def test_c1_only_staff_manage_employer_clients(world):
    employer = {"Authorization": f"Bearer {_token(world, _register(world)).json['access_token']}"}
    body = {"name": "x", "establishments": [OURS]}
    assert world.client.post(CLIENTS, json=body).status_code == 401
    assert world.client.post(CLIENTS, json=body, headers=employer).status_code == 403
    assert world.client.post(CLIENTS, json={}, headers=employer).status_code == 403  # the role before the input
    assert world.client.get(f"{CLIENTS}/ec-anything", headers=employer).status_code == 403


@pytest.mark.parametrize(("body", "field", "ja", "en"), [
    ({"name": "x", "establishments": []}, "establishments", "事業所番号は1〜100件指定してください。",
     "Give 1 to 100 establishment numbers."),
    ({"name": "x", "establishments": [f"1104-{n:06d}-1" for n in range(101)]}, "establishments",
     "事業所番号は1〜100件指定してください。", "Give 1 to 100 establishment numbers."),
    ({"name": "x", "establishments": ["1104-12345-7"]}, "establishments",
     "事業所番号は「1104-123456-7」の形式で入力してください。", "Enter the establishment number as 1104-123456-7."),
    ({"name": "x", "establishments": ["*"]}, "establishments",
     "事業所番号は「1104-123456-7」の形式で入力してください。", "Enter the establishment number as 1104-123456-7."),
    ({"name": "x"}, "establishments", "必須項目です。", "Missing data for required field."),
    ({"name": "", "establishments": [OURS]}, "name", "名称を入力してください。", "Enter a name."),
    ({"name": "   ", "establishments": [OURS]}, "name", "名称を入力してください。", "Enter a name."),
    ({"name": "a" * 101, "establishments": [OURS]}, "name", "名称は100文字以内で入力してください。",
     "Enter a name of at most 100 characters."),
    ({"name": "二行\n目", "establishments": [OURS]}, "name", "名称は1行で入力してください。",
     "The name must be one line."),
])
def test_c1_a_bad_registration_is_refused_field_by_field(world, body, field, ja, en):
    staff = world.staff_headers()
    refused = world.client.post(CLIENTS, json=body, headers=staff)
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert {e["field"].partition(".")[0]: e["messages"] for e in refused.json["errors"]} == {field: [ja]}
    english = world.client.post(CLIENTS, json=body, headers=staff | {"Accept-Language": "en"})
    assert {e["field"].partition(".")[0]: e["messages"] for e in english.json["errors"]} == {field: [en]}


def test_c1_the_edges_100_establishments_and_a_100_character_name_are_accepted(world):
    numbers = [f"1104-{n:06d}-1" for n in range(100)]
    client = _register(world, establishments=numbers, name="a" * 100)
    assert client["establishments"] == numbers
    assert _verify(world, _token(world, client).json["access_token"]).establishment_scope() == set(numbers)


def test_c1_changed_establishments_are_in_the_next_token_and_the_old_tokens_are_revoked(world):
    client = _register(world)
    old = _verify(world, _token(world, client).json["access_token"])
    path = f"{CLIENTS}/{client['client_id']}/establishments"
    changed = world.client.put(path, json={"establishments": [OTHER]}, headers=world.staff_headers())
    assert changed.status_code == 200 and changed.json["establishments"] == [OTHER]
    assert _revoked(world) == [{"client_id": client["client_id"], "session_ids": [old.session_id],
                                "reason": "establishments_changed"}]
    new = _verify(world, _token(world, client).json["access_token"])
    assert new.establishment_scope() == {OTHER} and new.session_id != old.session_id
    # the same list again changes nothing
    assert world.client.put(path, json={"establishments": [OTHER]}, headers=world.staff_headers()).status_code == 200
    assert len(_revoked(world)) == 1
    for event in world.published("auth.client_tokens.revoked.v1"):
        validate_event(event.to_dict())


def test_c1_rotation_refuses_the_old_secret(world):
    client = _register(world)
    old = _verify(world, _token(world, client).json["access_token"])
    rotated = world.client.post(f"{CLIENTS}/{client['client_id']}/secret", headers=world.staff_headers())
    assert rotated.status_code == 200 and rotated.json["client_secret"] != client["client_secret"]
    assert rotated.headers["Cache-Control"] == "no-store"
    refused = _token(world, client)
    assert refused.status_code == 401 and refused.content_type == "application/problem+json"
    assert _token(world, client, rotated.json["client_secret"]).status_code == 200
    assert _revoked(world) == [{"client_id": client["client_id"], "session_ids": [old.session_id],
                                "reason": "secret_rotated"}]


def test_c1_a_revoked_client_gets_no_token_and_its_tokens_are_revoked(world):
    client = _register(world)
    old = _verify(world, _token(world, client).json["access_token"])
    path = f"{CLIENTS}/{client['client_id']}"
    assert world.client.delete(path, headers=world.staff_headers()).status_code == 204
    assert _token(world, client).status_code == 401
    assert _revoked(world) == [{"client_id": client["client_id"], "session_ids": [old.session_id],
                                "reason": "revoked"}]
    assert world.client.delete(path, headers=world.staff_headers()).status_code == 204  # again: nothing changes
    assert len(_revoked(world)) == 1
    assert world.client.get(path, headers=world.staff_headers()).json["revoked_at"] is not None
    for changed in (world.client.put(f"{path}/establishments", json={"establishments": [OURS]},
                                     headers=world.staff_headers()),
                    world.client.post(f"{path}/secret", headers=world.staff_headers())):
        assert changed.status_code == 409 and changed.json["reason"] == "revoked"


def test_c1_an_unknown_client_is_404_and_its_credentials_401(world):
    staff = world.staff_headers()
    for response in (world.client.get(f"{CLIENTS}/ec-unknown", headers=staff),
                     world.client.delete(f"{CLIENTS}/ec-unknown", headers=staff),
                     world.client.post(f"{CLIENTS}/ec-unknown/secret", headers=staff),
                     world.client.put(f"{CLIENTS}/ec-unknown/establishments", json={"establishments": [OURS]},
                                      headers=staff)):
        assert response.status_code == 404 and response.json["detail"] == "この事業所クライアントは登録されていません。"
    assert _token(world, {"client_id": "ec-unknown", "client_secret": "x" * 43}).status_code == 401


def test_c1_every_refused_client_gets_one_answer_whatever_the_kind_and_the_reason(world):
    """Nothing tells a configured client from a registered one, an unknown id, a wrong secret or a revoked one."""
    revoked = _register(world)
    assert world.client.delete(f"{CLIENTS}/{revoked['client_id']}", headers=world.staff_headers()).status_code == 204
    refused = [_token(world, {"client_id": client_id, "client_secret": secret}) for client_id, secret in (
        ("employer", "wrong-secret"), ("nobody", "employer-dev-secret"), (_register(world)["client_id"], "x" * 43),
        ("ec-unknown", "x" * 43), (revoked["client_id"], revoked["client_secret"]))]
    assert {response.status_code for response in refused} == {401}
    assert len({(response.json["type"], response.json["detail"]) for response in refused}) == 1


@pytest.mark.parametrize("clients", ["ec-desk:staff@11040:" + "s" * 32, "desk:staff@1104:" + "s" * 32,
                                     "acme:employer@11040:" + "s" * 32])
def test_c1_c3_a_configured_client_cannot_shadow_a_registered_one_nor_name_a_bad_office(tmp_path, clients):
    settings = Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(tmp_path), "MYPAGE_AUTH_SECRET_CLIENTS": clients})
    with pytest.raises(ConfigurationError, match="entries are id:staff@OFFICE"):
        load_secrets(settings)


def test_c3_a_configured_staff_client_acts_for_its_office(tmp_path):
    settings = Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(tmp_path),
                                          "MYPAGE_AUTH_SECRET_CLIENTS": "desk:staff@13010:" + "s" * 32})
    assert load_secrets(settings).clients["desk"].office == "13010"


def test_c2_jobs_is_told_each_clients_establishments_on_registration_change_and_revocation(world):
    """auth.employer_client.changed.v1: what jobs checks postings published as events against (C2)."""
    client = _register(world)
    path = f"{CLIENTS}/{client['client_id']}"
    world.client.put(f"{path}/establishments", json={"establishments": [OTHER, OURS]}, headers=world.staff_headers())
    world.client.put(f"{path}/establishments", json={"establishments": [OURS, OTHER]}, headers=world.staff_headers())
    world.client.post(f"{path}/secret", headers=world.staff_headers())  # the establishments stay: nothing to say
    assert world.client.delete(path, headers=world.staff_headers()).status_code == 204
    world.client.delete(path, headers=world.staff_headers())
    events = world.published("auth.employer_client.changed.v1")
    assert [event.data for event in events] == [
        {"client_id": client["client_id"], "establishments": [OURS], "revoked": False},
        {"client_id": client["client_id"], "establishments": [OTHER, OURS], "revoked": False},
        {"client_id": client["client_id"], "establishments": [], "revoked": True}]
    for event in events:
        assert event.subject == client["client_id"]
        validate_event(event.to_dict())
