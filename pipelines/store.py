"""Write articles, stories, failures and the run record into the SQLite archive."""

from __future__ import annotations

import threading
from collections import Counter

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlite_utils import Database
from twisted.python.failure import Failure

from crawler import signals as our_signals
from crawler.archive.captures import capture_for, link_failure
from crawler.archive.ingest import store_article
from crawler.archive.runs import finish_run, record_failure, seed_outlets, start_run
from crawler.archive.schema import open_archive, transaction
from crawler.archive.store import NEW
from crawler.archive.writer import ArchiveWriter
from crawler.exceptions import DuplicateInRun, NotAnArticle
from crawler.health import failure_kind
from crawler.items import Article
from crawler.outlets import outlet_hosts


class StorePipeline:
    """Store each article and its story; log failures; keep one crawl_runs row per spider run.

    The writes run on the crawl's ArchiveWriter thread in batched transactions, so the
    crawl never waits for SQLite; `close_spider` waits for them before closing the run.
    """

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()  # counts are updated on the writer thread
        self.writer: ArchiveWriter | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        path = crawler.settings.get("ARCHIVE_PATH")
        if not path:
            raise NotConfigured("ARCHIVE_PATH is empty")
        pipeline = cls(crawler, path)
        crawler.signals.connect(pipeline.page_failed, signal=our_signals.page_failed)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        return pipeline

    def open_spider(self) -> None:
        db = open_archive(self.path)
        with transaction(db):
            seed_outlets(db, outlet_hosts())
            spider = self.crawler.spider
            site = getattr(getattr(spider, "site", None), "slug", None) or spider.name
            self.run_id = start_run(db, [site])
        db.conn.close()
        self.crawler.stats.set_value("archive/run_id", self.run_id)  # names this run's WARC captures
        self.writer = ArchiveWriter.for_crawler(self.crawler)
        self.writer.on_error = self.write_failed

    def process_item(self, item: Article) -> Article:
        self.writer.submit(lambda db: self.store(db, item))
        return item

    def store(self, db: Database, item: Article) -> None:
        """Store one article (on the writer thread) and count what happened."""
        capture_id = capture_for(db, item.url, self.run_id)
        _, status, story_id = store_article(db, item, self.run_id, capture_id)
        reprint = status == NEW and db.execute(
            "SELECT copies FROM stories WHERE id = ?", [story_id]
        ).fetchone()[0] > 1
        with self.lock:
            self.counts[status] += 1
            self.counts["reprints"] += reprint
        self.crawler.stats.inc_value(f"archive/{status}")

    def write_failed(self, db: Database, task, exc: BaseException) -> None:
        """Record an article the archive could not store as a failure of the run."""
        self.save_failure(db, "?", f"store error: {type(exc).__name__}: {exc}", None)

    def page_failed(self, url: str, reason: str, status: int | None = None) -> None:
        self.submit_failure(url, reason, status)

    def item_dropped(self, item: Article, response, exception: Exception, spider: Spider) -> None:
        if isinstance(exception, (NotAnArticle, DuplicateInRun)):
            return
        self.submit_failure(getattr(item, "url", "?"), f"dropped: {exception}", getattr(item, "status", None))

    def spider_error(self, failure: Failure, response, spider: Spider) -> None:
        self.submit_failure(response.url, f"parse error: {failure.getErrorMessage()}", response.status)

    def submit_failure(self, url: str, reason: str, status: int | None) -> None:
        if self.writer is not None:
            self.writer.submit(lambda db: self.save_failure(db, url, reason, status))

    def save_failure(self, db: Database, url: str, reason: str, status: int | None) -> None:
        """Insert a failures row pointing at the page's capture (on the writer thread)."""
        record_failure(db, self.run_id, url, reason, status)
        link_failure(db, url, self.run_id)
        with self.lock:
            self.counts["failures"] += 1
        self.crawler.stats.inc_value(f"failures/{failure_kind(reason)}")

    def close_spider(self) -> None:
        if self.writer is not None:
            self.writer.close()
        stats = self.crawler.stats.get_stats()
        self.counts["pages"] = stats.get("response_received_count", 0)
        status = "ok" if not self.counts["failures"] else "failures"
        db = open_archive(self.path)
        with transaction(db):
            finish_run(db, self.run_id, status, dict(self.counts), stats)
        db.conn.close()
