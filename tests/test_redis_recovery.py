"""A worker killed with SIGKILL mid-crawl, a drain killed mid-batch: nothing lost, nothing
doubled."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys

import pytest
from test_redis_crawl import drain, run_workers, start_worker

from tests.support.process_helpers import stored, wait_for
from tests.support.redis_server import BigPortal, redis_server

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

# A worker holds at most CONCURRENT_REQUESTS (16) downloads, plus responses waiting for the parser.
IN_FLIGHT_MAX = 40


@pytest.fixture
def redis_url(tmp_path):
    with redis_server(tmp_path) as url:
        yield url


def test_worker_killed_midway_loses_nothing(redis_url, tmp_path):
    portal = BigPortal(articles=100, slow=0.03).start()
    try:
        timeout = ["-s", "REDIS_WORKER_TIMEOUT=4", "-s", "REDIS_HEARTBEAT_INTERVAL=0.5"]
        workers = [start_worker(portal, redis_url, *timeout) for _ in range(3)]
        wait_for(lambda: portal.article_hits() >= 40)
        workers[0].send_signal(signal.SIGKILL)
        outputs = [w.communicate(timeout=120) for w in workers[1:]]
        assert [w.returncode for w in workers[1:]] == [0, 0], [err[-2000:] for _, err in outputs]
        recovered = sum(
            int(n) for out, _ in outputs for n in re.findall(r"(\d+) requests of dead", out)
        )
        assert recovered >= 1  # the dead worker had requests in flight, and they were fetched again
        drain(redis_url, tmp_path / "archive.db")
    finally:
        portal.stop()
    conn = sqlite3.connect(tmp_path / "archive.db")
    urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted(portal.url + p[1:] for p in portal.article_paths())
    # Only what the dead worker had in flight (popped, not finished) may have been fetched twice.
    twice = sum(n - 1 for path, n in portal.page_hits().items() if n > 1)
    assert twice <= recovered <= IN_FLIGHT_MAX


def test_drain_killed_and_restarted_neither_loses_nor_doubles(redis_url, tmp_path):
    portal = BigPortal(articles=60).start()
    try:
        run_workers(portal, redis_url, 1)
    finally:
        portal.stop()
    db = tmp_path / "archive.db"
    for kill_at in (30, 70):  # killed twice, mid-way
        running = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "crawler",
                "drain",
                "--redis",
                redis_url,
                "--db",
                str(db),
                "--batch",
                "7",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for(lambda at=kill_at, proc=running: stored(db) >= at or proc.poll() is not None)
        running.send_signal(signal.SIGKILL)
        running.wait(10)
        assert kill_at <= stored(db) < len(portal.article_paths())
    drain(redis_url, db)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted(portal.url + p[1:] for p in portal.article_paths())
    # Captures too: one row per response the server sent, none written twice.
    assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == sum(portal.hits.values())
    statuses = [row[0] for row in conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["interrupted", "interrupted", "ok"]
