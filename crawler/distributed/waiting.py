"""The worker's waiting room: requests it holds in Redis but keeps out of the downloader till due.

Each request here is already in the worker's processing hash (so a kill -9 gets it recovered by
the other workers); it is handed to the downloader only once its host's download slot is due
(crawler.components.pacing.ReadySlots) and its retry backoff (request meta NOT_BEFORE) is over.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from time import monotonic

from scrapy import Request

from crawler.components.pacing import NOT_BEFORE, ReadySlots


@dataclass
class Waiting:
    """A request held by this worker: its encoded form (its processing-hash field) and host slot."""

    request: Request
    data: bytes
    slot: str

    @property
    def not_before(self) -> float:
        """Return the time.time() before which the request is not to be fetched (0: none)."""
        return self.request.meta.get(NOT_BEFORE, 0.0)


class WaitingRoom:
    """The requests this worker popped or parked whose host, or backoff, is not due yet.

    At most `lookahead` of them wait only for their host (a bound on how far the worker reads
    ahead in the shared queue); retries in backoff are not counted, a worker parks every retry
    it makes.
    """

    def __init__(self, slots: ReadySlots, lookahead: int) -> None:
        self.slots = slots
        self.lookahead = lookahead
        self.entries: list[Waiting] = []

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, request: Request, data: bytes) -> Waiting:
        """Return the waiting-room entry of a request."""
        return Waiting(request, data, self.slots.get_slot_key(request))

    def is_due(self, entry: Waiting) -> bool:
        """Return whether the request may go to the downloader now."""
        return entry.not_before <= time.time() and self.slots.due(entry.slot)

    def add(self, entry: Waiting) -> None:
        self.entries.append(entry)

    def take(self) -> Waiting | None:
        """Remove and return the longest-waiting request that is due now, or None."""
        for i, entry in enumerate(self.entries):
            if self.is_due(entry):
                return self.entries.pop(i)
        return None

    def full(self) -> bool:
        """Return whether as many requests as the look-ahead allows wait only for their host."""
        now = time.time()
        return sum(entry.not_before <= now for entry in self.entries) >= self.lookahead

    def next_due(self) -> float:
        """Return the monotonic time at which the first request whose host has room is due."""
        offset = monotonic() - time.time()
        return min(
            (
                max(self.slots.ready_at(e.slot), e.not_before + offset)
                for e in self.entries
                if self.slots.has_room(e.slot)
            ),
            default=math.inf,
        )

    def clear(self) -> list[Waiting]:
        """Remove and return every waiting request."""
        entries, self.entries = self.entries, []
        return entries
