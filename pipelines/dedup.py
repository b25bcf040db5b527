"""URL-level deduplication within a run: one page fetched under two URLs is one item."""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.exceptions import DuplicateInRun
from crawler.items import Article
from crawler.reprints.fingerprints import canonical_url
from crawler.sites import drop_params_for


class DedupPipeline:
    """Drop an item whose canonical URL this run has already passed on.

    Content-level matching (same story on other URLs) happens when the item is
    stored, against the whole archive, so it holds across runs.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler)

    def process_item(self, item: Article) -> Article:
        key = canonical_url(item.url, drop_params_for(item.url))
        if key in self.seen:
            self.stats.inc_value("dedup/same_url")
            raise DuplicateInRun(f"already archived in this run under its canonical URL: {key}")
        self.seen.add(key)
        return item
