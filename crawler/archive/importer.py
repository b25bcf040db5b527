"""Build an archive from WARC files made anywhere (legalnews, wget, Heritrix, Browsertrix)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import partial

from sqlite_utils import Database

from crawler.archive.bulk import BULK_ITEMS, write_batches
from crawler.archive.captures import record_capture, relative_to_archive
from crawler.archive.extraction import NOT_ARTICLE, article_from_capture
from crawler.archive.ingest import is_reprint, store_prepared
from crawler.archive.prepare import Prepared, parallel_map, prepare
from crawler.archive.runs import finish_run, record_failure, start_run
from crawler.archive.schema import transaction
from crawler.archive.warc import Capture, walk
from crawler.items import Article

# Report keys, in the order they are printed.
KEYS = (
    "responses",
    "new",
    "updated",
    "unchanged",
    "reprints",
    "not_article",
    "failures",
    "redirect",
    "not_html",
    "revisit",
    "other_record",
    "broken",
    "duplicate",
)


INLINE_CAPTURES = (
    256  # a WARC with fewer responses is extracted in this process (no worker start-up)
)
REDIRECT = "redirect"
DUPLICATE = "duplicate"  # a response already in the archive: importing a WARC twice adds nothing
Extracted = (
    tuple[Capture, "Prepared | str"] | tuple[str, str]
)  # a response and what it gave, or a skipped record


def import_warcs(
    db: Database,
    paths: list[str | os.PathLike[str]],
    progress: Callable[[str, Counter], None] | None = None,
    workers: int | None = None,
    inline_first: int = INLINE_CAPTURES,
    batch: int = BULK_ITEMS,
) -> Counter:
    """Feed every HTML response of the WARC files through extraction, dedup and storage.

    Returns counts by KEYS. Records that are not HTML responses, revisits and broken
    records are counted and skipped, and so are responses already in the archive
    (`already_captured`). One crawl_runs row (sites 'import-warc') covers the call.
    Extraction runs in `workers` processes (crawler.archive.prepare.parallel_map; by default
    one per CPU: parsing a page costs far more than writing it) while this one writes,
    `batch` responses per transaction (crawler.archive.bulk).
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    counts: Counter[str] = Counter()
    with transaction(db):
        run_id = start_run(db, ["import-warc"])
    for path in paths:
        warc_file = relative_to_archive(db, path)
        extracted = parallel_map(
            extract,
            ((item, run_id) for item in walk(path)),
            workers,
            chunk=16,
            inline_first=inline_first,
        )  # small chunks: responses weigh ~100 KB
        counts.update(
            write_batches(
                db,
                extracted,
                partial(store_extracted, warc_file=warc_file, run_id=run_id),
                partial(store_error, warc_file=warc_file, run_id=run_id),
                batch,
            )
        )
        if progress:
            progress(str(path), counts)
    stats = {"files": [str(p) for p in paths], **counts}
    counts["pages"] = counts["responses"]
    with transaction(db):
        finish_run(db, run_id, "ok" if not counts["failures"] else "failures", dict(counts), stats)
    del counts["pages"]
    return counts


def extract(item: tuple[Capture | tuple[str, str], int]) -> Extracted:
    """Return a response (its body dropped) with its prepared article, or NOT_ARTICLE, REDIRECT or a
    failure reason.

    Runs in worker processes: everything here is CPU work, nothing touches the archive.
    """
    capture, run_id = item
    if not isinstance(capture, Capture):
        return capture  # a skipped record: (reason, detail)
    try:
        outcome = REDIRECT if 300 <= capture.status < 400 else article_from_capture(capture)
        if isinstance(outcome, Article):
            outcome = prepare(outcome, run_id)
    except (
        Exception
    ) as exc:  # a page that breaks the parser is a failure, not the end of the import
        outcome = f"extraction failed: {type(exc).__name__}: {exc}"
    return replace(capture, body=b""), outcome


def store_extracted(db: Database, item: Extracted, warc_file: str, run_id: int) -> list[str]:
    """Store one extracted response: its captures row, then the article or the failure; return count
    keys."""
    if not isinstance(item[0], Capture):
        return [item[0]]
    capture, outcome = item
    if already_captured(db, capture):
        return [DUPLICATE]
    capture_id = store_capture(db, capture, warc_file, run_id)
    if outcome in (REDIRECT, NOT_ARTICLE):
        return ["responses", outcome]
    if isinstance(outcome, str):
        return fail(db, capture, capture_id, outcome, run_id)
    _, status, story_id = store_prepared(db, outcome, capture_id)
    if is_reprint(db, status, story_id):
        return ["responses", status, "reprints"]
    return ["responses", status]


def already_captured(db: Database, capture: Capture) -> bool:
    """Return True when a captures row holds this record: same WARC-Record-ID, or same URL, date and
    digest.

    Checked when storing (not when reading), so that a record met twice in one import counts once.
    """
    return (
        db.execute(
            "SELECT 1 FROM captures WHERE url = ? "
            "AND (record_id = ? OR (fetched_at = ? AND payload_digest IS ?)) "
            "LIMIT 1",
            [capture.url, capture.record_id, capture.fetched_at or "", capture.payload_digest],
        ).fetchone()
        is not None
    )


def store_error(
    db: Database, item: Extracted, exc: Exception, warc_file: str, run_id: int
) -> list[str]:
    """Record a response whose storing raised: its capture and a failure with the error."""
    capture = item[0]
    capture_id = store_capture(db, capture, warc_file, run_id)
    return fail(db, capture, capture_id, f"storing failed: {type(exc).__name__}: {exc}", run_id)


def fail(db: Database, capture: Capture, capture_id: int, reason: str, run_id: int) -> list[str]:
    """Record a response that gave no article as a failure linked to its capture; return count
    keys."""
    record_failure(db, run_id, capture.url, reason, capture.status, capture_id)
    return ["responses", "failures"]


def store_capture(db: Database, capture: Capture, warc_file: str, run_id: int) -> int:
    """Insert the captures row of a response; return its id."""
    return record_capture(
        db,
        capture.url,
        warc_file,
        capture.offset,
        capture.length,
        status=capture.status,
        content_type=capture.headers.get("Content-Type") or capture.content_type or None,
        fetched_at=capture.fetched_at or "",
        run_id=run_id,
        payload_digest=capture.payload_digest,
        record_id=capture.record_id,
    )
