"""Helpers for tests that watch a crawl running in another process."""

from __future__ import annotations

import sqlite3
import time


def wait_for(condition, timeout: float = 60) -> None:
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def stored(db) -> int:
    """Return how many articles the archive at `db` holds (0 before it exists), read-only."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
