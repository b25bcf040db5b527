"""`legalnews query` and export against hostile requests: no write, no attach, no code, no
escape."""

from __future__ import annotations

import hashlib

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.export.files import export
from tests.support.archive_helpers import store_one_and_close

# Beyond tests/test_query.py: table-valued pragmas, other attach spellings, file functions.
HOSTILE_SQL = [
    "SELECT * FROM pragma_journal_mode('delete')",
    "SELECT * FROM pragma_query_only(0)",
    "SELECT * FROM pragma_trusted_schema(1)",
    "PRAGMA main.user_version = 3",
    "PRAGMA writable_schema = 1",
    "PRAGMA temp_store_directory = '{tmp}'",
    "PRAGMA wal_checkpoint(TRUNCATE)",
    "PRAGMA incremental_vacuum",
    "ATTACH 'file:{tmp}/new.db?mode=rwc' AS x",
    "ATTACH ':memory:' AS m",
    "SELECT load_extension('{tmp}/evil.so', 'entry')",
    "SELECT writefile('{tmp}/out.txt', 'x')",
    "SELECT fts3_tokenizer('simple')",
    "CREATE VIRTUAL TABLE v USING fts5(x)",
    (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3) "
        "INSERT INTO outlets SELECT x, x FROM c"
    ),
    "SELECT 1;\nATTACH '{tmp}/new.db' AS x",
]


@pytest.fixture
def archive_path(db, tmp_path):
    store_one_and_close(db, site="../../../etc", title="../../x")
    return tmp_path / "archive.db"


def tree(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("sql", HOSTILE_SQL)
def test_hostile_sql_is_refused_and_writes_nothing(archive_path, tmp_path, sql):
    before = hashlib.sha256(archive_path.read_bytes()).hexdigest()
    files = tree(tmp_path)
    result = CliRunner().invoke(
        main, ["query", sql.format(tmp=tmp_path), "--db", str(archive_path)]
    )
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and len(result.output.strip().splitlines()) == 1
    assert hashlib.sha256(archive_path.read_bytes()).hexdigest() == before
    assert tree(tmp_path) - files <= {"archive.db-wal", "archive.db-shm"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_writes_only_the_path_given(archive_path, tmp_path, fmt):
    """A site or title that looks like a path changes no file name; only `out` appears."""
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    outside = tree(tmp_path) - {"exports"}
    result = CliRunner().invoke(
        main,
        ["export", "--format", fmt, "--out", str(out_dir / f"a.{fmt}"), "--db", str(archive_path)],
    )
    assert result.exit_code == 0, result.output
    assert tree(out_dir) == {f"a.{fmt}"}
    assert tree(tmp_path) - {"exports", f"exports/a.{fmt}"} <= outside | {
        "archive.db-wal",
        "archive.db-shm",
    }


def test_hf_export_stays_inside_its_folder(archive_path, tmp_path):
    from sqlite_utils import Database

    out = tmp_path / "dataset"
    outside = tree(tmp_path)
    report = export(Database(archive_path), "jsonl", out, hf=True)
    assert all(out in f.parents for f in report.files)
    assert tree(out) == {"README.md", "data", "data/train-00000-of-00001.jsonl"}
    added = tree(tmp_path) - outside - {"dataset", "archive.db-wal", "archive.db-shm"}
    assert added == {f"dataset/{p}" for p in tree(out)}


def test_export_refuses_to_overwrite_the_archive_through_another_spelling(archive_path, tmp_path):
    before = hashlib.sha256(archive_path.read_bytes()).hexdigest()
    sneaky = tmp_path / "sub" / ".." / "archive.db"
    (tmp_path / "sub").mkdir()
    result = CliRunner().invoke(
        main, ["export", "--format", "jsonl", "--out", str(sneaky), "--db", str(archive_path)]
    )
    assert result.exit_code == 2 and "is the archive itself" in result.output
    assert hashlib.sha256(archive_path.read_bytes()).hexdigest() == before
