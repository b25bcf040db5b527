"""Capture rows: where each fetched response lives in the WARC files, and reading it back."""

from __future__ import annotations

import os
from pathlib import Path

from sqlite_utils import Database

from crawler.archive.warc import Capture, read_capture


def archive_folder(db: Database) -> Path:
    """Return the folder of the archive file (WARC paths in `captures` are relative to it)."""
    return Path(db.conn.execute("PRAGMA database_list").fetchone()[2]).resolve().parent


def relative_to_archive(db: Database, path: str | os.PathLike[str]) -> str:
    """Return `path` relative to the archive folder when it is inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return path.relative_to(archive_folder(db)).as_posix()
    except ValueError:
        return str(path)


def record_capture(
    db: Database,
    url: str,
    warc_file: str,
    offset: int,
    length: int,
    *,
    status: int | None,
    content_type: str | None,
    fetched_at: str,
    run_id: int | None,
    payload_digest: str | None = None,
    record_id: str | None = None,
) -> int:
    """Insert a captures row; return its id."""
    return db.execute(
        "INSERT INTO captures (url, warc_file, warc_offset, warc_length, status, content_type, "
        "fetched_at, run_id, payload_digest, record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            url,
            warc_file,
            offset,
            length,
            status,
            content_type,
            fetched_at,
            run_id,
            payload_digest,
            record_id,
        ],
    ).lastrowid


def capture_for(db: Database, url: str, run_id: int | None) -> int | None:
    """Return the id of the latest capture of `url` in a run, or None."""
    row = db.execute(
        "SELECT id FROM captures WHERE url = ? AND run_id IS ? ORDER BY id DESC LIMIT 1",
        [url, run_id],
    ).fetchone()
    return row[0] if row else None


def load_capture(db: Database, capture_id: int) -> Capture:
    """Return the response stored for a capture id, read from its WARC file."""
    row = db.execute(
        "SELECT url, warc_file, warc_offset, warc_length, fetched_at FROM captures WHERE id = ?",
        [capture_id],
    ).fetchone()
    if row is None:
        raise LookupError(f"no capture {capture_id}")
    url, warc_file, offset, length, fetched_at = row
    return read_stored(archive_folder(db) / warc_file, offset, url, fetched_at, length)


def read_stored(
    path: str | os.PathLike[str], offset: int, url: str, fetched_at: str, length: int = 0
) -> Capture:
    """Return the response a captures row points at, with the row's URL (if the record has none) and
    time.

    Needs no connection: worker processes read captures with it (crawler.archive.reparse).
    """
    capture = read_capture(path, offset)
    capture.url = capture.url or url
    capture.length = length
    capture.fetched_at = fetched_at
    return capture
