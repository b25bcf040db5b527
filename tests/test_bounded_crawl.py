"""Bounded time against bad servers: traps abandoned with their queue, a time limit per run."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner
from test_faults_http import SETTINGS, crawl, failures, titles

from crawler.cli import main
from crawler.commands.crawling import parse_duration
from tests.support import fault_server as fs

# The downloader takes up to CONCURRENT_REQUESTS requests off the queue ahead of their turn;
# when a bound closes, those (and an answer or two not yet parsed) still get through.
TRAP_SETTINGS = {**SETTINGS, "CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 2}
IN_FLIGHT = TRAP_SETTINGS["CONCURRENT_REQUESTS"] + 2


def run_stats(conn) -> list[dict]:
    return [json.loads(t) for (t,) in conn.execute("SELECT stats FROM crawl_runs ORDER BY id")]


def calendar_hits(hits) -> int:
    return sum(n for path, n in hits.items() if path.startswith("/cal?"))


@pytest.mark.e2e
def test_barren_pattern_is_abandoned_and_its_queue_dropped(tmp_path):
    barren = 5
    faults = {"/cal": fs.calendar_trap(width=6, delay=0.05), **fs.paged_list(8, 2)}
    with fs.FaultSite(good=2, faults=faults) as site:
        result = crawl(
            site,
            tmp_path / "a.db",
            {**TRAP_SETTINGS, "TRAP_MAX_LIST_PAGES": 60, "TRAP_MAX_BARREN_PAGES": barren},
        )
        hits = site.hits.copy()
    assert result.returncode == 0, result.stderr
    assert calendar_hits(hits) <= barren + IN_FLIGHT, calendar_hits(hits)
    conn = sqlite3.connect(tmp_path / "a.db")
    trap = [(url, reason) for url, reason in failures(conn).items() if "/cal" in url]
    assert [reason for _, reason in trap] == [
        f"crawl trap: {barren} pages like /cal?date=# in a row brought no new article link "
        "(TRAP_MAX_BARREN_PAGES); the pattern is abandoned and its queued pages dropped"
    ]
    assert run_stats(conn)[0]["traps/dropped"] >= 1
    # A list whose every page brings new articles is walked to its end, barren bound or not.
    assert hits["/list?page=8"] == 1
    stored = set(titles(conn).values())
    assert {fs.title_of(f"P{n}-{k}") for n in range(1, 9) for k in range(2)} <= stored
    assert {fs.title_of("A1"), fs.title_of("A2")} <= stored


@pytest.mark.e2e
def test_list_page_bound_also_drops_the_queued_pages(tmp_path):
    limit = 10
    with fs.FaultSite(good=2, faults={"/cal": fs.calendar_trap(width=6, delay=0.05)}) as site:
        result = crawl(
            site,
            tmp_path / "a.db",
            {**TRAP_SETTINGS, "TRAP_MAX_LIST_PAGES": limit, "TRAP_MAX_BARREN_PAGES": 0},
        )
        hits = site.hits.copy()
    assert result.returncode == 0, result.stderr
    assert calendar_hits(hits) <= limit + IN_FLIGHT, calendar_hits(hits)
    conn = sqlite3.connect(tmp_path / "a.db")
    assert [reason for url, reason in failures(conn).items() if "/cal" in url] == [
        f"crawl trap: {limit} list pages like /cal?date=# this run (TRAP_MAX_LIST_PAGES); "
        "links to more of them are not followed"
    ]
    assert run_stats(conn)[0]["traps/dropped"] >= 1


@pytest.mark.e2e
def test_time_limit_stops_the_run_and_the_next_run_resumes(tmp_path):
    db = tmp_path / "a.db"
    # An endless, slow calendar that links an article every other day: never done on its own.
    faults = {
        "/cal": fs.calendar_trap(width=2, delay=0.3, article_every=2),
        "/_/day.html": fs.day_article,
    }
    settings = {**SETTINGS, "TRAP_MAX_LIST_PAGES": 1000}
    with fs.FaultSite(good=2, faults=faults) as site:
        first = crawl(site, db, settings, "--max-time", "2", timeout=30)  # timeout: a safety net
        assert first.returncode == 0, first.stderr
        assert "stopped at the time limit" in first.stdout
        conn = sqlite3.connect(db)
        stored_first = titles(conn)
        assert set(site.good_urls()) <= set(stored_first)
        second = crawl(site, db, settings, "--max-time", "2", timeout=30)
        assert second.returncode == 0, second.stderr
        hits = site.hits.copy()
    statuses = [s for (s,) in conn.execute("SELECT status FROM crawl_runs ORDER BY id")]
    assert statuses == ["time limit"] * 2
    assert [s["finish_reason"] for s in run_stats(conn)] == ["closespider_timeout"] * 2
    stored = titles(conn)
    assert len(stored) > len(stored_first)  # the second run went on where the first stopped
    assert len(set(stored.values())) == len(stored)
    # Resumed from the saved queue: no page, start page included, is fetched twice.
    assert [path for path, n in hits.items() if n > 1 and path != "/robots.txt"] == []


@pytest.mark.parametrize(
    ("text", "seconds"), [("90", 90), ("90s", 90), ("10m", 600), ("1.5h", 5400)]
)
def test_max_time_takes_seconds_or_a_unit(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "0", "-5m", "10d"])
def test_a_bad_max_time_is_a_usage_error(tmp_path, text):
    result = CliRunner().invoke(
        main,
        [
            "crawl",
            "--start-url",
            "http://127.0.0.1:9/",
            "--db",
            str(tmp_path / "a.db"),
            "--max-time",
            text,
        ],
    )
    assert result.exit_code == 2
    assert "Error: Invalid value for '--max-time'" in result.output
    assert not (tmp_path / "a.db").exists()


@pytest.mark.e2e
def test_time_limit_does_not_wait_for_the_downloaders_queue(tmp_path):
    db = tmp_path / "a.db"
    hanging = [f"/f/hang-{n}.html" for n in range(1, 5)]
    # One request at a time: the other hanging pages wait in the downloader's slot queue. (A
    # delay, however small, is what makes Scrapy 2.19 hold a slot to its concurrency.)
    settings = {
        **SETTINGS,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0.05,
        "DOWNLOAD_TIMEOUT": 3,
        "RETRY_TIMEOUT_TIMES": 0,
    }
    with fs.FaultSite(good=0, faults={path: fs.stall(4) for path in hanging}) as site:
        first = crawl(site, db, settings, "--max-time", "1", timeout=60)  # timeout: a safety net
        hits_first = site.hits.copy()
        second = crawl(site, db, settings, timeout=60)
        hits_second = site.hits.copy()
    assert first.returncode in (0, 1), first.stderr  # 1: every page it fetched failed
    assert "stopped at the time limit" in first.stdout
    fetched_first = [path for path in hanging if hits_first[path]]
    assert 1 <= len(fetched_first) <= 2, fetched_first  # under way at the limit; the rest waited
    conn = sqlite3.connect(db)
    # Returned: the hanging pages not fetched (and any other request still waiting).
    assert run_stats(conn)[0]["timelimit/requests_returned"] >= len(hanging) - len(fetched_first)
    # The next run fetches the pages handed back to the queue, each once.
    assert second.returncode in (0, 1), second.stderr
    assert {
        path: hits_second[path] - hits_first[path] for path in hanging if path not in fetched_first
    } == {path: 1 for path in hanging if path not in fetched_first}
    assert sorted(failures(conn)) == sorted(site.url + path.lstrip("/") for path in hanging)
