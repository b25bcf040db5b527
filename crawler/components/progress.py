"""Live progress of interactive runs: one status line per site every few seconds."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet.task import LoopingCall


class ProgressExtension:
    """Print pages, articles and rate to stderr while a spider runs (PROGRESS_ENABLED)."""

    def __init__(self, crawler: Crawler, interval: float, out: TextIO) -> None:
        self.crawler = crawler
        self.interval = interval
        self.out = out
        self.started = time.monotonic()
        self.task: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressExtension:
        settings = crawler.settings
        if settings.get("PROGRESS_ENABLED") is None:
            enabled = sys.stderr.isatty() and not settings.get("LOG_FILE")
        else:
            enabled = settings.getbool("PROGRESS_ENABLED")
        if not enabled:
            raise NotConfigured  # progress is shown on terminals only
        extension = cls(crawler, crawler.settings.getfloat("PROGRESS_INTERVAL", 2.0), sys.stderr)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        self.task = LoopingCall(self.report)
        self.task.start(self.interval, now=False)

    def spider_closed(self, spider: Spider) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.report()

    def status(self) -> str:
        """Return the one-line status: site, pages, articles, rate, failures."""
        stats = self.crawler.stats
        spider = self.crawler.spider
        site = getattr(getattr(spider, "site", None), "slug", None) or spider.name
        pages = stats.get_value("response_received_count", 0)
        new = stats.get_value("archive/new", 0)
        stored = (
            new + stats.get_value("archive/updated", 0) + stats.get_value("archive/unchanged", 0)
        )
        skipped = stats.get_value("deltafetch/skipped", 0)
        elapsed = max(time.monotonic() - self.started, 1e-6)
        failures = sum(v for k, v in stats.get_stats().items() if k.startswith("failures/"))
        return (
            f"{site}: {pages} pages, {stored} articles ({new} new, {skipped} already archived), "
            f"{pages / elapsed:.1f} pages/s, {failures} failures, {elapsed:.0f}s"
        )

    def report(self) -> None:
        print(self.status(), file=self.out, flush=True)
