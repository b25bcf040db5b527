"""The drain's WARC side: where it writes the workers' responses, and their captures rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.archive.captures import relative_to_archive
from crawler.archive.warc import WarcFileSet, header
from crawler.clock import utc_stamp
from crawler.distributed.messages import capture_body


@dataclass
class WarcTarget:
    """Where the drain writes captures: folder, largest file; None folder for no WARC."""

    folder: Path | None
    max_bytes: int


def open_warc(target: WarcTarget, run_id: int) -> WarcFileSet:
    """Return the WARC files of drain run `run_id` in `target`, named by the run and the time."""
    stamp = utc_stamp()
    return WarcFileSet(target.folder, f"legalnews-drain-run{run_id}-{stamp}", target.max_bytes)


def write_capture(db: Database, files: WarcFileSet, message: dict[str, Any], run_id: int) -> None:
    """Write a queued response to `files` and add its captures row."""
    headers = [tuple(pair) for pair in message["headers"]]
    written = files.write_response(
        message["url"],
        message["status"],
        headers,
        capture_body(message),
        protocol=message.get("protocol") or "HTTP/1.1",
        method=message.get("method") or "GET",
        request_headers=[tuple(pair) for pair in message.get("request_headers") or []],
    )
    db.execute(
        "INSERT INTO captures (url, warc_file, warc_offset, warc_length, status, content_type, "
        "fetched_at, run_id, payload_digest, record_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            message["url"],
            relative_to_archive(db, written.path),
            written.offset,
            written.length,
            message["status"],
            header(dict(headers), "content-type") or None,
            message["fetched_at"],
            run_id,
            written.payload_digest,
            written.record_id,
        ],
    )
