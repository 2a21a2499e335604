"""Japanese input folded only where it is harmless (SPEC API conventions): the same rules for every service.

Harmless: full-width ASCII (ＡＢＣ１２３＠) to half-width, half-width katakana (ｷｭｳｼｮｸ) to full-width,
the ideographic space to a space, and — in numbers, codes and dates only — every dash look-alike and the
long vowel mark to "-". NFKC is applied to those characters only, never to a whole name: NFKC would also
replace CJK compatibility ideographs (e.g. 神 U+FA19 → 神 U+795E), which changes how a person's name is
written. Pure functions: the rules (services' domain modules) may use them.
"""

from __future__ import annotations

import re
import unicodedata

# Full-width ASCII variants (U+FF01–FF5E) and half-width katakana with its marks (U+FF61–FF9F).
_WIDTH_VARIANTS = re.compile(r"[\uFF01-\uFF5E\uFF61-\uFF9F]+")
_SPACES = re.compile(r"[\s\u3000]+")
# Dash look-alikes typed in numbers, after NFKC (which makes － "-" and ｰ "ー"): ‐ ‑ ‒ – — ― ⁃ − ─ ━ ー
_NUMBER_DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―⁃−─━ー", "-"))
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # tab and line feed are text; other control characters not
_ANY_CONTROL = re.compile(r"[\x00-\x1F\x7F-\x9F]")


def fold_width(text: str) -> str:
    """ＡＢＣ１２３ → ABC123 and ｷｭｳｼｮｸ ﾀﾛｳ → キュウショク タロウ; everything else unchanged."""
    return _WIDTH_VARIANTS.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def clean_text(text: str) -> str:
    """Width folded, ideographic spaces and runs of white space made one space, trimmed."""
    return _SPACES.sub(" ", fold_width(text)).strip()


def has_control_characters(text: str) -> bool:
    """Any control character (U+0000–001F, U+007F–009F), tab and line feed included."""
    return bool(_ANY_CONTROL.search(text))


def fold_number(text: str) -> str:
    """A number, code or date as typed (０４８ー０００ー００００, 11040‐12345678, 1990－04－01) → 048-000-0000:
    NFKC, every dash look-alike and the long vowel mark as "-", no spaces."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text).translate(_NUMBER_DASHES))
