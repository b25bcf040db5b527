"""Write articles, stories, failures and the run record into the SQLite archive."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.archive.runs import finish_run, seed_outlets, start_run
from crawler.archive.schema import open_archive, transaction
from crawler.components.archive_writer import ArchiveWriterExtension
from crawler.items import Article
from crawler.reprints.outlets import outlet_hosts
from pipelines.failure_signals import FailureSignals


class StorePipeline(FailureSignals):
    """Store each article and its story; log failures; keep one crawl_runs row per spider run.

    The writes run in the crawl process's one archive writer (ArchiveWriterExtension) in
    batched transactions, so the crawl never waits for SQLite; `close_spider` waits for this
    crawler's writes before closing the run.
    """

    def __init__(self, crawler: Crawler, archive: ArchiveWriterExtension) -> None:
        self.crawler = crawler
        self.path = archive.path
        self.archive = archive
        self.opened = False
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler, ArchiveWriterExtension.of(crawler))
        pipeline.connect_failure_signals(crawler)
        return pipeline

    def open_spider(self) -> None:
        db = open_archive(self.path)
        with transaction(db):
            seed_outlets(db, outlet_hosts())
            spider = self.crawler.spider
            site = getattr(getattr(spider, "site", None), "slug", None) or spider.name
            self.run_id = start_run(db, [site])
        db.conn.close()
        self.crawler.stats.set_value(
            "archive/run_id", self.run_id
        )  # names this run's WARC captures
        self.archive.open()
        self.opened = True

    async def process_item(self, item: Article) -> Article:
        await self.archive.put("article", item, self.run_id)  # waits while the writer is behind
        return item

    def submit_failure(self, url: str, reason: str, status: int | None) -> None:
        if self.opened:
            self.archive.submit("failure", url, reason, status, self.run_id)

    async def close_spider(self) -> None:
        counts = await self.archive.flush() if self.opened else {}
        stats = self.crawler.stats.get_stats()
        summary = {
            "pages": stats.get("response_received_count", 0),
            "new": counts.get("archive/new", 0),
            "updated": counts.get("archive/updated", 0),
            "unchanged": counts.get("archive/unchanged", 0),
            "reprints": counts.get("archive/reprints", 0),
            "failures": counts.get("archive/failures", 0),
        }
        db = open_archive(self.path)
        with transaction(db):
            finish_run(db, self.run_id, "failures" if summary["failures"] else "ok", summary, stats)
        db.conn.close()
