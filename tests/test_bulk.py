"""Bulk writes: batches of items per transaction, and one bad item never loses its batch."""

from __future__ import annotations

import sqlite3

import pytest

from crawler.archive.bulk import write_batches
from crawler.archive.runs import record_failure


def write(db, n: int) -> list[str]:
    """Write item n as a failures row; item 3 is bad: it writes, then raises."""
    record_failure(db, None, f"http://a.cn/{n}", "written")
    if n == 3:
        raise ValueError("item 3 cannot be stored")
    return ["written"]


def on_error(db, n: int, exc: Exception) -> list[str]:
    record_failure(db, None, f"http://a.cn/{n}", f"error: {exc}")
    return ["errors"]


def test_a_bad_item_is_reported_and_the_rest_of_its_batch_is_kept(db):
    counts = write_batches(db, range(7), write, on_error, batch=4)
    assert counts == {"written": 6, "errors": 1}
    stored = db.execute("SELECT url, reason FROM failures ORDER BY id").fetchall()
    assert stored == [(f"http://a.cn/{n}", "written") for n in (0, 1, 2)] + [
        ("http://a.cn/3", "error: item 3 cannot be stored")
    ] + [
        (f"http://a.cn/{n}", "written") for n in (4, 5, 6)
    ]  # nothing of the bad item's own write survives


def test_items_share_transactions_of_the_batch_size(db, tmp_path):
    reader = sqlite3.connect(tmp_path / "archive.db")
    committed = []

    def write_and_watch(db, n: int) -> list[str]:
        committed.append(
            reader.execute("SELECT count(*) FROM failures").fetchone()[0]
        )  # what others see
        return write(db, n + 10)

    try:
        counts = write_batches(db, range(5), write_and_watch, on_error, batch=2)
    finally:
        reader.close()
    assert counts == {"written": 5}
    assert committed == [0, 0, 2, 2, 4]  # rows become visible two at a time, at each commit


def test_an_error_of_the_producer_propagates_and_keeps_the_committed_batches(db):
    def produce():
        yield from range(5)
        raise OSError("the WARC file went away")

    with pytest.raises(OSError, match="went away"):
        write_batches(db, produce(), write, on_error, batch=2)
    assert db.execute("SELECT url FROM failures ORDER BY id").fetchall() == [
        (f"http://a.cn/{n}",) for n in (0, 1, 2, 3)
    ]  # two batches committed (3 as an error); 4 rolled back


def test_items_after_a_bad_one_in_the_same_batch_are_all_written(db):
    counts = write_batches(db, range(10), write, on_error, batch=100)
    assert counts == {"written": 9, "errors": 1}
    assert db.execute("SELECT count(*) FROM failures").fetchone()[0] == 10
