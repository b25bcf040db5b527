"""`reparse`: a parser change reaches every stored capture without refetching."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import crawler.archive.extraction as extraction
from crawler.archive.reparse import reparse
from crawler.cli import main
from crawler.search.fts import search
from tests.support.archive_helpers import archive_from_pages

SEED = "http://www.lnfz.cn/news/52672.html"


@pytest.fixture
def archive(db, tmp_path):
    archive_from_pages(db, tmp_path / "warc", limit=4)
    return db


def fixed_parser(monkeypatch):
    """Pretend the parser was fixed: titles lose their leading quote, bodies gain a marker line."""
    real = extraction.parse_page

    def parse_page(url, body, headers=None):
        article = real(url, body, headers)
        if article.title:
            article.title = article.title.replace("“五大战场”", "五大战场")
        if article.body and "lnfz" in url:
            article.body += "\n修订标记"
        return article

    monkeypatch.setattr(extraction, "parse_page", parse_page)


def test_reparse_without_a_parser_change_changes_nothing(archive):
    report = reparse(archive)
    assert report.counts["checked"] == 4 and report.counts["unchanged"] == 4 and not report.changed


def test_reparse_after_a_parser_change_updates_rows_versions_and_search(archive, monkeypatch):
    versions = archive.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    fixed_parser(monkeypatch)
    report = reparse(archive)
    seed = next(archive.query("SELECT * FROM articles WHERE url = ?", [SEED]))
    assert (
        seed["title"].startswith("五大战场")
        and seed["body"].endswith("修订标记")
        and seed["version"] == 2
    )
    changed = {item["url"]: item["fields"] for item in report.changed}
    assert changed[SEED] == ["title", "body"]
    assert report.fields["title"] == 2  # the seed and its reprint on fzzx
    assert archive.execute("SELECT count(*) FROM article_versions").fetchone()[0] == versions + len(
        changed
    )
    assert [hit["url"] for hit in search(archive, "修订标记")] == [SEED]
    assert "fields changed: " in "\n".join(report.lines())


def test_reparse_one_site_only(archive, monkeypatch):
    fixed_parser(monkeypatch)
    report = reparse(archive, site="fzzx")
    assert report.counts["checked"] == 3
    assert all("lnfz" not in item["url"] for item in report.changed)


def test_reparse_command_reports(archive, tmp_path):
    result = CliRunner().invoke(main, ["reparse", "--db", str(tmp_path / "archive.db")])
    assert result.exit_code == 0, result.output
    assert "captures:              4 (re-extracted 4, unreadable 0)" in result.output


def test_reparse_report_does_not_count_unreadable_captures_as_re_extracted(archive, tmp_path):
    archive.execute(
        "UPDATE captures SET warc_file = 'gone.warc.gz' "
        "WHERE id = (SELECT capture_id FROM articles WHERE url = ?)",
        [SEED],
    )
    archive.conn.commit()
    result = CliRunner().invoke(main, ["reparse", "--db", str(tmp_path / "archive.db")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "captures:              4 (re-extracted 3, unreadable 1)"
    assert not any("unreadable captures" in line for line in lines[1:])


@pytest.mark.e2e
def test_reparse_in_worker_processes_and_batches_restores_what_the_parser_gives(db, tmp_path):
    archive_from_pages(db, tmp_path / "warc", limit=6)
    before = db.execute("SELECT id, title, body FROM articles ORDER BY id").fetchall()
    db.execute(
        "UPDATE articles SET title = '被改动的标题' WHERE url = ?", [SEED]
    )  # as an older parser left it
    report = reparse(
        db, workers=1, inline_first=0, batch=2
    )  # a spawned worker, transactions of two
    assert (
        report.counts["checked"] == 6
        and report.counts["unchanged"] == 5
        and report.counts["changed"] == 1
    )
    assert [(item["url"], item["fields"]) for item in report.changed] == [(SEED, ["title"])]
    assert db.execute("SELECT id, title, body FROM articles ORDER BY id").fetchall() == before


def test_a_capture_that_breaks_the_parser_or_cannot_be_read_or_stored_is_counted_and_others_go_on(
    db, tmp_path, monkeypatch
):
    import crawler.archive.reparse as module

    archive_from_pages(db, tmp_path / "warc", limit=6)
    urls = [url for (url,) in db.execute("SELECT url FROM articles ORDER BY id")]
    broken, unstorable, moved = urls[1], urls[2], urls[3]
    # one capture points to a WARC file that is gone
    db.execute(
        "UPDATE captures SET warc_file = 'gone.warc.gz' "
        "WHERE id = (SELECT capture_id FROM articles WHERE url = ?)",
        [moved],
    )
    real_parse, real_store = extraction.parse_page, module.store_prepared

    def parse_page(url, body, headers=None):
        if url == broken:
            raise RuntimeError("parser bug")
        article = real_parse(url, body, headers)
        article.body += "\n修订标记"  # a parser fix: every other article changes
        return article

    def store_prepared(db, prepared, capture_id=None):
        if prepared.row["url"] == unstorable:
            raise ValueError("cannot store")
        return real_store(db, prepared, capture_id)

    monkeypatch.setattr(extraction, "parse_page", parse_page)
    monkeypatch.setattr(module, "store_prepared", store_prepared)
    bodies = dict(db.execute("SELECT url, body FROM articles").fetchall())
    report = reparse(db, batch=4)  # the failing store rolls its batch back; it is redone one by one
    c = report.counts
    assert (c["checked"], c["changed"], c["errors"], c["unreadable"]) == (6, 3, 2, 1)
    assert sorted(item["url"] for item in report.changed) == sorted(
        set(urls) - {broken, unstorable, moved}
    )
    after = dict(db.execute("SELECT url, body FROM articles").fetchall())
    for url in (broken, unstorable, moved):
        assert after[url] == bodies[url]  # kept as it was
    assert all(after[url].endswith("修订标记") for url in set(urls) - {broken, unstorable, moved})
    assert "errors:                2" in "\n".join(report.lines())


def test_reparse_recovers_an_article_an_older_parser_called_a_list(db, tmp_path, monkeypatch):
    """Pages without an article row are re-extracted too: a short article once rejected is
    stored."""
    real = extraction.parse_page

    def older_parser(url, body, headers=None):
        article = real(url, body, headers)
        if url == SEED:
            article.kind = "list"
        return article

    monkeypatch.setattr(extraction, "parse_page", older_parser)
    archive_from_pages(db, tmp_path / "warc", limit=4)
    assert not db.execute("SELECT count(*) FROM articles WHERE url = ?", [SEED]).fetchone()[0]
    monkeypatch.setattr(extraction, "parse_page", real)
    report = reparse(db)
    assert report.counts["recovered"] == 1
    assert [item["url"] for item in report.changed] == [SEED]
    assert db.execute("SELECT count(*) FROM articles WHERE url = ?", [SEED]).fetchone()[0] == 1
    assert (
        reparse(db).counts["recovered"] == 0
    )  # stored once: a second reparse finds it in articles
