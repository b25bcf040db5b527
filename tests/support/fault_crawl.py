"""Crawling a fault portal in a fresh process, and reading back what its archive kept."""

from __future__ import annotations

import subprocess

from tests.support import fault_server as fs
from tests.support.process_helpers import run_crawl, settings_args


def crawl(
    site: fs.FaultSite, db, settings: dict, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run `legalnews crawl --start-url` on `site` into `db` in a fresh process."""
    return run_crawl(site.url, "--db", str(db), *settings_args(settings), *args, timeout=timeout)


def titles(conn) -> dict[str, str]:
    """Return the archived articles' titles by URL."""
    return {url: title for url, title in conn.execute("SELECT url, title FROM articles")}


def failures(conn) -> dict[str, str]:
    """Return the failures rows' reasons by URL."""
    return {url: reason for url, reason in conn.execute("SELECT url, reason FROM failures")}
