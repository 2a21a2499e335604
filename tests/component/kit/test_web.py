"""Every service app: problem+json for every error, request ids, health, metrics."""

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import text

from kit.web import PROBLEM_JSON, committed, in_uow
from tests.component.kit.conftest import probe_app


@pytest.fixture
def client():
    return probe_app().test_client()


def test_validation_errors_name_the_fields_in_japanese(client):
    response = client.post("/api/v1/probe", json={"count": "many"})
    assert response.status_code == 422
    assert response.mimetype == PROBLEM_JSON
    body = response.get_json()
    assert body["title"] == "入力内容に誤りがあります"
    assert {e["field"] for e in body["errors"]} == {"email", "count"}
    assert ["必須項目です。"] in [e["messages"] for e in body["errors"]]


def test_english_on_request(client):
    response = client.post("/api/v1/probe", json={}, headers={"Accept-Language": "en"})
    body = response.get_json()
    assert body["title"] == "The request has invalid fields"
    assert body["errors"] == [{"field": "email", "messages": ["Missing data for required field."]}]
    assert response.headers["Content-Language"] == "en"


def test_domain_problem_is_rendered(client):
    response = client.get("/api/v1/probe")
    assert response.status_code == 409
    assert response.get_json()["detail"] == "状態が違います。"


def test_unexpected_error_is_a_problem_without_internals(client):
    response = client.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.mimetype == PROBLEM_JSON
    assert "secret stack detail" not in response.get_data(as_text=True)


def test_database_outage_is_a_clean_503(client):
    response = client.get("/api/v1/db-down")
    assert response.status_code == 503
    assert response.mimetype == PROBLEM_JSON
    assert "connection refused" not in response.get_data(as_text=True)


def test_not_found_and_method_not_allowed_are_problems(client):
    assert client.get("/api/v1/nothing").get_json()["status"] == 404
    response = client.delete("/api/v1/probe")
    assert response.status_code == 405 and response.mimetype == PROBLEM_JSON


def test_malformed_json_is_a_problem(client):
    response = client.post("/api/v1/probe", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.mimetype == PROBLEM_JSON


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc"}).headers["X-Request-ID"] == "abc"
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32


def test_health_readiness_and_metrics(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"]["database"] == "ok"
    client.get("/api/v1/probe")
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "mypage_auth_http_problems_total" in metrics



def test_s8_errors_are_documented_as_the_problem_json_they_are(client):
    """S8 (found by Schemathesis): the OpenAPI document described every error as flask-smorest's
    application/json {code, status, message, errors}, not the problem+json every error is."""
    document = client.get("/openapi.json").get_json()
    responses = document["components"]["responses"]
    for name in ("DEFAULT_ERROR", "UNPROCESSABLE_ENTITY"):
        assert responses[name]["content"] == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status"}
    assert problem.get("additionalProperties", True) is True  # extension members (e.g. `reason`)
    assert "Error" not in document["components"]["schemas"]
    # what is sent conforms to what is documented
    registry = Registry().with_resource("urn:doc", DRAFT202012.create_resource(document))
    validator = Draft202012Validator({"$ref": "urn:doc#/components/schemas/Problem"}, registry=registry)
    for response in (client.post("/api/v1/probe", json={"count": "many"}), client.get("/api/v1/probe"),
                     client.get("/api/v1/nowhere")):
        assert response.mimetype == PROBLEM_JSON
        validator.validate(response.get_json())


def test_a_view_commits_what_it_changes_and_a_read_commits_nothing():
    def note(uow, value):
        uow.session.execute(text("INSERT INTO probe_notes (value) VALUES (:value)"), {"value": value})
        return value

    def notes(uow):
        return list(uow.session.scalars(text("SELECT value FROM probe_notes ORDER BY value")))

    with probe_app().app_context():
        committed(lambda uow: uow.session.execute(text("CREATE TABLE probe_notes (value TEXT)")))
        assert in_uow(note, "read only") == "read only"  # what the command returns, its write rolled back
        assert committed(note, value="kept") == "kept"
        assert in_uow(notes) == ["kept"]
