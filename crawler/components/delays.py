"""Downloader middlewares that space requests: robots.txt Crawl-delay, retries with backoff."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.exceptions import DownloadTimeoutError, NotConfigured
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.internet.task import deferLater

from crawler.components.pacing import NOT_BEFORE


async def sleep(seconds: float) -> None:
    """Wait without blocking the reactor."""
    from twisted.internet import reactor  # imported late: importing it installs a reactor

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))


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
