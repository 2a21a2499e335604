"""E1: write contracts/asyncapi.yaml and contracts/schemas/<type>.json from the services' code.

    python -m contracts.generate           # (re)write the catalogue
    python -m contracts.generate --check   # exit 1, with a diff, if the checked-in files are stale
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from contracts.catalogue import (
    CATALOGUE_PATH,
    HERE,
    SCHEMAS_DIR,
    compare,
    discover,
    load_catalogue,
    render_files,
)


def stale_files(expected: dict[Path, str]) -> dict[Path, tuple[str | None, str | None]]:
    """Files whose text on disk differs from `expected`: path → (on disk, expected); None = absent."""
    on_disk_schemas = set(SCHEMAS_DIR.glob("*.json")) if SCHEMAS_DIR.is_dir() else set()
    stale = {}
    for path in sorted(set(expected) | on_disk_schemas):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != expected.get(path):
            stale[path] = (current, expected.get(path))
    return stale


def unified_diff(path: Path, current: str | None, expected: str | None) -> str:
    name = str(path.relative_to(HERE.parent))
    return "".join(difflib.unified_diff(
        (current or "").splitlines(keepends=True), (expected or "").splitlines(keepends=True),
        fromfile=f"{name} (checked in)" if current is not None else "/dev/null",
        tofile=f"{name} (from code)" if expected is not None else "/dev/null",
    ))


def write(expected: dict[Path, str]) -> list[Path]:
    """Bring the files on disk to `expected`, removing schemas of types no longer published."""
    changed = []
    for path, (_current, text) in stale_files(expected).items():
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contracts.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 with a diff if the files are stale")
    args = parser.parse_args(argv)
    specs = discover()
    expected = render_files(specs)
    if not args.check:
        changed = write(expected)
        print(f"{len(specs)} event types; {len(changed)} file(s) written" if changed else
              f"{len(specs)} event types; catalogue up to date")
        return 0
    stale = stale_files(expected)
    if not stale:
        print(f"{len(specs)} event types; catalogue up to date")
        return 0
    print("The events catalogue is stale: run `make contracts` and commit the result.", file=sys.stderr)
    if CATALOGUE_PATH.exists():
        for line in compare(load_catalogue(), specs):
            print(f"  - {line}", file=sys.stderr)
    for path, (current, text) in stale.items():
        sys.stderr.write(unified_diff(path, current, text))
    return 1


if __name__ == "__main__":
    sys.exit(main())
