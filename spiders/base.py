"""The generic portal spider: start pages, lists, pagination, sitemaps, feeds, article links."""

from __future__ import annotations

import gzip
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.link import Link
from scrapy.linkextractors import LinkExtractor
from scrapy.selector import Selector
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler import signals as our_signals
from crawler.items import ARTICLE, Article
from crawler.parsing import parse_page
from crawler.parsing.registry import parser_for, register
from crawler.sites import Site

# Anchor texts of pagination links: page numbers, 下一页, 尾页 and their English cousins.
PAGINATION_TEXT = re.compile(r"^(\d{1,4}|下一?页|后页|尾页|末页|最后一页|next|last|[>›»]+)$", re.I)
FEED_LINKS = (
    'link[rel="alternate"][type*="rss"]::attr(href), link[rel="alternate"][type*="atom"]::attr(href)'
)


class PortalSpider(scrapy.Spider):
    """Crawl one site of the registry.

    With URL patterns, links are followed by pattern (article / list); without, every
    same-site link is fetched and the parser's `kind` tells list from article pages.
    Sitemaps (from robots.txt, else /sitemap.xml) and RSS/Atom feeds add article links.
    Requests carry meta["link"] for the delta-fetch middleware.
    """

    site: Site

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = sorted({h.removeprefix("www.").split(":")[0] for h in self.site.hosts})
        self.links = LinkExtractor()  # allow_domains would refuse hosts with a port
        self.article_re = [re.compile(p) for p in self.site.article_patterns]
        self.list_re = [re.compile(p) for p in self.site.list_patterns]
        if self.site.parser:
            register(*self.site.hosts)(parser_for(f"http://{self.site.parser}/"))

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield self.request(url, "list")
        if self.settings.getbool("SITEMAP_DISCOVERY"):
            for root in sorted({f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in self.site.start_urls}):
                yield scrapy.Request(
                    f"{root}/robots.txt", callback=self.parse_robots, errback=self.no_robots,
                    meta={"dont_obey_robotstxt": True, "link": "robots", "root": root},
                )

    def request(self, url: str, link: str) -> scrapy.Request:
        """Return the request for a page; `link` says what kind of page it should be."""
        return scrapy.Request(url, callback=self.parse, errback=self.failed, meta={"link": link})

    # ------------------------------------------------------------------ pages
    def parse(self, response: Response) -> Iterator[Article | scrapy.Request]:
        """Yield the article of an article page, or follow the links of a list page."""
        if not isinstance(response, TextResponse):
            return
        link = response.meta.get("link")
        if self.article_re and link == "article":
            yield self.article(response)
            return
        if not self.article_re:
            article = self.article(response)
            if article.kind == ARTICLE:
                yield article
                return
        yield from self.follow(response)

    def article(self, response: Response) -> Article:
        """Return the page parsed into an Article (its `kind` says whether it is one)."""
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        article = parse_page(response.url, response.body, headers)
        article.site = self.site.slug
        article.status = response.status
        article.fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        return article

    def follow(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Yield requests for the same-site links and feeds of a list page."""
        for link in self.links.extract_links(response):
            if not self.same_site(link.url):
                continue
            kind = self.classify(link.url, link)
            if kind:
                yield self.request(link.url, kind)
        for href in response.css(FEED_LINKS).getall():
            yield scrapy.Request(
                response.urljoin(href), callback=self.parse_feed, errback=self.ignored, meta={"link": "feed"}
            )

    def same_site(self, url: str) -> bool:
        """Return True for a URL on one of the site's hosts or their subdomains."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    def classify(self, url: str, link: Link | None = None) -> str | None:
        """Return "next", "article", "list" or "page" for a link; None to leave it."""
        if link is not None and PAGINATION_TEXT.match(link.text.strip()):
            if not self.list_re or any(p.search(url) for p in self.list_re):
                return "next"
        if not self.article_re:
            return "page"
        if any(p.search(url) for p in self.article_re):
            return "article"
        if any(p.search(url) for p in self.list_re):
            return "list"
        return None

    # --------------------------------------------------------- sitemaps, feeds
    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the Sitemap: lines of robots.txt, else try /sitemap.xml."""
        text = response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", "replace")
        sitemaps = [line.split(":", 1)[1].strip() for line in text.splitlines()
                    if line.lower().startswith("sitemap:")]
        for url in sitemaps or [response.meta["root"] + "/sitemap.xml"]:
            yield self.sitemap_request(urljoin(response.url, url))

    def no_robots(self, failure: Failure) -> Iterator[scrapy.Request]:
        """Without robots.txt, try /sitemap.xml."""
        yield self.sitemap_request(failure.request.meta["root"] + "/sitemap.xml")

    def sitemap_request(self, url: str) -> scrapy.Request:
        """Return the request for a sitemap or sitemap index."""
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.ignored, meta={"link": "sitemap"})

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the pages and nested sitemaps of a sitemap."""
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        try:
            sitemap = Sitemap(body)
        except Exception:  # not XML: a soft 404 page, say
            return
        for entry in sitemap:
            url = response.urljoin(entry["loc"])
            if sitemap.type == "sitemapindex":
                yield self.sitemap_request(url)
            elif kind := self.classify(url):
                yield self.request(url, kind)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the item links of an RSS or Atom feed."""
        selector = Selector(text=response.text if isinstance(response, TextResponse) else response.body.decode(), type="xml")
        selector.remove_namespaces()
        for url in selector.xpath("//item/link/text() | //entry/link/@href").getall():
            if kind := self.classify(response.urljoin(url.strip())):
                yield self.request(response.urljoin(url.strip()), kind)

    def ignored(self, failure: Failure) -> None:
        """A missing sitemap or feed is not a failure of the run."""
        self.logger.debug("optional page missing: %s", failure.request.url)

    def failed(self, failure: Failure) -> None:
        """Report a request that could not be fetched as a failure of this run."""
        if failure.check(IgnoreRequest):
            return  # refused on purpose (robots.txt, offsite): counted in stats, not a failure
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        reason = f"HTTP {status}" if status else f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.logger.warning("failed %s: %s", request.url, reason)
        self.crawler.signals.send_catch_log(
            our_signals.page_failed, url=request.url, reason=reason, status=status
        )
