"""The generic portal spider: start pages, list pages, pagination, article links."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone

import scrapy
from scrapy.http import Response
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from crawler import signals as our_signals
from crawler.items import Article
from crawler.parsing import parse_page
from crawler.sites import Site


class PortalSpider(scrapy.Spider):
    """Crawl one registered site: follow list links, parse article links.

    A new portal is a `Site` in the registry and a subclass that names it.
    """

    site: Site

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_domains = [h.removeprefix("www.") for h in self.site.hosts]
        self.article_links = LinkExtractor(allow=self.site.article_patterns, allow_domains=self.allowed_domains)
        self.list_links = LinkExtractor(allow=self.site.list_patterns, allow_domains=self.allowed_domains)
        self.article_re = [re.compile(p) for p in self.site.article_patterns]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.start_urls:
            yield self.list_request(url)

    def list_request(self, url: str) -> scrapy.Request:
        """Return the request for a list or home page."""
        return scrapy.Request(url, callback=self.parse, errback=self.failed)

    def article_request(self, url: str) -> scrapy.Request:
        """Return the request for an article page."""
        return scrapy.Request(url, callback=self.parse_article, errback=self.failed)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        """Follow the article and list links of a list or home page."""
        for link in self.article_links.extract_links(response):
            yield self.article_request(link.url)
        for link in self.list_links.extract_links(response):
            yield self.list_request(link.url)

    def parse_article(self, response: Response) -> Iterator[Article | scrapy.Request]:
        """Turn an article page into an Article item."""
        headers = {k.decode("latin-1"): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        article = parse_page(response.url, response.body, headers)
        article.site = self.name
        article.status = response.status
        article.fetched_at = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        yield article

    def failed(self, failure: Failure) -> None:
        """Report a request that could not be fetched as a failure of this run."""
        request = failure.request
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        reason = f"HTTP {status}" if status else f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.logger.warning("failed %s: %s", request.url, reason)
        self.crawler.signals.send_catch_log(
            our_signals.page_failed, url=request.url, reason=reason, status=status
        )
