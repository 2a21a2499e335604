"""Fixtures of the contract tests: a synthetic event type using every supported field kind.

The services may publish few types (or none yet); the synthetic one makes sure every check
here runs against a rich payload regardless.
"""

from __future__ import annotations

import enum
from pathlib import Path

import pytest
from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range, Regexp

from contracts.catalogue import build_catalogue, render_yaml
from kit.events import EventSpec


class Grade(enum.Enum):
    GENERAL = "general"
    PART_TIME = "part_time"


class OfficeSchema(Schema):
    office_code = fields.String(required=True, validate=Regexp(r"\d{5}"), metadata={"example": "11040"})
    name = fields.String(validate=Length(max=40), metadata={"description": "安定所名"})


class SyntheticSchema(Schema):
    seeker_id = fields.UUID(required=True, metadata={"description": "Opaque seeker id."})
    email = fields.Email()
    favourites = fields.Integer(required=True, validate=Range(min=0, max=300))
    ratio = fields.Float(validate=Range(min=0, max=1, min_inclusive=False))
    active = fields.Boolean(load_default=False)
    born_on = fields.Date()
    occurred_at = fields.DateTime(required=True)
    tags = fields.List(fields.String(validate=Length(min=1)), validate=Length(max=3))
    office = fields.Nested(OfficeSchema, required=True)
    offices = fields.Nested(OfficeSchema, many=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    grade = fields.Enum(Grade)
    grade_value = fields.Enum(Grade, by_value=True)
    status = fields.String(validate=OneOf(["active", "restricted"]), allow_none=True)
    job_number = fields.String(data_key="jobNumber", validate=Regexp(r"\d{5}-\d{8}"),
                               metadata={"example": "11040-00000301"})
    internal_note = fields.String(load_only=True)  # never dumped, so never on the wire


SYNTHETIC = EventSpec("jobs.synthetic.checked.v1", SyntheticSchema,
                      "A synthetic event the contract tests publish.")


@pytest.fixture
def synthetic_spec() -> EventSpec:
    return SYNTHETIC


@pytest.fixture
def synthetic_catalogue(tmp_path: Path) -> Path:
    """A catalogue file documenting only the synthetic type."""
    path = tmp_path / "asyncapi.yaml"
    path.write_text(render_yaml(build_catalogue([SYNTHETIC])), encoding="utf-8")
    return path
