"""kill -9 a crawl at a random point, resume it, and check that nothing was lost or doubled.

Used by tests/test_crashes.py (a few trials in CI) and bench/bench_crash.py (ten, with figures).
"""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.portal_site import Portal
from tests.support.process_helpers import FAST, start_crawl, stored


@dataclass
class Trial:
    """What one kill-and-resume trial saw."""

    kill_after: float  # seconds from start to SIGKILL
    stored_at_kill: int
    stored_after: int
    expected: int
    doubled: int  # articles stored more than once (by title)
    integrity: str
    resume_exit: int
    resume_seconds: float
    refetched: int  # article pages fetched again by the resumed run

    @property
    def ok(self) -> bool:
        return (
            self.integrity == "ok"
            and self.resume_exit == 0
            and self.doubled == 0
            and self.stored_after == self.expected
        )


def run_trial(portal: Portal, folder: Path, rng: random.Random, full_seconds: float) -> Trial:
    """Crawl `portal` into a new archive in `folder`, kill -9 it after a random share of
    `full_seconds` (a full crawl's duration), resume to the end, and return what was found."""
    db = folder / "archive.db"
    portal.hits.clear()
    began = time.monotonic()
    first = start_crawl(portal.url, "--db", str(db), *FAST)
    kill_after = rng.uniform(0.05, 0.95) * full_seconds
    while time.monotonic() - began < kill_after and first.poll() is None:
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    at_kill = stored(db)
    before = portal.hits.copy()
    resumed = time.monotonic()
    second = start_crawl(portal.url, "--db", str(db), *FAST)
    second.communicate(timeout=120)
    resume_seconds = time.monotonic() - resumed
    conn = sqlite3.connect(db)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    titles = [t for (t,) in conn.execute("SELECT title FROM articles")]
    conn.close()
    refetched = sum(
        1
        for p, n in portal.hits.items()
        if p.startswith("/story/") and n > before.get(p, 0) and before.get(p)
    )
    return Trial(
        round(time.monotonic() - began - resume_seconds, 2),
        at_kill,
        len(titles),
        len(portal.article_paths()),
        len(titles) - len(set(titles)),
        integrity,
        second.returncode,
        round(resume_seconds, 2),
        refetched,
    )


def full_crawl_seconds(portal: Portal, folder: Path) -> float:
    """Return how long one uninterrupted crawl of `portal` takes (the range kills are drawn
    from)."""
    began = time.monotonic()
    proc = start_crawl(portal.url, "--db", str(folder / "full.db"), *FAST)
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    return time.monotonic() - began
