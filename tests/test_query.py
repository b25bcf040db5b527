"""`legalnews query`: read-only by construction; every writing form is refused, the archive
unchanged."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.support.archive_helpers import store_one_and_close


@pytest.fixture
def archive_path(db, tmp_path):
    store_one_and_close(db, site="lnfz", title="禁毒宣传")
    return tmp_path / "archive.db"


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(path, sql, *options):
    return CliRunner().invoke(main, ["query", sql, "--db", str(path), *options])


REFUSED = [
    (
        "INSERT INTO articles (url, canonical_url, first_seen_at, fetched_at) "
        "VALUES ('u', 'u', 'x', 'x')"
    ),
    "UPDATE articles SET title = 'x'",
    "DELETE FROM articles",
    "REPLACE INTO outlets VALUES ('a', 'b')",
    "DROP TABLE articles",
    "CREATE TABLE t (x)",
    "CREATE TEMP TABLE t (x)",
    "CREATE INDEX i ON articles(title)",
    "CREATE VIEW v AS SELECT 1",
    "ALTER TABLE articles ADD COLUMN x",
    "ATTACH DATABASE '{tmp}/other.db' AS other",
    "DETACH DATABASE main",
    "VACUUM INTO '{tmp}/copy.db'",
    "VACUUM",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA user_version = 7",
    "PRAGMA query_only = 0",
    "PRAGMA foreign_keys = OFF",
    "SELECT load_extension('mod_spatialite')",
    "BEGIN IMMEDIATE",
    "SAVEPOINT s",
    "REINDEX",
    "ANALYZE",
    "INSERT INTO articles_fts (articles_fts) VALUES ('optimize')",
    "INSERT INTO articles_fts (rowid, title, body) VALUES (99, 'a', 'b')",
    "DELETE FROM articles_fts_config",
    "WITH x AS (SELECT 1) DELETE FROM articles",
    "SELECT 1; DELETE FROM articles",
]


@pytest.mark.parametrize("sql", REFUSED)
def test_writing_statements_are_refused_and_the_archive_is_unchanged(archive_path, tmp_path, sql):
    before = digest(archive_path)
    files = set(tmp_path.iterdir())
    result = run(archive_path, sql.format(tmp=tmp_path))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert digest(archive_path) == before
    assert {p.name for p in set(tmp_path.iterdir()) - files} <= {"archive.db-wal", "archive.db-shm"}


def test_select_as_table_json_and_csv(archive_path):
    sql = "SELECT site, title FROM articles"
    table = run(archive_path, sql)
    assert table.exit_code == 0 and table.output.splitlines()[2].split() == ["lnfz", "禁毒宣传"]
    as_json = run(archive_path, sql, "--format", "json")
    assert json.loads(as_json.output) == [{"site": "lnfz", "title": "禁毒宣传"}]
    as_csv = run(archive_path, sql, "--format", "csv")
    assert list(csv.reader(io.StringIO(as_csv.output))) == [["site", "title"], ["lnfz", "禁毒宣传"]]


@pytest.mark.parametrize(
    "sql",
    [
        (
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3) "
            "SELECT sum(x) FROM n"
        ),
        "PRAGMA table_info(articles)",
        "EXPLAIN QUERY PLAN SELECT * FROM articles WHERE site = 'lnfz'",
    ],
)
def test_reading_forms_are_allowed(archive_path, sql):
    assert run(archive_path, sql).exit_code == 0


def test_sql_error_and_missing_archive_are_one_line(archive_path, tmp_path):
    bad = run(archive_path, "SELECT nosuchcolumn FROM articles")
    assert bad.exit_code == 2 and bad.output.startswith("Error: no such column")
    missing = run(tmp_path / "none.db", "SELECT 1")
    assert missing.exit_code == 2 and "Error: no archive at" in missing.output
    assert not (tmp_path / "none.db").exists()


@pytest.mark.parametrize("sql", ["", "   \n ", "/* only a comment */", "-- only a comment\n"])
def test_an_empty_statement_is_a_usage_error(archive_path, sql):
    result = CliRunner().invoke(main, ["query", "--db", str(archive_path), "--", sql])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["Error: no SQL statement given"]


@pytest.mark.parametrize(
    ("sql", "named"),
    [
        ("VACUUM", "VACUUM"),
        ("/* tidy up */ vacuum", "VACUUM"),
        ("DROP TABLE articles", "DROP TABLE"),
        ("CREATE INDEX i ON articles(title)", "CREATE INDEX"),
        ("CREATE TEMP VIEW v AS SELECT 1", "CREATE TEMP VIEW"),
        ("CREATE VIRTUAL TABLE v USING fts5(x)", "CREATE VIRTUAL TABLE"),
        ("ALTER TABLE articles ADD COLUMN x", "ALTER TABLE"),
        ("DELETE FROM articles", "DELETE"),
        ("WITH x(n) AS (SELECT 1) DELETE FROM articles WHERE id IN (SELECT n FROM x)", "DELETE"),
        ("REPLACE INTO outlets VALUES ('a', 'b')", "REPLACE"),
        ("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')", "INSERT"),
        ("PRAGMA main.user_version = 7", "PRAGMA user_version"),
        ("BEGIN IMMEDIATE", "BEGIN"),
        ("ANALYZE", "ANALYZE"),
        ("SELECT load_extension('mod_spatialite')", "load_extension()"),
    ],
)
def test_a_refusal_names_the_statement_written(archive_path, sql, named):
    result = run(archive_path, sql)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {named} is refused: legalnews query is read-only"
    ]


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT rowid FROM articles_fts LIMIT 1",
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH '\"禁 毒\"'",
        "SELECT a.title FROM articles_fts f JOIN articles a ON a.id = f.rowid "
        "WHERE articles_fts MATCH '\"宣 传\"' ORDER BY f.rank",
    ],
)
def test_the_search_index_can_be_read(archive_path, sql):
    result = run(archive_path, sql, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 1
