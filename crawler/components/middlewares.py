"""Middlewares: safe targets, trap drops, demo proxy, Crawl-delay, retries, delta-fetch."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.internet.task import deferLater
from twisted.internet.threads import deferToThread

from crawler.archive.schema import open_archive
from crawler.components.delta import DeltaIndex
from crawler.components.pacing import NOT_BEFORE
from crawler.components.urlsafety import (
    RefusedTarget,
    check_addresses,
    check_scheme,
    ip_literal,
    resolve,
)
from crawler.items import ARTICLE, Article


async def sleep(seconds: float) -> None:
    """Wait without blocking the reactor."""
    from twisted.internet import reactor  # imported late: importing it installs a reactor

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


class RefusedRequest(IgnoreRequest):
    """A request SafeTargetMiddleware refused; spiders record it as a failure."""


class SafeTargetMiddleware:
    """Refuse non-http(s) URLs and private-network targets that no site configured.

    Every request passes here, redirects included (Scrapy schedules them anew). The hosts
    of the spider's site (its registry entry, or the start URLs the user gave) and the
    demo's proxied hosts may be anything, 127.0.0.1 included; any other host must be a
    public address, or a name that resolves only to public addresses. The check happens
    before the request is sent: a name whose DNS answer changes between this check and
    the connection (DNS rebinding) is not caught.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.extra_hosts = {h.lower() for h in crawler.settings.getlist("HOST_PROXY_HOSTS")}
        self.resolved: dict[str, list[str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafeTargetMiddleware:
        if not crawler.settings.getbool("SAFE_TARGETS_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def configured(self) -> set[str]:
        """Return the hosts the user configured: the site's hosts and start URLs, proxied hosts."""
        site = getattr(self.crawler.spider, "site", None)
        hosts = set(getattr(site, "hosts", ()))
        hosts |= {(urlsplit(u).hostname or "").lower() for u in getattr(site, "start_urls", ())}
        return {h.lower() for h in hosts} | self.extra_hosts

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        try:
            check_scheme(request.url)
            host = (urlsplit(request.url).hostname or "").lower()
            if host in self.configured():
                return
            if ip_literal(host):
                check_addresses(host, [ip_literal(host)])
                return
            if host not in self.resolved:
                self.resolved[host] = await maybe_deferred_to_future(deferToThread(resolve, host))
            check_addresses(host, self.resolved[host])
        except RefusedTarget as exc:
            raise RefusedRequest(str(exc)) from None


class TrapDropMiddleware:
    """Drop the queued requests of URL templates the spider's trap guard has closed since.

    A calendar queues many days before its template is closed; fetching them would spend
    the site's request slot on pages whose links are not followed anyway.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TrapDropMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        traps = getattr(self.crawler.spider, "traps", None)
        if traps is not None and traps.closed(request.url):
            self.crawler.stats.inc_value("traps/dropped")
            raise IgnoreRequest(f"crawl trap closed: {request.url}")


class HostProxyMiddleware:
    """Send requests for HOST_PROXY_HOSTS through HOST_PROXY_URL.

    The demo portals answer for the real host names on 127.0.0.1, so the real
    spiders crawl them unchanged and stored URLs keep the real hosts.
    """

    def __init__(self, proxy_url: str, hosts: list[str], only: bool) -> None:
        self.proxy_url = proxy_url
        self.hosts = {h.lower() for h in hosts}
        self.only = only

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostProxyMiddleware:
        settings = crawler.settings
        proxy_url = settings.get("HOST_PROXY_URL")
        if not proxy_url:
            raise NotConfigured  # no proxy: fetch directly
        return cls(
            proxy_url, settings.getlist("HOST_PROXY_HOSTS"), settings.getbool("HOST_PROXY_ONLY")
        )

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = (urlsplit(request.url).hostname or "").lower()
        if host in self.hosts:
            request.meta["proxy"] = self.proxy_url
        elif self.only:
            raise IgnoreRequest(f"host {host} is not served by the proxy {self.proxy_url}")


class CrawlDelayMiddleware:
    """Space the requests to a host by its robots.txt Crawl-delay, which Scrapy ignores.

    Scrapy's RobotsTxtMiddleware (which runs first) fetches and parses robots.txt
    before any other request to the host; this one reads the delay from the
    `robots_parsed` signal and makes it the delay of the host's downloader slot, where
    a request waits without holding up other hosts (see crawler.components.pacing). The slot keeps
    the delay exactly (no random jitter below it) and AutoThrottle does not adjust it:
    with one request per host at a time, a slow host is paced by its own latency anyway.
    """

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_delay = settings.getfloat("CRAWLDELAY_MAX")
        self.min_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.delays: dict[str, float] = {}  # downloader slot key -> delay
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlDelayMiddleware:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY") or not crawler.settings.getbool(
            "CRAWLDELAY_ENABLED"
        ):
            raise NotConfigured
        middleware = cls(crawler)
        crawler.signals.connect(middleware.robots_parsed, signal=signals.robots_parsed)
        return middleware

    def robots_parsed(self, robotparser: RobotParser, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if not delay:
            return
        netloc = urlsplit(request.url).netloc
        self.stats.set_value(f"crawldelay/{netloc}", min(float(delay), self.max_delay))
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        # One slot per host name: two ports of one host share the longer delay.
        delay = max(min(float(delay), self.max_delay), self.min_delay, self.delays.get(key, 0.0))
        self.delays[key] = delay
        # A slot unused for a minute is dropped; its settings make the next one alike.
        downloader.per_slot_settings[key] = {
            **downloader.per_slot_settings.get(key, {}),
            "delay": delay,
            "jitter": 0.0,
        }
        if key in downloader.slots:
            downloader.slots[key].delay, downloader.slots[key].jitter = delay, 0.0

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if self.crawler.engine.downloader.get_slot_key(request) in self.delays:
            request.meta["autothrottle_dont_adjust_delay"] = True


TIMEOUTS = (DownloadTimeoutError, TwistedTimeoutError, TimeoutError)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries (5xx, 429, timeouts) with exponential backoff before each new attempt.

    A timeout is retried at most RETRY_TIMEOUT_TIMES times: a server that hung once mostly
    hangs again, and each attempt costs the whole DOWNLOAD_TIMEOUT of the site's one slot.
    """

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")
        self.timeout_times = settings.getint("RETRY_TIMEOUT_TIMES")

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        # A retry downloaded without the scheduler (robots.txt) was never parked: wait here.
        wait = request.meta.pop(NOT_BEFORE, 0) - time.time()
        if wait > 0:
            await sleep(wait)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Any:
        return self.backoff(super().process_response(request, response))

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Any:
        if (
            isinstance(exception, TIMEOUTS)
            and isinstance(exception, self.exceptions_to_retry)
            and not request.meta.get("dont_retry", False)
        ):
            return self.backoff(self.retry_timeout(request, exception))
        return self.backoff(super().process_exception(request, exception))

    def retry_timeout(self, request: Request, exception: Exception) -> Request | None:
        """Return the retry of a timed-out request, or None when its timeout retries are spent."""
        limit = min(request.meta.get("max_retry_times", self.max_retry_times), self.timeout_times)
        return get_retry_request(
            request,
            reason=exception,
            spider=self.crawler.spider,
            max_retry_times=limit,
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    def backoff(self, result: Any) -> Any:
        """Return a retry request marked not to be scheduled before its backoff; anything else as
        is.

        The retry is handed back at once: crawler.components.pacing.ParkedRequests keeps it out of
        the scheduler until then, so the wait holds no download slot.
        """
        if isinstance(result, Request) and self.base > 0:
            attempt = result.meta.get("retry_times", 1)
            result.meta[NOT_BEFORE] = time.time() + min(self.base * 2 ** (attempt - 1), self.cap)
        return result


class DeltaFetchMiddleware:
    """Drop requests for articles the archive already holds; stop paginating stale lists.

    Spiders tag requests with meta["link"]: "article" (an article URL pattern matched),
    "page" (unknown until parsed), "list", or "next" (the next page of the list being
    parsed). A list page whose article links are all archived brings nothing new, so its
    "next" links are dropped when DELTAFETCH_STOP_PAGINATION is on.
    """

    def __init__(self, crawler: Crawler, path: str, stop_pagination: bool) -> None:
        self.crawler = crawler
        self.path = path
        self.stop_pagination = stop_pagination
        self.stats = crawler.stats
        self.index = DeltaIndex()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeltaFetchMiddleware:
        settings = crawler.settings
        if not settings.getbool("DELTAFETCH_ENABLED") or not settings.get("ARCHIVE_PATH"):
            raise NotConfigured
        middleware = cls(
            crawler, settings.get("ARCHIVE_PATH"), settings.getbool("DELTAFETCH_STOP_PAGINATION")
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        site = getattr(getattr(spider, "site", None), "slug", None)
        db = open_archive(self.path)
        try:
            self.index = DeltaIndex.from_archive(db, site)
        finally:
            db.conn.close()
        self.stats.set_value("deltafetch/archived_at_start", len(self.index.archived))

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Spider | None = None
    ) -> list[Any]:
        return self.filter(list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        for output in self.filter([r async for r in result]):
            yield output

    def filter(self, outputs: list[Any]) -> list[Any]:
        """Return the outputs of one response without archived articles and stale pagination."""
        kept, new, known = [], 0, 0
        for output in outputs:
            if isinstance(output, Article) and output.kind == ARTICLE:
                self.index.learn(output.url)
            if not isinstance(output, Request) or output.meta.get("link") not in (
                "article",
                "page",
            ):
                kept.append(output)
                continue
            article_like = output.meta["link"] == "article" or self.index.looks_like_article(
                output.url
            )
            if self.index.is_archived(output.url):
                self.stats.inc_value("deltafetch/skipped")
                known += 1
                continue
            new += article_like
            kept.append(output)
        if self.stop_pagination and known and not new:
            before = len(kept)
            kept = [
                o for o in kept if not (isinstance(o, Request) and o.meta.get("link") == "next")
            ]
            self.stats.inc_value("deltafetch/pagination_stopped", before - len(kept))
        self.stats.inc_value("deltafetch/articles_seen", new + known)
        return kept
