"""Three Redis workers share one crawl of a 600-page site; the drain stores it exactly once."""

from __future__ import annotations

import sqlite3
import subprocess
import time

import pytest
import redis

from tests.support.process_helpers import FAST, run_cli, start_crawl
from tests.support.redis_server import BigPortal, redis_server

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

WORKER = [*FAST, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "PROGRESS_ENABLED=False"]
GRACE = ["-s", "REDIS_WORKER_TIMEOUT=3"]  # a finished crawl's seen-set outlives it by this


def start_worker(portal: BigPortal, url: str, *extra: str) -> subprocess.Popen:
    return start_crawl(portal.url, "--redis", url, *WORKER, *extra)


def run_workers(portal: BigPortal, url: str, count: int, *extra: str) -> list[str]:
    workers = [start_worker(portal, url, *extra) for _ in range(count)]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0] * count, [err[-2000:] for _, err in outputs]
    return [out for out, _ in outputs]


def drain(url: str, db, *extra: str) -> subprocess.CompletedProcess:
    done = run_cli("drain", "--redis", url, "--db", str(db), *extra, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A 600-page site crawled by three workers, then drained into a fresh archive."""
    folder = tmp_path_factory.mktemp("redis-crawl")
    portal = BigPortal(articles=250).start()
    with redis_server(folder) as url:
        outputs = run_workers(portal, url, 3, *GRACE)
        first_hits = dict(portal.hits)
        drained = drain(url, folder / "archive.db")
        yield {
            "portal": portal,
            "url": url,
            "db": folder / "archive.db",
            "outputs": outputs,
            "hits": first_hits,
            "drain": drained.stdout,
        }
    portal.stop()


def test_three_workers_store_every_article_once_and_fetch_no_url_twice(crawled):
    portal = crawled["portal"]
    assert len(portal.article_paths()) == 502 and sum(crawled["hits"].values()) > 600
    twice = {path: n for path, n in crawled["hits"].items() if n > 1 and path != "/robots.txt"}
    assert twice == {}
    # robots.txt: one read per worker by Scrapy's robots middleware, whose Sitemap: lines the
    # spider follows (it no longer reads robots.txt a second time).
    assert crawled["hits"]["/robots.txt"] == 3
    # Every worker did part of the crawl.
    assert all(" 0 pages fetched" not in out for out in crawled["outputs"]), crawled["outputs"]
    conn = sqlite3.connect(crawled["db"])
    urls = [row[0] for row in conn.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted(portal.url + p[1:] for p in portal.article_paths())
    # Every response is one captures row and WARC record; every article points at its own.
    assert conn.execute("SELECT count(*) FROM captures").fetchone()[0] == sum(
        crawled["hits"].values()
    )
    assert (
        conn.execute(
            "SELECT count(*) FROM articles a JOIN captures c ON c.id = a.capture_id "
            "WHERE c.url = a.url AND c.status = 200"
        ).fetchone()[0]
        == 502
    )
    assert conn.execute("SELECT url, reason FROM failures").fetchall() == []


def test_a_finished_crawl_leaves_only_the_archived_set_in_redis(crawled):
    server = redis.Redis.from_url(crawled["url"])
    wait_until_forgotten(server)
    keys = sorted(k.decode() for k in server.keys("*"))
    assert [k for k in keys if not k.startswith("legalnews:archived:")] == ["legalnews:items:batch"]
    assert server.scard(keys[0]) == 502


def wait_until_forgotten(server) -> None:
    """Wait for the grace period of the finished crawl's seen-set (GRACE) to pass."""
    deadline = time.monotonic() + 10
    while server.keys("legalnews:job:*"):
        assert 0 < server.pttl(server.keys("legalnews:job:*")[0]) <= 3000
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_second_crawl_fetches_lists_again_but_no_archived_article(crawled):
    portal, before = crawled["portal"], dict(portal_hits := crawled["portal"].hits)
    wait_until_forgotten(redis.Redis.from_url(crawled["url"]))
    run_workers(portal, crawled["url"], 2)
    refetched = {
        p for p, n in portal_hits.items() if p.startswith("/story/") and n > before.get(p, 0)
    }
    assert refetched == set()
    assert portal_hits["/"] == before["/"] + 1  # the lists are walked again, once
    drain(crawled["url"], crawled["db"])
    conn = sqlite3.connect(crawled["db"])
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 502
