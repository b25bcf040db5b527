"""Commands over the stored archive: import WARCs, reparse, search, read-only SQL, export."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date

import click

from crawler.commands import db_option, fail, open_existing, open_readonly


def _date(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2022-06-21") from None


def _filters(site: str | None, since: str | None, until: str | None):
    from crawler.search.fts import Filters

    return Filters(site=site, since=since, until=until)


def _check_site(database, site: str | None) -> None:
    """Exit 2 unless `site` is None, a registered slug or the site of a stored article."""
    from crawler.search.fts import known_sites, site_is_known

    if site is not None and not site_is_known(database, site):
        fail(f"unknown site {site} (known: {', '.join(known_sites(database))})")


SITE = click.option("--site", default=None, help="Only articles of this site slug.")
SINCE = click.option(
    "--since", default=None, callback=_date, help="Published on or after (YYYY-MM-DD)."
)
UNTIL = click.option(
    "--until", default=None, callback=_date, help="Published on or before (YYYY-MM-DD)."
)


@click.command("import-warc")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@db_option("Archive to write (created if missing).")
def import_warc(files: tuple[str, ...], db: str) -> None:
    """Extract and store the HTML responses of WARC files made by any crawler.

    Non-HTML records, revisits, broken records and records already imported are skipped
    and counted.

    Example: legalnews import-warc crawl.warc.gz --db archive.db
    """
    from crawler.archive.guard import ArchiveError, archive_version
    from crawler.archive.importer import KEYS, import_warcs
    from crawler.archive.runs import seed_outlets
    from crawler.archive.schema import SCHEMA_VERSION, open_archive
    from crawler.archive.warc import is_warc
    from crawler.reprints.outlets import outlet_hosts

    try:  # both checks before the archive is opened: a mistake must neither create nor change one
        archive_version(db, SCHEMA_VERSION)
        for path in files:
            if not is_warc(path):
                raise ArchiveError(f"{path} is not a WARC file")
        archive = open_archive(db)
    except ArchiveError as exc:
        fail(str(exc))
    seed_outlets(archive, outlet_hosts())
    counts = import_warcs(archive, list(files))
    for key in KEYS:
        click.echo(f"{key.replace('_', ' '):13} {counts[key]}")


@click.command()
@db_option("Archive to update.")
@SITE
@click.option(
    "--show", type=int, default=20, show_default=True, help="How many changed articles to list."
)
def reparse(db: str, site: str | None, show: int) -> None:
    """Re-extract every stored capture with the current parsers and update the articles.

    Example: legalnews reparse --db archive.db --site fzzx
    """
    from crawler.archive.reparse import reparse as run_reparse

    database = open_existing(db)
    _check_site(database, site)
    report = run_reparse(database, site=site)
    for line in report.lines(limit=show):
        click.echo(line)


@click.command()
@click.argument("term")
@db_option("Archive to search.")
@SITE
@SINCE
@UNTIL
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
def search(
    term: str,
    db: str,
    site: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search of titles and bodies (Chinese terms of any length), best first.

    Example: legalnews search 禁毒 --db archive.db --since 2022-01-01
    """
    from crawler.search.fts import search as run_search

    database = open_readonly(db)
    _check_site(database, site)
    results = run_search(database, term, _filters(site, since, until), limit)
    for hit in results:
        if as_json:
            click.echo(json.dumps(hit, ensure_ascii=False))
        else:
            click.echo(
                f"{hit['id']:>7}  {hit['site'] or '-':6} "
                f"{(hit['published'] or '-')[:10]:10}  {hit['title']}"
            )
            click.echo(f"         {hit['snippet']}")
            click.echo(f"         {hit['url']}")
    if not results and not as_json:
        click.echo("no match", err=True)
    sys.exit(0 if results else 1)


@click.command()
@click.argument("sql")
@db_option("Archive to read.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
)
def query(sql: str, db: str, fmt: str) -> None:
    """Run one read-only SQL statement; writes, ATTACH and pragma changes are refused.

    Example: legalnews query "SELECT site, count(*) FROM articles GROUP BY site" --format csv
    """
    from crawler.search.query import QueryRefused, run_query

    try:
        columns, rows = run_query(db, sql)
        if fmt == "json":
            click.echo("[", nl=False)
            for n, row in enumerate(rows):
                sep = "," if n else ""
                click.echo(
                    sep
                    + "\n"
                    + json.dumps(
                        dict(zip(columns, row, strict=True)), ensure_ascii=False, default=_blob
                    ),
                    nl=False,
                )
            click.echo("\n]")
        elif fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(columns)
            for row in rows:
                writer.writerow(row)
                click.echo(buffer.getvalue(), nl=False)
                buffer.seek(0)
                buffer.truncate()
            click.echo(buffer.getvalue(), nl=False)
        else:
            from crawler.tables import format_table

            click.echo(format_table(columns, rows, max_cell=60))
    except QueryRefused as exc:
        fail(str(exc))
    except Exception as exc:  # an SQL error while stepping is still one line
        fail(str(exc))


def _blob(value: bytes) -> str:
    return value.hex()


@click.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), required=True)
@click.option(
    "--out",
    required=True,
    type=click.Path(),
    help="File to write, - for stdout (with --hf: a new folder).",
)
@db_option("Archive to read.")
@SITE
@SINCE
@UNTIL
@click.option("--stories-only", is_flag=True, help="One row per story: its original copy.")
@click.option(
    "--hf", is_flag=True, help="Write a Hugging Face dataset folder (data/ and README.md card)."
)
def export(
    fmt: str,
    out: str,
    db: str,
    site: str | None,
    since: str | None,
    until: str | None,
    stories_only: bool,
    hf: bool,
) -> None:
    """Export articles as JSON Lines, CSV (UTF-8 with BOM, for Excel) or Parquet, streaming.

    Example: legalnews export --format parquet --out articles.parquet --db archive.db
    """
    from crawler.export.files import ExportError
    from crawler.export.files import export as run_export

    if hf and fmt == "csv":
        fail("--hf writes jsonl or parquet data files, not csv")
    database = open_readonly(db)
    _check_site(database, site)
    try:
        report = run_export(database, fmt, out, _filters(site, since, until), stories_only, hf)
    except ExportError as exc:
        fail(str(exc))
    if out == "-":  # stdout holds the export itself
        click.echo(f"exported {report.rows} rows to stdout", err=True)
    else:
        click.echo(f"exported {report.rows} rows to {', '.join(str(f) for f in report.files)}")
