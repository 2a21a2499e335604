"""フリガナ for 求職登録 input (SPEC P1): hiragana written as katakana, the same reading. The folding every
service shares (width, spaces, dashes in numbers) is kit.text; what cannot be repaired (kanji in a kana
field, letters in a phone number) is refused by the schemas with a field-level message.
"""

from __future__ import annotations

import re

from kit.text import clean_text

_HIRAGANA = re.compile(r"[\u3041-\u3096\u309D\u309E]")
# Katakana a user can type in a furigana field: ァ–ヺ, ・, ー, ヽ, ヾ, and a space between names.
KATAKANA_NAME = re.compile(r"^[\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+( [\u30A1-\u30FA\u30FB\u30FC\u30FD\u30FE]+)*$")


def katakana(text: str) -> str:
    """フリガナ: width folded, hiragana written as katakana (the same reading), one space between names."""
    folded = clean_text(text)
    return _HIRAGANA.sub(lambda match: chr(ord(match.group()) + 0x60), folded)
