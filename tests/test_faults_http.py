"""Server faults: one crawl of a portal whose pages fail in every common way.

Each fault must leave the crawl running, the sound pages around it archived, and itself
either archived after retries or recorded as a `failures` row with a readable reason.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3

import pytest

from tests.support import fault_server as fs
from tests.support.fault_crawl import crawl, failures, titles
from tests.support.process_helpers import run_cli, settings_args

pytestmark = pytest.mark.e2e

MAXSIZE = 1_000_000
TRAP = 15
# Small timeouts and backoff keep the crawl short; the faults stay the same.
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "WARNING",
    "DOWNLOAD_TIMEOUT": 2,
    "RETRY_TIMES": 2,
    "RETRY_BACKOFF_BASE": 0.1,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_MAXSIZE": MAXSIZE,
    "DOWNLOAD_WARNSIZE": 0,
    "TRAP_MAX_LIST_PAGES": TRAP,
}
FAULTS = {
    "/f/burst.html": fs.burst("burst", failures=2),
    "/f/500.html": fs.status(500),
    "/f/404.html": fs.status(404),
    "/f/410.html": fs.status(410),
    "/f/stall.html": fs.stall(6),
    "/f/drip-slow.html": fs.drip("dripslow", 6),
    "/f/drip-ok.html": fs.drip("dripok", 0.6),
    "/f/reset.html": fs.reset,
    "/f/truncated.html": fs.truncated,
    "/f/loop.html": fs.redirect("/_/loop-back.html"),
    "/_/loop-back.html": fs.redirect("/f/loop.html"),
    "/f/moved.html": fs.redirect("/_/moved-here.html", code=301),
    "/_/moved-here.html": fs.article("moved"),
    "/f/offsite.html": fs.redirect(
        lambda site: f"http://localhost:{site.server.server_address[1]}/a/1.html"
    ),
    "/f/to-file.html": fs.redirect("file:///etc/passwd"),
    "/private/secret.html": fs.article("secret"),
    "/f/huge.html": fs.huge(3 * MAXSIZE),
    "/f/huge-chunked.html": fs.huge(3 * MAXSIZE, announce=False),
    "/f/binary.html": fs.binary_as_html,
    "/f/empty.html": fs.empty,
    "/f/deep.html": fs.deep(10_000),
    "/f/deep-inside.html": fs.nested("deepinside", 10_000),
    "/f/deep-tables.html": fs.nested("deeptables", 10_000, "<table><tr><td>", "</td></tr></table>"),
    "/f/deep-before.html": fs.nested("deepbefore", 10_000, "<span>", "</span>", inside=False),
    "/cal": fs.calendar,
}
# Copies of /a/1.html that differ only in parameters that never select content.
TRACKING = [
    "/a/1.html?utm_source=wechat",
    "/a/1.html?spm=a2c4g.1.2",
    "/a/1.html?utm_medium=share&gclid=x1",
    "/a/1.html?share_token=abc&isappinstalled=0&fbclid=y2",
]
# One script, two articles chosen by `sid`; the last link is a tracking copy of the first.
BY_SID = ["/show.php?sid=5", "/show.php?sid=6", "/show.php?sid=5&utm_source=wechat"]
# (route, what its failures row must say); a reason names the cause in words.
FAILED = [
    ("/f/500.html", r"^HTTP 500$"),
    ("/f/404.html", r"^HTTP 404$"),
    ("/f/410.html", r"^HTTP 410$"),
    ("/f/stall.html", r"^DownloadTimeoutError: .* took longer than 2\.0 seconds"),
    ("/f/drip-slow.html", r"^DownloadTimeoutError: .* took longer than 2\.0 seconds"),
    (
        "/f/reset.html",
        r"^DownloadFailedError: ConnectionLost: Connection to the other side was lost",
    ),
    (
        "/f/truncated.html",
        r"^ResponseDataLossError: the connection closed before the whole body arrived",
    ),
    (
        "/f/loop.html",
        r"^redirect loop: .*/f/loop\.html -> .*/_/loop-back\.html -> .*/f/loop\.html$",
    ),
    ("/f/offsite.html", r"^refused: redirect off-site to http://localhost:\d+/a/1\.html$"),
    (
        "/f/to-file.html",
        r"^HTTP 302: redirect to file:///etc/passwd not followed \(only http and https\)$",
    ),
    (
        "/f/huge.html",
        r"^DownloadCancelledError: Expected to receive 3000000 bytes "
        r"which is larger than download max size",
    ),
    (
        "/f/huge-chunked.html",
        r"^DownloadCancelledError: the body is larger than the download size limit$",
    ),
    ("/f/binary.html", r"^not an HTML page: binary data served as text/html"),
    ("/f/empty.html", r"^empty body \(HTTP 200"),
    ("/f/deep-inside.html", r"^page too deeply nested \(depth > 250\): not extracted$"),
    ("/f/deep-tables.html", r"^page too deeply nested \(depth > 250\): not extracted$"),
    ("/f/deep-before.html", r"^page too deeply nested \(depth > 250\): not extracted$"),
]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The fault portal crawled once: (site, connection, crawl result, hits)."""
    with fs.FaultSite(good=6, faults=FAULTS) as site:
        site.routes["/show.php"] = fs.by_query("sid")
        site.links += TRACKING + BY_SID
        db = tmp_path_factory.mktemp("faults") / "archive.db"
        result = crawl(site, db, SETTINGS)
        conn = sqlite3.connect(db)
        yield site, conn, result, site.hits.copy()
        conn.close()


def test_crawl_finishes_and_archive_is_sound(crawled):
    _, conn, result, _ = crawled
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT status FROM crawl_runs").fetchall() == [("failures",)]


def test_every_good_page_is_archived_once(crawled):
    site, conn, _, _ = crawled
    stored = titles(conn)
    for n in range(1, site.good + 1):
        assert list(stored.values()).count(fs.title_of(f"A{n}")) == 1, n
    assert {site.url + "a/2.html", site.url + "a/6.html"} <= set(stored)


@pytest.mark.parametrize(("route", "reason"), FAILED, ids=[r for r, _ in FAILED])
def test_bad_page_is_a_failure_with_a_readable_reason(crawled, route, reason):
    site, conn, _, _ = crawled
    rows = failures(conn)
    assert site.url + route[1:] in rows, rows
    assert re.search(reason, rows[site.url + route[1:]]), rows[site.url + route[1:]]
    assert site.url + route[1:] not in titles(conn)


def test_a_failure_with_a_response_points_at_its_capture(crawled):
    site, conn, _, _ = crawled
    url = site.url + "f/404.html"
    linked = conn.execute(
        "SELECT c.url, c.status FROM failures f JOIN captures c ON c.id = f.capture_id "
        "WHERE f.url = ?",
        [url],
    ).fetchall()
    assert linked == [(url, 404)]


def test_5xx_burst_is_retried_and_archived(crawled):
    site, conn, _, hits = crawled
    assert hits["/f/burst.html"] == 3  # two 503s, then the page
    assert titles(conn)[site.url + "f/burst.html"] == fs.title_of("burst")
    assert site.url + "f/burst.html" not in failures(conn)


def test_5xx_that_never_heals_is_retried_then_given_up(crawled):
    assert crawled[3]["/f/500.html"] == 1 + SETTINGS["RETRY_TIMES"]


def test_slow_drip_within_the_timeout_is_archived(crawled):
    site, conn, _, _ = crawled
    assert titles(conn)[site.url + "f/drip-ok.html"] == fs.title_of("dripok")


def test_redirect_inside_the_site_is_followed(crawled):
    site, conn, _, _ = crawled
    assert titles(conn)[site.url + "_/moved-here.html"] == fs.title_of("moved")


def test_offsite_and_non_http_redirects_are_not_fetched(crawled):
    site, conn, _, hits = crawled
    assert not any(url.startswith(("http://localhost", "file:")) for url in titles(conn))
    assert (
        conn.execute(
            "SELECT count(*) FROM captures WHERE url NOT LIKE ?", [site.url + "%"]
        ).fetchone()[0]
        == 0
    )


def test_robots_disallow_is_obeyed_and_not_a_failure(crawled):
    site, conn, _, hits = crawled
    assert hits["/private/secret.html"] == 0
    assert site.url + "private/secret.html" not in failures(conn)


def test_deeply_nested_page_keeps_its_article(crawled):
    site, conn, _, _ = crawled
    body = conn.execute(
        "SELECT body FROM articles WHERE url = ?", [site.url + "f/deep.html"]
    ).fetchone()[0]
    assert fs.SENTENCES[0] in body


def test_calendar_trap_is_bounded_and_reported(crawled):
    site, conn, _, hits = crawled
    calendar = sum(n for path, n in hits.items() if path.startswith("/cal"))
    assert TRAP <= calendar <= TRAP + 3  # pages already queued when the cap closes
    trap = [reason for url, reason in failures(conn).items() if "/cal" in url]
    assert trap == [
        f"crawl trap: {TRAP} list pages like /cal?date=# this run (TRAP_MAX_LIST_PAGES); "
        "links to more of them are not followed"
    ]


def test_tracking_parameter_copies_are_one_article(crawled):
    _, conn, _, _ = crawled
    assert list(titles(conn).values()).count(fs.title_of("A1")) == 1
    assert (
        conn.execute("SELECT count(*) FROM failures WHERE url LIKE '%/a/1.html%'").fetchone()[0]
        == 0
    )


def test_a_parameter_that_selects_the_article_keeps_two_articles_apart(crawled):
    site, conn, _, _ = crawled
    stored = conn.execute(
        "SELECT canonical_url, title FROM articles WHERE url LIKE '%/show.php%'"
    ).fetchall()
    assert sorted(stored) == [
        (site.url + "show.php?sid=5", fs.title_of("S5")),
        (site.url + "show.php?sid=6", fs.title_of("S6")),
    ]


def test_a_site_of_the_registry_drops_its_own_parameters(tmp_path):
    sites, db = tmp_path / "sites.toml", tmp_path / "archive.db"
    pairs = settings_args(SETTINGS)
    with fs.FaultSite(good=2) as site:
        site.links += ["/a/1.html?from=timeline", "/a/2.html?FROM=singlemessage&utm_source=wechat"]
        sites.write_text(
            f'[[site]]\nslug = "faults"\nstart_urls = ["{site.url}"]\ndrop_params = ["from"]\n'
        )
        env = {**os.environ, "LEGALNEWS_SITES": str(sites)}
        result = run_cli("crawl", "faults", "--db", str(db), *pairs, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    conn = sqlite3.connect(db)
    assert sorted(titles(conn).values()) == [fs.title_of("A1"), fs.title_of("A2")]
    assert (
        sorted(u for (u,) in conn.execute("SELECT canonical_url FROM articles")) == site.good_urls()
    )
    conn.close()


def test_a_timeout_is_retried_once(crawled):
    hits = crawled[3]
    assert (hits["/f/stall.html"], hits["/f/drip-slow.html"]) == (2, 2)  # RETRY_TIMES is 2


def test_deep_page_on_an_article_url_is_a_failure(tmp_path):
    """With URL patterns, an article-URL page that yields nothing is a failures row too."""
    faults = {"/f/deep-inside.html": fs.nested("deepinside", 10_000)}
    with fs.FaultSite(good=2, faults=faults) as site:
        sites = tmp_path / "sites.json"
        sites.write_text(
            json.dumps(
                [
                    {
                        "slug": "faulty",
                        "start_urls": [site.url],
                        "article_patterns": [r"/(a|f)/[\w-]+\.html$"],
                    }
                ]
            )
        )
        pairs = [x for name, value in SETTINGS.items() for x in ("-s", f"{name}={value}")]
        env = {**os.environ, "LEGALNEWS_SITES": str(sites)}
        result = run_cli(
            "crawl", "faulty", "--db", str(tmp_path / "a.db"), *pairs, env=env, timeout=120
        )
        assert result.returncode == 0, result.stderr
        conn = sqlite3.connect(tmp_path / "a.db")
        assert set(titles(conn)) == set(site.good_urls())
        assert failures(conn) == {
            site.url + "f/deep-inside.html": "page too deeply nested (depth > 250): not extracted"
        }
        conn.close()
