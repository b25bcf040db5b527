"""Helpers for tests that watch a crawl running in another process."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path


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


def spawned_children(pid: int) -> set[int]:
    """Return the pids of the children of process `pid` started by multiprocessing's spawn."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return found
