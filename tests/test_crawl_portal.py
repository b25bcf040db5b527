"""Start-URL crawls of an unknown portal: sitemaps, feeds, pagination, delta-fetch, health,
stats."""

from __future__ import annotations

import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.support.portal_site import Portal, assert_each_kept_its_pace, delayed_and_fast_hosts
from tests.support.process_helpers import FAST, run_cli, run_crawl


def crawl(portal: Portal, db, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return run_crawl(portal.url, "--db", str(db), *FAST, *args, timeout=timeout)


def urls(db) -> list[str]:
    return [row[0] for row in sqlite3.connect(db).execute("SELECT url FROM articles ORDER BY url")]


@pytest.fixture
def portal():
    site = Portal(articles=6).start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One portal crawled twice; the hit counts of each run."""
    site = Portal(articles=6).start()
    db = tmp_path_factory.mktemp("portal") / "archive.db"
    first = crawl(site, db)
    first_hits = site.hits.copy()
    site.hits.clear()
    second = crawl(site, db)
    yield site, db, first, first_hits, second
    site.stop()


@pytest.mark.e2e
def test_start_url_crawl_stores_every_article_once(crawled):
    site, db, first, hits, _ = crawled
    assert first.returncode == 0, first.stderr
    assert urls(db) == sorted(site.url + p[1:] for p in site.article_paths())
    row = (
        sqlite3.connect(db)
        .execute("SELECT site, title, source, published FROM articles WHERE url LIKE '%law-2.html'")
        .fetchone()
    )
    assert row == (
        site.url[7:-1],
        "law栏目第2篇：法院通报涉企案件审理情况",
        "法治日报",
        "2024-05-03T09:30+08:00",
    )
    assert hits["/column/law/p2.html"] == 1  # pagination followed
    assert hits["/private/x.html"] == 0  # robots.txt obeyed
    assert all(hits[p] == 1 for p in site.article_paths())


@pytest.mark.e2e
def test_robots_txt_is_fetched_once_per_run(crawled):
    _, _, first, hits, _ = crawled
    assert first.returncode == 0, first.stderr
    assert hits["/robots.txt"] == 1  # Scrapy's read serves the Sitemap: lines too
    assert hits["/sitemap.xml"] == 1


@pytest.mark.e2e
def test_without_robots_rules_robots_txt_is_still_read_once_for_its_sitemaps(tmp_path):
    site = Portal(articles=1).start()
    try:
        result = crawl(site, tmp_path / "a.db", "-s", "ROBOTSTXT_OBEY=False")
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    assert site.hits["/robots.txt"] == 1 and site.hits["/private/x.html"] == 1
    assert site.url + "story/map-1.html" in urls(tmp_path / "a.db")


@pytest.mark.e2e
def test_sitemap_and_feed_only_articles_are_found(crawled):
    site, db, *_ = crawled
    assert {site.url + "story/map-1.html", site.url + "story/feed-1.html"} <= set(urls(db))


@pytest.mark.e2e
def test_second_run_fetches_lists_but_no_article_and_stops_paginating(crawled):
    site, db, _, _, second = crawled
    assert second.returncode == 0, second.stderr
    assert "0 new" in second.stdout
    assert site.hits["/"] == 1 and site.hits["/column/law/"] == 1
    assert site.article_hits() == 0
    assert site.hits["/column/law/p2.html"] == 0


@pytest.mark.e2e
def test_new_articles_are_fetched_and_nothing_else(portal, tmp_path):
    db = tmp_path / "a.db"
    assert crawl(portal, db).returncode == 0
    portal.articles = 8
    portal.hits.clear()
    result = crawl(portal, db)
    assert result.returncode == 0, result.stderr
    assert "4 new" in result.stdout
    assert {p for p, n in portal.hits.items() if p.startswith("/story/")} == {
        f"/story/{c}-{n}.html" for c in ("law", "court") for n in (7, 8)
    }


@pytest.mark.e2e
def test_stats_table_and_plot(crawled, tmp_path):
    _, db, *_ = crawled
    png = tmp_path / "chart.png"
    result = run_cli("stats", "--db", str(db), "--plot", str(png))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["run", "site", "started"]
    assert len([line for line in lines if "127.0.0.1" in line]) == 2
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.e2e
def test_log_file_in_a_missing_folder_creates_the_folder(tmp_path):
    site = Portal(articles=1).start()
    try:
        result = crawl(
            site,
            tmp_path / "a.db",
            "--log-file",
            str(tmp_path / "logs" / "day" / "x.log"),
            "-s",
            "LOG_LEVEL=INFO",
        )
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Spider closed (finished)" in (tmp_path / "logs" / "day" / "x.log").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("plot", "problem"),
    [
        ("chart.xyz", 'unsupported format "xyz"'),
        ("chart", "no file extension"),
        ("chart.pgf", 'unsupported format "pgf"'),  # needs a LaTeX install
        ("missing/chart.png", "folder"),
    ],
)
def test_stats_plot_to_a_bad_path_is_a_one_line_error_before_any_work(db, tmp_path, plot, problem):
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    db.conn.close()
    result = CliRunner().invoke(main, ["stats", "--db", path, "--plot", str(tmp_path / plot)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: --plot {tmp_path / plot}: "), lines
    assert problem in lines[0] and "png" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.db"]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("settings", "agent"),
    [
        (["-s", "LEGALNEWS_CONTACT=me@example.org"], "legalnews/0.1 (+me@example.org)"),
        (
            [
                "-s",
                "LEGALNEWS_CONTACT=me@example.org",
                "-s",
                "USER_AGENT=ourbot/2 (+ops@example.org)",
            ],
            "ourbot/2 (+ops@example.org)",
        ),
    ],
)
def test_every_request_carries_the_contact_or_the_explicit_user_agent(tmp_path, settings, agent):
    site = Portal(articles=1).start()
    try:
        result = crawl(site, tmp_path / "a.db", *settings)
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    assert set(site.agents) == {agent} and site.agents[agent] == sum(site.hits.values())


@pytest.mark.e2e
def test_empty_site_exits_1_with_a_reason(tmp_path):
    site = Portal(articles=0).start()
    try:
        result = crawl(site, tmp_path / "a.db")
    finally:
        site.stop()
    assert result.returncode == 1
    assert "no articles found" in result.stderr.strip().splitlines()[-1]


@pytest.mark.e2e
def test_fill_rate_drop_exits_4(portal, tmp_path):
    db = tmp_path / "a.db"
    assert crawl(portal, db).returncode == 0
    portal.articles = 9
    portal.template = {n: "v2" for n in (7, 8, 9)}  # the new template lost 来源
    result = crawl(portal, db)
    assert result.returncode == 4, result.stderr
    assert "field source filled in 0% of 6 articles, was 100%" in result.stderr


@pytest.mark.e2e
def test_crawl_delay_is_honoured(tmp_path):
    site = Portal(articles=2, crawl_delay=0.3).start()
    try:
        result = crawl(site, tmp_path / "a.db")
    finally:
        site.stop()
    assert result.returncode == 0, result.stderr
    times = [t for t, path in site.times if path != "/robots.txt"]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) >= 8
    # Spaced where requests leave the middleware; the wire adds a few ms of jitter.
    assert min(gaps) >= 0.24, gaps
    assert sum(gaps) / len(gaps) >= 0.29, gaps


@pytest.mark.e2e
def test_a_crawl_delay_holds_up_no_other_host(tmp_path):
    """One request slot in all: the host with Crawl-delay: 1.5 waits without holding it."""
    with delayed_and_fast_hosts() as (slow, fast):
        result = crawl(
            slow,
            tmp_path / "a.db",
            "--start-url",
            fast.url,
            "--max-time",
            "6",
            "-s",
            "CONCURRENT_REQUESTS=1",
        )
    assert result.returncode == 0, result.stderr
    assert_each_kept_its_pace(slow, fast)
