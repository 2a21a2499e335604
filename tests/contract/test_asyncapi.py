"""E1: contracts/asyncapi.yaml documents exactly what the services publish, and is valid AsyncAPI 3."""

from __future__ import annotations

import copy
import json
import sys
import types
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, Draft202012Validator
from marshmallow import fields

from contracts import ContractError, validate_event
from contracts.catalogue import (
    CATALOGUE_PATH,
    SCHEMAS_DIR,
    build_catalogue,
    compare,
    data_schema,
    discover,
    load_catalogue,
    render_files,
)
from contracts.generate import main as generate_main
from contracts.generate import stale_files
from kit.events import Event, EventSpec
from kit.settings import SERVICES

ASYNCAPI_META_SCHEMA = Path(__file__).parent / "asyncapi-3.0.0.schema.json"
PUBLISHED = discover()


# (a) the checked-in catalogue is what the code generates ----------------------------------------

def test_e1_checked_in_catalogue_equals_what_the_code_publishes():
    differences = compare(load_catalogue(), PUBLISHED)
    stale = stale_files(render_files(PUBLISHED))
    assert not differences and not stale, (
        "contracts/ is stale — run `make contracts` and commit it.\n"
        + "\n".join(f"  - {line}" for line in differences)
        + "\n  files: " + ", ".join(sorted(path.name for path in stale))
    )


def test_e1_every_published_type_has_its_payload_schema_file():
    on_disk = {path.name for path in SCHEMAS_DIR.glob("*.json")} if SCHEMAS_DIR.is_dir() else set()
    assert on_disk == {f"{spec.type}.json" for spec in PUBLISHED}


def test_e1_generate_check_fails_with_a_readable_diff_when_code_publishes_more(
        monkeypatch, capsys, synthetic_spec):
    monkeypatch.setattr("contracts.generate.discover", lambda: [*PUBLISHED, synthetic_spec])
    assert generate_main(["--check"]) == 1
    err = capsys.readouterr().err
    assert "jobs.synthetic.checked.v1: published by code but missing from the catalogue" in err
    assert "+++ contracts/asyncapi.yaml (from code)" in err
    assert "contracts/schemas/jobs.synthetic.checked.v1.json" in err


def test_e1_generate_check_passes_on_the_checked_in_files(capsys):
    assert generate_main(["--check"]) == 0


def test_the_generated_text_is_deterministic_and_sorted(synthetic_spec):
    assert render_files([synthetic_spec]) == render_files([synthetic_spec])
    data = data_schema(synthetic_spec)
    assert list(data["properties"]) == sorted(data["properties"])
    assert "jobNumber" in data["properties"]  # the data_key, as on the wire


# (b) structurally valid AsyncAPI 3 ----------------------------------------------------------------

def _resolve(document: dict, ref: str):
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        assert isinstance(node, dict) and part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


@pytest.fixture(params=["checked-in", "synthetic"])
def document(request, synthetic_spec) -> dict:
    if request.param == "checked-in":
        return load_catalogue()
    return build_catalogue([*PUBLISHED, synthetic_spec])


def test_e1_catalogue_validates_against_the_official_asyncapi_3_schema(document):
    validator = Draft7Validator(json.loads(ASYNCAPI_META_SCHEMA.read_text(encoding="utf-8")))
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:200]}"
              for error in validator.iter_errors(document)]
    assert not errors, "\n".join(errors)


def test_e1_catalogue_has_the_required_asyncapi_3_structure(document):
    assert document["asyncapi"] == "3.0.0"
    assert document["info"]["title"] == "ハローワーク 求職者マイページ — events"
    assert document["info"]["version"]
    assert document["servers"]["production"]["protocol"] == "amqp"
    for name, channel in document["channels"].items():
        assert channel["address"] == name
        assert channel["bindings"]["amqp"]["exchange"] == {
            "name": "mypage.events", "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"}
        for message_ref in channel["messages"].values():
            assert _resolve(document, message_ref["$ref"])["name"] == name
    assert len(document["operations"]) == len(document["channels"])
    received = {spec.type: spec for spec in PUBLISHED if spec.received}
    for name, operation in document["operations"].items():
        channel = _resolve(document, operation["channel"]["$ref"])
        address = channel["address"]
        # what the services publish is sent; what another Hello Work system publishes (J1's employer
        # postings) is received, tagged with that system and the services that read it
        assert operation["action"] == ("receive" if address in received else "send")
        assert name == f"{address}.{operation['action']}"
        assert operation["tags"][0] == {"name": address.split(".")[0]}
        if address in received:
            assert operation["tags"][1:] == [{"name": "jobs"}]
            source = _resolve(document, f"#/components/messages/{address}")["payload"]["properties"]["source"]
            assert source["pattern"] == received[address].source_pattern
        else:
            assert len(operation["tags"]) == 1
        for message_ref in operation["messages"]:
            # AsyncAPI 3: an operation's messages must be messages of its channel.
            assert message_ref["$ref"].startswith(operation["channel"]["$ref"] + "/messages/")
            _resolve(document, message_ref["$ref"])


def test_e1_every_message_payload_is_valid_json_schema(document):
    for name, message in document["components"]["messages"].items():
        payload = message["payload"]
        Draft202012Validator.check_schema(payload)
        Draft7Validator.check_schema(payload)  # AsyncAPI's default schema format is a Draft 07 superset
        data = payload["properties"]["data"]
        # what a service publishes never has a key the catalogue lacks; a posting the employer-side system
        # sends may carry extras (J1: kept in the posting's details)
        received = name.split(".")[0] not in SERVICES
        assert data["additionalProperties"] is received, name
        assert payload["properties"]["type"] == {"const": name, "description": payload["properties"]["type"][
            "description"]}


def test_e1_every_payload_schema_file_is_valid_draft_2020_12():
    for path in SCHEMAS_DIR.glob("*.json") if SCHEMAS_DIR.is_dir() else []:
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# (c) a sample event of each type validates against the catalogue ---------------------------------

@pytest.mark.parametrize("spec", PUBLISHED, ids=lambda spec: spec.type)
def test_e1_a_sample_of_each_published_type_validates(spec: EventSpec, tmp_path):
    """Against the catalogue the code generates (whether it is checked in is test (a)'s business)."""
    path = tmp_path / "asyncapi.yaml"
    path.write_text(render_files(PUBLISHED)[CATALOGUE_PATH], encoding="utf-8")
    _check_round_trip(spec, load_catalogue(path), path)


def test_e1_a_sample_of_the_synthetic_type_validates(synthetic_spec, synthetic_catalogue):
    _check_round_trip(synthetic_spec, load_catalogue(synthetic_catalogue), synthetic_catalogue)


def _check_round_trip(spec: EventSpec, catalogue: dict, path: Path) -> None:
    """The catalogue's example is accepted by the code's schema, and what the code dumps from it
    (wrapped in a real Event) is accepted by the catalogue: the two describe the same payload."""
    example = catalogue["components"]["messages"][spec.type]["examples"][0]["payload"]
    validate_event(example, catalogue=path)
    data = spec.payload(example["data"])
    source = spec.source_example if spec.received else f"/mypage/{spec.service}"
    event = Event(type=spec.type, data=data, source=source, subject="seeker-1", correlationid="request-1")
    validate_event(event.to_dict(), catalogue=path)
    validate_event(event.to_json(), catalogue=path)  # the wire body, as the relay publishes it
    validate_event(event, catalogue=path)


# (d) a type or field the catalogue lacks is detected -----------------------------------------------

def _variant(spec: EventSpec, **attributes) -> EventSpec:
    """`spec` published with a changed schema: extra/changed fields, or a Meta that excludes some."""
    return EventSpec(spec.type, type("Changed", (spec.schema,), attributes), spec.summary)


def test_e1_a_type_the_catalogue_lacks_is_detected(synthetic_spec):
    assert compare(build_catalogue([]), [synthetic_spec]) == [
        "jobs.synthetic.checked.v1: published by code but missing from the catalogue"]


def test_e1_a_type_no_service_publishes_any_more_is_detected(synthetic_spec):
    assert compare(build_catalogue([synthetic_spec]), []) == [
        "jobs.synthetic.checked.v1: in the catalogue but no service publishes it"]


def test_e1_a_field_the_catalogue_lacks_is_detected(synthetic_spec):
    code = _variant(synthetic_spec, referral_letter=fields.String())
    assert compare(build_catalogue([synthetic_spec]), [code]) == [
        "jobs.synthetic.checked.v1: field data.referral_letter is published by code "
        "but missing from the catalogue"]


def test_e1_a_catalogued_field_the_code_no_longer_publishes_is_detected(synthetic_spec):
    code = _variant(synthetic_spec, Meta=type("Meta", (), {"exclude": ("email",)}))
    assert compare(build_catalogue([synthetic_spec]), [code]) == [
        "jobs.synthetic.checked.v1: field data.email is in the catalogue but code does not publish it"]


def test_e1_a_changed_field_and_a_nested_field_are_detected(synthetic_spec):
    catalogue = build_catalogue([synthetic_spec])
    documented = catalogue["components"]["messages"][synthetic_spec.type]["payload"]["properties"]["data"]
    del documented["properties"]["office"]["properties"]["name"]
    code = _variant(synthetic_spec, favourites=fields.String(required=True))
    differences = compare(catalogue, [code])
    assert ("jobs.synthetic.checked.v1: field data.office.name is published by code "
            "but missing from the catalogue") in differences
    assert any(line.startswith("jobs.synthetic.checked.v1: data.favourites type: code says 'string'")
               for line in differences), differences


def test_e1_identical_code_and_catalogue_show_no_difference(synthetic_spec):
    assert compare(build_catalogue([synthetic_spec]), [synthetic_spec]) == []


def test_e1_validate_event_refuses_an_uncatalogued_type(synthetic_catalogue):
    event = Event(type="jobs.synthetic.forgotten.v1", data={}, source="/mypage/jobs")
    with pytest.raises(ContractError, match="not in the catalogue"):
        validate_event(event.to_dict(), catalogue=synthetic_catalogue)


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda e: e["data"].update(referral_letter="x"), "Additional properties are not allowed"),
    (lambda e: e["data"]["office"].update(phone="048"), "data/office: Additional properties"),
    (lambda e: e["data"].pop("favourites"), "'favourites' is a required property"),
    (lambda e: e["data"].update(favourites=301), "data/favourites: 301 is greater than the maximum of 300"),
    (lambda e: e["data"].update(occurred_at="2024-04-01T09:00:00"),  # no offset: not RFC 3339
     "data/occurred_at: '2024-04-01T09:00:00' is not a 'date-time'"),
    (lambda e: e["data"].update(jobNumber="1104000000301"), "data/jobNumber: '1104000000301' does not match"),
    (lambda e: e["data"].update(seeker_id="not-a-uuid"), "data/seeker_id: 'not-a-uuid' is not a 'uuid'"),
    (lambda e: e["data"].update(grade="general"), "data/grade: 'general' is not one of"),
    (lambda e: e.update(source="/mypage/auth"), "source: '/mypage/jobs' was expected"),
    (lambda e: e.update(extension="x"), "(envelope): Additional properties are not allowed"),
    (lambda e: e.pop("time"), "'time' is a required property"),
])
def test_e1_validate_event_names_what_breaks_the_contract(synthetic_spec, synthetic_catalogue, change,
                                                          complaint):
    message = load_catalogue(synthetic_catalogue)["components"]["messages"][synthetic_spec.type]
    envelope = copy.deepcopy(message["examples"][0]["payload"])
    change(envelope)
    with pytest.raises(ContractError) as raised:
        validate_event(envelope, catalogue=synthetic_catalogue)
    assert complaint in str(raised.value)


# discovery -----------------------------------------------------------------------------------------

def test_discover_skips_a_service_without_an_events_module():
    assert discover(["nosuchservice"]) == []


def test_discover_refuses_a_type_published_under_another_services_name(monkeypatch, synthetic_spec):
    module = types.ModuleType("services.fake.events")
    module.PUBLISHES = [synthetic_spec]
    monkeypatch.setitem(sys.modules, "services.fake.events", module)
    with pytest.raises(ContractError, match="not a fake.\\* type"):
        discover(["fake"])


def test_discover_refuses_a_type_declared_twice(monkeypatch, synthetic_spec):
    module = types.ModuleType("services.fake.events")
    module.PUBLISHES = [EventSpec("fake.thing.done.v1", synthetic_spec.schema, "x")] * 2
    monkeypatch.setitem(sys.modules, "services.fake.events", module)
    with pytest.raises(ContractError, match="declared twice"):
        discover(["fake"])


def test_discover_tolerates_an_empty_publishes_list(monkeypatch):
    module = types.ModuleType("services.fake.events")
    module.PUBLISHES = []
    monkeypatch.setitem(sys.modules, "services.fake.events", module)
    assert discover(["fake"]) == []


def test_data_schema_leaves_load_only_fields_out(synthetic_spec):
    assert "internal_note" not in data_schema(synthetic_spec)["properties"]
