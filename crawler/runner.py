"""Run spiders in this process and summarise what the run put into the archive."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.archive.schema import open_archive


@dataclass
class RunSummary:
    """What one invocation did: pages fetched, articles stored, reprints, failures."""

    pages: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reprints: int = 0
    failures: int = 0
    articles_total: int = 0
    stories_total: int = 0
    reprints_total: int = 0

    def lines(self) -> list[str]:
        """Return the summary as short human-readable lines."""
        return [
            f"pages fetched:       {self.pages}",
            f"articles stored:     {self.new} new, {self.updated} updated, {self.unchanged} unchanged",
            f"reprints recognised: {self.reprints} this run",
            f"failures:            {self.failures}",
            f"archive now holds:   {self.articles_total} articles in {self.stories_total} stories "
            f"({self.reprints_total} reprint copies)",
        ]


def project_settings(overrides: dict[str, Any]) -> Any:
    """Return the legalnews Scrapy settings with `overrides` applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    return settings


def run_spiders(spider_names: list[str], db_path: str, overrides: dict[str, Any] | None = None) -> RunSummary:
    """Crawl with the named spiders into `db_path`; return what the run did."""
    db = open_archive(db_path)
    last_run = db.execute("SELECT coalesce(max(id), 0) FROM crawl_runs").fetchone()[0]
    db.conn.close()
    settings = project_settings({"ARCHIVE_PATH": str(db_path), **(overrides or {})})
    process = CrawlerProcess(settings, install_root_handler=True)
    for name in spider_names:
        process.crawl(name)
    process.start()
    return summarise(db_path, last_run)


def summarise(db_path: str, after_run_id: int) -> RunSummary:
    """Return the totals of the runs after `after_run_id` and of the whole archive."""
    db = open_archive(db_path)
    row = db.execute(
        "SELECT coalesce(sum(pages),0), coalesce(sum(articles_new),0), coalesce(sum(articles_updated),0), "
        "coalesce(sum(articles_unchanged),0), coalesce(sum(reprints),0), coalesce(sum(failures),0) "
        "FROM crawl_runs WHERE id > ?",
        [after_run_id],
    ).fetchone()
    summary = RunSummary(*row)
    summary.articles_total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    summary.stories_total = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    summary.reprints_total = db.execute(
        "SELECT coalesce(sum(copies - 1), 0) FROM stories WHERE copies > 1"
    ).fetchone()[0]
    db.conn.close()
    return summary
