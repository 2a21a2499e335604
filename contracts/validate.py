"""E1: check one published CloudEvent against the checked-in catalogue (contracts/asyncapi.yaml).

    from contracts import validate_event
    validate_event(captured_event.to_dict())   # raises ContractError naming every violation
"""

from __future__ import annotations

import functools
import json
from datetime import datetime, time
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from contracts.catalogue import CATALOGUE_PATH, load_catalogue
from contracts.convert import ContractError
from kit.events import Event


def format_checker() -> FormatChecker:
    """Draft 2020-12 formats, with `date-time` and `time` checked (RFC 3339: an offset is required)."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if "T" not in value.upper():
            return False
        return datetime.fromisoformat(value).tzinfo is not None

    @checker.checks("time", raises=ValueError)
    def _time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        time.fromisoformat(value)
        return True

    return checker


@functools.cache
def _validators(path: Path) -> dict[str, Draft202012Validator]:
    catalogue = load_catalogue(path)
    checker = format_checker()
    return {
        name: Draft202012Validator(message["payload"], format_checker=checker)
        for name, message in (catalogue.get("components") or {}).get("messages", {}).items()
    }


def validate_event(envelope: dict[str, Any] | Event | bytes | str, *,
                   catalogue: Path = CATALOGUE_PATH) -> None:
    """E1: raise ContractError unless `envelope` is a CloudEvent the catalogue documents exactly.

    `envelope` is the decoded JSON, or the wire body (an AMQP message or an outbox row's body),
    or a kit.events.Event. Checks the type is catalogued, and the envelope and its `data`
    against the type's schema (required fields, no undocumented field, types, formats, limits).
    """
    if isinstance(envelope, Event):
        envelope = envelope.to_dict()
    elif isinstance(envelope, bytes | str):
        try:
            envelope = json.loads(envelope)
        except ValueError as error:
            raise ContractError(f"a CloudEvent is JSON: {error}") from error
    if not isinstance(envelope, dict):
        raise ContractError(f"a CloudEvent is a JSON object, not {type(envelope).__name__}")
    validators = _validators(Path(catalogue))
    event_type = envelope.get("type")
    validator = validators.get(event_type) if isinstance(event_type, str) else None
    if validator is None:
        raise ContractError(f"event type {event_type!r} is not in the catalogue {catalogue}")
    errors = sorted(validator.iter_errors(envelope), key=lambda error: _where(error.absolute_path))
    if errors:
        lines = [f"  {_where(error.absolute_path) or '(envelope)'}: {error.message}" for error in errors]
        raise ContractError(f"{event_type} does not match the catalogue:\n" + "\n".join(lines))


def _where(path) -> str:
    return "/".join(str(part) for part in path)
