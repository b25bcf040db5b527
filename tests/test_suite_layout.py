"""The test suite's own layout: helpers in tests/support/, the bench scripts still find them."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.process_helpers import run_python

ROOT = Path(__file__).resolve().parent.parent
HELPERS = (
    "archive_helpers",
    "crash_trials",
    "drain_queue",
    "fault_bodies",
    "fault_crawl",
    "fault_pages",
    "fault_server",
    "fault_traps",
    "fault_wire",
    "local_server",
    "news_text",
    "portal_site",
    "process_helpers",
    "redis_server",
)


def test_helpers_live_in_tests_support_each_saying_what_it_serves():
    package = importlib.import_module("tests.support")
    assert package.__doc__ and package.__doc__.strip()
    for name in HELPERS:
        module = importlib.import_module(f"tests.support.{name}")
        assert module.__doc__ and module.__doc__.strip().splitlines()[0], name
    loose = sorted(
        path.name
        for path in (ROOT / "tests").glob("*.py")
        if path.name != "conftest.py" and not path.name.startswith("test_")
    )
    assert loose == []


@pytest.mark.e2e
@pytest.mark.parametrize("script", ["bench_crash.py", "bench_bad_server.py"])
def test_bench_scripts_that_use_the_helpers_still_start(script):
    """`python bench/x.py --help` imports the script's helpers, so a broken import exits 1."""
    result = run_python(f"bench/{script}", "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_e2e_and_redis_markers_are_registered_and_strict(request):
    names = {line.split(":")[0].strip() for line in request.config.getini("markers")}
    assert {"e2e", "redis"} <= names
    assert request.config.option.strict_markers


SAMPLE = """
import pytest

def test_unit():
    pass

@pytest.mark.e2e
def test_end_to_end():
    pass

@pytest.mark.e2e
@pytest.mark.redis
def test_with_redis():
    pass
"""


@pytest.mark.e2e
def test_not_e2e_deselects_the_marked_tests_and_a_misspelt_marker_stops_the_run(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(SAMPLE, encoding="utf-8")
    pytest_here = [
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-c",
        str(ROOT / "pyproject.toml"),
        "--rootdir",
        str(tmp_path),
        str(sample),
    ]
    unit = run_python(*pytest_here, "-m", "not e2e")
    assert unit.returncode == 0, unit.stdout
    assert "1 passed, 2 deselected" in unit.stdout
    sample.write_text(SAMPLE.replace("mark.redis", "mark.rediss"), encoding="utf-8")
    typo = run_python(*pytest_here)
    assert typo.returncode != 0
    assert "'rediss' not found in `markers` configuration option" in typo.stdout


@pytest.mark.e2e
def test_bare_pytest_from_the_repo_root_finds_the_support_helpers():
    """`pytest` alone, unlike `python -m pytest`, does not put the current folder on sys.path."""
    collect = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only"]
    result = run_python("-P", *collect, "tests/test_query.py")
    assert result.returncode == 0, result.stdout
    assert "No module named 'tests'" not in result.stdout


def test_a_test_without_the_e2e_mark_may_not_start_a_process():
    with pytest.raises(RuntimeError, match=r"starts python.* but lacks @pytest\.mark\.e2e"):
        subprocess.run([sys.executable, "-c", "pass"], check=False)


@pytest.mark.e2e
def test_an_e2e_test_without_the_redis_mark_may_not_start_redis_server():
    with pytest.raises(RuntimeError, match=r"starts redis-server but lacks @pytest\.mark\.redis"):
        subprocess.run(["redis-server", "--version"], capture_output=True, check=False)
