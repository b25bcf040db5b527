"""Bulk writes: many items in few transactions, one bad item never losing the others.

Committing costs most where an archive is large: every index whose keys arrive in random
order (URLs, body hashes, dates, the search index) has pages rewritten at each commit, and
the more items share a commit, the more of them share each rewritten page. Bulk commands
(import-warc, the archive benchmark) therefore write BULK_ITEMS items per transaction.

An item whose write raises is not allowed to lose its batch: the batch is rolled back and
written again one item per transaction, and the failing item is handed to `on_error`. The
counts an item reports are kept only once its transaction committed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from itertools import islice
from typing import TypeVar

from sqlite_utils import Database

from crawler.archive.schema import transaction

BULK_ITEMS = 5000  # items per transaction
T = TypeVar("T")
Write = Callable[
    [Database, T], Iterable[str]
]  # writes one item, returns the count keys it adds (or a Counter)
OnError = Callable[[Database, T, Exception], Iterable[str]]


class ItemFailed(Exception):
    """Writing one item raised (the cause is chained); its batch is redone item by item."""


def write_batches(
    db: Database, items: Iterable[T], write: Write, on_error: OnError, batch: int = BULK_ITEMS
) -> Counter:
    """Write every item in transactions of `batch`; return the counts of what was committed.

    Items are written as they arrive (a slow producer overlaps with the writes) and kept
    until their transaction commits, in case it has to be redone item by item. An error
    of the producer itself propagates: the batch it interrupted is rolled back.
    """
    counts: Counter[str] = Counter()
    items = iter(items)
    while True:
        done: Counter[str] = Counter()
        written: list[T] = []
        try:
            with transaction(db):
                for item in islice(items, batch):
                    written.append(item)
                    try:
                        done.update(write(db, item))
                    except Exception as exc:  # redone and reported item by item
                        raise ItemFailed from exc
        except ItemFailed:
            counts.update(write_one_by_one(db, written, write, on_error))
            continue  # the rest of the interrupted batch comes next
        counts.update(done)
        if len(written) < batch:
            return counts


def write_one_by_one(db: Database, items: list[T], write: Write, on_error: OnError) -> Counter:
    """Write each item in its own transaction, the failing ones to `on_error`; return the counts."""
    counts: Counter[str] = Counter()
    for item in items:
        try:
            with transaction(db):
                done = Counter(write(db, item))
        except Exception as exc:  # one bad item must not stop the others
            with transaction(db):
                done = Counter(on_error(db, item, exc))
        counts.update(done)
    return counts
