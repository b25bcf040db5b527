"""Build an archive from WARC files made anywhere (legalnews, wget, Heritrix, Browsertrix)."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable

from sqlite_utils import Database

from crawler.archive.captures import record_capture, relative_to_archive
from crawler.archive.ingest import NOT_ARTICLE, article_from_capture, store_article
from crawler.archive.runs import finish_run, record_failure, start_run
from crawler.archive.schema import transaction
from crawler.archive.store import NEW
from crawler.archive.warc import Capture, walk

# Report keys, in the order they are printed.
KEYS = ("responses", "new", "updated", "unchanged", "reprints", "not_article", "failures",
        "redirect", "not_html", "revisit", "other_record", "broken")


def import_warcs(db: Database, paths: list[str | os.PathLike[str]],
                 progress: Callable[[str, Counter], None] | None = None) -> Counter:
    """Feed every HTML response of the WARC files through extraction, dedup and storage.

    Returns counts by KEYS. Records that are not HTML responses, revisits and broken
    records are counted and skipped. One crawl_runs row (sites 'import-warc') covers the call.
    """
    counts: Counter[str] = Counter()
    with transaction(db):
        run_id = start_run(db, ["import-warc"])
    for path in paths:
        for item in walk(path):
            if isinstance(item, Capture):
                with transaction(db):
                    import_capture(db, item, relative_to_archive(db, path), run_id, counts)
            else:
                counts[item[0]] += 1
        if progress:
            progress(str(path), counts)
    stats = {"files": [str(p) for p in paths], **counts}
    counts["pages"] = counts["responses"]
    with transaction(db):
        finish_run(db, run_id, "ok" if not counts["failures"] else "failures", dict(counts), stats)
    del counts["pages"]
    return counts


def import_capture(db: Database, capture: Capture, warc_file: str, run_id: int, counts: Counter) -> None:
    """Store one response: its captures row, then the article or the failure."""
    counts["responses"] += 1
    capture_id = record_capture(
        db, capture.url, warc_file, capture.offset, capture.length, status=capture.status,
        content_type=capture.headers.get("Content-Type") or capture.content_type or None,
        fetched_at=capture.fetched_at or "", run_id=run_id,
        payload_digest=capture.payload_digest, record_id=capture.record_id,
    )
    if 300 <= capture.status < 400:
        counts["redirect"] += 1
        return
    outcome = article_from_capture(capture)
    if outcome == NOT_ARTICLE:
        counts["not_article"] += 1
        return
    if isinstance(outcome, str):
        record_failure(db, run_id, capture.url, outcome, capture.status)
        db.execute("UPDATE failures SET capture_id = ? WHERE id = last_insert_rowid()", [capture_id])
        counts["failures"] += 1
        return
    _, status, story_id = store_article(db, outcome, run_id, capture_id)
    counts[status] += 1
    if status == NEW:
        copies = db.execute("SELECT copies FROM stories WHERE id = ?", [story_id]).fetchone()[0]
        counts["reprints"] += copies > 1
