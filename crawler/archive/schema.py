"""Open an archive and bring its schema up to date with the versioned migrations; transactions.

The migrations themselves, oldest first, are in crawler/archive/migrations.py.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from crawler.archive.deferred import deferred
from crawler.archive.guard import (
    CACHE_SIZE_PRAGMA,
    ArchiveError,
    archive_version,
    connect_readonly,
)
from crawler.archive.migrations import MIGRATIONS
from crawler.clock import utcnow

SCHEMA_VERSION = len(MIGRATIONS)

# Pages of a new archive. A body of 3,000 Chinese characters is 9 KB of UTF-8: with the default
# 4 KiB pages each row spills into a chain of overflow pages. With 16 KiB pages the archive's
# writer needs 12 to 20% less CPU per article and the file is 10% smaller
# (bench/bench_archive_writer.py, BENCHMARKS.md). An archive made with other pages keeps them.
PAGE_SIZE = 16384


def open_archive(
    path: str | os.PathLike[str], readonly: bool = False, create: bool = True
) -> Database:
    """Return the archive at `path`: read-only as it is, or for writing, created or upgraded.

    Anything that is not an archive of this code is refused (ArchiveError) before a byte is
    written. A new archive is made only for writing, only where nothing is, and only with `create`.
    """
    path = Path(path)
    known = len(MIGRATIONS)
    version = archive_version(path, known)
    if readonly:
        if version is not None and version < known:
            raise ArchiveError(
                f"{path} has schema version {version}, this legalnews needs {known}: "
                f"run `legalnews reparse --db {path}` (or any writing command) to upgrade it"
            )
        return Database(connect_readonly(path, version))
    if version is None and not create:
        raise ArchiveError(f"no archive at {path}")
    if not path.parent.exists():
        raise ArchiveError(f"cannot create {path}: folder {path.parent} does not exist")
    try:
        conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
        conn.execute(f"PRAGMA page_size={PAGE_SIZE}")  # takes effect only in a new file
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(CACHE_SIZE_PRAGMA)
        migrate(conn)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot open archive {path}: {exc}") from None
    return Database(conn)


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations `conn` lacks; return how many ran."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT version FROM _migrations")}
    ran = 0
    for version, (name, step) in enumerate(MIGRATIONS, start=1):
        if version in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if callable(step):
                step(conn)
            else:
                for statement in step.split(";\n"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute("INSERT INTO _migrations VALUES (?, ?, ?)", (version, name, utcnow()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        ran += 1
    return ran


def commit(db: Database) -> None:
    """Write the transaction's deferred index writes, then COMMIT."""
    deferred(db).flush(db)
    db.conn.execute("COMMIT")


def rollback(db: Database) -> None:
    """ROLLBACK, dropping the transaction's deferred index writes."""
    deferred(db).discard(db)
    db.conn.execute("ROLLBACK")


class transaction:  # used like a function: `with transaction(db):`
    """Run a block in one write transaction (BEGIN IMMEDIATE ... COMMIT or ROLLBACK)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type:
            rollback(self.db)
            return
        try:
            commit(self.db)
        except BaseException:
            rollback(self.db)
            raise


def rows(db: Database, sql: str, params: list | tuple = ()) -> list[dict]:
    """Return the rows of a query as dicts (without sqlite-utils' per-query savepoint)."""
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
