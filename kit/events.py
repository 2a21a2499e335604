"""Events: the CloudEvents 1.0 envelope and the declaration of what a service publishes.

An event type is `<service>.<entity>.<past-participle>.v<major>` (DESIGN §3), never a class
name; it is also the AMQP routing key. `data` carries identifiers and the least personal data
subscribers need (SPEC E3) — never a password, key, OTP or token.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import marshmallow

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json"
EVENT_TYPE = re.compile(r"^(?P<service>[a-z]+)\.(?P<entity>[a-z_]+)\.(?P<action>[a-z_]+)\.v(?P<major>[1-9][0-9]*)$")


log = logging.getLogger("mypage.events")


class InvalidEvent(ValueError):
    """An envelope or payload that does not follow the contract."""


def check_type(event_type: str) -> str:
    """Return `event_type` if it follows `<service>.<entity>.<past-participle>.v<major>`."""
    if not EVENT_TYPE.match(event_type):
        raise InvalidEvent(f"event type {event_type!r} is not <service>.<entity>.<past-participle>.v<major>")
    return event_type


@dataclass(frozen=True)
class Event:
    """One CloudEvent. `subject` names the entity (e.g. an opaque seeker id), for ordering and erasure."""

    type: str
    data: dict[str, Any]
    source: str
    subject: str | None = None
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    correlationid: str | None = None

    def __post_init__(self) -> None:
        check_type(self.type)

    def to_dict(self) -> dict[str, Any]:
        envelope = {
            "specversion": SPEC_VERSION,
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "time": self.time.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "datacontenttype": CONTENT_TYPE,
            "data": self.data,
        }
        if self.subject is not None:
            envelope["subject"] = self.subject
        if self.correlationid is not None:
            envelope["correlationid"] = self.correlationid
        return envelope

    def to_json(self) -> bytes:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()

    @classmethod
    def from_dict(cls, envelope: dict[str, Any]) -> Event:
        try:
            if envelope["specversion"] != SPEC_VERSION:
                raise InvalidEvent(f"unsupported specversion {envelope['specversion']!r}")
            return cls(
                type=envelope["type"],
                data=envelope.get("data") or {},
                source=envelope["source"],
                subject=envelope.get("subject"),
                id=envelope["id"],
                time=datetime.fromisoformat(envelope["time"].replace("Z", "+00:00")),
                correlationid=envelope.get("correlationid"),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            if isinstance(error, InvalidEvent):
                raise
            raise InvalidEvent(f"not a CloudEvent: {error}") from error

    @classmethod
    def from_json(cls, body: bytes | str) -> Event:
        try:
            envelope = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise InvalidEvent(f"not JSON: {error}") from error
        if not isinstance(envelope, dict):
            raise InvalidEvent("a CloudEvent is a JSON object")
        return cls.from_dict(envelope)


def seeker_id_of(event: Event) -> str | None:
    """The event's `seeker_id` (an opaque id of 1 to 36 characters), or None when it has none usable: a
    malformed event cannot become valid by retrying, so it is logged and the handler lets it go."""
    seeker_id = event.data.get("seeker_id")
    if isinstance(seeker_id, str) and 0 < len(seeker_id) <= 36:
        return seeker_id
    log.warning("%s %s without a usable seeker_id; ignored", event.type, event.id)
    return None


@dataclass(frozen=True)
class EventSpec:
    """A published event type: its name, payload schema and a sentence for the catalogue.

    Each service lists its specs in `events.py` as `PUBLISHES`; contracts/asyncapi.yaml is
    generated from them and a contract test keeps the two equal.
    """

    type: str
    schema: type[marshmallow.Schema]
    summary: str
    # True when `data` holds personal data beyond opaque ids (a login email, a 求職番号, desired
    # conditions, a public_ref, a no-show): such an event is never kept in the broker's archive queue,
    # so erasure has no copy there to reach (R3, E3). It needs a subscriber: a service of this system,
    # or, when `outside_only`, other Hello Work systems — then, while none has bound its queue, the
    # broker drops it (kit.topology.discard_queue) instead of returning it to the relay forever.
    personal_data: bool = False
    outside_only: bool = False
    # Set for a type another Hello Work system publishes and a service here receives (its `RECEIVES`,
    # e.g. the employer-side system's `employer.posting.published.v1`): the regex the CloudEvent's
    # `source` matches, its first group naming who published it. None for a type My Page publishes
    # (source `/mypage/<service>`).
    source_pattern: str | None = None
    source_example: str | None = None  # a source that matches it, for the catalogue

    def __post_init__(self) -> None:
        check_type(self.type)
        if self.outside_only and not self.personal_data:
            raise ValueError(f"{self.type}: outside_only is for personal-data types (the others are archived)")
        if self.source_pattern is not None and not re.fullmatch(self.source_pattern, self.source_example or ""):
            raise ValueError(f"{self.type}: source_example must match source_pattern")

    @property
    def received(self) -> bool:
        """A type published outside My Page and received here (documented as a `receive` operation)."""
        return self.source_pattern is not None

    @property
    def service(self) -> str:
        return self.type.split(".", 1)[0]

    def payload(self, data: dict[str, Any]) -> dict[str, Any]:
        """Validate and serialise `data` against the schema; unknown fields are refused."""
        schema = _schema_instance(self.schema)
        try:
            loaded = schema.load(data)  # one pass: load validates (validate() + load() ran it twice)
        except marshmallow.ValidationError as error:
            raise InvalidEvent(f"{self.type}: {error.messages}") from error
        return schema.dump(loaded)


_SCHEMAS: dict[type, marshmallow.Schema] = {}


def _schema_instance(schema_class: type[marshmallow.Schema]) -> marshmallow.Schema:
    """One reusable instance per schema class: building a Schema deep-copies its fields (~50 µs).

    load() and dump() keep no state on the instance (marshmallow 4 has no schema context), so
    threads share it safely.
    """
    schema = _SCHEMAS.get(schema_class)
    if schema is None:
        schema = _SCHEMAS.setdefault(schema_class, schema_class())
    return schema


def is_newer(event_time: datetime, applied: datetime | None) -> bool:
    """Projection order (DESIGN §1): an event older than the state already applied changes nothing. Equal
    times apply — two events of one transaction carry the same time, and the later one wins."""
    return applied is None or event_time >= applied
