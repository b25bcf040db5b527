"""Helpers shared by the command modules: the default archive, errors, opening archives."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click
from sqlite_utils import Database

from crawler.archive.schema import ArchiveError, open_archive

DEFAULT_DB = "archive.db"


def db_option(purpose: str) -> Callable[[Callable], Callable]:
    """Return the `--db` option every command has: `purpose` is its help ("Archive to read.")."""
    return click.option("--db", default=DEFAULT_DB, show_default=True, help=purpose)


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


def open_existing(db: str) -> Database:
    """Open an existing archive for writing (upgrading an older schema), or exit 2 with a clear
    message."""
    try:
        return open_archive(db, create=False)
    except ArchiveError as exc:
        fail(str(exc))


def open_readonly(db: str) -> Database:
    """Open an existing archive of the current schema read-only, or exit 2 with a clear message."""
    try:
        return open_archive(db, readonly=True)
    except ArchiveError as exc:
        fail(str(exc))
