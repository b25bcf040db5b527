"""kill -9 in the middle of a crawl, then resume; and two runs of one job never overlap."""

from __future__ import annotations

import signal
import sqlite3
import time

import pytest

from tests.support.portal_site import Portal
from tests.support.process_helpers import FAST, run_crawl, start_crawl, stored, wait_for

pytestmark = pytest.mark.e2e

# Small commit batches, so that the kill finds some articles stored and some not.
SMALL_BATCHES = [*FAST, "-s", "ARCHIVE_COMMIT_ITEMS=4"]


@pytest.fixture
def slow_portal():
    site = Portal(articles=16, slow=0.04).start()
    yield site
    site.stop()


def test_kill_9_then_resume_stores_every_article_exactly_once(slow_portal, tmp_path):
    db = tmp_path / "archive.db"
    first = start_crawl(slow_portal.url, "--db", str(db), *SMALL_BATCHES)
    wait_for(lambda: stored(db) >= 8)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    partial = stored(db)
    assert 8 <= partial < len(slow_portal.article_paths())
    fetched_before = slow_portal.article_hits()

    second = start_crawl(slow_portal.url, "--db", str(db), *SMALL_BATCHES)
    out, err = second.communicate(timeout=60)
    assert second.returncode == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = [r[0] for r in conn.execute("SELECT url FROM articles")]
    assert sorted(rows) == sorted(slow_portal.url + p[1:] for p in slow_portal.article_paths())
    # Only requests in flight at the kill may be fetched twice.
    refetched = sum(n - 1 for p, n in slow_portal.hits.items() if p.startswith("/story/") and n > 1)
    assert refetched <= fetched_before - partial + 1
    statuses = [r[0] for r in conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    failures = conn.execute("SELECT url, reason FROM failures").fetchall()
    assert statuses == ["interrupted", "ok"], failures


def test_second_run_of_a_running_job_exits_at_once(slow_portal, tmp_path):
    db = tmp_path / "archive.db"
    first = start_crawl(slow_portal.url, "--db", str(db), *SMALL_BATCHES)
    try:
        wait_for(lambda: slow_portal.article_hits() >= 1)
        began = time.monotonic()
        second = run_crawl(slow_portal.url, "--db", str(db), timeout=30)
        assert second.returncode == 3
        assert second.stderr.startswith("Error: another run of 127.0.0.1")
        assert "is still running (pid" in second.stderr
        assert time.monotonic() - began < 10
    finally:
        first.kill()
        first.wait(10)
