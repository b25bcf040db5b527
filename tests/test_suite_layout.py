"""The test suite's own layout: helpers in tests/support/, the bench scripts still find them."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HELPERS = ("archive_helpers", "crash_trials", "fault_server", "local_server", "portal_site",
           "process_helpers", "redis_server")


def test_helpers_live_in_tests_support_each_saying_what_it_serves():
    package = importlib.import_module("tests.support")
    assert package.__doc__ and package.__doc__.strip()
    for name in HELPERS:
        module = importlib.import_module(f"tests.support.{name}")
        assert module.__doc__ and module.__doc__.strip().splitlines()[0], name
    loose = sorted(path.name for path in (ROOT / "tests").glob("*.py")
                   if path.name != "conftest.py" and not path.name.startswith("test_"))
    assert loose == []


@pytest.mark.parametrize("script", ["bench_crash.py", "bench_bad_server.py"])
def test_bench_scripts_that_use_the_helpers_still_start(script):
    """`python bench/x.py --help` imports the script's helpers, so a broken import exits 1."""
    result = subprocess.run([sys.executable, f"bench/{script}", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
