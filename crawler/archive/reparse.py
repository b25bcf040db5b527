"""Re-extract stored captures with today's parsers, so a parser fix reaches the whole archive."""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from sqlite_utils import Database

from crawler.archive.bulk import BULK_ITEMS, write_batches
from crawler.archive.captures import archive_folder, read_stored
from crawler.archive.extraction import article_from_capture
from crawler.archive.importer import INLINE_CAPTURES
from crawler.archive.ingest import store_prepared
from crawler.archive.prepare import Prepared, parallel_map, prepare
from crawler.archive.runs import finish_run, start_run
from crawler.archive.schema import rows, transaction
from crawler.archive.store import NEW, UPDATED, VERSIONED_FIELDS
from crawler.items import Article
from crawler.tables import format_rows

logger = logging.getLogger(__name__)

# Fields save_article does not version: reparse refreshes them in place.
PLAIN_FIELDS = ("category", "images", "encoding")


@dataclass
class ReparseReport:
    """What a reparse did: counts, and which fields changed how often."""

    counts: Counter = field(default_factory=Counter)
    fields: Counter = field(default_factory=Counter)
    changed: list[dict] = field(default_factory=list)  # {"id", "url", "fields"}

    def lines(self, limit: int = 20) -> list[str]:
        """Return the report as short human-readable lines."""
        c = self.counts
        read = c["captures"] - c["unreadable"]  # every capture read back went through the parser
        out = [
            f"captures:              {c['captures']} "
            f"(re-extracted {read}, unreadable {c['unreadable']})",
            f"articles changed:      {c['changed']} ({c[UPDATED]} new versions)",
            f"articles unchanged:    {c['unchanged']}",
            f"articles recovered:    {c['recovered']} "
            "(from failed pages or pages once called lists)",
            f"no longer extracted:   {c['no_longer_article']} (rows kept as they were)",
        ]
        if c["errors"]:
            out.append(
                f"errors:                {c['errors']} "
                "(extraction or storing failed; rows kept as they were)"
            )
        if self.fields:
            out.append(
                "fields changed: " + ", ".join(f"{k} {v}" for k, v in self.fields.most_common())
            )
        rows = [
            (item["id"], ", ".join(item["fields"]), item["url"]) for item in self.changed[:limit]
        ]
        return out + format_rows(rows, ("right", "left", "left"), indent="  ")


@dataclass(frozen=True)
class Job:
    """One stored capture to re-extract: of an article row, or of a failed page (`article_id`
    None)."""

    capture_id: int
    path: str  # the WARC file, absolute
    offset: int
    url: str
    fetched_at: (
        str  # the capture's; for an article, the row's own (re-extraction is not a new fetch)
    )
    site: str | None
    run_id: int
    article_id: int | None = None


UNREADABLE = "unreadable"  # the capture could not be read back from its WARC file
EXTRACTION_FAILED = "extraction failed"


def reparse(
    db: Database,
    site: str | None = None,
    workers: int | None = None,
    inline_first: int = INLINE_CAPTURES,
    batch: int = BULK_ITEMS,
) -> ReparseReport:
    """Re-extract the capture of every article (of one site), of every failed page and of every list
    page.

    Like import-warc, captures are read and extracted in `workers` processes (one per CPU by
    default; in this one for the first `inline_first`) while this one writes, `batch` per
    transaction. A capture that cannot be read, or whose extraction or storing fails, is
    counted and its row kept as it was; the others go on.
    """
    report = ReparseReport()
    with transaction(db):
        run_id = start_run(db, ["reparse" + (f":{site}" if site else "")])
    workers = (os.cpu_count() or 1) if workers is None else workers
    changed: dict[
        int, dict
    ] = {}  # by article id: a batch redone after a failure rewrites, never doubles
    jobs = [
        *_article_jobs(db, site, run_id),
        *_capture_jobs(db, run_id, FAILED_PAGES),
        *_capture_jobs(db, run_id, LIST_PAGES),
    ]
    report.counts["captures"] = len(jobs)
    outcomes = parallel_map(reextract, jobs, workers, chunk=16, inline_first=inline_first)
    report.counts.update(
        write_batches(
            db,
            outcomes,
            partial(store_outcome, site=site, changed=changed),
            partial(store_error, changed=changed),
            batch,
        )
    )
    report.changed = list(changed.values())
    report.fields.update(f for item in report.changed for f in item["fields"] if f != "recovered")
    with transaction(db):
        counts = {
            "pages": report.counts["checked"],
            "updated": report.counts["changed"],
            "unchanged": report.counts["unchanged"],
            "new": report.counts["recovered"],
        }
        finish_run(db, run_id, "ok", counts, {**report.counts, "fields": dict(report.fields)})
    return report


def _article_jobs(db: Database, site: str | None, run_id: int) -> list[Job]:
    where, params = ("AND a.site = ?", [site]) if site else ("", [])
    folder = archive_folder(db)
    return [
        Job(
            capture_id,
            str(folder / warc_file),
            offset,
            url,
            fetched_at,
            row_site,
            run_id,
            article_id,
        )
        for article_id, capture_id, row_site, fetched_at, url, warc_file, offset in db.execute(
            "SELECT a.id, a.capture_id, a.site, a.fetched_at, c.url, c.warc_file, c.warc_offset "
            f"FROM articles a JOIN captures c ON c.id = a.capture_id WHERE 1 {where} ORDER BY a.id",
            params,
        )
    ]


# Captures of failed pages whose URL has no article row (newest capture per URL).
FAILED_PAGES = (
    "c.id IN "
    "(SELECT max(f.capture_id) FROM failures f WHERE f.capture_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = f.url) GROUP BY f.url)"
)
# The newest capture of each HTML page that gave neither an article nor a failure: the pages
# the parser of their day called lists; a better parser may find the short article an older
# one rejected.
LIST_PAGES = (
    "c.id IN "
    "(SELECT max(id) FROM captures WHERE status = 200 AND content_type LIKE '%html%' "
    "GROUP BY url) "
    "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = c.url) "
    "AND NOT EXISTS (SELECT 1 FROM failures f WHERE f.url = c.url)"
)


def _capture_jobs(db: Database, run_id: int, which: str) -> list[Job]:
    """Return a job (no article row) for each capture `c` that the SQL condition `which` picks."""
    folder = archive_folder(db)
    return [
        Job(capture_id, str(folder / warc_file), offset, url, fetched_at, None, run_id)
        for capture_id, url, warc_file, offset, fetched_at in db.execute(
            "SELECT c.id, c.url, c.warc_file, c.warc_offset, c.fetched_at FROM captures c "
            f"WHERE {which} ORDER BY c.id"
        )
    ]


def reextract(job: Job) -> tuple[Job, Prepared | str]:
    """Return the job with its capture's article, prepared, or why there is none (NOT_ARTICLE,
    UNREADABLE, ...).

    Runs in worker processes: reading and parsing only, nothing touches the archive.
    """
    try:
        capture = read_stored(job.path, job.offset, job.url, job.fetched_at)
    except Exception:  # a missing or damaged WARC file is reported, not fatal
        return job, UNREADABLE
    try:
        article = article_from_capture(capture, job.site)
        return job, (prepare(article, job.run_id) if isinstance(article, Article) else article)
    except Exception as exc:  # a page that breaks the parser is counted, not the end of the run
        return job, f"{EXTRACTION_FAILED}: {type(exc).__name__}: {exc}"


def store_outcome(
    db: Database, item: tuple[Job, Prepared | str], site: str | None, changed: dict[int, dict]
) -> list[str]:
    """Store one re-extracted capture; return its count keys."""
    job, outcome = item
    if job.article_id is None:
        return _store_failure(db, job, outcome, site, changed)
    if isinstance(outcome, str):
        return ["checked", _reason_key(job, outcome)]
    old = rows(db, "SELECT * FROM articles WHERE id = ?", [job.article_id])[0]
    new = outcome.row
    fields = [f for f in (*VERSIONED_FIELDS, *PLAIN_FIELDS) if old[f] != new[f]]
    store_prepared(db, outcome, job.capture_id)
    plain = [f for f in PLAIN_FIELDS if f in fields]
    if plain:
        db.execute(
            f"UPDATE articles SET {', '.join(f'{f} = ?' for f in plain)} WHERE id = ?",
            [*(new[f] for f in plain), job.article_id],
        )
    if not fields:
        return ["checked", "unchanged"]
    changed[job.article_id] = {"id": job.article_id, "url": old["url"], "fields": fields}
    return [
        "checked",
        "changed",
        *([UPDATED] if any(f in VERSIONED_FIELDS for f in fields) else []),
    ]


def _reason_key(job: Job, reason: str) -> str:
    """Return the count key of an article capture that gave no article (and log the errors)."""
    if reason == UNREADABLE:
        return "unreadable"
    if reason.startswith(EXTRACTION_FAILED):
        logger.warning("reparse: article %s (%s): %s", job.article_id, job.url, reason)
        return "errors"
    return "no_longer_article"  # a list page now, or no title or no body extracted


def _store_failure(
    db: Database, job: Job, outcome: Prepared | str, site: str | None, changed: dict[int, dict]
) -> list[str]:
    if isinstance(outcome, str):
        return (
            [UNREADABLE] if outcome == UNREADABLE else []
        )  # still no article: the failure row stays
    if site and outcome.row["site"] != site:
        return []
    article_id, status, _ = store_prepared(db, outcome, job.capture_id)
    if status != NEW:
        return ["checked"]
    changed[article_id] = {"id": article_id, "url": outcome.row["url"], "fields": ["recovered"]}
    return ["checked", "recovered"]


def store_error(
    db: Database, item: tuple[Job, Prepared | str], exc: Exception, changed: dict[int, dict]
) -> list[str]:
    """Count a capture whose storing failed (its row stays as it was) and log why."""
    job, _ = item
    logger.error(
        "reparse: storing capture %s (%s) failed: %s", job.capture_id, job.url, exc, exc_info=exc
    )
    changed.pop(job.article_id, None)
    return ["checked", "errors"]
