"""E1: the marshmallow → JSON Schema converter says what the payload schema says, or refuses."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from marshmallow import Schema, fields
from marshmallow.validate import Equal, Length, OneOf, Range, Regexp

from contracts import ContractError
from contracts.convert import field_to_json_schema, schema_to_json_schema
from contracts.samples import sample_from_pattern, sample_value


@pytest.mark.parametrize(("field", "expected"), [
    (fields.String(), {"type": "string"}),
    (fields.String(validate=Length(equal=5)), {"type": "string", "minLength": 5, "maxLength": 5}),
    (fields.Integer(validate=Range(min=1, max=10, max_inclusive=False)),
     {"type": "integer", "minimum": 1, "exclusiveMaximum": 10}),
    (fields.Float(), {"type": "number"}),
    (fields.Decimal(as_string=True), {"type": "string"}),
    (fields.Boolean(), {"type": "boolean"}),
    (fields.Date(), {"type": "string", "format": "date"}),
    (fields.DateTime(), {"type": "string", "format": "date-time"}),
    (fields.DateTime(format="timestamp"), {"type": "number"}),
    (fields.Email(), {"type": "string", "format": "email"}),
    (fields.UUID(), {"type": "string", "format": "uuid"}),
    (fields.Url(), {"type": "string", "format": "uri"}),
    (fields.List(fields.Integer(), validate=Length(min=1)), {"type": "array", "items": {"type": "integer"},
                                                             "minItems": 1}),
    (fields.Dict(), {"type": "object", "additionalProperties": True}),
    (fields.String(validate=OneOf(["b", "a"])), {"type": "string", "enum": ["a", "b"]}),
    (fields.String(validate=Equal("x")), {"type": "string", "const": "x"}),
    (fields.String(validate=Regexp(r"\d+$")), {"type": "string", "pattern": r"^(?:\d+$)"}),
    (fields.String(allow_none=True), {"type": ["string", "null"]}),
    (fields.Constant("v1", allow_none=True), {"anyOf": [{"const": "v1"}, {"type": "null"}]}),
    (fields.String(metadata={"description": "求職番号", "example": "11040-12345678"}),
     {"type": "string", "description": "求職番号", "examples": ["11040-12345678"]}),
    (fields.Method("x", metadata={"json_schema": {"type": "string", "format": "date"}}),
     {"type": "string", "format": "date"}),
])
def test_each_field_kind_maps_to_its_json_schema(field, expected):
    schema = field_to_json_schema(field)
    assert schema == expected
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("field", [
    fields.Method("x"),
    fields.Pluck("Schema", "id"),
    fields.Tuple((fields.String(),)),
    fields.String(validate=Regexp("abc", flags=re.IGNORECASE)),
    fields.String(validate=Range(min=1)),
])
def test_a_field_the_catalogue_cannot_describe_is_refused(field):
    with pytest.raises(ContractError):
        field_to_json_schema(field)


def test_a_recursive_schema_is_refused_not_looped():
    class Node(Schema):
        child = fields.Nested(lambda: Node())

    with pytest.raises(ContractError, match="recursive"):
        schema_to_json_schema(Node)


def test_samples_satisfy_their_schema():
    class Payload(Schema):
        code = fields.String(required=True, validate=Regexp(r"^[A-Z]{2}\d{3,}(-[a-z]+)?$"))
        count = fields.Integer(validate=Range(min=5, max=7))
        ratio = fields.Float(validate=Range(min=0, max=1, min_inclusive=False, max_inclusive=False))
        name = fields.String(validate=Length(min=12, max=20))
        labels = fields.Dict(keys=fields.String(), values=fields.Integer(), validate=Length(min=2))

    schema = schema_to_json_schema(Payload)
    sample = sample_value(schema)
    assert not list(Draft202012Validator(schema).iter_errors(sample))
    assert Payload().validate(sample) == {}


def test_a_pattern_without_a_sample_asks_for_an_example():
    with pytest.raises(ContractError, match="example"):
        sample_from_pattern(r"^(?!0)\d+$")
