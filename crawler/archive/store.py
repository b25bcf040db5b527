"""Write articles into the archive, keeping earlier versions of changed pages."""

from __future__ import annotations

from sqlite_utils import Database

from crawler.archive.prepare import article_row
from crawler.archive.schema import rows
from crawler.clock import utcnow
from crawler.items import TEXT_FIELDS, Article

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
VERSIONED_FIELDS = TEXT_FIELDS


def find_article(db: Database, canonical: str) -> dict | None:
    """Return the stored row of the page with this canonical URL, or None."""
    found = rows(db, "SELECT * FROM articles WHERE canonical_url = ?", [canonical])
    return found[0] if found else None


def insert_article(db: Database, row: dict) -> int:
    """Insert a page seen for the first time; return its id."""
    row = {**row, "first_seen_at": row["fetched_at"]}
    cursor = db.conn.execute(
        f"INSERT INTO articles ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )
    return cursor.lastrowid


def update_article(db: Database, old: dict, row: dict) -> str:
    """Bring a stored page up to date with a new fetch; return UPDATED or UNCHANGED.

    A changed page keeps its previous content in `article_versions`; nothing is overwritten
    without a copy. The row keeps the URL it was first archived under.
    """
    if all(old[f] == row[f] for f in VERSIONED_FIELDS):
        refreshed = {k: row[k] for k in ("fetched_at", "capture_id") if k in row}
        db.conn.execute(
            f"UPDATE articles SET {', '.join(f'{k} = ?' for k in refreshed)} WHERE id = ?",
            [*refreshed.values(), old["id"]],
        )
        return UNCHANGED
    keep_version(db, old)
    row = {k: v for k, v in row.items() if k != "url"}
    db.conn.execute(
        f"UPDATE articles SET {', '.join(f'{k} = ?' for k in row)}, version = version + 1 "
        "WHERE id = ?",
        [*row.values(), old["id"]],
    )
    return UPDATED


def save_article(db: Database, article: Article, run_id: int | None = None) -> tuple[int, str]:
    """Insert or update `article` without its story; return its row id and NEW, UPDATED or
    UNCHANGED.

    Call inside a transaction. The archive's store path is crawler.archive.ingest.store_article.
    """
    row = article_row(article, run_id)
    old = find_article(db, row["canonical_url"])
    if old is None:
        return insert_article(db, row), NEW
    return old["id"], update_article(db, old, row)


def keep_version(db: Database, old: dict) -> None:
    """Copy the current content of an article row into `article_versions`."""
    fields = {f: old[f] for f in VERSIONED_FIELDS}
    db.execute(
        "INSERT INTO article_versions (article_id, version, body_hash, fetched_at, replaced_at, "
        f"{', '.join(fields)}) VALUES (?, ?, ?, ?, ?, {', '.join('?' * len(fields))})",
        [
            old["id"],
            old["version"],
            old["body_hash"],
            old["fetched_at"],
            utcnow(),
            *fields.values(),
        ],
    )
