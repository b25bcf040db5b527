"""Hostile links: other schemes, private-network targets, XML bombs in sitemaps and feeds.

A second server on 127.0.0.2 stands for the private network (an intranet host, a cloud
metadata service): nothing may reach it, whatever the pages, sitemaps, feeds or
redirects of the crawled site say.
"""

from __future__ import annotations

import sqlite3

import pytest
from test_faults_http import crawl

from crawler.components.urlsafety import (
    RefusedTarget,
    check_addresses,
    check_scheme,
    declares_entities,
    is_public_address,
    resolve,
)
from tests.support import fault_server as fs

SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "WARNING",
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_MAXSIZE": 1_000_000,
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.html"
    secret.write_text(fs.article_html("secret"), encoding="utf-8")
    with fs.FaultSite(good=2, host="127.0.0.2") as intranet, fs.FaultSite(good=3) as site:
        inner = intranet.url
        here = site.url
        hostile = [
            f"file://{secret}",
            "data:text/html,<h1>x</h1>",
            "javascript:alert(1)",
            "ftp://127.0.0.1/pub/x.html",
            f"{inner}a/1.html",
            "http://169.254.169.254/latest/meta-data/",
            f"http://localhost:{site.server.server_address[1]}/a/1.html",
            "http://[::1]/a.html",
            "http://2130706433/a.html",
            "gopher://127.0.0.1:6379/_INFO",
        ]
        site.links += hostile
        site.feeds += ["/_/feed.xml", "/_/laughs-feed.xml"]
        items = "".join(
            f"<item><link>{u}</link></item>" for u in [*hostile, f"{here}_/from-feed.html"]
        )
        locs = "".join(
            f"<url><loc>{u}</loc></url>".replace("&", "&amp;")
            for u in [*hostile, f"{here}_/from-sitemap.html"]
        )
        site.routes.update(
            {
                "/robots.txt": fs.text(
                    f"User-agent: *\nSitemap: file://{secret}\nSitemap: {inner}sitemap.xml\n"
                    f"Sitemap: {here}_/sitemap.xml\nSitemap: {here}_/laughs.xml\n"
                    f"Sitemap: {here}_/bomb.xml.gz\n",
                    "text/plain",
                ),
                "/_/sitemap.xml": fs.text(
                    f'<?xml version="1.0"?><urlset>{locs}</urlset>', "application/xml"
                ),
                "/_/feed.xml": fs.text(
                    f'<?xml version="1.0"?><rss><channel>{items}</channel></rss>',
                    "application/rss+xml",
                ),
                "/_/laughs.xml": fs.billion_laughs("sitemap"),
                "/_/laughs-feed.xml": fs.billion_laughs("feed"),
                "/_/bomb.xml.gz": fs.gzip_bomb(50_000_000),
                "/_/from-feed.html": fs.article("feed"),
                "/_/from-sitemap.html": fs.article("sitemap"),
                "/_/laughs.html": fs.article("laughs"),
                "/f/redirect-inside.html": fs.redirect(f"{inner}a/2.html"),
                "/f/redirect-metadata.html": fs.redirect(
                    "http://169.254.169.254/latest/meta-data/"
                ),
            }
        )
        site.faults["/f/redirect-inside.html"] = site.faults["/f/redirect-metadata.html"] = None
        db = folder / "archive.db"
        # A crawl led astray by the hostile links would run into the 60 s timeout and fail.
        result = crawl(site, db, SETTINGS, timeout=60)
        conn = sqlite3.connect(db)
        yield site, intranet, conn, result
        conn.close()


@pytest.mark.e2e
def test_crawl_finishes_quickly_without_errors(crawled):
    _, _, conn, result = crawled
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.e2e
def test_private_network_host_is_never_reached(crawled):
    _, intranet, _, _ = crawled
    assert sum(intranet.hits.values()) == 0, intranet.hits


@pytest.mark.e2e
def test_only_the_site_is_archived(crawled):
    site, _, conn, _ = crawled
    urls = {u for (u,) in conn.execute("SELECT url FROM articles")}
    assert urls == set(site.good_urls()) | {
        site.url + "_/from-feed.html",
        site.url + "_/from-sitemap.html",
    }
    captured = {u for (u,) in conn.execute("SELECT url FROM captures")}
    assert all(u.startswith(site.url) for u in captured), captured
    assert (
        conn.execute("SELECT count(*) FROM articles WHERE title LIKE 'secret%'").fetchone()[0] == 0
    )


@pytest.mark.e2e
def test_redirects_to_private_targets_are_failures(crawled):
    site, _, conn, _ = crawled
    reasons = dict(conn.execute("SELECT url, reason FROM failures"))
    assert reasons[site.url + "f/redirect-inside.html"].startswith(
        "refused: redirect off-site to http://127.0.0.2:"
    )
    assert reasons[site.url + "f/redirect-metadata.html"] == (
        "refused: redirect off-site to http://169.254.169.254/latest/meta-data/"
    )


@pytest.mark.e2e
def test_billion_laughs_sitemap_and_feed_are_refused(crawled):
    site, _, conn, _ = crawled
    reasons = dict(conn.execute("SELECT url, reason FROM failures"))
    assert (
        reasons[site.url + "_/laughs.xml"]
        == "refused: sitemap declares XML entities (entity expansion)"
    )
    assert (
        reasons[site.url + "_/laughs-feed.xml"]
        == "refused: feed declares XML entities (entity expansion)"
    )
    assert site.hits["/_/laughs.html"] == 0


@pytest.mark.e2e
def test_gzip_bomb_sitemap_is_not_inflated(crawled):
    site, _, conn, _ = crawled
    reasons = dict(conn.execute("SELECT url, reason FROM failures"))
    assert reasons[site.url + "_/bomb.xml.gz"].startswith("sitemap not unpacked:")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "data:text/html,x",
        "javascript:alert(1)",
        "ftp://example.org/x",
        "gopher://127.0.0.1:6379/_",
        "http:///nohost",
    ],
)
def test_non_http_urls_are_refused(url):
    with pytest.raises(RefusedTarget, match="^refused: "):
        check_scheme(url)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "not-an-ip",
    ],
)
def test_private_and_special_addresses_are_not_public(address):
    assert not is_public_address(address)
    with pytest.raises(RefusedTarget, match="private, loopback or link-local"):
        check_addresses("intranet.example.cn", [address])


def test_public_addresses_pass():
    assert is_public_address("8.8.8.8") and is_public_address("2001:4860:4860::8888")
    check_addresses("www.example.cn", ["202.108.22.5"])


@pytest.mark.parametrize("name", ["localhost", "2130706433", "0x7f000001"])
def test_a_name_that_resolves_to_loopback_is_refused(name):
    """DNS is checked too: a public-looking name whose address is private is refused."""
    addresses = resolve(name)
    assert addresses and not any(is_public_address(a) for a in addresses)
    with pytest.raises(RefusedTarget):
        check_addresses(name, addresses)


def test_entity_declarations_are_detected():
    assert declares_entities(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    assert declares_entities(b'<!DOCTYPE x SYSTEM "y" [\n<!entity % p SYSTEM "http://evil/">]><x/>')
    assert not declares_entities(
        b'<?xml version="1.0"?><urlset><url><loc>http://a/</loc></url></urlset>'
    )
