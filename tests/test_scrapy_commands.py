"""Scrapy's own commands work from the repo root: `scrapy list`, `scrapy crawl NAME`."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from crawler.demo.content import expected_articles
from crawler.demo.server import HOSTS, DemoPortals
from tests.support.process_helpers import run_cli, run_python

pytestmark = pytest.mark.e2e


def scrapy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return run_python("-m", "scrapy", *args, env={**os.environ, **(env or {})}, timeout=120)


def test_scrapy_list_names_every_spider():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert {"fzzx", "lnfz", "portal"} <= set(result.stdout.split())


def test_scrapy_crawl_stores_a_site_into_the_archive_setting(tmp_path):
    db = tmp_path / "via-scrapy.db"
    with DemoPortals() as portals:
        result = scrapy(
            "crawl",
            "fzzx",
            "-s",
            f"ARCHIVE_PATH={db}",
            "-s",
            f"HOST_PROXY_URL={portals.proxy_url}",
            "-s",
            f"HOST_PROXY_HOSTS={','.join(HOSTS)}",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "LOG_LEVEL=WARNING",
        )
    assert result.returncode == 0, result.stderr
    stored = {
        row[0]
        for row in sqlite3.connect(db).execute("SELECT url FROM articles WHERE site = 'fzzx'")
    }
    assert stored == {a["url"] for a in expected_articles() if a["site"] == "fzzx"}


def test_scrapy_commands_name_a_bad_sites_file_without_a_traceback(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[[site]]\nname = "无名"\nstart_urls = ["http://b.example.cn/"]\n', encoding="utf-8"
    )
    db = tmp_path / "a.db"
    for args in (["list"], ["crawl", "fzzx", "-s", f"ARCHIVE_PATH={db}"]):
        result = scrapy(*args, env={"LEGALNEWS_SITES": str(sites)})
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert f"LEGALNEWS_SITES file {sites}: entry 1 has no slug" in result.stderr
    assert not db.exists()


FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"]


def test_a_site_of_the_sites_file_alone_is_a_spider_of_scrapy_and_of_legalnews(tmp_path):
    """One LEGALNEWS_SITES entry is enough: `scrapy list`, `scrapy crawl` and `legalnews crawl`
    know it."""
    from tests.support.portal_site import Portal

    portal = Portal(articles=2).start()
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f'[[site]]\nslug = "newslug"\nname = "新站"\nstart_urls = ["{portal.url}"]\n',
        encoding="utf-8",
    )
    env = {"LEGALNEWS_SITES": str(sites)}
    try:
        listed = scrapy("list", env=env)
        via_scrapy = scrapy(
            "crawl", "newslug", "-s", f"ARCHIVE_PATH={tmp_path / 'scrapy.db'}", *FAST, env=env
        )
        via_cli = run_cli(
            "crawl",
            "newslug",
            "--db",
            str(tmp_path / "cli.db"),
            *FAST,
            env={**os.environ, **env},
            timeout=120,
        )
    finally:
        portal.stop()
    assert listed.returncode == 0, listed.stderr
    assert {"fzzx", "lnfz", "portal", "newslug"} <= set(listed.stdout.split())
    expected = {portal.url + path[1:] for path in portal.article_paths()}
    for result, db in ((via_scrapy, "scrapy.db"), (via_cli, "cli.db")):
        assert result.returncode == 0, result.stderr
        rows = sqlite3.connect(tmp_path / db).execute("SELECT url, site FROM articles").fetchall()
        assert {url for url, _ in rows} == expected and {site for _, site in rows} == {"newslug"}
