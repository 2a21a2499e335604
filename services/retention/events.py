"""The events the retention service publishes (the AsyncAPI catalogue is generated from PUBLISHES).

- `retention.erasure.requested.v1` (R3): auth, profile, jobs and messaging each erase the seeker
  and answer `<service>.erasure.completed.v1` (kit.erasure). It carries the opaque seeker id —
  personal data for erasure purposes, so it is never kept in the broker's archive (it always has
  the four internal subscribers). A retry is a new event with the same `erasure_id`, naming only
  the services that have not confirmed (`services`). Once all four confirmed round 1, a final
  round 2 asks all four again after `MYPAGE_RETENTION_ERASURE_FINAL_ROUND_SECONDS`.
- `retention.erasure.completed.v1` (R3): every service confirmed; the audit facts, no seeker id.
"""

from marshmallow import Schema, fields, validate

from kit.erasure import REASONS, SAGA_SERVICES
from kit.events import EventSpec


def _erasure_id():
    return fields.String(required=True, validate=validate.Length(min=1, max=36),
                         metadata={"description": "the erasure (random; the services' confirmations name it)"})


def _reason():
    return fields.String(required=True, validate=validate.OneOf(REASONS),
                         metadata={"description": "withdrawal: 退会 (A9); retention_5y: five years after the "
                                                  "registration became invalid (R2)"})


class ErasureRequestedPayload(Schema):
    """R3: erase every row holding this seeker id, then confirm with `<service>.erasure.completed.v1`."""

    erasure_id = _erasure_id()
    seeker_id = fields.String(required=True, validate=validate.Length(min=1, max=36),
                              metadata={"description": "the opaque seeker id to erase"})
    reason = _reason()
    services = fields.List(fields.String(validate=validate.OneOf(SAGA_SERVICES)), required=True,
                           validate=validate.Length(min=1),
                           metadata={"description": "the services asked: all four at first, on a retry only "
                                                    "those that have not confirmed; others ignore it"})
    round = fields.Integer(required=True, validate=validate.Range(min=1, max=2),
                           metadata={"description": "1, then the final round 2 (all four again, some time after "
                                                    "round 1 completed: it erases rows a late event made again)"})


class ErasureFinishedPayload(Schema):
    """R3: the audit entry of a finished erasure — no seeker id, no personal data."""

    erasure_id = _erasure_id()
    reason = _reason()
    requested_at = fields.AwareDateTime(required=True)
    completed_at = fields.AwareDateTime(required=True, metadata={"description": "the last confirmation arrived"})
    rows_erased = fields.Dict(keys=fields.String(validate=validate.OneOf(SAGA_SERVICES)), values=fields.Integer(),
                              required=True, metadata={"description": "rows erased per service"})


ERASURE_REQUESTED = EventSpec(
    "retention.erasure.requested.v1", ErasureRequestedPayload,
    "Erase a seeker in every service (withdrawal 退会, or five years after the registration became "
    "invalid); each service confirms with <service>.erasure.completed.v1 (SPEC R2, R3, A9, S12).",
    personal_data=True,
)
ERASURE_COMPLETED = EventSpec(
    "retention.erasure.completed.v1", ErasureFinishedPayload,
    "Every service confirmed an erasure; the audit entry without personal data (SPEC R3).",
)

PUBLISHES: list[EventSpec] = [ERASURE_REQUESTED, ERASURE_COMPLETED]
