"""The archive writer process: batched, ordered, one per crawl process, waits without blocking."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from itertools import pairwise

import pytest

from crawler.archive.writer import ArchiveWriter
from crawler.items import Article
from tests.support.portal_site import Portal
from tests.support.process_helpers import spawned_children, wait_for

pytestmark = pytest.mark.e2e
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"]
BODY = "省禁毒委部署新一轮禁毒大会战，全省公安机关破获毒品案件一百余起，抓获犯罪嫌疑人多名。"


def test_tasks_are_stored_in_order_and_counted(tmp_path):
    db = tmp_path / "archive.db"
    writer = ArchiveWriter(str(db), commit_items=3, commit_seconds=5)
    for i in range(7):
        writer.submit(
            "article",
            Article(url=f"http://a.cn/{i}.html", title=f"标题{i}", body=f"{BODY}{i}"),
            None,
        )
    writer.submit(
        "article", Article(url="http://a.cn/0.html", title="标题0", body=f"{BODY}0"), None
    )
    counts = writer.close()
    assert counts["archive/new"] == 7 and counts["archive/unchanged"] == 1
    rows = sqlite3.connect(db).execute("SELECT url FROM articles ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [f"http://a.cn/{i}.html" for i in range(7)]


def test_a_failing_task_becomes_a_failure_row_and_the_batch_is_kept(tmp_path):
    db = tmp_path / "archive.db"
    writer = ArchiveWriter(str(db), commit_items=100, commit_seconds=5)
    writer.submit("article", Article(url="http://a.cn/1.html", title="一", body=BODY), None)
    writer.submit("article", Article(url=None, title="坏", body=BODY), None)  # cannot be stored
    writer.submit("article", Article(url="http://a.cn/2.html", title="二", body=BODY + "二"), None)
    counts = writer.close()
    conn = sqlite3.connect(db)
    assert sorted(r[0] for r in conn.execute("SELECT url FROM articles")) == [
        "http://a.cn/1.html",
        "http://a.cn/2.html",
    ]
    reasons = [r[0] for r in conn.execute("SELECT reason FROM failures")]
    assert len(reasons) == 1 and reasons[0].startswith("store error: ")
    assert counts["archive/new"] == 2 and counts["archive/failures"] == 1
    assert not writer.process.is_alive()


def test_closing_does_not_hang_when_the_writer_process_died(tmp_path):
    writer = ArchiveWriter(str(tmp_path / "archive.db"))
    writer.process.kill()
    writer.process.join()
    counts = writer.close()  # returns instead of waiting for a message that never comes
    assert counts == {}


def test_a_full_queue_keeps_tasks_waiting_in_order_instead_of_blocking(tmp_path):
    db = tmp_path / "archive.db"
    writer = ArchiveWriter(str(db), commit_items=1, queue_size=1)
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # the writer stalls on its first transaction
    for i in range(5):  # a blocking put would wait here for the lock forever
        writer.submit(
            "article",
            Article(url=f"http://a.cn/{i}.html", title=f"标题{i}", body=f"{BODY}{i}"),
            None,
        )
    assert not writer.has_room()
    lock.execute("ROLLBACK")
    wait_for(writer.has_room)
    assert writer.close()["archive/new"] == 5
    rows = sqlite3.connect(db).execute("SELECT url FROM articles ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [f"http://a.cn/{i}.html" for i in range(5)]


def test_a_sync_asked_behind_a_full_queue_still_reaches_the_writer(tmp_path):
    db = tmp_path / "archive.db"
    writer = ArchiveWriter(str(db), commit_items=100, queue_size=1)
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")
    for i in range(3):
        writer.submit(
            "article",
            Article(url=f"http://a.cn/{i}.html", title=f"标题{i}", body=f"{BODY}{i}"),
            None,
            key="one",
        )
    writer.sync("one")  # waits behind the tasks that found no room
    lock.execute("ROLLBACK")
    wait_for(lambda: writer.is_synced("one"), timeout=20)
    assert (
        writer.counts_by_key["one"]["archive/new"] == 3
    )  # committed and counted, writer still open
    writer.close()


def crawl_sites(
    sites: dict[str, str], db, tmp_path, *settings: str, wait: bool = True
) -> tuple[subprocess.Popen, set[int]]:
    """Crawl the sites {slug: start URL} in one `legalnews crawl`; return it and, with `wait`,
    once it ended, the pids of every spawned child process seen while it ran."""
    registry = tmp_path / "sites.json"
    registry.write_text(
        json.dumps([{"slug": slug, "start_urls": [url]} for slug, url in sites.items()])
    )
    crawl = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", *sites, "--db", str(db), *FAST, *settings],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "LEGALNEWS_SITES": str(registry)},
    )
    children: set[int] = set()
    while wait and crawl.poll() is None:
        children |= spawned_children(crawl.pid)
        time.sleep(0.01)
    return crawl, children


def test_a_crawl_of_two_sites_runs_one_writer_process_and_stores_every_article_once(tmp_path):
    db = tmp_path / "archive.db"
    with Portal(articles=4, slow=0.01) as one, Portal(articles=4, slow=0.01) as two:
        crawl, children = crawl_sites({"one": one.url, "two": two.url}, db, tmp_path)
        out, err = crawl.communicate(timeout=60)
        expected = sorted(
            site.url + path[1:] for site in (one, two) for path in site.article_paths()
        )
    assert crawl.returncode == 0, err
    assert len(children) == 1, children  # the archive writer, shared by both crawlers
    conn = sqlite3.connect(db)
    assert sorted(url for (url,) in conn.execute("SELECT url FROM articles")) == expected
    runs = {
        sites: json.loads(stats)
        for sites, stats in conn.execute("SELECT sites, stats FROM crawl_runs")
    }
    assert set(runs) == {"one", "two"}
    assert {stats["archive/writer_pid"] for stats in runs.values()} == children
    assert [runs[site]["archive/new"] for site in ("one", "two")] == [10, 10]  # counted per run


STALL = 4.0  # seconds the test holds the archive's write lock, stalling the writer


def test_a_stalled_writer_makes_the_crawl_wait_without_blocking_its_reactor(tmp_path):
    """With room for 2 tasks and the writer stalled on a lock held by another connection, the
    crawl's reactor keeps ticking (its progress line every 0.1 s), and everything is stored."""
    db = tmp_path / "archive.db"
    ticks: list[float] = []
    with Portal(articles=12, slow=0.02) as site:
        crawl, _ = crawl_sites(
            {"one": site.url},
            db,
            tmp_path,
            "-s",
            "ARCHIVE_WRITER_QUEUE_SIZE=2",
            "-s",
            "PROGRESS_ENABLED=True",
            "-s",
            "PROGRESS_INTERVAL=0.1",
            wait=False,
        )
        reader = threading.Thread(
            target=lambda: [
                ticks.append(time.monotonic()) for line in crawl.stderr if line.startswith("one: ")
            ]
        )
        reader.start()
        # 10 pages in, the run is open (its crawl_runs row written) and the crawl in full swing
        wait_for(lambda: sum(site.hits.values()) >= 10 or crawl.poll() is not None)
        lock = sqlite3.connect(db, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")  # the writer's next transaction waits for this one
        began = time.monotonic()
        time.sleep(STALL)
        still_crawling = crawl.poll() is None
        lock.execute("ROLLBACK")
        ended = time.monotonic()
        crawl.wait(timeout=60)
        reader.join(timeout=10)
        expected = sorted(site.url + path[1:] for path in site.article_paths())
    assert crawl.returncode == 0
    assert still_crawling  # the stall really held the crawl up
    stalled = [began] + [t for t in ticks if began < t < ended] + [ended]
    gaps = [later - earlier for earlier, later in pairwise(stalled)]
    assert max(gaps) < STALL / 2, gaps  # the reactor went on while the writer was stuck
    assert (
        sorted(url for (url,) in sqlite3.connect(db).execute("SELECT url FROM articles"))
        == expected
    )
