"""The extract command: fields of saved pages as JSON lines."""

from __future__ import annotations

import json
import sys

import click


@click.command()
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
