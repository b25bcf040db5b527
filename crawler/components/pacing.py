"""Waiting without holding a download slot: per-host scheduling and retries that wait their turn.

Scrapy counts every request between the scheduler and the wire against CONCURRENT_REQUESTS
(`Downloader.active`), including one that waits in a downloader middleware or in its host's
slot queue for the slot's delay. A host with a long Crawl-delay, or a retry waiting out its
backoff, would then fill the run's request slots and hold up every other host. Here such
requests wait outside the downloader: in the scheduler, or parked until their time.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from time import monotonic
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy.pqueues import DownloaderAwarePriorityQueue, DownloaderInterface
from scrapy.utils.asyncio import call_later

# Request meta: the time.time() before which the request is not to be scheduled.
NOT_BEFORE = "not_before"


class ReadySlots(DownloaderInterface):
    """The downloader's slots as the scheduler sees them: only those ready for a request now."""

    def stats(self, possible_slots: Iterable[str]) -> list[tuple[int, str]]:
        """Return (active requests, slot key) of the slots with room whose delay has passed."""
        now = monotonic()
        return [
            (active, key) for active, key in super().stats(possible_slots) if self.due(key, now)
        ]

    def due(self, key: str, now: float | None = None) -> bool:
        """Return whether the slot may take a request now: its delay has passed and it has room."""
        return self.ready_at(key) <= (monotonic() if now is None else now) and self.has_room(key)

    def has_room(self, key: str) -> bool:
        slot = self.downloader.slots.get(key)
        return slot is None or len(slot.active) < slot.concurrency

    def ready_at(self, key: str) -> float:
        """Return when the slot's delay since its last request has passed (its mean delay)."""
        slot = self.downloader.slots.get(key)
        return 0.0 if slot is None else slot.lastseen + slot.delay


class ReadySlotPriorityQueue(DownloaderAwarePriorityQueue):
    """Scrapy's per-host scheduler queue that hands out a request only when its host is ready.

    A request handed to the downloader early would wait in its host's slot for the delay
    (Crawl-delay, DOWNLOAD_DELAY, AutoThrottle) and count against CONCURRENT_REQUESTS all
    the while; here it waits in the scheduler, and the engine is woken when a host is due.
    """

    def __init__(self, crawler: Crawler, *args: Any, **kwargs: Any) -> None:
        super().__init__(crawler, *args, **kwargs)
        self.slots = ReadySlots(crawler)
        self._downloader_interface = self.slots
        self.wakeup = EngineWakeup(crawler)

    def pop(self) -> Request | None:
        request = super().pop()
        if request is None and self.pqueues:
            self.wake_when_ready()
        return request

    def wake_when_ready(self) -> None:
        """Have the engine ask again when the first waiting host with room is due."""
        # A host without room asks again when its download ends.
        self.wakeup.at(
            min(
                (self.slots.ready_at(k) for k in self.pqueues if self.slots.has_room(k)),
                default=math.inf,
            )
        )


class EngineWakeup:
    """Have the engine ask its scheduler for requests again when a waiting one is due."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.due = math.inf

    def at(self, due: float) -> None:
        """Wake the engine at monotonic time `due`, unless an earlier wake-up comes before it."""
        now = monotonic()
        if due == math.inf or now < self.due <= due:
            return
        self.due = due
        # The engine's slot is private API; nextcall is how the engine asks for requests.
        call_later(max(due - now, 0.0), self.crawler.engine._slot.nextcall.schedule)


class ParkedRequests:
    """Keep requests whose meta sets NOT_BEFORE (retries in backoff) out of the scheduler till then.

    A parked request stays in the engine's in-progress set: a clean stop waits for it and the
    scheduler (JOBDIR) keeps it for the resume, as it did when the backoff slept in the
    downloader. The spider is not closed as idle while a request is parked.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.parked: set[Request] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ParkedRequests:
        extension = cls(crawler)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        return extension

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        """Park a request that is not due yet (IgnoreRequest keeps it out of the scheduler)."""
        wait = request.meta.get(NOT_BEFORE, 0) - time.time()
        request.meta.pop(NOT_BEFORE, None)
        if wait <= 0:
            return
        # The engine's slot is private API; it is what makes a clean stop wait for the request.
        self.crawler.engine._slot.add_request(request)
        self.parked.add(request)
        call_later(wait, self.release, request)
        self.crawler.stats.inc_value("retry/parked")
        raise IgnoreRequest(f"parked for {wait:.1f} s")

    def release(self, request: Request) -> None:
        """Schedule a parked request whose time has come."""
        self.parked.discard(request)
        engine = self.crawler.engine
        try:
            engine.crawl(request)
        finally:
            engine._slot.remove_request(request)

    def spider_idle(self, spider: Spider) -> None:
        if self.parked:
            raise DontCloseSpider("retries are waiting out their backoff")
