"""The `legalnews` command line: a thin layer over the library functions.

Each command lives in a module of crawler/commands/ and is registered here.
"""

from __future__ import annotations

from typing import Any

import click

from crawler.commands import fail
from crawler.commands.archive import export, import_warc, query, reparse, search
from crawler.commands.crawling import crawl, demo, sites_command, stats
from crawler.commands.distributed import drain
from crawler.commands.extracting import extract
from crawler.commands.stories import reprints
from crawler.sites import SitesFileError


class Commands(click.Group):
    """The command group; a bad LEGALNEWS_SITES file met by any command is a one-line error."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SitesFileError as exc:
            fail(str(exc))


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="legalnews")
def main() -> None:
    """legalnews: crawl Chinese legal-news portals into one deduplicated SQLite archive."""


for command in (
    demo,
    crawl,
    extract,
    reprints,
    import_warc,
    reparse,
    search,
    query,
    export,
    sites_command,
    stats,
    drain,
):
    main.add_command(command)
