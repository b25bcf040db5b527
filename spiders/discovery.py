"""Article links beyond the list pages: robots.txt Sitemap: lines, sitemaps and RSS/Atom feeds."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.selector import Selector
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from crawler.components.urlsafety import declares_entities


class SitemapsAndFeeds:
    """The sitemap and feed callbacks of PortalSpider.

    They use the spider's `site`, `settings`, `crawler` and `logger`, and its `same_site`,
    `classify`, `request` and `report`: a link found here is followed by the rules of a list page.
    """

    def roots(self) -> list[str]:
        """Return scheme://host[:port] of the start pages, where robots.txt and sitemaps are."""
        return sorted(
            {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.site.start_urls}
        )

    def robots_parsed(self, robotparser: RobotParser, request: scrapy.Request) -> None:
        """Schedule the sitemaps of a start host once Scrapy's robots middleware has read its
        robots.txt."""
        root = f"{urlsplit(request.url).scheme}://{urlsplit(request.url).netloc}"
        if root not in self.roots():
            return
        # Scrapy's default parser keeps the parsed file (Protego) as `rp`, with its Sitemap: lines.
        sitemaps = list(getattr(getattr(robotparser, "rp", None), "sitemaps", None) or ())
        for sitemap in self.sitemap_requests(root, sitemaps):
            self.crawler.engine.crawl(sitemap)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the Sitemap: lines of robots.txt, else try /sitemap.xml."""
        root = response.meta["root"]
        sitemaps = list(sitemap_urls_from_robots(response.body, base_url=root + "/"))
        yield from self.sitemap_requests(root, sitemaps)

    def sitemap_requests(self, root: str, sitemaps: list[str]) -> Iterator[scrapy.Request]:
        """Yield requests for the same-site `sitemaps` listed in robots.txt, else for
        /sitemap.xml."""
        for url in sitemaps or [root + "/sitemap.xml"]:
            if self.same_site(urljoin(root + "/", url)):
                yield self.sitemap_request(urljoin(root + "/", url))

    def no_robots(self, failure: Failure) -> Iterator[scrapy.Request]:
        """Without robots.txt, try /sitemap.xml."""
        yield self.sitemap_request(failure.request.meta["root"] + "/sitemap.xml")

    def sitemap_request(self, url: str) -> scrapy.Request:
        """Return the request for a sitemap or sitemap index."""
        return scrapy.Request(
            url, callback=self.parse_sitemap, errback=self.ignored, meta={"link": "sitemap"}
        )

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the pages and nested sitemaps of a sitemap."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:  # bounded: a small gzip file can inflate to gigabytes
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError, gzip.BadGzipFile) as exc:
                self.report(response.url, f"sitemap not unpacked: {exc}", response.status)
                return
        if declares_entities(body):
            self.report(
                response.url,
                "refused: sitemap declares XML entities (entity expansion)",
                response.status,
            )
            return
        try:
            sitemap = Sitemap(body)
        except Exception:  # not XML: a soft 404 page, say
            return
        for entry in sitemap:
            url = response.urljoin(entry["loc"])
            if not self.same_site(url):
                continue
            if sitemap.type == "sitemapindex":
                yield self.sitemap_request(url)
            elif kind := self.classify(url):
                yield self.request(url, kind)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the item links of an RSS or Atom feed."""
        if declares_entities(response.body):
            self.report(
                response.url,
                "refused: feed declares XML entities (entity expansion)",
                response.status,
            )
            return
        # parsel's XML parser resolves no entities and loads no network DTD; huge_tree off.
        selector = Selector(body=response.body, type="xml", huge_tree=False)
        selector.remove_namespaces()
        for href in selector.xpath("//item/link/text() | //entry/link/@href").getall():
            url = response.urljoin(href.strip())
            if self.same_site(url) and (kind := self.classify(url)):
                yield self.request(url, kind)

    def ignored(self, failure: Failure) -> None:
        """A missing sitemap or feed is not a failure of the run."""
        self.logger.debug("optional page missing: %s", failure.request.url)
