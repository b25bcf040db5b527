"""Only a legalnews archive is opened: other files are refused untouched, readers never write."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from click.testing import CliRunner

from crawler.archive.schema import SCHEMA_VERSION
from crawler.cli import main
from tests.support.archive_helpers import archive_of_version, store_one_and_close

# Each command with the arguments it needs besides --db; none of them reaches the internet
# (the crawl's start page is a closed local port, the drain's Redis too).
READERS = {
    "stats": ["stats"],
    "reprints": ["reprints"],
    "search": ["search", "禁毒"],
    "export": ["export", "--format", "jsonl", "--out", "{tmp}/out.jsonl"],
    "query": ["query", "SELECT 1"],
}
WRITERS = {
    "reparse": ["reparse"],
    "import-warc": ["import-warc", "{tmp}/some.warc"],
    "crawl": ["crawl", "--start-url", "http://127.0.0.1:9/"],
    "demo": ["demo"],
    "drain": ["drain", "--redis", "redis://127.0.0.1:9/0"],
}
COMMANDS = {**READERS, **WRITERS}
SIDE_FILES = ("-wal", "-shm", "-journal")
# A WARC of one warcinfo record: a file import-warc accepts, with nothing to store.
WARCINFO_ONLY = (
    b"WARC/1.0\r\nWARC-Type: warcinfo\r\n"
    b"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000000>\r\n"
    b"WARC-Date: 2026-01-01T00:00:00Z\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
)


def run(command: str, db, tmp_path):
    (tmp_path / "some.warc").write_bytes(WARCINFO_ONLY)
    args = [a.replace("{tmp}", str(tmp_path)) for a in COMMANDS[command]]
    return CliRunner().invoke(main, [*args, "--db", str(db)])


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_error_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def foreign_database(path, wal: bool) -> None:
    """Write a small SQLite database of somebody else's, closed cleanly."""
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES ('我的数据')")
    conn.commit()
    conn.close()


def assert_untouched(path, before: str) -> None:
    assert digest(path) == before
    assert [s for s in SIDE_FILES if path.with_name(path.name + s).exists()] == []


@pytest.mark.parametrize("wal", [False, True], ids=["rollback-journal", "wal"])
@pytest.mark.parametrize("command", COMMANDS)
def test_a_database_that_is_not_an_archive_is_refused_untouched(tmp_path, command, wal):
    path = tmp_path / "mine.db"
    foreign_database(path, wal)
    before = digest(path)
    result = run(command, path, tmp_path)
    assert result.exit_code == 2
    assert "is not a legalnews archive" in one_error_line(result)
    assert_untouched(path, before)


def damaged_database(path) -> None:
    """Write a SQLite header in WAL mode followed by junk instead of pages."""
    foreign_database(path, wal=True)
    path.write_bytes(path.read_bytes()[:100] + b"\x07" * 4000)


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda path: path.write_bytes("我的笔记，不是数据库。\n".encode() * 200),
            "is not a SQLite database",
        ),
        (lambda path: path.write_bytes(b"SQLite format 3\x00"), "is not a SQLite database"),
        (damaged_database, "cannot read"),
    ],
    ids=["text", "header-only", "damaged"],
)
@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path, command, make, message):
    path = tmp_path / "notes.db"
    make(path)
    before = digest(path)
    result = run(command, path, tmp_path)
    assert result.exit_code == 2
    assert message in one_error_line(result)
    assert_untouched(path, before)


@pytest.mark.parametrize("command", [*READERS, "reparse"])
def test_a_reader_on_a_missing_or_empty_file_creates_nothing(tmp_path, command):
    missing, empty = tmp_path / "none.db", tmp_path / "empty.db"
    empty.write_bytes(b"")
    for path in (missing, empty):
        result = run(command, path, tmp_path)
        assert result.exit_code == 2
        assert f"no archive at {path}" in one_error_line(result)
    assert not missing.exists()
    assert empty.read_bytes() == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db", "some.warc"]


def test_a_writer_makes_an_empty_file_an_archive(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    result = run("import-warc", path, tmp_path)
    assert result.exit_code == 0, result.output
    versions = sqlite3.connect(path).execute("SELECT max(version) FROM _migrations").fetchone()
    assert versions == (SCHEMA_VERSION,)


@pytest.mark.parametrize("command", [c for c in READERS if c != "query"])
def test_a_reader_on_an_older_archive_says_how_to_upgrade_and_writes_nothing(
    tmp_path, monkeypatch, command
):
    path = tmp_path / "old.db"
    archive_of_version(path, 6, monkeypatch)
    before = digest(path)
    result = run(command, path, tmp_path)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert f"{path} has schema version 6, this legalnews needs {SCHEMA_VERSION}" in line
    assert f"`legalnews reparse --db {path}`" in line
    assert digest(path) == before


def test_query_reads_an_older_archive_without_upgrading_it(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    archive_of_version(path, 6, monkeypatch)
    before = digest(path)
    result = CliRunner().invoke(main, ["query", "SELECT title FROM articles", "--db", str(path)])
    assert result.exit_code == 0 and "禁毒宣传" in result.output
    assert digest(path) == before


def test_a_writer_upgrades_an_older_archive(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    archive_of_version(path, 6, monkeypatch)
    result = run("reparse", path, tmp_path)
    assert result.exit_code == 0, result.output
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT max(version) FROM _migrations").fetchone() == (SCHEMA_VERSION,)
    assert conn.execute("SELECT title FROM articles").fetchall() == [("禁毒宣传",)]


@pytest.mark.parametrize("command", COMMANDS)
def test_an_archive_newer_than_this_code_is_refused_untouched(tmp_path, db, command):
    newer = SCHEMA_VERSION + 1
    db.execute("INSERT INTO _migrations VALUES (?, 'from a later legalnews', 'x')", [newer])
    path = tmp_path / "archive.db"
    store_one_and_close(db, site="lnfz", title="禁毒宣传")
    before = digest(path)
    result = run(command, path, tmp_path)
    assert result.exit_code == 2
    line = one_error_line(result)
    assert f"has schema version {newer}, newer than this legalnews knows ({SCHEMA_VERSION})" in line
    assert digest(path) == before


@pytest.mark.parametrize("command", ["stats", "reprints", "search", "export"])
def test_a_reader_leaves_a_current_archive_byte_identical(tmp_path, db, command):
    path = tmp_path / "archive.db"
    store_one_and_close(db, site="lnfz", title="禁毒宣传")
    before = digest(path)
    result = run(command, path, tmp_path)
    assert result.exit_code == 0, result.output
    assert digest(path) == before
