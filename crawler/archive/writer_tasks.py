"""The tasks the archive writer process runs: WARC captures, articles, failures.

Each task is a name and picklable arguments; each function counts what it did into
`counts`, which the writer sends back to the crawl as stats increments.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from crawler.archive.captures import capture_for, record_capture, relative_to_archive
from crawler.archive.ingest import is_reprint, store_article
from crawler.archive.runs import record_failure
from crawler.archive.warc import WarcFileSet
from crawler.health import failure_kind
from crawler.items import Article


def capture(
    db: Database,
    state: dict,
    counts: Counter,
    folder: str,
    prefix: str,
    max_bytes: int,
    record: dict,
) -> None:
    """Write one response to the run's WARC files and its captures row."""
    files = state.setdefault("warc", {}).get(prefix)
    if files is None:
        files = state["warc"][prefix] = WarcFileSet(Path(folder), prefix, max_bytes)
    written = files.write_response(
        record["url"],
        record["status"],
        record["headers"],
        record["body"],
        protocol=record["protocol"],
        request_headers=record["request_headers"],
        method=record["method"],
    )
    record_capture(
        db,
        record["url"],
        relative_to_archive(db, written.path),
        written.offset,
        written.length,
        status=record["status"],
        content_type=record["content_type"],
        fetched_at=record["fetched_at"],
        run_id=record["run_id"],
        payload_digest=written.payload_digest,
        record_id=written.record_id,
    )


def article(db: Database, state: dict, counts: Counter, item: Article, run_id: int | None) -> None:
    """Store one article (with its story) and link it to its capture."""
    capture_id = capture_for(db, item.url, run_id)
    _, status, story_id = store_article(db, item, run_id, capture_id)
    counts[f"archive/{status}"] += 1
    if is_reprint(db, status, story_id):
        counts["archive/reprints"] += 1


def failure(
    db: Database,
    state: dict,
    counts: Counter,
    url: str,
    reason: str,
    status: int | None,
    run_id: int | None,
) -> None:
    """Record a page that could not be fetched or parsed, pointing at its capture."""
    record_failure(db, run_id, url, reason, status, capture_for(db, url, run_id))
    counts["archive/failures"] += 1
    counts[f"failures/{failure_kind(reason)}"] += 1


TASKS = {"capture": capture, "article": article, "failure": failure}


def run(db: Database, state: dict, task: tuple[str, tuple], counts: Counter) -> None:
    """Run one task by name."""
    name, args = task
    TASKS[name](db, state, counts, *args)


def record_error(
    db: Database, task: tuple[str, tuple], exc: BaseException, counts: Counter
) -> None:
    """Record a task the archive could not take as a failure of its run."""
    name, args = task
    url, run_id = describe(name, args)
    failure(
        db, {}, counts, url or "(no URL)", f"store error: {type(exc).__name__}: {exc}", None, run_id
    )


def describe(name: str, args: tuple) -> tuple[str, Any]:
    """Return the URL and run id a task was about."""
    if name == "capture":
        return args[3]["url"], args[3]["run_id"]
    if name == "article":
        return args[0].url, args[1]
    return args[0], args[3]


def close_files(state: dict) -> None:
    """Close the WARC files the tasks opened."""
    for files in state.get("warc", {}).values():
        files.close()
