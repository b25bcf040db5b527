"""Read stories with their copies, and the lag between the original and each reprint."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from crawler.clock import BEIJING


def parse_published(value: str | None) -> datetime | None:
    """Return a published value as an aware datetime (a bare date is midnight in Beijing)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def lag(original: str | None, copy: str | None) -> str | None:
    """Return how long after the original a copy was published (`+Nd HH:MM`, or `+Nd`
    when either shows only a date), or None."""
    start, end = parse_published(original), parse_published(copy)
    if not start or not end:
        return None
    if len(original) == 10 or len(copy) == 10:  # a bare date: compare calendar days only
        return f"{(end.date() - start.date()).days:+d}d"
    minutes = int((end - start).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    days, rest = divmod(abs(minutes), 24 * 60)
    return f"{sign}{days}d {rest // 60:02d}:{rest % 60:02d}"


def stories_with_copies(
    db: Database, story_id: int | None = None, min_copies: int = 2, limit: int = 50
) -> list[dict]:
    """Return stories (one, or those with at least `min_copies`) with their copies, newest first."""
    if story_id is not None:
        rows = list(db.query("SELECT * FROM stories WHERE id = ?", [story_id]))
    else:
        rows = list(
            db.query(
                "SELECT * FROM stories WHERE copies >= ? ORDER BY published DESC, id DESC LIMIT ?",
                [min_copies, limit],
            )
        )
    for story in rows:
        copies = list(
            db.query(
                "SELECT id, site, url, published, source, story_reason FROM articles "
                "WHERE story_id = ? ORDER BY published, id",
                [story["id"]],
            )
        )
        original = next((c for c in copies if c["id"] == story["original_article_id"]), None)
        copies.sort(key=lambda c: c is not original)  # the original first, then by date
        for copy in copies:
            copy["is_original"] = copy is original
            copy["lag"] = lag(original["published"], copy["published"]) if original else None
        story["copies_list"] = copies
    return rows
