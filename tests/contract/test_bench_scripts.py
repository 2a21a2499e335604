"""Every benchmark in bench/ still starts: it imports the code it measures by name (services.jobs.commands,
services.jobs.schemas, kit.fields …), so a module moved or a name no longer re-exported shows here, not on the
day someone measures again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "bench").glob("*.py"))


def test_there_are_benchmarks_to_check():
    assert {script.name for script in SCRIPTS} >= {"events.py", "matching.py", "search.py"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda script: script.name)
def test_a_benchmark_imports_what_it_measures_and_answers_help(script):
    done = subprocess.run([sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage:"), done.stdout[:200]
