"""`reparse`: a parser change reaches every stored capture without refetching."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import crawler.archive.ingest as ingest
from crawler.archive.reparse import reparse
from crawler.archive.search import search
from crawler.cli import main
from tests.archive_helpers import archive_from_pages

SEED = "http://www.lnfz.cn/news/52672.html"


@pytest.fixture
def archive(db, tmp_path):
    archive_from_pages(db, tmp_path / "warc", limit=4)
    return db


def fixed_parser(monkeypatch):
    """Pretend the parser was fixed: titles lose their leading quote, bodies gain a marker line."""
    real = ingest.parse_page

    def parse_page(url, body, headers=None):
        article = real(url, body, headers)
        if article.title:
            article.title = article.title.replace("“五大战场”", "五大战场")
        if article.body and "lnfz" in url:
            article.body += "\n修订标记"
        return article

    monkeypatch.setattr(ingest, "parse_page", parse_page)


def test_reparse_without_a_parser_change_changes_nothing(archive):
    report = reparse(archive)
    assert report.counts["checked"] == 4 and report.counts["unchanged"] == 4 and not report.changed


def test_reparse_after_a_parser_change_updates_rows_versions_and_search(archive, monkeypatch):
    versions = archive.execute("SELECT count(*) FROM article_versions").fetchone()[0]
    fixed_parser(monkeypatch)
    report = reparse(archive)
    seed = next(archive.query("SELECT * FROM articles WHERE url = ?", [SEED]))
    assert seed["title"].startswith("五大战场") and seed["body"].endswith("修订标记") and seed["version"] == 2
    changed = {item["url"]: item["fields"] for item in report.changed}
    assert changed[SEED] == ["title", "body"]
    assert report.fields["title"] == 2  # the seed and its reprint on fzzx
    assert archive.execute("SELECT count(*) FROM article_versions").fetchone()[0] == versions + len(changed)
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
    assert "captures re-extracted: 4" in result.output
