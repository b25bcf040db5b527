"""The `legalnews` command line: a thin layer over the library functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

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


@main.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive to read.")
@click.option("--story", "story_id", type=int, default=None, help="Show this story only.")
@click.option("--limit", type=int, default=20, show_default=True, help="How many stories to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
def reprints(db: str, story_id: int | None, limit: int, as_json: bool) -> None:
    """Show stories that appeared on several sites: copies, sites, dates, lag, the original.

    Example: legalnews reprints --db archive.db --story 3
    """
    from crawler.archive.reprints import stories_with_copies

    archive = open_existing(db)
    stories = stories_with_copies(archive, story_id=story_id, limit=limit)
    if story_id is not None and not stories:
        fail(f"no story {story_id} in {db}", code=1)
    for story in stories:
        if as_json:
            click.echo(json.dumps(story, ensure_ascii=False))
            continue
        claimed = ""
        if story["original_article_id"] is None and story["claimed_original_url"]:
            claimed = f"  original not archived yet: {story['claimed_original_url']}"
        click.echo(f"story {story['id']}: {story['title']}  ({story['copies']} copies, "
                   f"original by {story['original_reason']}){claimed}")
        for copy in story["copies_list"]:
            mark = "original" if copy["is_original"] else (copy["lag"] or "reprint")
            click.echo(f"  {mark:>12}  {copy['site'] or '-':6} {copy['published'] or '-':25} {copy['url']}")


def open_existing(db: str):
    """Open an existing archive (upgrading an older schema), or exit 2 with a clear message."""
    if not Path(db).is_file():
        fail(f"no archive at {db}")
    try:
        return open_archive(db)
    except ArchiveError as exc:
        fail(str(exc))
