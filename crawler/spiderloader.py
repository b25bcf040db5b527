"""Scrapy's spider loader, reading the site registry first (SPIDER_LOADER_CLASS)."""

from __future__ import annotations

from scrapy import Spider
from scrapy.exceptions import UsageError
from scrapy.spiderloader import SpiderLoader

from crawler.sites import SITES, SitesFileError


class SitesSpiderLoader(SpiderLoader):
    """Load spiders only with a usable registry: `scrapy list` and `scrapy crawl` then name a bad
    LEGALNEWS_SITES file in one line (exit 2) where its spiders would fail with a traceback."""

    def load(self, spider_name: str) -> type[Spider]:
        """Return the spider class called `spider_name`; UsageError for a bad sites file."""
        check_registry()
        return super().load(spider_name)

    def list(self) -> list[str]:
        """Return the names of the spiders; UsageError for a bad sites file."""
        check_registry()
        return super().list()


def check_registry() -> None:
    """Raise UsageError (Scrapy prints it and exits 2) when the LEGALNEWS_SITES file is unusable."""
    try:
        len(SITES)
    except SitesFileError as exc:
        raise UsageError(str(exc), print_help=False) from None
