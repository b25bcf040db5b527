"""Drop what is not an archivable article (crawler.exceptions.why_dropped); count missing fields."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.exceptions import IncompleteArticle, why_dropped
from crawler.items import TEXT_FIELDS, Article

COUNTED_FIELDS = TEXT_FIELDS


class ValidatePipeline:
    """Let through articles with a title and a body; count missing fields in stats."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        problem = why_dropped(item)
        # Lists and non-items are not articles: only articles count towards field coverage.
        if problem is None or isinstance(problem, IncompleteArticle):
            self.count_fields(item)
        if problem is not None:
            raise problem
        return item

    def count_fields(self, item: Article) -> None:
        """Count the item's filled and missing fields in the crawl stats."""
        site = item.site or "unknown"
        self.stats.inc_value(f"fields/{site}/articles")
        for name in COUNTED_FIELDS:
            if getattr(item, name):
                self.stats.inc_value(f"fields/{site}/filled/{name}")
            else:
                self.stats.inc_value(f"fields/{site}/missing/{name}")
