"""E3/R3: every event type that carries personal data is flagged `personal_data`, and each has a reader.

A flagged type is never copied into `mypage.archive`, where erasure could not reach it. What counts
(issue 10): a 求職番号, a login email or birth date, desired conditions (希望条件), a `public_ref` (it
links the anonymous profile employers see to the seeker) and a no-show (面接不参加) or the restriction
it led to. A flagged type needs a subscriber: a service's SUBSCRIPTIONS, or it is `outside_only` (read
by other Hello Work systems only) and the discard queue routes it while none is bound.
"""

from __future__ import annotations

import importlib

import pytest
from marshmallow import Schema, fields

from contracts.catalogue import discover
from kit.events import EventSpec
from kit.settings import SERVICES

PERSONAL_FIELDS = {"seeker_number", "email", "birth_date", "desired", "public_ref", "interview_date"}
NO_SHOW_TYPES = {"jobs.no_show.reported.v1", "jobs.seeker.restricted.v1", "jobs.seeker.restriction_lifted.v1"}
PUBLISHED = discover()


def _field_names(schema: type[Schema]) -> set[str]:
    """Every field name of a payload, nested schemas included."""
    names = set()
    for name, field in schema._declared_fields.items():
        names.add(name)
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested) and isinstance(inner.nested, type):
            names |= _field_names(inner.nested)
    return names


def _personal(spec: EventSpec) -> set[str]:
    found = _field_names(spec.schema) & PERSONAL_FIELDS
    return found | ({"no-show"} if spec.type in NO_SHOW_TYPES else set())


def _subscribed() -> set[str]:
    return {key for service in SERVICES
            for key in importlib.import_module(f"services.{service}.handlers").SUBSCRIPTIONS}


def test_e3_every_type_with_personal_fields_is_flagged_personal_data():
    unflagged = {spec.type: sorted(_personal(spec)) for spec in PUBLISHED if _personal(spec) and not spec.personal_data}
    assert not unflagged, f"carry personal data but would be archived: {unflagged}"


@pytest.mark.parametrize("event_type", ["profile.registration.validated.v1", "profile.seeker.confirmed.v1",
                                        "profile.desired_conditions.changed.v1", "profile.disclosure.changed.v1",
                                        "jobs.no_show.reported.v1", "jobs.seeker.restricted.v1"])
def test_e3_the_types_issue_10_named_are_flagged(event_type):
    assert {spec.type: spec for spec in PUBLISHED}[event_type].personal_data


def test_e3_the_walk_sees_nested_and_listed_fields():
    class Inner(Schema):
        public_ref = fields.String()

    class Outer(Schema):
        seeker_id = fields.String()
        refs = fields.List(fields.Nested(Inner))

    assert _field_names(Outer) == {"seeker_id", "refs", "public_ref"}


def test_r3_every_personal_data_type_has_a_subscriber_inside_or_is_outside_only():
    subscribed = _subscribed()
    unread = [spec.type for spec in PUBLISHED if spec.personal_data and not spec.outside_only
              and spec.type not in subscribed]
    assert not unread, f"personal-data types nobody here reads; the relay would retry them forever: {unread}"


def test_r3_no_outside_only_type_is_read_inside():
    """The discard queue routes an outside-only type even when no queue of ours is bound yet: a type a
    service here reads must not be outside-only, or an event published before that service's queue
    exists would be dropped instead of retried."""
    subscribed = _subscribed()
    assert not [spec.type for spec in PUBLISHED if spec.outside_only and spec.type in subscribed]


def test_e3_outside_only_is_for_personal_data_types_only():
    with pytest.raises(ValueError, match="outside_only is for personal-data types"):
        EventSpec("jobs.thing.done.v1", Schema, "A thing was done.", outside_only=True)
