"""Waiting without holding a download slot: requests go to the downloader when their host is ready.

Scrapy counts every request between the scheduler and the wire against CONCURRENT_REQUESTS
(`Downloader.active`), including one that waits in its host's slot queue for the slot's
delay. A host with a long Crawl-delay would then fill the run's request slots and hold up
every other host. Here such requests wait outside the downloader, in the scheduler.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from time import monotonic
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.pqueues import DownloaderAwarePriorityQueue, DownloaderInterface
from scrapy.utils.asyncio import call_later


class ReadySlots(DownloaderInterface):
    """The downloader's slots as the scheduler sees them: only those ready for a request now."""

    def stats(self, possible_slots: Iterable[str]) -> list[tuple[int, str]]:
        """Return (active requests, slot key) of the slots with room whose delay has passed."""
        now = monotonic()
        return [(active, key) for active, key in super().stats(possible_slots)
                if self.ready_at(key) <= now and self.has_room(key)]

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
        self.wakeup = math.inf

    def pop(self) -> Request | None:
        request = super().pop()
        if request is None and self.pqueues:
            self.wake_when_ready()
        return request

    def wake_when_ready(self) -> None:
        """Have the engine ask again when the first waiting host with room is due."""
        now = monotonic()
        due = min((self.slots.ready_at(k) for k in self.pqueues if self.slots.has_room(k)),
                  default=math.inf)
        if due == math.inf or now < self.wakeup <= due:
            return  # a host without room asks again when its download ends
        self.wakeup = due
        # The engine's slot is private API; nextcall is how the engine asks for requests.
        call_later(max(due - now, 0.0), self.crawler.engine._slot.nextcall.schedule)
