"""Full-text search that works for Chinese: an FTS5 index of single characters with positions.

SQLite's unicode61 tokenizer takes a whole run of Chinese characters as one token, and the
trigram tokenizer cannot find terms shorter than three characters. So the index holds every
text as its characters, one token each, after NFKC normalisation and lower-casing, and a
query word becomes the phrase of its characters (法院 -> "法 院", 禁毒工作 -> "禁 毒 工 作"):
with positions, a phrase of consecutive characters matches exactly where the word occurs, for
words of any length. Each run of punctuation and spaces becomes one boundary token, so that no
phrase matches across it. Character pairs (the usual bigram index) find the same texts, but
their vocabulary is hundreds of times larger and FTS5 pays per distinct term when it writes
and merges segments: on realistic text, ingest with pairs was five times slower.

Building the tokens is a few vectorised numpy calls per text (no Python loop per character).
The FTS table is contentless (no second copy of the text) and uses the `ascii` tokenizer,
which splits on the spaces alone; the store path keeps it in sync, its writes deferred to
the commit (crawler/archive/deferred.py).

Ranking: articles with the term in the title come first, by bm25 of their titles; then those
with it in the body only, by bm25. Ranking every match of a common word like 法院 costs more
than finding them, and a common word almost always fills the first page from titles alone.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import numpy as np
from sqlite_utils import Database

from crawler.archive.deferred import INSERT
from crawler.reprints.fingerprints import nfkc

QUERY_PART = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_]+")
SNIPPET_CHARS = 40
RESULT_COLUMNS = ("id", "site", "published", "title", "url", "story_id")
# Which characters of the Basic Multilingual Plane are letters or digits (index terms).
WORD_CHAR = np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)
BOUNDARY = (
    0xE000  # a private-use character: the token that stands for a run of punctuation or spaces
)


def segment(text: str | None) -> str:
    """Return `text` as its characters, space-separated, lower case, punctuation runs as
    BOUNDARY."""
    return segment_nfkc(nfkc(text)) if text else ""


def segment_nfkc(text: str) -> str:
    """Return `segment` of a text already in NFKC (see crawler.reprints.fingerprints.nfkc)."""
    if not text:
        return ""
    codes = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32)
    word = WORD_CHAR[np.minimum(codes, 0xFFFF)] | (codes > 0xFFFF)
    first_of_run = (
        np.concatenate(([True], word[:-1])) | word
    )  # a gap keeps only its first character
    codes = np.where(word, codes, BOUNDARY)[first_of_run]
    table = np.full((len(codes), 2), 32, dtype=np.uint32)  # each character, then a space
    table[:, 0] = codes
    return table.tobytes().decode("utf-32-le")


def fts_query(term: str) -> str | None:
    """Return the FTS5 MATCH expression for a user's search term (words are ANDed), or None."""
    clauses = ['"' + " ".join(part) + '"' for part in QUERY_PART.findall(nfkc(term).lower())]
    return " AND ".join(clauses) or None


def rebuild_index(conn: sqlite3.Connection, batch: int = 2000) -> int:
    """Re-index every article from scratch; return how many were indexed."""
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
    cursor = conn.execute("SELECT id, title, body FROM articles")
    count = 0
    while rows := cursor.fetchmany(batch):
        conn.executemany(INSERT, [(i, segment(t), segment(b)) for i, t, b in rows])
        count += len(rows)
    return count


@dataclass
class Filters:
    """Restrictions shared by search and export: site and published dates (inclusive)."""

    site: str | None = None
    since: str | None = None  # YYYY-MM-DD
    until: str | None = None

    def sql(self, alias: str = "a") -> tuple[str, list[str]]:
        """Return a WHERE fragment (starting with AND, or empty) and its parameters."""
        parts, params = [], []
        if self.site:
            parts.append(f"{alias}.site = ?")
            params.append(self.site)
        if self.since:
            parts.append(f"substr({alias}.published, 1, 10) >= ?")
            params.append(self.since)
        if self.until:
            parts.append(f"substr({alias}.published, 1, 10) <= ?")
            params.append(self.until)
        return "".join(f" AND {p}" for p in parts), params


def site_is_known(db: Database, site: str) -> bool:
    """Return True when `site` is a registered slug or the site of a stored article."""
    from crawler.sites import SITES

    return (
        site in SITES
        or db.execute("SELECT 1 FROM articles WHERE site = ? LIMIT 1", [site]).fetchone()
        is not None
    )


def known_sites(db: Database) -> list[str]:
    """Return the registered slugs and the sites of stored articles, sorted."""
    from crawler.sites import SITES

    stored = {s for (s,) in db.execute("SELECT DISTINCT site FROM articles WHERE site IS NOT NULL")}
    return sorted(set(SITES) | stored)


def snippet(text: str | None, term: str, width: int = SNIPPET_CHARS) -> str:
    """Return a window of `text` around the first word of `term`, the match in 【】."""
    text = (text or "").replace("\n", " ")
    words = QUERY_PART.findall(term)
    lowered = text.lower()
    for word in words:
        at = lowered.find(word.lower())
        if at >= 0:
            start, end = max(0, at - width), min(len(text), at + len(word) + width)
            return (
                ("…" if start else "")
                + text[start:at]
                + "【"
                + text[at : at + len(word)]
                + "】"
                + text[at + len(word) : end]
                + ("…" if end < len(text) else "")
            )
    return text[: 2 * width] + ("…" if len(text) > 2 * width else "")


def search(db: Database, term: str, filters: Filters | None = None, limit: int = 20) -> list[dict]:
    """Return the best-ranked articles for `term` (title matches first, then bm25), each with a
    snippet."""
    match = fts_query(term)
    if match is None:
        return []
    in_title = f"{{title}} : ({match})"
    ranked = _ranked(db, in_title, filters, limit)
    if len(ranked) < limit:
        ranked += _ranked(db, f"({match}) NOT ({in_title})", filters, limit - len(ranked))
    if not ranked:
        return []
    columns = ", ".join(f"a.{c}" for c in RESULT_COLUMNS)
    found = {
        row[0]: row
        for row in db.execute(
            f"SELECT {columns}, a.body FROM articles a "
            f"WHERE a.id IN ({', '.join('?' * len(ranked))})",
            [rowid for rowid, _ in ranked],
        ).fetchall()
    }
    results = []
    for rowid, rank in ranked:
        if rowid not in found:
            continue
        record = dict(zip((*RESULT_COLUMNS, "body"), found[rowid], strict=True))
        body = record.pop("body")
        record["score"] = round(-rank, 3)
        record["snippet"] = (
            snippet(body, term) if _contains(body, term) else snippet(record["title"], term)
        )
        results.append(record)
    return results


def _ranked(
    db: Database, match: str, filters: Filters | None, limit: int
) -> list[tuple[int, float]]:
    """Return (rowid, rank) of the best `limit` matches.

    Rank first, on (rowid, rank) alone: the sorter then never carries a body, whatever the
    number of matches; the few winners are read afterwards.
    """
    where, params = (filters or Filters()).sql()
    source = "articles_fts f" if not where else "articles_fts f JOIN articles a ON a.id = f.rowid"
    return db.execute(
        f"SELECT f.rowid, f.rank FROM {source} WHERE articles_fts MATCH ?{where} "
        f"ORDER BY f.rank LIMIT ?",
        [match, *params, limit],
    ).fetchall()


def _contains(text: str | None, term: str) -> bool:
    words = QUERY_PART.findall(term)
    return bool(text) and any(w.lower() in text.lower() for w in words)
