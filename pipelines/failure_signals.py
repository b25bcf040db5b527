"""What counts as a failed page, for the pipelines that record failures (store, queue)."""

from __future__ import annotations

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from twisted.python.failure import Failure

from crawler import signals as our_signals
from crawler.exceptions import DuplicateInRun, NotAnArticle
from crawler.items import Article


class FailureSignals:
    """Turn fetch failures, dropped items and callback errors into `submit_failure` calls.

    List pages and same-page duplicates are dropped on purpose and are not failures.
    """

    def connect_failure_signals(self, crawler: Crawler) -> None:
        """Listen to the signals that report a failed page."""
        crawler.signals.connect(self.page_failed, signal=our_signals.page_failed)
        crawler.signals.connect(self.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(self.spider_error, signal=signals.spider_error)

    def submit_failure(self, url: str, reason: str, status: int | None) -> None:
        """Record one failed page (each pipeline says where)."""
        raise NotImplementedError

    def page_failed(self, url: str, reason: str, status: int | None = None) -> None:
        self.submit_failure(url, reason, status)

    def item_dropped(self, item: Article, response, exception: Exception, spider: Spider) -> None:
        if isinstance(exception, (NotAnArticle, DuplicateInRun)):
            return
        self.submit_failure(
            getattr(item, "url", "?"), f"dropped: {exception}", getattr(item, "status", None)
        )

    def spider_error(self, failure: Failure, response, spider: Spider) -> None:
        self.submit_failure(
            response.url, f"parse error: {failure.getErrorMessage()}", response.status
        )
