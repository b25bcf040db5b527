"""Crawl runs and failures: one row per run, one row per page that failed."""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database

from crawler.clock import utcnow

# The crawl_runs status of a run that Scrapy closed before its end, by finish reason.
STOPPED_STATUS = {"shutdown": "interrupted", "closespider_timeout": "time limit"}


def start_run(db: Database, sites: list[str]) -> int:
    """Insert a crawl_runs row for a run that starts now; return its id."""
    return db.execute(
        "INSERT INTO crawl_runs (started_at, sites, status) VALUES (?, ?, 'running')",
        [utcnow(), ",".join(sites)],
    ).lastrowid


def finish_run(
    db: Database, run_id: int, status: str, counts: dict[str, int], stats: dict[str, Any]
) -> None:
    """Close a run with its status, counters and the Scrapy stats."""
    db.execute(
        "UPDATE crawl_runs SET finished_at = ?, status = ?, pages = ?, articles_new = ?, "
        "articles_updated = ?, articles_unchanged = ?, reprints = ?, failures = ?, stats = ? "
        "WHERE id = ?",
        [
            utcnow(),
            status,
            counts.get("pages", 0),
            counts.get("new", 0),
            counts.get("updated", 0),
            counts.get("unchanged", 0),
            counts.get("reprints", 0),
            counts.get("failures", 0),
            json.dumps(stats, ensure_ascii=False, default=str),
            run_id,
        ],
    )


def record_failure(
    db: Database,
    run_id: int | None,
    url: str,
    reason: str,
    status: int | None = None,
    capture_id: int | None = None,
) -> None:
    """Insert a failures row for a page that could not be fetched or parsed (with its capture, if
    any)."""
    db.execute(
        "INSERT INTO failures (run_id, url, reason, http_status, at, capture_id) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [run_id, url, reason, status, utcnow(), capture_id],
    )


def seed_outlets(db: Database, outlets: dict[str, str]) -> None:
    """Make sure the outlets table knows every outlet of `outlets` (name -> host)."""
    db.conn.executemany(
        "INSERT OR IGNORE INTO outlets (name, host) VALUES (?, ?)", list(outlets.items())
    )
