"""Recompute the canonical URLs an archive stores after the rule that makes them has changed.

Canonical URLs are derived from `articles.url` (the URL a page was first archived under) and
`articles.original_url`; nothing else in the archive stores one (captures, failures, stories
and the near-duplicate tables keep raw URLs or article ids).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from crawler.reprints.fingerprints import canonical_url
from crawler.sites import drop_params_for


@dataclass(frozen=True)
class Change:
    """An article whose stored canonical URL differs from the one today's rule gives."""

    id: int
    old: str
    new: str


def recompute_canonicals(conn: sqlite3.Connection) -> dict[str, int]:
    """Recompute `canonical_url` and `original_canonical` of every article; return counts.

    Call inside a transaction. No row is deleted or merged: when two rows want one canonical
    URL, one takes it and the other keeps a unique one (see `settle`).
    """
    changes, originals = [], []
    rows = conn.execute(
        "SELECT id, url, canonical_url, original_url, original_canonical FROM articles ORDER BY id"
    )
    for article_id, url, old, original_url, old_original in rows:
        new = recanonical(url, old)
        if new != old:
            changes.append(Change(article_id, old, new))
        new_original = recanonical(original_url, old_original) if original_url else old_original
        if new_original != old_original:
            originals.append((new_original, article_id))
    finals = settle(conn, changes)
    moved = [(final, c.id) for c, final in zip(changes, finals, strict=True) if final != c.old]
    # Two steps, so that no row takes a URL another row still holds (UNIQUE is checked per row):
    # '#<id>' can never be a canonical URL, which has a scheme and no fragment.
    conn.executemany(
        "UPDATE articles SET canonical_url = '#' || id WHERE id = ?", [(i,) for _, i in moved]
    )
    conn.executemany("UPDATE articles SET canonical_url = ? WHERE id = ?", moved)
    conn.executemany("UPDATE articles SET original_canonical = ? WHERE id = ?", originals)
    return {"changed": len(moved), "kept": len(changes) - len(moved), "originals": len(originals)}


def recanonical(url: str, old: str | None) -> str | None:
    """Return today's canonical URL of `url`, or `old` if today's rule cannot read it."""
    try:
        return canonical_url(url, drop_params_for(url))
    except ValueError:  # e.g. a port out of range: never fail a migration over one odd row
        return old


def settle(conn: sqlite3.Connection, changes: list[Change]) -> list[str]:
    """Return the canonical URL each changed row ends with, all distinct from every other row's.

    A row that already holds its new URL keeps it. Otherwise the oldest row (lowest id) that
    wants a URL takes it; a younger one keeps its old canonical URL, or, when another row takes
    that, gets `<old>#<id>`: unique, and never matched again by a fetch.
    """
    moving = {c.id for c in changes}
    taken: set[str] = set()
    winners: list[bool] = []
    for change in changes:
        holder = conn.execute(
            "SELECT id FROM articles WHERE canonical_url = ?", [change.new]
        ).fetchone()
        wins = change.new not in taken and (holder is None or holder[0] in moving)
        winners.append(wins)
        if wins:
            taken.add(change.new)
    return [
        c.new if wins else c.old if c.old not in taken else f"{c.old}#{c.id}"
        for c, wins in zip(changes, winners, strict=True)
    ]
