"""Every rule id and DESIGN section the code cites is explained in docs/rules.md.

The code cites ids (`J4`, `S11`, `P3a`, `DESIGN §3`) in docstrings and comments; a person who clones
the repository resolves them in docs/rules.md only. Citing a new id without its row there fails here.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "rules.md"
CITING = ("services", "kit", "gateway", "tests")

# A1, J2a, S12 … but not %E4 (percent-encoding), 0xE4, E4-like parts of longer words or codes.
RULE_ID = re.compile(r"(?<![%\w-])([APJMRECS]\d{1,2}[ab]?)(?![\w-])")
SECTION = re.compile(r"§\s?(\d+)")
ROW = re.compile(r"^\| ([APJMRECS]\d{1,2}[ab]?) \| (.+?) \|$", re.MULTILINE)


def _prose(path: Path) -> str:
    """The comments and string literals (docstrings included) of a Python file, where ids are cited."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return "\n".join(token.string for token in tokens if token.type in (tokenize.COMMENT, tokenize.STRING))


def _citations(pattern: re.Pattern[str]) -> dict[str, str]:
    """Each cited id → one file citing it (for the failure message)."""
    cited: dict[str, str] = {}
    for folder in CITING:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for match in pattern.finditer(_prose(path)):
                cited.setdefault(match.group(1), str(path.relative_to(ROOT)))
    return cited


def _explained_ids() -> dict[str, str]:
    return {rule_id: text for rule_id, text in ROW.findall(RULES.read_text(encoding="utf-8"))}


def test_every_cited_rule_id_has_a_row_in_docs_rules_md() -> None:
    explained = _explained_ids()
    cited = _citations(RULE_ID)
    missing = {rule_id: where for rule_id, where in cited.items() if rule_id not in explained}
    assert not missing, f"cited but not explained in docs/rules.md: {missing}"
    assert {"A1", "J4", "P3a", "S12"} <= cited.keys()  # the scan itself sees the code's citations


def test_every_row_states_its_rule_in_a_sentence() -> None:
    explained = _explained_ids()
    assert {"A11", "P3b", "J2a", "J2b", "J8a", "M3", "R4", "E3", "C4", "S12"} <= explained.keys()
    short = {rule_id: text for rule_id, text in explained.items() if len(text.split()) < 8}
    assert not short, f"rows without a sentence: {short}"


def test_every_cited_design_section_is_described() -> None:
    text = RULES.read_text(encoding="utf-8")
    described = set(re.findall(r"^- \*\*§(\d+) ", text, re.MULTILINE))
    cited = _citations(SECTION)
    missing = {section: where for section, where in cited.items() if section not in described}
    assert not missing, f"DESIGN sections cited but not described in docs/rules.md: {missing}"
    assert described == {str(n) for n in range(1, 10)}


def test_the_pattern_ignores_percent_encoding_and_codes() -> None:
    prose = "q=%E4%BB%8B 0xE4 1104-123456-7 E4-x ABC1 J2a, (S11) R2: P3a."
    assert RULE_ID.findall(prose) == ["J2a", "S11", "R2", "P3a"]


def test_the_readme_links_the_rules() -> None:
    assert "(docs/rules.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
