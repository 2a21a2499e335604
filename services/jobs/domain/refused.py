"""The one error the jobs rules raise: `Refused`, turned into problem+json at the edge (refusals.py)."""

from __future__ import annotations


class Refused(Exception):
    """A jobs rule refuses what was asked. `kind` says how — not_found, forbidden (the caller may not),
    conflict (the state is in the way), limit_reached, invalid (the input; `fields` names it, each with
    its (Japanese, English) messages) — and refusals.py, at the edge, answers it as problem+json. `ja` /
    `en` say what to do next; `data` (e.g. a stable `reason`) goes along to the client."""

    def __init__(self, kind: str, ja: str | None = None, en: str | None = None, *,
                 fields: dict[str, list[tuple[str, str]]] | None = None, data: dict | None = None) -> None:
        super().__init__(kind, ja)
        self.kind, self.ja, self.en, self.fields, self.data = kind, ja, en, fields, data or {}
