"""Re-extract stored captures with today's parsers, so a parser fix reaches the whole archive."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlite_utils import Database

from crawler.archive.captures import load_capture
from crawler.archive.ingest import article_from_capture, store_article
from crawler.archive.runs import finish_run, start_run
from crawler.archive.schema import transaction
from crawler.archive.store import NEW, UPDATED, VERSIONED_FIELDS, article_row

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
        out = [
            f"captures re-extracted: {c['checked']}",
            f"articles changed:      {c['changed']} ({c[UPDATED]} new versions)",
            f"articles unchanged:    {c['unchanged']}",
            f"recovered from failures: {c['recovered']}",
            f"no longer extracted:   {c['no_longer_article']} (rows kept as they were)",
            f"unreadable captures:   {c['unreadable']}",
        ]
        if self.fields:
            out.append("fields changed: " + ", ".join(f"{k} {v}" for k, v in self.fields.most_common()))
        for item in self.changed[:limit]:
            out.append(f"  {item['id']:>7}  {', '.join(item['fields'])}  {item['url']}")
        return out


def reparse(db: Database, site: str | None = None) -> ReparseReport:
    """Re-extract the capture of every article (of one site) and of every failed page."""
    report = ReparseReport()
    with transaction(db):
        run_id = start_run(db, ["reparse" + (f":{site}" if site else "")])
    where, params = ("AND site = ?", [site]) if site else ("", [])
    rows = db.execute(
        f"SELECT id, capture_id, site FROM articles WHERE capture_id IS NOT NULL {where} ORDER BY id",
        params,
    ).fetchall()
    for article_id, capture_id, row_site in rows:
        with transaction(db):
            _reparse_article(db, article_id, capture_id, row_site, run_id, report)
    for capture_id in _failed_captures(db):
        with transaction(db):
            _reparse_failure(db, capture_id, site, run_id, report)
    with transaction(db):
        counts = {"pages": report.counts["checked"], "updated": report.counts["changed"],
                  "unchanged": report.counts["unchanged"], "new": report.counts["recovered"]}
        finish_run(db, run_id, "ok", counts, {**report.counts, "fields": dict(report.fields)})
    return report


def _reparse_article(db: Database, article_id: int, capture_id: int, site: str | None,
                     run_id: int | None, report: ReparseReport) -> None:
    report.counts["checked"] += 1
    try:
        capture = load_capture(db, capture_id)
    except Exception:  # noqa: BLE001 - a missing or damaged WARC file is reported, not fatal
        report.counts["unreadable"] += 1
        return
    article = article_from_capture(capture, site)
    if isinstance(article, str):
        report.counts["no_longer_article"] += 1
        return
    old = next(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    new = article_row(article, run_id)
    changed = [f for f in (*VERSIONED_FIELDS, *PLAIN_FIELDS) if old[f] != new[f]]
    article.fetched_at = old["fetched_at"]  # re-extraction is not a new fetch
    store_article(db, article, run_id, capture_id)
    plain = [f for f in PLAIN_FIELDS if f in changed]
    if plain:
        db.execute(f"UPDATE articles SET {', '.join(f'{f} = ?' for f in plain)} WHERE id = ?",
                   [*(new[f] for f in plain), article_id])
    if not changed:
        report.counts["unchanged"] += 1
        return
    report.counts["changed"] += 1
    report.counts[UPDATED] += any(f in VERSIONED_FIELDS for f in changed)
    report.fields.update(changed)
    report.changed.append({"id": article_id, "url": old["url"], "fields": changed})


def _failed_captures(db: Database) -> list[int]:
    """Return captures of failed pages whose URL has no article row (newest capture per URL)."""
    return [row[0] for row in db.execute(
        "SELECT max(f.capture_id) FROM failures f WHERE f.capture_id IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.url = f.url) GROUP BY f.url ORDER BY 1"
    ).fetchall()]


def _reparse_failure(db: Database, capture_id: int, site: str | None, run_id: int,
                     report: ReparseReport) -> None:
    try:
        capture = load_capture(db, capture_id)
    except Exception:  # noqa: BLE001
        report.counts["unreadable"] += 1
        return
    article = article_from_capture(capture)
    if isinstance(article, str) or (site and article.site != site):
        return
    report.counts["checked"] += 1
    article_id, status, _ = store_article(db, article, run_id, capture_id)
    if status == NEW:
        report.counts["recovered"] += 1
        report.changed.append({"id": article_id, "url": article.url, "fields": ["recovered"]})
