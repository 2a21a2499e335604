"""The web client's copies of the code lists match kit/codes/data: the search criteria read as names
(a saved search keeps codes — 都道府県 11, 市区町村 11222 — and web/js/criteria.js names them)."""

from __future__ import annotations

import json
import re

from gateway.app import WEB_DIR
from kit import codes


def test_municipality_names_are_kit_codes_flattened():
    """web/data/municipalities.json: every 市区町村 code → its name, exactly as kit.codes has them."""
    served = json.loads((WEB_DIR / "data" / "municipalities.json").read_text(encoding="utf-8"))
    assert served == {code: place.name for code, place in codes.all_municipalities().items()}
    assert served["11222"] == "越谷市" and len(served) == 1902


def test_prefectures_are_listed_in_code_order():
    """criteria.js names code N by PREFECTURES[N - 1], so codes.js lists the 47 in JIS code order."""
    source = (WEB_DIR / "js" / "codes.js").read_text(encoding="utf-8")
    listed = re.search(r"export const PREFECTURES = \[(.*?)\];", source)
    names = re.findall(r'"([^"]+)"', listed.group(1))
    assert names == list(codes.prefectures().values())
    assert names[10] == "埼玉県"
