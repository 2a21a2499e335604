"""tests/README.md's rule, read from the test files themselves: no test calls another test (what two tests
share is a fixture, or a function in a conftest.py or a helper module)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def test_no_test_calls_another():
    modules = {path: ast.parse(path.read_text(encoding="utf-8"), str(path))
               for path in sorted(TESTS.rglob("*.py")) if "vendor" not in path.parts}
    tests = {node.name for tree in modules.values() for node in ast.walk(tree)
             if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")}
    calls = []
    for path, tree in modules.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in tests:
                    calls.append(f"{path.relative_to(TESTS)}:{node.lineno} {name}")
    assert calls == [], calls
