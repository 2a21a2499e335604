"""The merged OpenAPI document of the public API: every service's /openapi.json in one.

Paths are merged operation by operation (GET /api/v1/me is profile's, DELETE is auth's);
components are shared when two services define the same thing identically and renamed with
the service's name (`AuthError`) when they differ, with every `$ref` rewritten; tags are
merged by name. The gateway adds its bearer-token scheme and marks the operations that need
a token from the routing table, and names every operation (`operationId`, gateway/operation_ids.py).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from gateway.operation_ids import operation_id
from gateway.routes import Access, match

OPENAPI_VERSION = "3.1.0"
BEARER_SCHEME = "bearerAuth"
COMPONENT_SECTIONS = ("schemas", "responses", "parameters", "examples", "requestBodies", "headers",
                      "securitySchemes", "links", "callbacks", "pathItems")
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def merge_documents(documents: Mapping[str, Mapping[str, Any]], *, title: str, version: str,
                    description: str = "") -> dict[str, Any]:
    """Merge the services' OpenAPI documents (`{service: document}`) into the gateway's."""
    merged: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": title, "version": version, "description": description},
        "servers": [{"url": "/"}],
        "paths": {},
        "tags": [],
        "components": {},
    }
    components: dict[str, dict[str, Any]] = merged["components"]
    tags: dict[str, dict[str, Any]] = {}
    for service, original in documents.items():
        document = copy.deepcopy(dict(original))
        renames = _place_components(service, document.get("components") or {}, components)
        document = _rewrite_refs(document, renames)
        for section, entries in (document.get("components") or {}).items():
            for name, value in entries.items():
                components.setdefault(section, {}).setdefault(renames.get((section, name), name), value)
        for path, item in (document.get("paths") or {}).items():
            target = merged["paths"].setdefault(path, {})
            for key, value in item.items():
                target.setdefault(key, value)
        for tag in document.get("tags") or []:
            tags.setdefault(tag["name"], tag)
    merged["tags"] = sorted(tags.values(), key=lambda tag: tag["name"])
    merged["paths"] = dict(sorted(merged["paths"].items()))
    _add_security(merged)
    _name_operations(merged)
    return merged


def _place_components(service: str, own: Mapping[str, Mapping[str, Any]],
                      existing: Mapping[str, Mapping[str, Any]]) -> dict[tuple[str, str], str]:
    """Which of `service`'s components need a new name: those that collide with a different one."""
    renames: dict[tuple[str, str], str] = {}
    prefix = service[:1].upper() + service[1:]
    for section, entries in own.items():
        taken = existing.get(section, {})
        for name, value in entries.items():
            if name in taken and taken[name] != value:
                new_name = prefix + name
                suffix = 2
                while new_name in taken or new_name in entries:
                    new_name = f"{prefix}{name}{suffix}"
                    suffix += 1
                renames[(section, name)] = new_name
    # A renamed component may be referred to by components that did not collide: the refs are
    # rewritten before comparing would be ideal, but a renamed ref makes the referrer differ
    # too — so rename referrers until nothing changes.
    changed = bool(renames)
    while changed:
        changed = False
        for section, entries in own.items():
            taken = existing.get(section, {})
            for name, value in entries.items():
                if (section, name) in renames or name not in taken:
                    continue
                if _rewrite_refs(value, renames) != taken[name]:
                    renames[(section, name)] = prefix + name
                    changed = True
    return renames


def _rewrite_refs(node: Any, renames: Mapping[tuple[str, str], str]) -> Any:
    if not renames:
        return node
    if isinstance(node, dict):
        result = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/"):
                _, _, section, name = value.split("/", 3)
                value = f"#/components/{section}/{renames.get((section, name), name)}"
            result[key] = _rewrite_refs(value, renames)
        return result
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _add_security(merged: dict[str, Any]) -> None:
    """The bearer JWT scheme (DESIGN §5), required where the routing table says a token is."""
    schemes = merged["components"].setdefault("securitySchemes", {})
    schemes[BEARER_SCHEME] = {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
        "description": "アクセストークン (POST /api/v1/auth/login/otp または /api/v1/auth/token で取得) / "
                       "access token from POST /api/v1/auth/login/otp or /api/v1/auth/token",
    }
    for path, item in merged["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict) or "security" in operation:
                continue
            route = match(method.upper(), _concrete(path)).route
            if route is None or route.access is Access.PUBLIC:
                continue
            if route.access is Access.TOKEN:
                operation["security"] = [{BEARER_SCHEME: []}]
            elif route.access is Access.OPTIONAL:
                operation["security"] = [{}, {BEARER_SCHEME: []}]


def _name_operations(merged: dict[str, Any]) -> None:
    """Issue 13 item 7: each operation's stable operationId from the one table (gateway/operation_ids.py)."""
    for path, item in merged["paths"].items():
        for method in HTTP_METHODS:
            operation = item.get(method)
            name = operation_id(method, path) if isinstance(operation, dict) else None
            if name:
                operation["operationId"] = name


def _concrete(path: str) -> str:
    """/api/v1/jobs/{job_number} -> /api/v1/jobs/x (the route table matches concrete paths)."""
    return "/".join("x" if part.startswith("{") else part for part in path.split("/"))


def downgrade_to_30(document: Mapping[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3.0.3 rendering of a 3.1 document, for the bundled Swagger UI (4.x reads 3.0 only).

    Covers what apispec/marshmallow produce: `type: [T, "null"]`, `anyOf`/`oneOf` with a null
    branch, `const`, schema `examples`, numeric `exclusiveMinimum`/`exclusiveMaximum`.
    """
    result = _downgrade(copy.deepcopy(dict(document)))
    result["openapi"] = "3.0.3"
    for key in ("jsonSchemaDialect", "webhooks"):
        result.pop(key, None)
    result.get("info", {}).pop("summary", None)
    result.get("components", {}).pop("pathItems", None)
    return result


def _downgrade(node: Any) -> Any:
    if isinstance(node, list):
        return [_downgrade(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _downgrade(value) for key, value in node.items()}
    kind = node.get("type")
    if isinstance(kind, list):
        others = [k for k in kind if k != "null"]
        if len(others) < len(kind):
            node["nullable"] = True
        if len(others) == 1:
            node["type"] = others[0]
        elif others:
            del node["type"]
            node["anyOf"] = [{"type": k} for k in others]
        else:
            node.pop("type")
    for combinator in ("anyOf", "oneOf"):
        branches = node.get(combinator)
        if isinstance(branches, list) and {"type": "null"} in branches:
            rest = [b for b in branches if b != {"type": "null"}]
            node["nullable"] = True
            if len(rest) == 1 and "$ref" not in rest[0]:
                del node[combinator]
                node.update(rest[0])
            else:
                node[combinator] = rest
    if "const" in node:
        node["enum"] = [node.pop("const")]
    if isinstance(node.get("examples"), list) and ("type" in node or "properties" in node):
        examples = node.pop("examples")
        if examples:
            node["example"] = examples[0]
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(node.get(bound), int | float) and not isinstance(node.get(bound), bool):
            node[limit] = node.pop(bound)
            node[bound] = True
    return node
