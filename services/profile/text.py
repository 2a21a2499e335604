"""Japanese text normalisation for 求職登録 input — only where it is harmless (SPEC P1).

Harmless: full-width ASCII (ＡＢＣ１２３＠) to half-width, half-width katakana (ｷｭｳｼｮｸ) to
full-width, the ideographic space to a space, dash look-alikes to "-" in numbers. NFKC is
applied to those characters only, never to a whole name: NFKC would also replace CJK
compatibility ideographs (e.g. 神 U+FA19 → 神 U+795E), which changes how a person's name is
written. What cannot be repaired (kanji in a kana field, letters in a phone number) is
refused by the schemas with a field-level message.
"""

from __future__ import annotations

import re
import unicodedata

# Full-width ASCII variants (U+FF01–FF5E) and half-width katakana with its marks (U+FF61–FF9F).
_WIDTH_VARIANTS = re.compile(r"[\uFF01-\uFF5E\uFF61-\uFF9F]+")
_SPACES = re.compile(r"[\s\u3000]+")
# Hyphen look-alikes typed in numbers: ‐ ‑ ‒ – — ― − ー ｰ －
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30FC\uFF70\uFF0D]")
_CONTROL = re.compile(r"[\x00-\x1F\x7F-\x9F]")
_HIRAGANA = re.compile(r"[\u3041-\u3096\u309D\u309E]")
# Katakana a user can type in a furigana field: ァ–ヺ, ・, ー, ヽ, ヾ, and a space between names.
KATAKANA_NAME = re.compile(r"^[\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+( [\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+)*$")


def fold_width(text: str) -> str:
    """ＡＢＣ１２３ → ABC123 and ｷｭｳｼｮｸ ﾀﾛｳ → キュウショク タロウ; everything else unchanged."""
    return _WIDTH_VARIANTS.sub(lambda match: unicodedata.normalize("NFKC", match.group()), text)


def clean_text(text: str) -> str:
    """Width folded, ideographic spaces and runs of white space made one space, trimmed."""
    return _SPACES.sub(" ", fold_width(text)).strip()


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def number_text(text: str) -> str:
    """A number as typed (０４８ー０００ー００００) → 048-000-0000: width folded, dashes unified, no spaces."""
    return _SPACES.sub("", _DASHES.sub("-", fold_width(text)))


def katakana(text: str) -> str:
    """フリガナ: width folded, hiragana written as katakana (the same reading), one space between names."""
    folded = clean_text(text)
    return _HIRAGANA.sub(lambda match: chr(ord(match.group()) + 0x60), folded)
