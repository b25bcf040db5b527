"""`python -m crawler.parsing` prints one JSON line per file and reports unreadable files."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.parsing import extract_files
from tests.support.process_helpers import run_python

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE = FIXTURES / "shapes" / "image-caption" / "page.html"
LIST = FIXTURES / "shapes" / "list-page" / "page.html"


def run(*args: str) -> subprocess.CompletedProcess:
    return run_python("-m", "crawler.parsing", *args)


@pytest.mark.e2e
def test_cli_article_exit_0() -> None:
    proc = run("--url", "http://www.example.org/a/7.html", str(ARTICLE))
    assert proc.returncode == 0
    record = json.loads(proc.stdout)
    assert record["kind"] == "article" and record["title"] and record["file"] == str(ARTICLE)


@pytest.mark.e2e
def test_cli_single_list_page_exits_3() -> None:
    proc = run(str(LIST))
    assert proc.returncode == 3
    assert json.loads(proc.stdout) == {"file": str(LIST), "kind": "list"}


@pytest.mark.e2e
def test_cli_errors_do_not_stop_the_batch(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    missing = tmp_path / "missing.html"
    proc = run(str(empty), str(binary), str(missing), str(ARTICLE), str(LIST))
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["file"] for r in lines] == [
        str(empty),
        str(binary),
        str(missing),
        str(ARTICLE),
        str(LIST),
    ]
    assert all("error" in r for r in lines[:3])
    assert lines[3]["kind"] == "article" and lines[4] == {"file": str(LIST), "kind": "list"}
    assert proc.returncode == 0  # as `legalnews extract`: some files were extracted


def test_extract_files_library_call(tmp_path: Path) -> None:
    records = list(extract_files([str(ARTICLE), str(tmp_path / "nope.html")]))
    assert len(records) == 2 and "error" in records[1] and records[0]["images"]


def test_legalnews_extract_exits_1_when_every_file_failed(tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    result = CliRunner().invoke(main, ["extract", str(empty), str(tmp_path / "missing.html")])
    assert result.exit_code == 1
    assert "Error: no file could be extracted (2 failed)" in result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["file"] for r in records] == [str(empty), str(tmp_path / "missing.html")]


def test_legalnews_extract_keeps_exit_0_when_one_file_extracted(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "missing.html"), str(ARTICLE)])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert "error" in records[0] and records[1]["kind"] == "article"


@pytest.mark.e2e
def test_python_m_crawler_parsing_is_legalnews_extract(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    for args in ([str(missing), str(ARTICLE)], [str(missing)]):
        proc = run(*args)
        result = CliRunner().invoke(main, ["extract", *args])
        assert proc.returncode == result.exit_code, args
        assert proc.stdout.splitlines() == [
            line for line in result.output.splitlines() if line.startswith("{")
        ]
    assert (
        proc.returncode == 1
        and proc.stderr.strip() == "Error: no file could be extracted (1 failed)"
    )
