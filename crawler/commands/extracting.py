"""The extract command: fields of saved pages as JSON lines."""

from __future__ import annotations

import json
import sys

import click

from crawler.commands import fail


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--url", default=None, help="URL the page was fetched from (selects a site parser).")
def extract(files: tuple[str, ...], url: str | None) -> None:
    """Extract article fields from saved HTML files; print one JSON object per file.

    Exit status: 1 when no file could be extracted, 3 when the only file is a list page.

    Example: legalnews extract page1.html page2.html
    """
    from crawler.parsing import extract_files

    failed = 0
    for record in extract_files(list(files), url=url):
        click.echo(json.dumps(record, ensure_ascii=False))
        failed += "error" in record
    if failed == len(files):  # a failed file is reported in its line; none extracted fails the call
        fail(f"no file could be extracted ({failed} failed)", code=1)
    if len(files) == 1 and record.get("kind") == "list":
        sys.exit(3)
