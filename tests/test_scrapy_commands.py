"""Scrapy's own commands work from the repo root: `scrapy list`, `scrapy crawl NAME`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from crawler.demo.content import expected_articles
from crawler.demo.server import HOSTS, DemoPortals

ROOT = Path(__file__).resolve().parent.parent


def scrapy(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, **(env or {})})


def test_scrapy_list_names_every_spider():
    result = scrapy("list")
    assert result.returncode == 0, result.stderr
    assert {"fzzx", "lnfz", "portal"} <= set(result.stdout.split())


def test_scrapy_crawl_stores_a_site_into_the_archive_setting(tmp_path):
    db = tmp_path / "via-scrapy.db"
    with DemoPortals() as portals:
        result = scrapy(
            "crawl", "fzzx", "-s", f"ARCHIVE_PATH={db}", "-s", f"HOST_PROXY_URL={portals.proxy_url}",
            "-s", f"HOST_PROXY_HOSTS={','.join(HOSTS)}", "-s", "DOWNLOAD_DELAY=0",
            "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
        )
    assert result.returncode == 0, result.stderr
    stored = {row[0] for row in sqlite3.connect(db).execute("SELECT url FROM articles WHERE site = 'fzzx'")}
    assert stored == {a["url"] for a in expected_articles() if a["site"] == "fzzx"}


def test_scrapy_commands_name_a_bad_sites_file_without_a_traceback(tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nname = "无名"\nstart_urls = ["http://b.example.cn/"]\n', encoding="utf-8")
    db = tmp_path / "a.db"
    for args in (["list"], ["crawl", "fzzx", "-s", f"ARCHIVE_PATH={db}"]):
        result = scrapy(*args, env={"LEGALNEWS_SITES": str(sites)})
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        assert f"LEGALNEWS_SITES file {sites}: entry 1 has no slug" in result.stderr
    assert not db.exists()
