"""On a Redis worker, waiting holds no request slot: Crawl-delay, retry backoff, and kill -9."""

from __future__ import annotations

import pickle
import signal
import sqlite3

import pytest
import redis
from test_redis_crawl import drain, start_worker

from tests.support import fault_server as fs
from tests.support.portal_site import assert_each_kept_its_pace, delayed_and_fast_hosts
from tests.support.process_helpers import wait_for
from tests.support.redis_server import redis_server

pytestmark = [pytest.mark.e2e, pytest.mark.redis]


def test_a_crawl_delay_on_a_worker_holds_up_no_other_host(tmp_path):
    """One request slot in all: the host with Crawl-delay: 1.5 waits outside the downloader."""
    with delayed_and_fast_hosts() as (slow, fast), redis_server(tmp_path) as url:
        worker = start_worker(
            slow, url, "--start-url", fast.url, "--max-time", "6", "-s", "CONCURRENT_REQUESTS=1"
        )
        _, err = worker.communicate(timeout=60)
        server = redis.Redis.from_url(url)
        # Stopped by --max-time: what still waited for its host is back on the queue.
        assert server.keys("legalnews:job:*:processing:*") == []
        assert any(r["url"].startswith(slow.url) for r in outstanding(server))
    assert worker.returncode == 0, err[-2000:]
    assert_each_kept_its_pace(slow, fast)


def outstanding(server: redis.Redis) -> list[dict]:
    """Return the requests queued or in flight in every job, decoded."""
    members = [
        m for key in server.keys("legalnews:job:*:requests") for m in server.zrange(key, 0, -1)
    ]
    members += [m for key in server.keys("legalnews:job:*:processing:*") for m in server.hkeys(key)]
    return [pickle.loads(m) for m in members]


def test_a_retry_parked_on_a_worker_killed_with_sigkill_is_fetched_by_another(tmp_path):
    """A worker dies while a 503 page waits out its 4 s backoff: the next worker fetches it then."""
    busy = fs.FaultSite(good=2, faults={"/f/burst.html": fs.burst("burst", failures=1)})
    settings = ["-s", "RETRY_BACKOFF_BASE=4", "-s", "REDIS_WORKER_TIMEOUT=2"]
    settings += ["-s", "REDIS_HEARTBEAT_INTERVAL=0.5"]
    with busy, redis_server(tmp_path) as url:
        server = redis.Redis.from_url(url)
        first = start_worker(busy, url, *settings)
        # Killed once the 503 was answered and every original request is finished with.
        wait_for(
            lambda: (
                busy.hits["/f/burst.html"] == 1
                and all(busy.hits[f"/a/{n}.html"] for n in (1, 2))
                and all(r["meta"].get("retry_times") for r in outstanding(server))
            )
        )
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=10)
        second = start_worker(busy, url, *settings)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 0, err[-2000:]
        drain(url, tmp_path / "archive.db")
    conn = sqlite3.connect(tmp_path / "archive.db")
    urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted([busy.url + "f/burst.html", *busy.good_urls()])
    first_answer, retried = [t for t, path in busy.times if path == "/f/burst.html"]
    assert retried - first_answer >= 3.9  # the recovered retry still waited out its backoff
