"""Issue 13 items 6–7: the released event schemas and API document (contracts/released/) cannot break silently.

The code's catalogue and the gateway's served /api/docs/openapi.json must match what was released
(`make contracts` releases what changed compatibly); a breaking change — shown here on schemas broken
on purpose — fails unless it is a new major version. Every API operation has a stable operationId.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
from marshmallow import fields

from contracts.catalogue import build_catalogue, render_yaml
from contracts.compat import api_breaking_changes, schema_breaking_changes
from contracts.release import (
    EVENTS_DIR,
    api_unreleased,
    catalogued_events,
    event_breaking_changes,
    load_released_events,
    load_released_openapi,
    release_api,
    release_events,
    served_openapi,
)
from gateway.operation_ids import OPERATION_IDS
from kit.events import EventSpec

HTTP_METHODS = ("get", "put", "post", "delete", "patch")
OPERATION_ID = re.compile(r"^[a-z][a-zA-Z]+$")  # camelCase: searchJobs, addFavourite


@pytest.fixture(scope="module")
def served() -> dict:
    """The document the gateway serves at /api/docs/openapi.json (every service's app, in process)."""
    return served_openapi()


@pytest.fixture(scope="module")
def released_api() -> dict:
    document = load_released_openapi()
    assert document is not None, "contracts/released/openapi.json is missing: run `make contracts`"
    return document


def _operations(document: dict) -> dict[tuple[str, str], dict]:
    return {(method.upper(), path): item[method] for path, item in document["paths"].items()
            for method in HTTP_METHODS if method in item}


# -- what the code serves and publishes matches what was released ----------------------------------

def test_issue13_the_catalogue_matches_the_released_event_schemas():
    problems, written = release_events(check=True)
    assert written == []
    assert problems == [], "\n".join(["run `make contracts` (or see what breaks):", *problems])


def test_issue13_the_served_api_matches_the_released_document(served):
    problems, written = release_api(served, check=True)
    assert written == []
    assert problems == [], "\n".join(["run `make contracts` (or see what breaks):", *problems])


def test_issue13_every_catalogued_event_type_is_released_and_every_released_one_is_still_published():
    released, current = load_released_events(), catalogued_events()
    assert sorted(released) == sorted(current)
    assert all(name.rsplit(".", 1)[1].startswith("v") for name in released)  # one file per type and major


def test_issue13_every_api_operation_has_a_stable_meaningful_unique_operation_id(served):
    operations = _operations(served)
    names = {key: operation.get("operationId") for key, operation in operations.items()}
    unnamed = sorted(key for key, name in names.items() if not name)
    assert unnamed == [], f"add these operations to gateway/operation_ids.py: {unnamed}"
    assert all(OPERATION_ID.match(name) for name in names.values()), names
    assert len(set(names.values())) == len(names), "an operationId is used twice"
    mapped = {(method, f"/api/v1{path}") for method, path in OPERATION_IDS}
    assert mapped - set(operations) == set(), "gateway/operation_ids.py names operations that do not exist"
    assert (names[("GET", "/api/v1/jobs")], names[("GET", "/api/v1/jobs/{job_number}")],
            names[("PUT", "/api/v1/me/favourites/{job_number}")]) == ("searchJobs", "getJob", "addFavourite")


# -- event schemas: what breaks and what does not --------------------------------------------------

@pytest.fixture
def favourite_added() -> dict:
    """The released schema of jobs.favourite.added.v1 (data: job_number and seeker_id, both required)."""
    return load_released_events()["jobs.favourite.added.v1"]


def _data(schema: dict) -> dict:
    return schema["properties"]["data"]


def _event_changes(old: dict, new: dict) -> list[str]:
    return event_breaking_changes({"jobs.favourite.added.v1": old}, {"jobs.favourite.added.v1": new})


def test_issue13_adding_an_optional_field_or_a_description_to_an_event_is_compatible(favourite_added):
    new = copy.deepcopy(favourite_added)
    _data(new)["properties"]["office_code"] = {"type": "string", "pattern": r"^\d{5}$"}
    _data(new)["properties"]["seeker_id"]["description"] = "reworded"
    assert _event_changes(favourite_added, new) == []


def test_issue13_a_removed_retyped_or_newly_required_event_field_breaks_the_released_type(favourite_added):
    removed = copy.deepcopy(favourite_added)
    del _data(removed)["properties"]["job_number"]
    _data(removed)["required"].remove("job_number")
    assert _event_changes(favourite_added, removed) == ["jobs.favourite.added.v1: data.job_number: removed"]

    retyped = copy.deepcopy(favourite_added)
    _data(retyped)["properties"]["seeker_id"] = {"type": "integer"}
    assert _event_changes(favourite_added, retyped) == [
        "jobs.favourite.added.v1: data.seeker_id: type string became integer (readers get values they do not expect)"]

    required = copy.deepcopy(favourite_added)
    _data(required)["properties"]["office_code"] = {"type": "string"}
    _data(required)["required"].append("office_code")
    assert _event_changes(favourite_added, required) == [
        "jobs.favourite.added.v1: data.office_code: a new required field"]

    optional = copy.deepcopy(favourite_added)
    _data(optional)["required"].remove("seeker_id")
    assert _event_changes(favourite_added, optional) == [
        "jobs.favourite.added.v1: data.seeker_id: no longer required (readers may not get it)"]


def test_issue13_a_released_event_type_no_longer_published_breaks_its_subscribers(favourite_added):
    lines = event_breaking_changes({"jobs.favourite.added.v1": favourite_added}, {})
    assert len(lines) == 1 and "released but no longer in the catalogue" in lines[0]


def test_issue13_nested_fields_and_enum_values_are_compared_too():
    old = {"type": "object", "properties": {"office": {"type": "object", "properties": {
        "code": {"type": "string"}, "kind": {"enum": ["a", "b"]}}, "required": ["code"]}}}
    new = copy.deepcopy(old)
    del new["properties"]["office"]["properties"]["code"]
    new["properties"]["office"]["properties"]["kind"]["enum"] = ["a", "b", "c"]
    assert schema_breaking_changes(old, new, "data", reads=True, writes=True) == [
        "data.office.code: removed", "data.office.kind: new enum values ['c'] (readers do not know them)"]


@pytest.fixture
def broken_catalogue(tmp_path: Path, synthetic_spec, synthetic_catalogue) -> tuple[Path, Path, EventSpec]:
    """The synthetic type released with an integer `favourites`, then broken on purpose: its catalogue
    now says text. (the broken catalogue, the released events directory, the broken spec)"""
    events_dir = tmp_path / "released" / "events"
    assert release_events(catalogue_path=synthetic_catalogue, events_dir=events_dir) == (
        [], [events_dir / f"{synthetic_spec.type}.json"])
    retyped = type("RetypedSchema", (synthetic_spec.schema,), {"favourites": fields.String(required=True)})
    broken = EventSpec(synthetic_spec.type, retyped, synthetic_spec.summary)
    synthetic_catalogue.write_text(render_yaml(build_catalogue([broken])), encoding="utf-8")
    return synthetic_catalogue, events_dir, broken


def test_issue13_the_check_fails_on_a_deliberately_broken_event_schema_and_release_refuses_it(
        broken_catalogue, synthetic_spec):
    catalogue, events_dir, broken = broken_catalogue
    released_file = events_dir / f"{synthetic_spec.type}.json"
    before = released_file.read_text(encoding="utf-8")
    expected = [f"{synthetic_spec.type}: data.favourites: type integer became string "
                "(readers get values they do not expect)"]
    assert release_events(catalogue_path=catalogue, events_dir=events_dir, check=True) == (expected, [])
    assert release_events(catalogue_path=catalogue, events_dir=events_dir) == (expected, [])
    assert released_file.read_text(encoding="utf-8") == before  # never released over

    # the way out: a new major version beside the old one
    v2 = EventSpec(synthetic_spec.type.replace(".v1", ".v2"), broken.schema, broken.summary)
    catalogue.write_text(render_yaml(build_catalogue([synthetic_spec, v2])), encoding="utf-8")
    assert release_events(catalogue_path=catalogue, events_dir=events_dir) == (
        [], [events_dir / f"{v2.type}.json"])
    assert release_events(catalogue_path=catalogue, events_dir=events_dir, check=True) == ([], [])


def test_issue13_a_released_event_schema_accepts_what_the_catalogue_example_shows_plus_a_field_added_later():
    from jsonschema import Draft202012Validator

    schema = json.loads((EVENTS_DIR / "profile.seeker.registered.v1.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    example = {"specversion": "1.0", "id": "e-1", "type": "profile.seeker.registered.v1", "source": "/mypage/profile",
               "time": "2026-11-26T09:00:00Z", "datacontenttype": "application/json",
               "data": {"seeker_id": "s-1", "seeker_number": "11040-12345678", "email": "a@example.jp",
                        "birth_date": "1990-04-01", "added_later": "ignored by subscribers"}}
    assert list(Draft202012Validator(schema).iter_errors(example)) == []
    del example["data"]["seeker_number"]
    assert [error.message for error in Draft202012Validator(schema).iter_errors(example)] == [
        "'seeker_number' is a required property"]


# -- the API document: what breaks and what does not -----------------------------------------------

@pytest.fixture
def broken_api(released_api) -> dict:
    """The released API document broken on purpose in four ways a mobile client would notice."""
    broken = copy.deepcopy(released_api)
    del broken["paths"]["/api/v1/me/favourites/{job_number}"]["delete"]  # an operation removed
    search = broken["paths"]["/api/v1/jobs"]["get"]
    search["parameters"].append({"name": "office", "in": "query", "required": True, "schema": {"type": "string"}})
    login = broken["components"]["schemas"]["Login"]
    login["properties"]["terminal"] = {"type": "string"}
    login["required"].append("terminal")  # a new required request field
    del broken["components"]["schemas"]["JobDetail"]["properties"]["title"]  # a response field removed
    return broken


def test_issue13_the_check_fails_on_a_deliberately_broken_api_document(released_api, broken_api):
    assert api_breaking_changes(released_api, released_api) == []
    lines = api_breaking_changes(released_api, broken_api)
    assert "DELETE /api/v1/me/favourites/{job_number}: removed" in lines
    assert "GET /api/v1/jobs: a new required query parameter office" in lines
    assert "POST /api/v1/auth/login: request terminal: a new required field" in lines
    assert "GET /api/v1/jobs/{job_number}: response 200 title: removed" in lines
    # the released document's operations that show a JobDetail all say so
    assert all(line.endswith(": removed") or "terminal" in line or "office" in line for line in lines), lines


def test_issue13_a_breaking_api_change_is_released_only_with_a_new_major_version(released_api, broken_api, tmp_path):
    released_file = tmp_path / "openapi.json"
    released_file.write_text(json.dumps(released_api), encoding="utf-8")
    problems, written = release_api(broken_api, openapi_path=released_file)
    assert "API DELETE /api/v1/me/favourites/{job_number}: removed — or release it as version 2.0.0 " \
           "(gateway/docs.py VERSION)" in problems
    assert written == [] and json.loads(released_file.read_text(encoding="utf-8")) == released_api
    broken_api["info"]["version"] = "2.0.0"
    assert api_breaking_changes(released_api, broken_api) == []
    assert release_api(broken_api, openapi_path=released_file) == ([], [released_file])


def test_issue13_an_optional_parameter_or_response_field_added_to_the_api_is_compatible(released_api):
    added = copy.deepcopy(released_api)
    added["paths"]["/api/v1/jobs"]["get"]["parameters"].append(
        {"name": "station", "in": "query", "schema": {"type": "string"}})
    added["components"]["schemas"]["JobDetail"]["properties"]["station"] = {"type": ["string", "null"]}
    added["components"]["schemas"]["Login"]["properties"]["note"] = {"type": "string"}
    assert api_breaking_changes(released_api, added) == []
    unreleased = api_unreleased(released_api, added)  # compatible, but `make contracts` has to release it
    assert {"not released yet: GET /api/v1/jobs: query parameter station is new",
            "not released yet: POST /api/v1/auth/login: request note is new",
            "not released yet: GET /api/v1/jobs/{job_number}: response 200 station is new"} <= set(unreleased)
    assert all(line.endswith(" is new") for line in unreleased), unreleased
    renamed = copy.deepcopy(released_api)
    renamed["paths"]["/api/v1/jobs"]["get"]["operationId"] = "getJobs"
    assert api_breaking_changes(released_api, renamed) == [
        "GET /api/v1/jobs: operationId 'searchJobs' became 'getJobs'"]
