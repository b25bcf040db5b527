"""Tell a legalnews archive from any other file before opening it, without writing a byte.

Whatever is not an archive (a text file, somebody else's SQLite database, an archive of a
later legalnews) is refused before any connection that could write is made: a migration
run on it would add our tables, switch it to WAL and grow it. Only a missing path or an
empty file may become a new archive, and only when a writing command asks.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_FORMAT = 2  # header bytes 18 and 19 (write and read version) of a database in WAL mode
# 32 MiB of page cache on every connection to an archive: the LSH and FTS indexes are written,
# and the FTS and article B-trees read, at random.
CACHE_SIZE_PRAGMA = "PRAGMA cache_size=-32768"


class ArchiveError(Exception):
    """The archive cannot be opened or written; the message says why."""


def uri(path: Path, **params: str) -> str:
    """Return the SQLite URI of `path` with `params` (any character of the path kept as is)."""
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{path.resolve().as_uri()}?{query}"


def _quiet(path: Path, header: bytes) -> bool:
    """Return whether `path` is in WAL mode with nobody holding it open (no -shm beside it)."""
    return header[18] == WAL_FORMAT and not path.with_name(path.name + "-shm").exists()


def _read_schema(path: Path, **params: str) -> tuple[set[str], int]:
    """Return the tables of the database at `path` and its highest applied migration (0 if none)."""
    conn = sqlite3.connect(uri(path, **params), uri=True, timeout=30)
    try:
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        version = 0
        if "_migrations" in tables:
            version = conn.execute("SELECT coalesce(max(version), 0) FROM _migrations").fetchone()[
                0
            ]
        return tables, version
    finally:
        conn.close()


def _tables_and_version(path: Path, header: bytes) -> tuple[set[str], int]:
    """Return `_read_schema` of `path` read without leaving a -wal or -shm file behind."""
    if _quiet(path, header):
        # A plain read-only open of a quiet WAL database creates -wal and -shm and leaves them.
        # With no -shm there is no live log, so the main file alone (immutable) tells the tables.
        try:
            return _read_schema(path, mode="ro", immutable="1")
        except sqlite3.DatabaseError as exc:
            if _quiet(path, header):  # nobody opened it meanwhile: the file itself is broken
                raise ArchiveError(f"cannot read {path}: {exc}") from None
            # else a writer opened it and may have checkpointed during that read: read it live
    try:
        return _read_schema(path, mode="ro")
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot read {path}: {exc}") from None


def archive_version(path: str | Path, known: int) -> int | None:
    """Return the schema version of the archive at `path`, or None where a new one may be made.

    None means a missing path, an empty file, or a SQLite file without any table (what an
    interrupted creation leaves). Raise ArchiveError for anything else that is not an archive
    this code can use: a folder, a file of another kind, another database, a newer schema.
    """
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"{path} is a directory, not an archive file")
    if not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror}") from None
    if not header:
        return None
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise ArchiveError(
            f"{path} is not a SQLite database, so not a legalnews archive; give --db a new path"
        )
    tables, version = _tables_and_version(path, header)
    if not tables and not _wal_has_frames(path):
        return None
    if "_migrations" not in tables or (version and "articles" not in tables):
        raise ArchiveError(
            f"{path} is not a legalnews archive (a SQLite database with tables: "
            f"{', '.join(sorted(tables)) or 'none in the main file'}); give --db a new path"
        )
    if version > known:
        raise ArchiveError(
            f"{path} has schema version {version}, newer than this legalnews knows "
            f"({known}): use a newer legalnews with it"
        )
    return version


def _wal_has_frames(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    return wal.exists() and wal.stat().st_size > 0


def connect_readonly(path: str | Path, version: int | None) -> sqlite3.Connection:
    """Return a read-only connection to the archive at `path`, whose `archive_version` is
    `version`."""
    path = Path(path)
    if version is None:
        raise ArchiveError(f"no archive at {path}")
    try:
        conn = sqlite3.connect(uri(path, mode="ro"), uri=True, timeout=30)
        # A second lock: nothing below writes, by mistake either.
        conn.execute("PRAGMA query_only = 1")
        conn.execute(CACHE_SIZE_PRAGMA)
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"cannot read {path}: {exc}") from None
    return conn


SIDE_FILES = ("-wal", "-shm", "-journal")


def archive_file_role(out: Path, archive: Path) -> str | None:
    """Return what `out` is to the archive at `archive` ("the archive itself", "its -wal"...), or
    None."""
    archive = archive.resolve()
    if _same_file(out, archive):
        return "the archive itself"
    for suffix in SIDE_FILES:
        if _same_file(out, archive.with_name(archive.name + suffix)):
            return f"a file of the archive itself (its {suffix})"
    return None


def _same_file(out: Path, target: Path) -> bool:
    """Return whether `out` names `target`, through links and `..` (or as a hard link of it)."""
    if out.resolve() == target:
        return True
    return out.exists() and target.exists() and out.samefile(target)
