"""The archive writer process: batched, ordered, one bad task does not lose the batch."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time

from portal_site import Portal
from process_helpers import spawned_children

from crawler.archive.writer import ArchiveWriter
from crawler.items import Article

FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"]
BODY = "省禁毒委部署新一轮禁毒大会战，全省公安机关破获毒品案件一百余起，抓获犯罪嫌疑人多名。"


def test_tasks_are_stored_in_order_and_counted(tmp_path):
    db = tmp_path / "archive.db"
    writer = ArchiveWriter(str(db), commit_items=3, commit_seconds=5)
    for i in range(7):
        writer.submit("article", Article(url=f"http://a.cn/{i}.html", title=f"标题{i}", body=f"{BODY}{i}"), None)
    writer.submit("article", Article(url="http://a.cn/0.html", title="标题0", body=f"{BODY}0"), None)
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
    assert sorted(r[0] for r in conn.execute("SELECT url FROM articles")) == ["http://a.cn/1.html", "http://a.cn/2.html"]
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


def crawl_sites(sites: dict[str, str], db, tmp_path, *settings: str) -> tuple[subprocess.Popen, set[int]]:
    """Crawl the sites {slug: start URL} in one `legalnews crawl`; return it, ended, and the
    pids of every spawned child process seen while it ran."""
    registry = tmp_path / "sites.json"
    registry.write_text(json.dumps([{"slug": slug, "start_urls": [url]} for slug, url in sites.items()]))
    crawl = subprocess.Popen(
        [sys.executable, "-m", "crawler", "crawl", *sites, "--db", str(db), *FAST, *settings],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "LEGALNEWS_SITES": str(registry)},
    )
    children: set[int] = set()
    while crawl.poll() is None:
        children |= spawned_children(crawl.pid)
        time.sleep(0.01)
    return crawl, children


def test_a_crawl_of_two_sites_runs_one_writer_process_and_stores_every_article_once(tmp_path):
    db = tmp_path / "archive.db"
    with Portal(articles=4, slow=0.01) as one, Portal(articles=4, slow=0.01) as two:
        crawl, children = crawl_sites({"one": one.url, "two": two.url}, db, tmp_path)
        out, err = crawl.communicate(timeout=60)
        expected = sorted(site.url + path[1:] for site in (one, two) for path in site.article_paths())
    assert crawl.returncode == 0, err
    assert len(children) == 1, children  # the archive writer, shared by both crawlers
    conn = sqlite3.connect(db)
    assert sorted(url for (url,) in conn.execute("SELECT url FROM articles")) == expected
    runs = {sites: json.loads(stats) for sites, stats in conn.execute("SELECT sites, stats FROM crawl_runs")}
    assert set(runs) == {"one", "two"}
    assert {stats["archive/writer_pid"] for stats in runs.values()} == children
    assert [runs[site]["archive/new"] for site in ("one", "two")] == [10, 10]  # counted per run
