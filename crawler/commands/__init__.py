"""Helpers shared by the command modules: the default archive, errors, opening archives."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlite_utils import Database

from crawler.archive.schema import ArchiveError, open_archive

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


def open_existing(db: str) -> Database:
    """Open an existing archive (upgrading an older schema), or exit 2 with a clear message."""
    if not Path(db).is_file():
        fail(f"no archive at {db}")
    try:
        return open_archive(db)
    except ArchiveError as exc:
        fail(str(exc))
