"""Group articles into stories and decide which copy is the original."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.archive.schema import utcnow

# Reasons recorded with the decision, strongest evidence first.
BY_LINK = "original_url"  # another copy names this one in 原文链接
BY_OUTLET = "source_outlet"  # this copy is on the site of the outlet named in 来源
BY_DATE = "earliest_published"
ONLY_COPY = "only_copy"


def find_story(db: Database, article: dict) -> int | None:
    """Return the story an archived article belongs to by link or exact content, if any."""
    checks = [
        ("SELECT story_id FROM articles WHERE canonical_url = ? AND story_id IS NOT NULL",
         article["original_canonical"]),
        ("SELECT story_id FROM articles WHERE original_canonical = ? AND story_id IS NOT NULL",
         article["canonical_url"]),
        ("SELECT story_id FROM articles WHERE body_hash = ? AND story_id IS NOT NULL AND id != ?",
         article["body_hash"]),
    ]
    for sql, value in checks:
        if value is None:
            continue
        params = [value, article["id"]] if sql.count("?") == 2 else [value]
        row = db.execute(sql + " ORDER BY id LIMIT 1", params).fetchone()
        if row:
            return row[0]
    return None


def assign_story(db: Database, article_id: int, story_id: int | None = None) -> int:
    """Put the article in `story_id`, the story found for it, or a new story; return its id."""
    article = next(db.query("SELECT * FROM articles WHERE id = ?", [article_id]))
    story_id = story_id or find_story(db, article)
    if story_id is None:
        story_id = db.execute("INSERT INTO stories (copies) VALUES (0)").lastrowid
    db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])
    refresh_story(db, story_id)
    return story_id


def host_of(url: str | None) -> str:
    """Return the host of `url` without `www.`."""
    return (urlsplit(url or "").hostname or "").removeprefix("www.")


def choose_original(copies: list[dict], outlets: dict[str, str]) -> tuple[dict | None, str, str | None]:
    """Return the original copy (or None), the reason, and the claimed original URL."""
    by_canonical = {c["canonical_url"]: c for c in copies}
    claims = [c["original_canonical"] for c in copies if c["original_canonical"]]
    for claim in claims:
        if claim in by_canonical:
            return by_canonical[claim], BY_LINK, claim
    for copy in sorted(copies, key=lambda c: c["id"]):
        for other in copies:
            host = outlets.get((other["source"] or "").strip())
            if host and host_of(copy["url"]) == host:
                return copy, BY_OUTLET, claims[0] if claims else None
    claimed = claims[0] if claims else None
    if claimed:
        return None, BY_LINK, claimed  # the named original is not archived yet
    if len(copies) == 1:
        return copies[0], ONLY_COPY, None
    dated = [c for c in copies if c["published"]] or copies
    return min(dated, key=lambda c: (c["published"] or "", c["id"])), BY_DATE, None


def refresh_story(db: Database, story_id: int) -> None:
    """Recompute a story's copies, original, title and earliest date."""
    copies = list(db.query("SELECT * FROM articles WHERE story_id = ? ORDER BY id", [story_id]))
    if not copies:
        db.execute("DELETE FROM stories WHERE id = ?", [story_id])
        return
    outlets = dict(db.execute("SELECT name, host FROM outlets").fetchall())
    original, reason, claimed = choose_original(copies, outlets)
    lead = original or copies[0]
    dates = [c["published"] for c in copies if c["published"]]
    db.execute(
        "UPDATE stories SET title = ?, published = ?, original_article_id = ?, original_reason = ?, "
        "claimed_original_url = ?, copies = ?, updated_at = ? WHERE id = ?",
        [lead["title"], min(dates) if dates else None, original["id"] if original else None,
         reason, claimed, len(copies), utcnow(), story_id],
    )
