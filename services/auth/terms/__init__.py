"""利用規約 and プライバシーポリシー (A2), versioned as files beside this module.

`terms-<version>.md` and `privacy-<version>.md`; the current version of each is the greatest
version present (versions are `YYYY-MM`, so they sort by date). A revision is a new file: the
old ones stay, so the version a seeker agreed to can always be read again.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Document:
    version: str
    text: str


@dataclass(frozen=True)
class Terms:
    """The documents a seeker must agree to when opening a My Page (A2)."""

    terms: Document
    privacy_policy: Document


def _latest(kind: str) -> Document:
    files = sorted(HERE.glob(f"{kind}-*.md"), key=lambda path: path.stem)
    if not files:
        raise FileNotFoundError(f"no {kind}-<version>.md in {HERE}")
    newest = files[-1]
    return Document(newest.stem.removeprefix(f"{kind}-"), newest.read_text(encoding="utf-8"))


@functools.cache
def current() -> Terms:
    """A2: the current 利用規約 and プライバシーポリシー."""
    return Terms(_latest("terms"), _latest("privacy"))
