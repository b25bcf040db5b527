"""The `legalnews` command line: a thin layer over the library functions."""

from __future__ import annotations

import json
import sys

import click

from crawler.archive.schema import ArchiveError, open_archive
from crawler.sites import SITES

DEFAULT_DB = "archive.db"


def fail(message: str, code: int = 2) -> None:
    """Print `Error: message` on stderr and exit with `code`."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def check_db(db: str) -> None:
    """Exit 2 with a clear message unless the archive at `db` can be opened for writing."""
    try:
        open_archive(db).conn.close()
    except ArchiveError as exc:
        fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="legalnews")
def main() -> None:
    """legalnews: crawl Chinese legal-news portals into one deduplicated SQLite archive."""


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive to write.")
def demo(db: str) -> None:
    """Serve the bundled demo portals on 127.0.0.1 and crawl them into the archive.

    Example: legalnews demo --db archive.db
    """
    from crawler.demo.server import HOSTS, DemoPortals
    from crawler.runner import run_spiders

    check_db(db)
    with DemoPortals() as portals:
        click.echo(f"demo portals serving {', '.join(sorted(HOSTS))} via {portals.proxy_url}")
        summary = run_spiders(sorted(SITES), db, demo_settings(portals.proxy_url, list(HOSTS)))
    for line in summary.lines():
        click.echo(line)
    click.echo(f"archive: {db}")


def demo_settings(proxy_url: str, hosts: list[str]) -> dict:
    """Return settings that route the real hosts to the local demo server, politeness lifted."""
    return {
        "HOST_PROXY_URL": proxy_url,
        "HOST_PROXY_HOSTS": hosts,
        "HOST_PROXY_ONLY": True,
        "DOWNLOAD_DELAY": 0,
        "AUTOTHROTTLE_ENABLED": False,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "LOG_LEVEL": "WARNING",
    }


@main.command()
@click.argument("sites", nargs=-1, required=True)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive to write.")
@click.option("--demo", "use_demo", is_flag=True, help="Crawl the bundled demo portals instead of the real hosts.")
def crawl(sites: tuple[str, ...], db: str, use_demo: bool) -> None:
    """Crawl the named registered sites into the archive.

    Example: legalnews crawl fzzx lnfz --db archive.db
    """
    from crawler.runner import run_spiders

    unknown = [s for s in sites if s not in SITES]
    if unknown:
        fail(f"unknown site {', '.join(unknown)} (known: {', '.join(sorted(SITES))})")
    check_db(db)
    if use_demo:
        from crawler.demo.server import HOSTS, DemoPortals

        with DemoPortals() as portals:
            summary = run_spiders(list(sites), db, demo_settings(portals.proxy_url, list(HOSTS)))
    else:
        summary = run_spiders(list(sites), db)
    for line in summary.lines():
        click.echo(line)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--url", default=None, help="URL the page was fetched from (selects a site parser).")
def extract(files: tuple[str, ...], url: str | None) -> None:
    """Extract article fields from saved HTML files; print one JSON object per file.

    Example: legalnews extract page1.html page2.html
    """
    from crawler.parsing import extract_files

    for record in extract_files(list(files), url=url):
        click.echo(json.dumps(record, ensure_ascii=False))
    if len(files) == 1 and record.get("kind") == "list":
        sys.exit(3)
