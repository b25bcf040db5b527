"""Write articles, stories, failures and the run record into the SQLite archive."""

from __future__ import annotations

from collections import Counter

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.python.failure import Failure

from crawler import signals as our_signals
from crawler.archive.captures import capture_for, link_failure
from crawler.archive.ingest import store_article
from crawler.archive.runs import finish_run, record_failure, seed_outlets, start_run
from crawler.archive.schema import open_archive, transaction
from crawler.archive.store import NEW
from crawler.exceptions import DuplicateInRun, NotAnArticle
from crawler.health import failure_kind
from crawler.items import Article
from crawler.outlets import outlet_hosts


class StorePipeline:
    """Store each article and its story; log failures; keep one crawl_runs row per spider run."""

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path
        self.counts: Counter[str] = Counter()
        self.db = None
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
        self.db = open_archive(self.path)
        seed_outlets(self.db, outlet_hosts())
        spider = self.crawler.spider
        site = getattr(getattr(spider, "site", None), "slug", None) or spider.name
        self.run_id = start_run(self.db, [site])
        self.crawler.stats.set_value("archive/run_id", self.run_id)  # names this run's WARC captures

    def process_item(self, item: Article) -> Article:
        with transaction(self.db):
            capture_id = capture_for(self.db, item.url, self.run_id)
            _, status, story_id = store_article(self.db, item, self.run_id, capture_id)
            if status == NEW:
                copies = self.db.execute(
                    "SELECT copies FROM stories WHERE id = ?", [story_id]
                ).fetchone()[0]
                if copies > 1:
                    self.counts["reprints"] += 1
        self.counts[status] += 1
        self.crawler.stats.inc_value(f"archive/{status}")
        return item

    def page_failed(self, url: str, reason: str, status: int | None = None) -> None:
        self.save_failure(url, reason, status)

    def item_dropped(self, item: Article, response, exception: Exception, spider: Spider) -> None:
        if isinstance(exception, (NotAnArticle, DuplicateInRun)):
            return
        self.save_failure(getattr(item, "url", "?"), f"dropped: {exception}", getattr(item, "status", None))

    def spider_error(self, failure: Failure, response, spider: Spider) -> None:
        self.save_failure(response.url, f"parse error: {failure.getErrorMessage()}", response.status)

    def save_failure(self, url: str, reason: str, status: int | None) -> None:
        if self.db is None:
            return
        with transaction(self.db):
            record_failure(self.db, self.run_id, url, reason, status)
            link_failure(self.db, url, self.run_id)
        self.counts["failures"] += 1
        self.crawler.stats.inc_value(f"failures/{failure_kind(reason)}")

    def close_spider(self) -> None:
        stats = self.crawler.stats.get_stats()
        self.counts["pages"] = stats.get("response_received_count", 0)
        status = "ok" if not self.counts["failures"] else "failures"
        with transaction(self.db):
            finish_run(self.db, self.run_id, status, dict(self.counts), stats)
        self.db.conn.close()
