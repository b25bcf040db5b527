"""Spider middleware: delta-fetch, skipping the articles the archive already holds."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.archive.schema import open_archive
from crawler.components.delta import DeltaIndex
from crawler.items import ARTICLE, Article


class DeltaFetchMiddleware:
    """Drop requests for articles the archive already holds; stop paginating stale lists.

    Spiders tag requests with meta["link"]: "article" (an article URL pattern matched),
    "page" (unknown until parsed), "list", or "next" (the next page of the list being
    parsed). A list page whose article links are all archived brings nothing new, so its
    "next" links are dropped when DELTAFETCH_STOP_PAGINATION is on.
    """

    def __init__(self, crawler: Crawler, path: str, stop_pagination: bool) -> None:
        self.crawler = crawler
        self.path = path
        self.stop_pagination = stop_pagination
        self.stats = crawler.stats
        self.index = DeltaIndex()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeltaFetchMiddleware:
        settings = crawler.settings
        if not settings.getbool("DELTAFETCH_ENABLED") or not settings.get("ARCHIVE_PATH"):
            raise NotConfigured
        middleware = cls(
            crawler, settings.get("ARCHIVE_PATH"), settings.getbool("DELTAFETCH_STOP_PAGINATION")
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        site = getattr(getattr(spider, "site", None), "slug", None)
        db = open_archive(self.path)
        try:
            self.index = DeltaIndex.from_archive(db, site)
        finally:
            db.conn.close()
        self.stats.set_value("deltafetch/archived_at_start", len(self.index.archived))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> list[Any]:
        return self.filter(list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        for output in self.filter([r async for r in result]):
            yield output

    def filter(self, outputs: list[Any]) -> list[Any]:
        """Return the outputs of one response without archived articles and stale pagination."""
        kept, new, known = [], 0, 0
        for output in outputs:
            if isinstance(output, Article) and output.kind == ARTICLE:
                self.index.learn(output.url)
            if not isinstance(output, Request) or output.meta.get("link") not in (
                "article",
                "page",
            ):
                kept.append(output)
                continue
            article_like = output.meta["link"] == "article" or self.index.looks_like_article(
                output.url
            )
            if self.index.is_archived(output.url):
                self.stats.inc_value("deltafetch/skipped")
                known += 1
                continue
            new += article_like
            kept.append(output)
        if self.stop_pagination and known and not new:
            before = len(kept)
            kept = [
                o for o in kept if not (isinstance(o, Request) and o.meta.get("link") == "next")
            ]
            self.stats.inc_value("deltafetch/pagination_stopped", before - len(kept))
        self.stats.inc_value("deltafetch/articles_seen", new + known)
        return kept
