"""Retries and their back-off: a retry waiting out its back-off holds up no other host, and one
waiting when the run stops is fetched by the resume."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support import fault_server as fs
from tests.support.fault_crawl import crawl, titles

pytestmark = pytest.mark.e2e


def test_a_retry_backoff_holds_up_no_other_host(tmp_path):
    """One request slot in all: while a 503 page waits 2 s, then 4 s, another host is crawled."""
    busy = fs.FaultSite(good=0, faults={"/f/burst.html": fs.burst("burst", failures=2)})
    with busy, fs.FaultSite(good=10, host="127.0.0.2") as other:
        settings = {
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "LOG_LEVEL": "WARNING",
            "CONCURRENT_REQUESTS": 1,
            "RETRY_BACKOFF_BASE": 2,
        }
        result = crawl(busy, tmp_path / "a.db", settings, "--start-url", other.url)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(tmp_path / "a.db")
    assert set(titles(conn)) == {busy.url + "f/burst.html", *other.good_urls()}
    first, second, healed = [t for t, path in busy.times if path == "/f/burst.html"]
    assert second - first >= 1.9 and healed - second >= 3.9  # the backoff is still kept
    pages = [t for t, path in other.times if path.startswith("/a/")]
    assert pages[-1] - pages[0] < 1.5, pages  # its own pace: no page waited for the backoff
    assert pages[-1] < healed


def test_a_retry_waiting_at_a_clean_stop_is_fetched_by_the_resume(tmp_path):
    """The run stops (--max-time) while a retry waits out its 2 s backoff: the resume fetches it."""
    busy = fs.FaultSite(good=1, faults={"/f/burst.html": fs.burst("burst", failures=1)})
    settings = {
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "LOG_LEVEL": "WARNING",
        "RETRY_BACKOFF_BASE": 2,
    }
    with busy:
        first = crawl(busy, tmp_path / "a.db", settings, "--max-time", "1")
        second = crawl(busy, tmp_path / "a.db", settings)
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert busy.hits["/f/burst.html"] == 2
    assert set(titles(sqlite3.connect(tmp_path / "a.db"))) == {
        busy.url + "f/burst.html",
        *busy.good_urls(),
    }
