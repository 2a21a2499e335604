"""E1: the JSON Schema of a marshmallow payload schema, as an event's `data` appears on the wire.

Only what `EventSpec.payload()` can emit is described: the dump of a loaded payload. So
load-only fields are left out, a field with a `load_default` is always present (required),
and unknown keys never appear (`additionalProperties: false`) — except where the schema takes them
(`unknown` INCLUDE or EXCLUDE: a type received from another system, whose sender may add keys).

The output uses only keywords that mean the same in JSON Schema Draft 07 (AsyncAPI 3's
default schema format) and Draft 2020-12, and inlines nested schemas (no `$ref`), so every
payload is a self-contained schema in both.

Per field, `metadata={"description": ..., "example": ...}` is carried over; a field whose
meaning cannot be read from its class (Method, Function, ...) may give its schema outright
with `metadata={"json_schema": {...}}`.
"""

from __future__ import annotations

import enum
import re
from typing import Any

import marshmallow
from marshmallow import fields, validate
from marshmallow.utils import missing

# re.UNICODE is implied for str patterns; any other flag has no JSON Schema spelling.
_PORTABLE_REGEX_FLAGS = re.UNICODE


class ContractError(ValueError):
    """A schema, event or catalogue that breaks the events contract (SPEC E1)."""


def schema_to_json_schema(schema: type[marshmallow.Schema] | marshmallow.Schema, *, where: str = "") -> dict:
    """E1: the JSON Schema object of `schema`'s dumped form, properties sorted by name."""
    instance = schema() if isinstance(schema, type) else schema
    return _object(instance, where or type(instance).__name__, seen=())


def _object(schema: marshmallow.Schema, where: str, seen: tuple[type, ...]) -> dict:
    if type(schema) in seen:
        raise ContractError(f"{where}: recursive nested schema {type(schema).__name__} cannot be inlined")
    seen = (*seen, type(schema))
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, field in schema.dump_fields.items():
        key = field.data_key or name
        properties[key] = field_to_json_schema(field, where=f"{where}.{key}", seen=seen)
        if field.required or field.load_default is not missing:
            required.append(key)
    result: dict[str, Any] = {"type": "object", "properties": dict(sorted(properties.items()))}
    if required:
        result["required"] = sorted(required)
    # a received type's schema may let a sender add keys (INCLUDE kept, EXCLUDE ignored); dumps never do
    result["additionalProperties"] = schema.unknown != marshmallow.RAISE
    return result


def field_to_json_schema(field: fields.Field, *, where: str = "field", seen: tuple[type, ...] = ()) -> dict:
    """E1: the JSON Schema of one marshmallow field (validators, allow_none and metadata included)."""
    override = field.metadata.get("json_schema")
    if override is not None:
        result = dict(override)
    else:
        result = _by_type(field, where, seen)
        for validator in _validators(field):
            _apply_validator(result, validator, field, where)
    if field.allow_none:
        result = _nullable(result)
    if "description" in field.metadata:
        result["description"] = field.metadata["description"]
    if "example" in field.metadata:
        result["examples"] = [field.metadata["example"]]
    return result


def _by_type(field: fields.Field, where: str, seen: tuple[type, ...]) -> dict:
    # Order matters: subclasses (Email, Url under String; Pluck under Nested) come first.
    if isinstance(field, fields.Pluck):
        raise ContractError(f"{where}: Pluck is not supported in event payloads; use Nested")
    if isinstance(field, fields.Nested):
        inner = _object(field.schema, where, seen)
        return {"type": "array", "items": inner} if field.many else inner
    if isinstance(field, fields.Email):
        return {"type": "string", "format": "email"}
    if isinstance(field, fields.Url):
        absolute_only = field.absolute and not field.relative
        return {"type": "string", "format": "uri" if absolute_only else "uri-reference"}
    if isinstance(field, fields.UUID):
        return {"type": "string", "format": "uuid"}
    if isinstance(field, fields.String):
        return {"type": "string"}
    if isinstance(field, fields.Boolean):
        return {"type": "boolean"}
    if isinstance(field, fields.Integer):
        return {"type": "string"} if field.as_string else {"type": "integer"}
    if isinstance(field, fields.Number):  # Float, Decimal
        return {"type": "string"} if field.as_string else {"type": "number"}
    if isinstance(field, fields.DateTime):
        return _temporal(field, "date-time", where)
    if isinstance(field, fields.Date):
        return _temporal(field, "date", where)
    if isinstance(field, fields.Time):
        return _temporal(field, "time", where)
    if isinstance(field, fields.Enum):
        return _enum(field, where)
    if isinstance(field, fields.List):
        return {"type": "array", "items": field_to_json_schema(field.inner, where=f"{where}[]", seen=seen)}
    if isinstance(field, fields.Mapping):
        result: dict[str, Any] = {"type": "object"}
        if field.key_field is not None:
            keys = field_to_json_schema(field.key_field, where=f"{where}{{key}}", seen=seen)
            keys.pop("type", None)
            if keys:
                result["propertyNames"] = keys
        values = field.value_field
        result["additionalProperties"] = (
            field_to_json_schema(values, where=f"{where}{{}}", seen=seen) if values is not None else True
        )
        return result
    if isinstance(field, fields.Constant):
        return {"const": field.constant}
    if type(field) is fields.Raw:
        return {}
    raise ContractError(
        f"{where}: no JSON Schema for {type(field).__name__}; "
        "use a supported field or give metadata={'json_schema': {...}}"
    )


def _temporal(field: fields.Field, json_format: str, where: str) -> dict:
    fmt = field.format or "iso"
    if fmt == "iso":
        return {"type": "string", "format": json_format}
    if fmt in ("timestamp", "timestamp_ms"):
        return {"type": "number"}
    return {"type": "string"}


def _enum(field: fields.Enum, where: str) -> dict:
    members: list[enum.Enum] = list(field.enum)
    if field.by_value is False:
        return {"type": "string", "enum": sorted(member.name for member in members)}
    values = [field.field._serialize(member.value, None, None) for member in members]
    return {"enum": sorted(values, key=repr)}


def _validators(field: fields.Field) -> list:
    found = []
    for validator in field.validators:
        if isinstance(validator, validate.And):
            found.extend(validator.validators)
        else:
            found.append(validator)
    return found


def _apply_validator(result: dict, validator: Any, field: fields.Field, where: str) -> None:
    kind = result.get("type")
    if isinstance(validator, validate.Length):
        if kind == "array":
            low, high = "minItems", "maxItems"
        elif kind == "object":
            low, high = "minProperties", "maxProperties"
        else:
            low, high = "minLength", "maxLength"
        if validator.equal is not None:
            result[low] = result[high] = validator.equal
        if validator.min is not None:
            result[low] = validator.min
        if validator.max is not None:
            result[high] = validator.max
    elif isinstance(validator, validate.Range):
        if kind not in ("integer", "number"):
            raise ContractError(f"{where}: Range on a non-number field has no JSON Schema spelling")
        if validator.min is not None:
            result["minimum" if validator.min_inclusive else "exclusiveMinimum"] = validator.min
        if validator.max is not None:
            result["maximum" if validator.max_inclusive else "exclusiveMaximum"] = validator.max
    elif isinstance(validator, validate.Regexp):
        if validator.regex.flags & ~_PORTABLE_REGEX_FLAGS:
            raise ContractError(f"{where}: Regexp flags {validator.regex.flags} have no JSON Schema spelling")
        pattern = validator.regex.pattern
        # marshmallow uses re.match (anchored at the start); JSON Schema patterns search.
        result["pattern"] = pattern if pattern.startswith("^") else f"^(?:{pattern})"
    elif isinstance(validator, validate.ContainsOnly):
        if kind != "array":
            raise ContractError(f"{where}: ContainsOnly needs a List field")
        result["items"] = {**result.get("items", {}), "enum": _sorted_choices(validator.choices)}
    elif isinstance(validator, validate.OneOf):
        result["enum"] = _sorted_choices(validator.choices)
    elif isinstance(validator, validate.Equal):
        result["const"] = validator.comparable
    # Other validators (a function, Predicate, NoneOf, URL, Email) add checks JSON Schema
    # cannot state; the type above remains a true, if looser, description.


def _sorted_choices(choices) -> list:
    return sorted(choices, key=lambda choice: (repr(type(choice)), repr(choice)))


def _nullable(result: dict) -> dict:
    result = dict(result)
    kind = result.get("type")
    if isinstance(kind, str):
        result["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        result["type"] = [*kind, "null"]
    if "enum" in result and None not in result["enum"]:
        result["enum"] = [*result["enum"], None]
    if "const" in result:
        result = {"anyOf": [{"const": result.pop("const")}, {"type": "null"}], **result}
    return result
