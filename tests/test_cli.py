"""The command line: help everywhere, one-line errors with exit 2, archives left intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.support.archive_helpers import store_one_and_close
from tests.support.process_helpers import run_cli, run_crawl

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


@pytest.fixture
def runner():
    return CliRunner()


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(runner, command):
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example: legalnews " + command in result.output
    assert f"legalnews {command}" in README


def test_drain_help_says_where_the_dead_letters_are(runner):
    result = runner.invoke(main, ["drain", "--help"])
    assert result.exit_code == 0
    assert "legalnews:items:dead" in result.output and "LRANGE" in result.output


def test_unknown_site_is_a_one_line_error(runner, tmp_path):
    result = runner.invoke(main, ["crawl", "nosuchsite", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: unknown site nosuchsite (known: fzzx, lnfz)"
    ]
    assert not (tmp_path / "a.db").exists()


@pytest.mark.parametrize(
    "make_path",
    [
        lambda tmp: tmp / "missing-folder" / "a.db",
        lambda tmp: tmp,  # a directory
    ],
)
def test_unwritable_archive_path_is_a_one_line_error(runner, tmp_path, make_path):
    result = runner.invoke(main, ["crawl", "fzzx", "--db", str(make_path(tmp_path))])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")


def test_file_that_is_not_an_archive_is_refused_and_left_unchanged(runner, tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database\n" * 100)
    result = runner.invoke(main, ["crawl", "fzzx", "--db", str(path)])
    assert result.exit_code == 2 and result.output.startswith("Error: ")
    assert path.read_bytes() == b"these are my notes, not a database\n" * 100


def test_bad_arguments_do_not_touch_an_existing_archive(runner, db, tmp_path):
    db.execute(
        "INSERT INTO articles (url, canonical_url, title, first_seen_at, fetched_at) "
        "VALUES ('http://a.cn/1', 'http://a.cn/1', '标题', 'x', 'x')"
    )
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.conn.close()
    result = runner.invoke(main, ["crawl", "fzzx", "nosuchsite", "--db", path])
    assert result.exit_code == 2
    assert sqlite3.connect(path).execute("SELECT title FROM articles").fetchall() == [("标题",)]


def test_reprints_on_a_missing_archive(runner, tmp_path):
    result = runner.invoke(main, ["reprints", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2
    assert "Error: no archive at" in result.output
    assert not (tmp_path / "none.db").exists()


def archive_with_a_site_off_the_registry(db, tmp_path) -> Path:
    """An archive whose one article has a site slug the registry does not know (as WARC imports
    give)."""
    store_one_and_close(db, site="warcsite", title="禁毒宣传")
    return tmp_path / "archive.db"


def site_commands(tmp_path, path, site):
    return {
        "search": ["search", "禁毒", "--site", site, "--db", str(path)],
        "export": [
            "export",
            "--format",
            "jsonl",
            "--out",
            str(tmp_path / "out.jsonl"),
            "--site",
            site,
            "--db",
            str(path),
        ],
        "reparse": ["reparse", "--site", site, "--db", str(path)],
    }


@pytest.mark.parametrize("command", ["search", "export", "reparse"])
def test_unknown_site_option_is_a_one_line_error_and_writes_nothing(runner, db, tmp_path, command):
    path = archive_with_a_site_off_the_registry(db, tmp_path)
    result = runner.invoke(main, site_commands(tmp_path, path, "nosuchsite")[command])
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        "Error: unknown site nosuchsite (known: fzzx, lnfz, warcsite)"
    ]
    assert not (tmp_path / "out.jsonl").exists()
    assert sqlite3.connect(path).execute("SELECT count(*) FROM crawl_runs").fetchone() == (0,)


@pytest.mark.parametrize("command", ["search", "export", "reparse"])
def test_a_site_only_the_archive_knows_is_accepted(runner, db, tmp_path, command):
    path = archive_with_a_site_off_the_registry(db, tmp_path)
    result = runner.invoke(main, site_commands(tmp_path, path, "warcsite")[command])
    assert result.exit_code == 0, result.output
    if command == "export":
        assert "exported 1 rows" in result.output
    if command == "search":
        assert "禁毒宣传" in result.output


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_reprints_limit_below_one_is_refused(runner, db, tmp_path, limit):
    db.conn.close()
    result = runner.invoke(
        main, ["reprints", "--limit", limit, "--db", str(tmp_path / "archive.db")]
    )
    assert result.exit_code == 2
    assert (
        "Invalid value for '--limit'" in result.output
        and f"{limit} is not in the range x>=1" in result.output
    )


def test_log_file_folder_in_the_way_is_a_one_line_error_before_any_archive(runner, tmp_path):
    (tmp_path / "logs").write_text("a file where the folder should be\n")
    result = runner.invoke(
        main,
        [
            "crawl",
            "--start-url",
            "http://127.0.0.1:9/",
            "--log-file",
            str(tmp_path / "logs" / "x.log"),
        ],
    )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: --log-file ")
    assert "cannot create folder" in lines[0]
    assert not (tmp_path / "a.db").exists() and not (tmp_path / "jobs").exists()


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("CONCURRENT_REQUESTS=abc", "Error: -s CONCURRENT_REQUESTS=abc: expected an integer"),
        ("DOWNLOAD_DELAY=fast", "Error: -s DOWNLOAD_DELAY=fast: expected a number"),
        (
            "AUTOTHROTTLE_ENABLED=yes",
            "Error: -s AUTOTHROTTLE_ENABLED=yes: expected true or false (or 1 or 0)",
        ),
        ("ITEM_PIPELINES=abc", "Error: -s ITEM_PIPELINES=abc: expected a JSON object"),
        ("CONCURRENT_REQUESTS", "Error: -s CONCURRENT_REQUESTS: expected NAME=VALUE"),
        ("=3", "Error: -s =3: expected NAME=VALUE"),
        ("DOWNLOAD_TIMEOUT=soon", "Error: -s DOWNLOAD_TIMEOUT=soon: expected a number"),
    ],
)
def test_bad_setting_is_a_one_line_error_before_any_archive(tmp_path, pair, message):
    result = run_crawl("http://127.0.0.1:9/", "--db", str(tmp_path / "a.db"), "-s", pair)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [message]
    assert not (tmp_path / "a.db").exists() and not (tmp_path / "jobs").exists()


@pytest.mark.e2e
def test_bad_setting_with_demo_is_refused_before_the_demo_starts(tmp_path):
    result = run_cli(
        "crawl", "--demo", "fzzx", "--db", str(tmp_path / "a.db"), "-s", "RETRY_TIMES=many"
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["Error: -s RETRY_TIMES=many: expected an integer"]
    assert result.stdout == "" and not (tmp_path / "a.db").exists()
