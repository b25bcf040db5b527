"""Drop what is not an archivable article; count every missing field."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.exceptions import IncompleteArticle, NotAnArticle
from crawler.items import ARTICLE, Article

COUNTED_FIELDS = ("title", "published", "source", "author", "editor", "body", "original_url")


class ValidatePipeline:
    """Let through articles with a title and a body; count missing fields in stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        if not isinstance(item, Article):
            raise DropItem(f"not an Article: {type(item).__name__}")
        if item.kind != ARTICLE:
            raise NotAnArticle(f"not an article page ({item.kind}): {item.url}")
        site = item.site or "unknown"
        self.stats.inc_value(f"fields/{site}/articles")
        for name in COUNTED_FIELDS:
            if getattr(item, name):
                self.stats.inc_value(f"fields/{site}/filled/{name}")
            else:
                self.stats.inc_value(f"fields/{site}/missing/{name}")
        if not item.title or not item.body:
            missing = " and ".join(n for n in ("title", "body") if not getattr(item, n))
            raise IncompleteArticle(f"no {missing} extracted: {item.url}")
        return item
