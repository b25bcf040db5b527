"""The generic portal spider: start pages, lists, pagination, sitemaps, feeds, article links."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.link import Link
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from crawler import signals as our_signals
from crawler.clock import utcnow
from crawler.components.urlsafety import SAFE_SCHEMES
from crawler.items import ARTICLE, Article
from crawler.parsing import parse_page
from crawler.parsing.api import looks_binary
from crawler.parsing.registry import parser_for
from crawler.sites import Site
from spiders.discovery import SitemapsAndFeeds
from spiders.guards import TrapGuard, empty_page_reason, failure_reason, redirect_loop

# Anchor texts of pagination links: page numbers, 下一页, 尾页 and their English cousins.
PAGINATION_TEXT = re.compile(r"^(\d{1,4}|下一?页|后页|尾页|末页|最后一页|next|last|[>›»]+)$", re.I)
FEED_LINKS = (
    'link[rel="alternate"][type*="rss"]::attr(href), '
    'link[rel="alternate"][type*="atom"]::attr(href)'
)


class PortalSpider(SitemapsAndFeeds, scrapy.Spider):
    """Crawl one site of the registry.

    With URL patterns, links are followed by pattern (article / list); without, every
    same-site link is fetched and the parser's `kind` tells list from article pages.
    Sitemaps (from robots.txt, else /sitemap.xml) and RSS/Atom feeds add article links.
    Requests carry meta["link"] for the delta-fetch middleware.
    """

    site: Site

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = sorted(
            {h.removeprefix("www.").split(":")[0] for h in self.site.hosts}
        )
        self.links = LinkExtractor()  # allow_domains would refuse hosts with a port
        self.article_re = [re.compile(p) for p in self.site.article_patterns]
        self.list_re = [re.compile(p) for p in self.site.list_patterns]
        # The site's parser, held here: registering the site's hosts would leak into later crawls.
        self.parser = parser_for(f"http://{self.site.parser or next(iter(self.site.hosts), '')}/")
        self.traps = TrapGuard(0)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs) -> PortalSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.traps = TrapGuard(
            crawler.settings.getint("TRAP_MAX_LIST_PAGES"),
            crawler.settings.getint("TRAP_MAX_BARREN_PAGES"),
        )
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.request_scheduled, signal=signals.request_scheduled)
        if crawler.settings.getbool("SITEMAP_DISCOVERY") and crawler.settings.getbool(
            "ROBOTSTXT_OBEY"
        ):
            # Scrapy's robots middleware reads robots.txt once per host: its Sitemap: lines come
            # from there.
            crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield self.request(url, "list")
        if self.settings.getbool("SITEMAP_DISCOVERY") and not self.settings.getbool(
            "ROBOTSTXT_OBEY"
        ):
            # No robots middleware reads robots.txt: read it here for its Sitemap: lines.
            for root in self.roots():
                yield scrapy.Request(
                    f"{root}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.no_robots,
                    meta={"dont_obey_robotstxt": True, "link": "robots", "root": root},
                )

    def request(self, url: str, link: str) -> scrapy.Request:
        """Return the request for a page; `link` says what kind of page it should be."""
        return scrapy.Request(url, callback=self.parse, errback=self.failed, meta={"link": link})

    # ------------------------------------------------------------------ pages
    def parse(self, response: Response) -> Iterator[Article | scrapy.Request]:
        """Yield the article of an article page, or follow the links of a list page."""
        if problem := self.not_a_page(response):
            self.report(response.url, problem, response.status)
            return
        link = response.meta.get("link")
        if self.article_re and link == "article":
            article = self.article(response)
            if article.kind == ARTICLE or self.links.extract_links(response):
                yield article  # a list where an article was expected is dropped, not a failure
            else:
                self.report(response.url, empty_page_reason(response.body), response.status)
            return
        if not self.article_re:
            article = self.article(response)
            if article.kind == ARTICLE:
                yield article
                return
        if self.traps.closed(response.url):
            return  # a leftover page of a crawl trap: its links lead further in
        requests = list(self.follow(response))
        if not requests and not self.links.extract_links(response):
            # Neither an article nor a list (lxml kept nothing of a page nested too deep, say).
            self.report(response.url, empty_page_reason(response.body), response.status)
        articles = [r.url for r in requests if r.meta["link"] in ("article", "page")]
        if trap := self.traps.count(response.url, articles):
            self.report(response.url, trap, response.status)
        yield from (r for r in requests if not self.traps.closed(r.url))

    def not_a_page(self, response: Response) -> str | None:
        """Return why a response cannot be a page (empty, binary), or None."""
        ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "no Content-Type"
        if not response.body.strip():
            return f"empty body (HTTP {response.status}, {ctype})"
        if not isinstance(response, TextResponse):
            return f"not an HTML page ({ctype})"
        if looks_binary(response.body):
            return f"not an HTML page: binary data served as {ctype}"
        return None

    def article(self, response: Response) -> Article:
        """Return the page parsed into an Article (its `kind` says whether it is one)."""
        headers = {
            k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v
        }
        article = parse_page(response.url, response.body, headers, self.parser)
        article.site = self.site.slug
        article.status = response.status
        article.fetched_at = utcnow()
        return article

    def follow(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Yield requests for the same-site links and feeds of a list page."""
        for link in self.links.extract_links(response):
            if not self.same_site(link.url) or self.traps.closed(link.url):
                continue
            kind = self.classify(link.url, link)
            if kind:
                yield self.request(link.url, kind)
        for href in response.css(FEED_LINKS).getall():
            yield scrapy.Request(
                response.urljoin(href),
                callback=self.parse_feed,
                errback=self.ignored,
                meta={"link": "feed"},
            )

    def same_site(self, url: str) -> bool:
        """Return True for an http(s) URL on one of the site's hosts or their subdomains."""
        parts = urlsplit(url)
        if parts.scheme.lower() not in SAFE_SCHEMES:
            return False
        host = (parts.hostname or "").lower()
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

    def failed(self, failure: Failure) -> None:
        """Report a request that could not be fetched as a failure of this run."""
        reason = failure_reason(failure)
        if reason is None:
            # refused on purpose (robots.txt, offsite links): counted in stats, not a failure
            return
        response = getattr(failure.value, "response", None)
        self.report(failure.request.url, reason, response.status if response is not None else None)

    def request_dropped(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """A redirect back to a URL of its own chain is dropped as seen: report the loop."""
        if (reason := redirect_loop(request)) and request.meta.get("redirect_urls"):
            self.report(request.meta["redirect_urls"][0], reason, None)

    def request_scheduled(self, request: scrapy.Request, spider: scrapy.Spider) -> None:
        """A redirect off-site is dropped by Scrapy's offsite filter without a word: report it."""
        chain = request.meta.get("redirect_urls")
        if chain and not self.same_site(request.url):
            self.report(chain[0], f"refused: redirect off-site to {request.url}", None)

    def report(self, url: str, reason: str, status: int | None) -> None:
        """Record `url` as a failure of this run, for `reason`."""
        self.logger.warning("failed %s: %s", url, reason)
        self.crawler.signals.send_catch_log(
            our_signals.page_failed, url=url, reason=reason, status=status
        )
