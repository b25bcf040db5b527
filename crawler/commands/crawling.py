"""Commands that crawl: the demo portals and registered sites."""

from __future__ import annotations

import click

from crawler.commands import DEFAULT_DB, check_db, fail
from crawler.sites import SITES


@click.command()
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


@click.command()
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
