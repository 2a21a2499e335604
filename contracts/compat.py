"""Issue 13 items 6–7: what in a new version of a schema or of the API breaks those who built on the old.

A JSON Schema is compared from two sides, and a caller asks for the sides that matter:

- `reads` — someone reads values of the new schema and relies on the old one (a subscriber reading
  an event, a client reading a response): a removed field, a field no longer always there, a type
  or enum value the old schema did not allow, a changed `format` or `const`;
- `writes` — someone writes values the old schema allowed and needs them accepted by the new one
  (a client's request, an event already in a queue, an outside system publishing): a removed field,
  a new required field, a field now required, a type or enum value no longer allowed.

Adding an optional field is never a break. Descriptions, titles and examples do not count, nor do
limits (`maxLength`, `minimum`, `pattern`): a change of those is for review, not for this check.

`api_breaking_changes(old, new)` applies this to two OpenAPI documents: a removed path or
operation, a renamed operationId, a removed parameter or a new required one, a request body or
request field newly required, a removed response or response field — unless `info.version`'s
major number went up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Resolver = Callable[[dict], dict]


def no_refs(schema: dict) -> dict:
    """The resolver of a self-contained schema (no `$ref`)."""
    return schema


def ref_resolver(document: dict) -> Resolver:
    """A resolver of `#/…` references inside `document` (an OpenAPI document's components)."""
    def resolve(schema: dict) -> dict:
        seen = set()
        while isinstance(schema, dict) and "$ref" in schema:
            ref = schema["$ref"]
            if ref in seen or not ref.startswith("#/"):
                raise ValueError(f"cannot resolve {ref}")
            seen.add(ref)
            target: Any = document
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
        return schema
    return resolve


def schema_breaking_changes(old: Any, new: Any, where: str = "", *, reads: bool, writes: bool,
                            old_refs: Resolver = no_refs, new_refs: Resolver = no_refs) -> list[str]:
    """Every change from `old` to `new` that breaks a reader (`reads`) or a writer (`writes`), one line each."""
    return list(_schema(old, new, where, reads, writes, old_refs, new_refs, set()))


def _normalised(schema: Any, resolve: Resolver) -> dict:
    """`schema` with its `$ref` resolved and `anyOf: [X, {type: null}]` (a nullable nested object) as X or null."""
    if not isinstance(schema, dict):
        return {}
    schema = resolve(schema)
    branches = schema.get("anyOf")
    if isinstance(branches, list) and {"type": "null"} in branches and len(branches) == 2:
        inner = _normalised(next(b for b in branches if b != {"type": "null"}), resolve)
        kinds = _types(inner)
        rest = {k: v for k, v in schema.items() if k != "anyOf"}
        schema = {**inner, **rest, **({"type": sorted(kinds | {"null"})} if kinds is not None else {})}
    return schema


def _ref(schema: Any) -> str | None:
    return schema.get("$ref") if isinstance(schema, dict) else None


def _types(schema: dict) -> set[str] | None:
    kind = schema.get("type")
    if kind is None:
        return None
    return {kind} if isinstance(kind, str) else set(kind)


def _schema(old: Any, new: Any, where: str, reads: bool, writes: bool, old_refs: Resolver, new_refs: Resolver,
            seen: set) -> Iterator[str]:
    refs = (_ref(old), _ref(new))
    if refs != (None, None):
        if refs in seen:  # a recursive schema, already being compared further up
            return
        seen = seen | {refs}
    old, new = _normalised(old, old_refs), _normalised(new, new_refs)
    at = where or "(root)"
    old_types, new_types = _types(old), _types(new)
    if old_types is not None and new_types is not None:
        if reads and new_types - old_types:
            yield f"{at}: type {_show(old_types)} became {_show(new_types)} (readers get values they do not expect)"
        elif writes and old_types - new_types:
            yield f"{at}: type {_show(old_types)} became {_show(new_types)} (values sent so far are refused)"
    elif reads and old_types is not None and new_types is None:
        yield f"{at}: type {_show(old_types)} is no longer stated"
    for keyword in ("format", "const"):
        if old.get(keyword) != new.get(keyword) and keyword in old:
            yield f"{at}: {keyword} {old.get(keyword)!r} became {new.get(keyword)!r}"
    before, after = old.get("enum"), new.get("enum")
    if reads and before is not None:
        if after is None:
            yield f"{at}: no longer limited to {before} (readers get values they do not know)"
        elif added := [value for value in after if value not in before]:
            yield f"{at}: new enum values {added} (readers do not know them)"
    if writes and after is not None:
        if before is None:
            yield f"{at}: now limited to {after} (values sent so far are refused)"
        elif removed := [value for value in before if value not in after]:
            yield f"{at}: enum values {removed} removed (values sent so far are refused)"
    for keyword in ("anyOf", "oneOf", "allOf"):
        if old.get(keyword) != new.get(keyword):
            yield f"{at}: {keyword} changed"
    yield from _properties(old, new, where, reads, writes, old_refs, new_refs, seen)
    if "items" in old or "items" in new:
        if "items" in old and "items" in new:
            yield from _schema(old["items"], new["items"], f"{where}[]", reads, writes, old_refs, new_refs, seen)
        else:
            yield f"{at}: items {'removed' if 'items' in old else 'added'}"


def _properties(old: dict, new: dict, where: str, reads: bool, writes: bool, old_refs: Resolver,
                new_refs: Resolver, seen: set) -> Iterator[str]:
    before, after = old.get("properties") or {}, new.get("properties") or {}
    required_before, required_after = set(old.get("required") or ()), set(new.get("required") or ())
    prefix = f"{where}." if where else ""
    for name in sorted(before.keys() - after.keys()):
        yield f"{prefix}{name}: removed"
    for name in sorted(after.keys() - before.keys()):
        if writes and name in required_after:
            yield f"{prefix}{name}: a new required field"
    for name in sorted(before.keys() & after.keys()):
        if reads and name in required_before - required_after:
            yield f"{prefix}{name}: no longer required (readers may not get it)"
        if writes and name in required_after - required_before:
            yield f"{prefix}{name}: now required (writers that leave it out are refused)"
        yield from _schema(before[name], after[name], f"{prefix}{name}", reads, writes, old_refs, new_refs, seen)


def _show(types: set[str]) -> str:
    return "|".join(sorted(types))


# -- OpenAPI --------------------------------------------------------------------------------------

def major(version: str) -> int:
    """The major number of a semantic version ("1.4.0" → 1)."""
    return int(str(version).split(".", 1)[0])


def api_breaking_changes(old: dict, new: dict) -> list[str]:
    """Issue 13 item 7: what in OpenAPI document `new` breaks clients built on `old`, one line each;
    nothing when `new`'s info.version has a higher major number (a breaking release, said so)."""
    if major(new["info"]["version"]) > major(old["info"]["version"]):
        return []
    return list(api_differences(old, new))


def api_differences(old: dict, new: dict) -> Iterator[str]:
    """api_breaking_changes without the version's say."""
    old_refs, new_refs = ref_resolver(old), ref_resolver(new)
    for path, old_item in old.get("paths", {}).items():
        new_item = new.get("paths", {}).get(path)
        for method in HTTP_METHODS:
            if method not in old_item:
                continue
            where = f"{method.upper()} {path}"
            if new_item is None or method not in new_item:
                yield f"{where}: removed"
                continue
            yield from _operation(old_item, new_item, method, where, old_refs, new_refs)


def _operation(old_item: dict, new_item: dict, method: str, where: str, old_refs: Resolver,
               new_refs: Resolver) -> Iterator[str]:
    old_op, new_op = old_item[method], new_item[method]
    if old_op.get("operationId") != new_op.get("operationId"):
        yield f"{where}: operationId {old_op.get('operationId')!r} became {new_op.get('operationId')!r}"
    old_params, new_params = _parameters(old_item, old_op, old_refs), _parameters(new_item, new_op, new_refs)
    for key in sorted(old_params.keys() - new_params.keys()):
        yield f"{where}: {key[1]} parameter {key[0]} removed"
    for key in sorted(new_params.keys() - old_params.keys()):
        if new_params[key].get("required"):
            yield f"{where}: a new required {key[1]} parameter {key[0]}"
    for key in sorted(old_params.keys() & new_params.keys()):
        if new_params[key].get("required") and not old_params[key].get("required"):
            yield f"{where}: {key[1]} parameter {key[0]} is now required"
        yield from (f"{where}: {key[1]} parameter {line}" for line in schema_breaking_changes(
            old_params[key].get("schema"), new_params[key].get("schema"), key[0], reads=False, writes=True,
            old_refs=old_refs, new_refs=new_refs))
    yield from _request_body(old_op, new_op, where, old_refs, new_refs)
    old_responses, new_responses = old_op.get("responses") or {}, new_op.get("responses") or {}
    for status in sorted(old_responses):
        if status not in new_responses:
            yield f"{where}: response {status} removed"
            continue
        yield from _content(old_refs(old_responses[status]), new_refs(new_responses[status]),
                            f"{where}: response {status}", reads=True, old_refs=old_refs, new_refs=new_refs)


def _parameters(item: dict, operation: dict, resolve: Resolver) -> dict[tuple[str, str], dict]:
    """(name, in) → parameter: the path item's, overridden by the operation's."""
    found = {}
    for parameter in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        parameter = resolve(parameter)
        found[(parameter["name"], parameter["in"])] = parameter
    return found


def _request_body(old_op: dict, new_op: dict, where: str, old_refs: Resolver, new_refs: Resolver) -> Iterator[str]:
    old_body = old_refs(old_op["requestBody"]) if "requestBody" in old_op else None
    new_body = new_refs(new_op["requestBody"]) if "requestBody" in new_op else None
    if new_body is None:
        if old_body is not None:
            yield f"{where}: request body removed"
        return
    if new_body.get("required") and not (old_body or {}).get("required"):
        yield f"{where}: a request body is now required"
    if old_body is None:
        return
    yield from _content(old_body, new_body, f"{where}: request", reads=False, old_refs=old_refs, new_refs=new_refs)


def _content(old: dict, new: dict, where: str, *, reads: bool, old_refs: Resolver, new_refs: Resolver
             ) -> Iterator[str]:
    """A response (`reads`: the client reads it) or a request body (the client writes it), media type by media type."""
    old_content, new_content = old.get("content") or {}, new.get("content") or {}
    for media in sorted(old_content):
        if media not in new_content:
            yield f"{where} {media} removed"
            continue
        yield from (f"{where} {line}" for line in schema_breaking_changes(
            old_content[media].get("schema"), new_content[media].get("schema"), "", reads=reads, writes=not reads,
            old_refs=old_refs, new_refs=new_refs))
