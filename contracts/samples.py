"""Example values built from a JSON Schema (for the catalogue's examples and contract tests).

A field's own `examples` win; otherwise a plain value that satisfies the keywords the converter
emits. A `pattern` is sampled by walking Python's parse of it (literals, classes, repeats, groups,
alternatives); a pattern beyond that (look-arounds, back-references, negated classes) needs an
example on the field: `fields.String(validate=Regexp(...), metadata={"example": ...})`.
"""

from __future__ import annotations

import re
import re._constants as sre  # the parse of a pattern: stable within a Python minor version
import re._parser as sre_parse
import uuid
from typing import Any

from contracts.convert import ContractError

_FORMAT_SAMPLES = {
    "date-time": "2024-04-01T09:00:00Z",
    "date": "2024-04-01",
    "time": "09:00:00",
    "email": "seeker@example.jp",
    "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, "mypage:example")),
    "uri": "https://www.hellowork.mhlw.go.jp/",
    "uri-reference": "/mypage",
}


def sample_value(schema: dict[str, Any], *, where: str = "value") -> Any:
    """A value valid against `schema` (objects get every property, arrays one item)."""
    if "examples" in schema:
        example = schema["examples"][0]
        if isinstance(example, str) and "pattern" in schema and not re.search(schema["pattern"], example):
            raise ContractError(f"{where}: example {example!r} does not match pattern {schema['pattern']!r}")
        return example
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        choices = [choice for choice in schema["enum"] if choice is not None]
        return choices[0] if choices else None
    if "anyOf" in schema:
        return sample_value(schema["anyOf"][0], where=where)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((each for each in kind if each != "null"), "null")
    if kind == "object":
        return _object(schema, where)
    if kind == "array":
        count = max(schema.get("minItems", 1), 1)
        count = min(count, schema.get("maxItems", count))
        return [sample_value(schema.get("items", {}), where=f"{where}[]") for _ in range(count)]
    if kind == "string":
        return _string(schema, where)
    if kind in ("integer", "number"):
        return _number(schema, kind)
    if kind == "boolean":
        return True
    if kind == "null":
        return None
    return "example"


def _object(schema: dict[str, Any], where: str) -> dict[str, Any]:
    properties = schema.get("properties", {})
    result = {name: sample_value(sub, where=f"{where}.{name}") for name, sub in properties.items()}
    extra = schema.get("additionalProperties")
    wanted = schema.get("minProperties", 0) - len(result)
    if wanted > 0 and isinstance(extra, dict | bool) and extra is not False:
        names = schema.get("propertyNames", {})
        if "pattern" in names and "examples" not in names:
            raise ContractError(f"{where}: keys with a pattern need an example")
        value_schema = extra if isinstance(extra, dict) else {}
        for index in range(wanted):
            key = names["examples"][0] if "examples" in names and index == 0 else f"key{index + 1}"
            result[key] = sample_value(value_schema, where=f"{where}{{{key}}}")
    return result


def _string(schema: dict[str, Any], where: str) -> str:
    if "pattern" in schema:
        return sample_from_pattern(schema["pattern"], where=where)
    if "format" in schema:
        return _FORMAT_SAMPLES.get(schema["format"], "example")
    text = "example"
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None:
        text = text[:high]
    return text


def _number(schema: dict[str, Any], kind: str) -> int | float:
    step = 1 if kind == "integer" else 0.5
    value: int | float = 1 if kind == "integer" else 1.5
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
        value = schema["exclusiveMinimum"] + step
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
        value = schema["exclusiveMaximum"] - step
    return value


def sample_from_pattern(pattern: str, *, where: str = "value") -> str:
    """A string `re.search(pattern, ...)` accepts, e.g. `^\\d{5}-\\d{8}$` → `11111-11111111`."""
    try:
        text = "".join(_emit(sre_parse.parse(pattern)))
    except (ValueError, re.error) as error:
        raise ContractError(
            f"{where}: cannot build a sample of pattern {pattern!r} ({error}); "
            "give the field metadata={'example': ...}"
        ) from error
    if not re.search(pattern, text):
        raise ContractError(f"{where}: no sample of {pattern!r}; give the field metadata={{'example': ...}}")
    return text


_CATEGORY_SAMPLES = {sre.CATEGORY_DIGIT: "1", sre.CATEGORY_WORD: "a", sre.CATEGORY_SPACE: " "}


def _emit(items) -> list[str]:
    out: list[str] = []
    for op, argument in items:
        if op is sre.LITERAL:
            out.append(chr(argument))
        elif op is sre.ANY:
            out.append("a")
        elif op is sre.IN:
            out.append(_one_of(argument))
        elif op is sre.AT:
            continue
        elif op is sre.SUBPATTERN:
            out.extend(_emit(argument[-1]))
        elif op is sre.BRANCH:
            out.extend(_emit(argument[1][0]))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, item = argument
            out.extend(_emit(item) * max(low, min(1, high)))
        else:
            raise ValueError(f"unsupported {op}")
    return out


def _one_of(members) -> str:
    op, argument = members[0]
    if op is sre.LITERAL:
        return chr(argument)
    if op is sre.RANGE:
        return chr(argument[0])
    if op is sre.CATEGORY and argument in _CATEGORY_SAMPLES:
        return _CATEGORY_SAMPLES[argument]
    raise ValueError(f"unsupported class member {op} {argument}")
