"""Scrapy's CloseSpider, with a time limit that does not wait for the downloader's queue.

At CLOSESPIDER_TIMEOUT Scrapy closes the spider, and closing waits until every request the
downloader has accepted is fetched: on a site that hangs, each queued request still costs its
DOWNLOAD_TIMEOUT, so a 60 s limit took 173 s (bench/bench_bad_server.py). Here the requests
still waiting in the downloader's slots go back to the scheduler first (the job's queue, so
the next run fetches them) and only the downloads already under way are waited for.
"""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest
from scrapy.extensions.closespider import CloseSpider

TIMEOUT = "closespider_timeout"


class TimeLimitCloseSpider(CloseSpider):
    """CloseSpider whose timeout hands the downloader's waiting requests back to the scheduler."""

    def _close_spider(self, reason: str) -> None:
        if reason == TIMEOUT:
            returned = self.return_waiting_requests()
            self.crawler.stats.set_value("timelimit/requests_returned", returned)
        super()._close_spider(reason)

    def return_waiting_requests(self) -> int:
        """Move the requests queued in the downloader's slots to the scheduler; return how many."""
        engine = self.crawler.engine
        scheduler = engine._slot.scheduler if engine and engine._slot else None
        if scheduler is None:
            return 0
        returned = 0
        for slot in list(engine.downloader.slots.values()):
            while slot.queue:
                request, waiting = slot.queue.popleft()
                # Already seen by the duplicate filter: without dont_filter it would be dropped.
                scheduler.enqueue_request(request.replace(dont_filter=True))
                waiting.errback(IgnoreRequest("time limit reached: returned to the queue"))
                returned += 1
        return returned
