"""/api/docs: Swagger UI offline, and one OpenAPI 3.1 document merged from every service's own."""

from __future__ import annotations

import json

from flask import Flask, jsonify

from gateway.app import create_gateway
from gateway.backends import HttpBackend, InProcessBackend
from gateway.openapi import downgrade_to_30, merge_documents

ERROR_A = {"type": "object", "properties": {"code": {"type": "integer"}}}
ERROR_B = {"type": "object", "properties": {"message": {"type": "string"}}}
PAGINATION = {"type": "object", "properties": {"total": {"type": "integer"}}}


def _document(paths: dict, schemas: dict, tag: str) -> dict:
    return {"openapi": "3.1.0", "info": {"title": tag, "version": "1"}, "paths": paths,
            "tags": [{"name": tag, "description": tag}], "components": {"schemas": schemas}}


def _op(ref: str | None = None) -> dict:
    response = {"description": "ok"}
    if ref:
        response["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
    return {"responses": {"200": response}}


AUTH = _document({"/api/v1/me": {"delete": _op("Error")}, "/api/v1/terms": {"get": _op("Error")}},
                 {"Error": ERROR_A, "PaginationMetadata": PAGINATION,
                  "Envelope": {"$ref": "#/components/schemas/Error"}},
                 "auth")
PROFILE = _document({"/api/v1/me": {"get": _op("Error")}, "/api/v1/me/profile": {"patch": _op("Envelope")}},
                    {"Error": ERROR_B, "PaginationMetadata": PAGINATION,
                     "Envelope": {"$ref": "#/components/schemas/Error"}},
                    "profile")
JOBS = _document({"/api/v1/jobs": {"get": _op("PaginationMetadata")},
                  "/api/v1/jobs/{job_number}": {"get": _op()}}, {"PaginationMetadata": PAGINATION}, "jobs")


def _merged() -> dict:
    return merge_documents({"auth": AUTH, "profile": PROFILE, "jobs": JOBS}, title="API", version="1")


def test_paths_are_merged_operation_by_operation():
    merged = _merged()
    assert merged["openapi"] == "3.1.0"
    assert set(merged["paths"]["/api/v1/me"]) == {"get", "delete"}
    expected = {"/api/v1/terms", "/api/v1/me/profile", "/api/v1/jobs", "/api/v1/jobs/{job_number}"}
    assert expected <= set(merged["paths"])


def test_identical_components_are_shared_and_colliding_ones_get_the_service_prefix():
    merged = _merged()
    schemas = merged["components"]["schemas"]
    assert schemas["Error"] == ERROR_A
    assert schemas["ProfileError"] == ERROR_B
    assert schemas["PaginationMetadata"] == PAGINATION
    assert "JobsPaginationMetadata" not in schemas
    profile_get = merged["paths"]["/api/v1/me"]["get"]["responses"]["200"]["content"]["application/json"]
    assert profile_get["schema"]["$ref"] == "#/components/schemas/ProfileError"
    auth_delete = merged["paths"]["/api/v1/me"]["delete"]["responses"]["200"]["content"]["application/json"]
    assert auth_delete["schema"]["$ref"] == "#/components/schemas/Error"


def test_a_component_referring_to_a_renamed_one_is_renamed_too():
    merged = _merged()
    schemas = merged["components"]["schemas"]
    assert schemas["Envelope"] == {"$ref": "#/components/schemas/Error"}
    assert schemas["ProfileEnvelope"] == {"$ref": "#/components/schemas/ProfileError"}
    patch = merged["paths"]["/api/v1/me/profile"]["patch"]["responses"]["200"]["content"]["application/json"]
    assert patch["schema"]["$ref"] == "#/components/schemas/ProfileEnvelope"


def test_every_ref_points_at_a_component_that_exists():
    merged = _merged()
    refs = []

    def walk(node):
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(merged)
    for ref in refs:
        _, _, section, name = ref.split("/")
        assert name in merged["components"][section], ref


def test_tags_are_merged_by_name():
    assert [tag["name"] for tag in _merged()["tags"]] == ["auth", "jobs", "profile"]


def test_the_bearer_scheme_is_added_and_required_where_the_routes_need_a_token():
    merged = _merged()
    assert merged["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert merged["components"]["securitySchemes"]["bearerAuth"]["bearerFormat"] == "JWT"
    assert merged["paths"]["/api/v1/me"]["get"]["security"] == [{"bearerAuth": []}]
    assert merged["paths"]["/api/v1/me/profile"]["patch"]["security"] == [{"bearerAuth": []}]
    assert merged["paths"]["/api/v1/jobs/{job_number}"]["get"]["security"] == [{}, {"bearerAuth": []}]
    assert "security" not in merged["paths"]["/api/v1/terms"]["get"]


def test_the_30_rendering_for_swagger_ui_has_no_31_only_constructs():
    schema = {"type": "object", "properties": {
        "name": {"type": ["string", "null"]},
        "kind": {"const": "x"},
        "either": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "count": {"type": "integer", "exclusiveMinimum": 0, "examples": [3]},
    }}
    document = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {"A": schema}}}
    rendered = downgrade_to_30(document)
    properties = rendered["components"]["schemas"]["A"]["properties"]
    assert rendered["openapi"] == "3.0.3"
    assert properties["name"] == {"type": "string", "nullable": True}
    assert properties["kind"] == {"enum": ["x"]}
    assert properties["either"] == {"type": "integer", "nullable": True}
    assert properties["count"] == {"type": "integer", "minimum": 0, "exclusiveMinimum": True, "example": 3}
    assert document["components"]["schemas"]["A"]["properties"]["name"]["type"] == ["string", "null"]


def _spec_app(document: dict) -> Flask:
    app = Flask("spec")

    @app.get("/openapi.json")
    def spec():
        return jsonify(document)

    return app


def test_the_gateway_serves_the_merged_document(settings):
    backends = {"auth": InProcessBackend("auth", _spec_app(AUTH)),
                "jobs": InProcessBackend("jobs", _spec_app(JOBS))}
    client = create_gateway(backends, settings).test_client()
    response = client.get("/api/docs/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.data)
    assert {"/api/v1/terms", "/api/v1/jobs"} <= set(document["paths"])
    assert "x-unavailable-services" not in document
    assert client.get("/api/docs/openapi-3.0.json").json["openapi"] == "3.0.3"


def test_a_service_that_is_down_is_left_out_of_the_document_and_named(settings, closed_port):
    backends = {"auth": InProcessBackend("auth", _spec_app(AUTH)),
                "jobs": HttpBackend("jobs", f"http://127.0.0.1:{closed_port()}", retries=0)}
    document = create_gateway(backends, settings).test_client().get("/api/docs/openapi.json").json
    assert "/api/v1/terms" in document["paths"]
    assert document["x-unavailable-services"] == ["jobs"]


def test_swagger_ui_is_served_offline_from_the_bundle(settings):
    client = create_gateway({}, settings).test_client()
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "/api/docs/swagger-ui-bundle.js" in html
    assert "https://" not in html  # no CDN
    assert client.get("/api/docs/").status_code == 200
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "init.js"):
        response = client.get(f"/api/docs/{asset}")
        assert response.status_code == 200, asset
        response.close()
    with client.get("/api/docs/init.js") as response:
        init = response.get_data(as_text=True)
    assert "validatorUrl: null" in init and "/api/docs/openapi-3.0.json" in init


def test_only_the_bundles_own_files_are_served(settings):
    client = create_gateway({}, settings).test_client()
    for path, status in (("/api/docs/index.html", 404), ("/api/docs/..%2F..%2F__init__.py", 400)):
        response = client.get(path)
        assert response.status_code == status
        assert response.mimetype == "application/problem+json"
