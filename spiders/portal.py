"""Any portal: a registered site by slug, or an unknown one from its start URLs."""

from __future__ import annotations

from crawler.sites import get_site, site_for_start_urls
from spiders.base import PortalSpider


class AnyPortalSpider(PortalSpider):
    """Crawl `-a site=SLUG` from the registry, or `-a start_urls=URL[,URL...]` of any portal."""

    name = "portal"

    def __init__(
        self, site: str | None = None, start_urls: str | list[str] | None = None, **kwargs
    ) -> None:
        if isinstance(start_urls, str):
            start_urls = [u for u in start_urls.split(",") if u]
        if site:
            self.site = get_site(site)
        elif start_urls:
            self.site = site_for_start_urls(start_urls)
        else:
            raise ValueError("give the portal spider -a site=SLUG or -a start_urls=URL,...")
        super().__init__(**kwargs)
