"""The test suite's own layout: the bench scripts still find the test helpers they use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("script", ["bench_crash.py", "bench_bad_server.py"])
def test_bench_scripts_that_use_the_helpers_still_start(script):
    """`python bench/x.py --help` imports the script's helpers, so a broken import exits 1."""
    result = subprocess.run([sys.executable, f"bench/{script}", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
