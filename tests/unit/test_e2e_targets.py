"""Issue 11 item 7: the e2e suite runs on the embedded system and on one `make up` stack (tests/e2e/conftest.py).
A module that cannot run on the stack says why (EMBEDDED_ONLY), and only such a module builds a system of its own
(a `system` fixture of its own would leave the stack out without a word) — read from each module's syntax tree."""

from __future__ import annotations

import ast
from pathlib import Path

E2E = Path(__file__).resolve().parents[1] / "e2e"


def _modules() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(E2E.glob("test_*.py"))}


def _embedded_only(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EMBEDDED_ONLY" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, str)
            return value
    return None


def test_issue11_a_module_with_a_system_of_its_own_says_why_it_cannot_run_on_make_up():
    """A `system` fixture of its own, or an EmbeddedSystem built by hand, leaves the stack out: say why."""
    own_system = [name for name, tree in _modules().items()
                  if any(isinstance(node, ast.FunctionDef) and node.name == "system" for node in tree.body)
                  or any(isinstance(node, ast.Name) and node.id == "EmbeddedSystem" for node in ast.walk(tree))]
    assert own_system, "no module builds its own system: this test reads nothing"
    assert [name for name in own_system if not _embedded_only(_modules()[name])] == []


def test_issue11_every_embedded_only_reason_is_a_sentence_and_most_modules_run_on_make_up():
    reasons = {name: _embedded_only(tree) for name, tree in _modules().items()}
    assert all(reason is None or len(reason.split()) >= 8 for reason in reasons.values()), reasons
    on_up = [name for name, reason in reasons.items() if reason is None]
    assert len(on_up) >= 17, on_up  # what runs on the stack today; a module taken off it must be argued here
