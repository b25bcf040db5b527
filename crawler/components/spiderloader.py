"""Scrapy's spider loader: one spider per site of the registry, plus SPIDER_MODULES
(SPIDER_LOADER_CLASS)."""

from __future__ import annotations

import re

from scrapy import Spider
from scrapy.exceptions import UsageError
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import load_object

from crawler.sites import SITES, SPIDER_KINDS, Site, SitesFileError


class SitesSpiderLoader(SpiderLoader):
    """Every registry entry is a spider named by its slug, built from its `spider` kind.

    The registry is read only when a spider is loaded or listed: `scrapy list` and `scrapy crawl`
    then name a bad LEGALNEWS_SITES file in one line (exit 2) where a spider would fail with a
    traceback, and loading the spider modules never reads it.
    """

    def load(self, spider_name: str) -> type[Spider]:
        """Return the spider class called `spider_name`; UsageError for a bad sites file."""
        check_registry()
        if spider_name not in self._spiders and spider_name in SITES:
            return site_spider(SITES[spider_name])
        return super().load(spider_name)

    def list(self) -> list[str]:
        """Return the names of the spiders, the sites of the registry included; UsageError for a bad
        sites file."""
        check_registry()
        return super().list() + [slug for slug in SITES if slug not in self._spiders]


def site_spider(site: Site) -> type[Spider]:
    """Return a spider class for `site`: its kind's class, named by its slug and bound to it."""
    base = load_object(SPIDER_KINDS[site.spider])
    title = re.sub(r"\W", "", site.slug.title().replace("_", "")) or "Site"
    return type(
        f"{title}Spider", (base,), {"name": site.slug, "site": site, "__module__": base.__module__}
    )


def check_registry() -> None:
    """Raise UsageError (Scrapy prints it and exits 2) when the LEGALNEWS_SITES file is unusable."""
    try:
        len(SITES)
    except SitesFileError as exc:
        raise UsageError(str(exc), print_help=False) from None
