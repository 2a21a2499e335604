"""Issue 13 items 6–7: the released contracts — what subscribers and API clients build on — and the
check that nothing in them breaks without a new major version.

    python -m contracts.release           # release what changed compatibly (also part of `make contracts`)
    python -m contracts.release --check   # exit 1 on a breaking or an unreleased change

- `contracts/released/events/<type>.json`, one file per event type (the type ends in its major
  version, `….v1`): the JSON Schema of the whole CloudEvent as contracts/asyncapi.yaml documents it,
  open to fields added later (`additionalProperties: true`), which subscribers must ignore. A new
  version of a released type may only add optional fields (anywhere in `data`) and change
  descriptions; a removed, retyped or newly required field, a field no longer always there, a
  changed enum or format is a new type `….v<major + 1>`, published beside the old one until its
  subscribers have moved — then the old file is deleted by hand, on purpose.
- `contracts/released/openapi.json`: the public API document as the gateway serves it at
  /api/docs/openapi.json. A removed path, operation, parameter or response field, a renamed
  operationId, a new required parameter or request field (contracts.compat) is released only with
  a higher major `info.version` (gateway/docs.py VERSION).

Release never writes a breaking change: it names it and exits 1, leaving the released file as it was.
A change to something never deployed may be taken back by deleting its released file and releasing
again — by hand, so the diff of contracts/released/ shows it to the reviewer.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from contracts.catalogue import CATALOGUE_PATH, HERE, JSON_SCHEMA_DIALECT, load_catalogue, render_json
from contracts.compat import api_breaking_changes, api_differences, major, schema_breaking_changes

RELEASED_DIR = HERE / "released"
EVENTS_DIR = RELEASED_DIR / "events"
OPENAPI_PATH = RELEASED_DIR / "openapi.json"
SERVED_OPENAPI = "/api/docs/openapi.json"


# -- events ---------------------------------------------------------------------------------------

def released_event_schema(event_type: str, envelope: dict[str, Any]) -> dict[str, Any]:
    """The released form of a catalogued envelope schema: a standalone Draft 2020-12 document,
    every object open to fields added later (tolerant readers ignore what they do not know)."""
    return {"$schema": JSON_SCHEMA_DIALECT, "$id": f"urn:jp:go:mhlw:hellowork:mypage:events:{event_type}",
            "$comment": f"Released contract of {event_type}: later versions may add optional fields, nothing "
                        "else; a breaking change is a new major version (contracts/release.py).",
            **_open(envelope)}


def _open(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: True if key == "additionalProperties" and value is False else _open(value)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_open(item) for item in node]
    return node


def catalogued_events(catalogue_path: Path = CATALOGUE_PATH) -> dict[str, dict[str, Any]]:
    """type → its released form, for every type in the checked-in catalogue."""
    messages = (load_catalogue(catalogue_path).get("components") or {}).get("messages", {})
    return {name: released_event_schema(name, message["payload"]) for name, message in sorted(messages.items())}


def load_released_events(directory: Path = EVENTS_DIR) -> dict[str, dict[str, Any]]:
    return {path.name.removesuffix(".json"): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(directory.glob("*.json"))} if directory.is_dir() else {}


def event_breaking_changes(released: dict[str, dict], current: dict[str, dict]) -> list[str]:
    """E1 / issue 13 item 6: how `current` (type → schema) breaks subscribers of `released`, one line each."""
    lines = []
    for name, schema in sorted(released.items()):
        if name not in current:
            lines.append(f"{name}: released but no longer in the catalogue — publish it until its subscribers have "
                         f"moved to a new major version, then delete contracts/released/events/{name}.json")
            continue
        # both sides: subscribers read new events, and events published before are still in queues
        changes = schema_breaking_changes(schema, current[name], "", reads=True, writes=True)
        lines.extend(f"{name}: {change}" for change in changes)
    return lines


# -- the public API -------------------------------------------------------------------------------

def served_openapi() -> dict[str, Any]:
    """The document the gateway serves at /api/docs/openapi.json, built from every service's app in
    this process (in-memory databases, nothing started)."""
    from gateway.app import create_gateway
    from gateway.backends import InProcessBackend
    from kit.settings import SERVICES, Settings

    runtimes = []
    with tempfile.TemporaryDirectory(prefix="mypage-openapi-") as var_dir:
        environ = {"MYPAGE_VAR_DIR": var_dir}
        try:
            backends = {}
            for name in SERVICES:
                app_module = importlib.import_module(f"services.{name}.app")
                runtime = app_module.build_runtime(Settings.from_env(name, environ, database_url="sqlite://"))
                runtimes.append(runtime)
                backends[name] = InProcessBackend(name, app_module.create_app(runtime=runtime))
            gateway = create_gateway(backends, Settings.from_env("gateway", environ))
            answer = gateway.test_client().get(SERVED_OPENAPI)
        finally:
            for runtime in runtimes:
                runtime.dispose()
    document = answer.get_json()
    if answer.status_code != 200 or "x-unavailable-services" in document:
        raise RuntimeError(f"the gateway's {SERVED_OPENAPI} is incomplete: {answer.status_code} "
                           f"{document.get('x-unavailable-services')}")
    return document


def load_released_openapi(path: Path = OPENAPI_PATH) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def api_unreleased(released: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What `current` has that the released document lacks (an operation, parameter or field), or a new
    version: `make contracts` releases it."""
    lines = []
    for line in api_differences(current, released):  # read backwards: what the released document lacks
        if line.endswith(" removed"):
            lines.append(f"not released yet: {line.removesuffix(' removed').removesuffix(':')} is new")
        else:
            lines.append(f"not released yet: the released document differs (from the served one: {line})")
    if current["info"]["version"] != released["info"]["version"]:
        lines.append(f"not released yet: info.version {current['info']['version']}")
    return lines


# -- release and check ----------------------------------------------------------------------------

def release_events(*, catalogue_path: Path = CATALOGUE_PATH, events_dir: Path = EVENTS_DIR,
                   check: bool = False) -> tuple[list[str], list[Path]]:
    """Compare the catalogue's event types with the released ones; unless `check`, release the new types
    and the compatible changes. Returns (the problems, the files written): a problem is a breaking
    change, or with `check` also a change not released yet."""
    released, current = load_released_events(events_dir), catalogued_events(catalogue_path)
    problems = event_breaking_changes(released, current)
    broken = {line.split(":", 1)[0] for line in problems}
    stale = {}
    for name, schema in current.items():
        path, text = events_dir / f"{name}.json", render_json(schema)
        if name not in broken and (not path.exists() or path.read_text(encoding="utf-8") != text):
            stale[path] = text
    if check:
        return [*problems, *(f"{path.name.removesuffix('.json')}: "
                             f"{'changed compatibly' if path.exists() else 'a new type'}, not released yet"
                             for path in sorted(stale))], []
    return problems, _write(stale)


def release_api(openapi: dict[str, Any], *, openapi_path: Path = OPENAPI_PATH,
                check: bool = False) -> tuple[list[str], list[Path]]:
    """The same for the API document `openapi` (the served one) and the released one."""
    released = load_released_openapi(openapi_path)
    breaking = api_breaking_changes(released, openapi) if released is not None else []
    problems = [f"API {line} — or release it as version {major(openapi['info']['version']) + 1}.0.0 "
                "(gateway/docs.py VERSION)" for line in breaking]
    if check:
        if released is None:
            problems.append(f"{openapi_path.name}: not released yet")
        elif not breaking:
            problems.extend(f"API {line}" for line in api_unreleased(released, openapi))
        return problems, []
    text = render_json(openapi)
    stale = {} if breaking or (openapi_path.exists() and openapi_path.read_text(encoding="utf-8") == text) \
        else {openapi_path: text}
    return problems, _write(stale)


def _write(files: dict[Path, str]) -> list[Path]:
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sorted(files)


def release(*, check: bool = False) -> tuple[list[str], list[Path]]:
    """release_events and release_api on this repository's catalogue and served API."""
    event_problems, event_files = release_events(check=check)
    api_problems, api_files = release_api(served_openapi(), check=check)
    return [*event_problems, *api_problems], [*event_files, *api_files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts.release", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 on a breaking change or one not released yet")
    args = parser.parse_args(argv)
    problems, written = release(check=args.check)
    for path in written:
        print(f"released {path.relative_to(HERE.parent)}")
    if problems:
        print("The released contracts would break (contracts/release.py says what is allowed):"
              if not args.check else "The released contracts and the code differ:", file=sys.stderr)
        for line in problems:
            print(f"  - {line}", file=sys.stderr)
        return 1
    if not written:
        print("released contracts up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
