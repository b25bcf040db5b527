"""Full-text search that works for Chinese: an FTS5 index of character bigrams.

SQLite's unicode61 tokenizer takes a whole run of Chinese characters as one token, and the
trigram tokenizer cannot find terms shorter than three characters. So the index holds every
text as its overlapping character pairs plus its last character (人民法院 -> 人民 民法 法院 院;
court -> co ou ur rt t), after NFKC normalisation, and a query word becomes the phrase of its
pairs (法院 -> "法院", 禁毒工作 -> "禁毒 毒工 工作"): a phrase of consecutive pairs matches
exactly where the word occurs. A one-character word is a prefix query ("法"*). Pairs that
straddle punctuation or spaces fall apart into single characters under unicode61, which is
harmless. Building the pairs is a few vectorised calls per text (no Python loop per character), which
keeps indexing cheap (numpy builds the pairs). The FTS table is contentless (no second copy of the text); the store
path keeps it in sync (crawler/archive/ingest.py).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from operator import add

import numpy as np
from sqlite_utils import Database

from crawler.dedup import nfkc

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
QUERY_PART = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_]+")
SNIPPET_CHARS = 40
RESULT_COLUMNS = ("id", "site", "published", "title", "url", "story_id")


def segment(text: str | None) -> str:
    """Return `text` as its overlapping character pairs and its last character, space-separated."""
    if not text:
        return ""
    codes = np.frombuffer(nfkc(text).encode("utf-32-le"), dtype=np.uint32)
    # One row per character: itself, its successor (a space after the last), a space.
    table = np.full((len(codes), 3), 32, dtype=np.uint32)
    table[:, 0] = codes
    table[:-1, 1] = codes[1:]
    return table.tobytes().decode("utf-32-le")


def fts_query(term: str) -> str | None:
    """Return the FTS5 MATCH expression for a user's search term (words are ANDed), or None."""
    clauses = []
    for part in QUERY_PART.findall(nfkc(term)):
        if len(part) == 1:
            clauses.append(f'"{part}"*')
        else:
            clauses.append('"' + " ".join(map(add, part, part[1:])) + '"')
    return " AND ".join(clauses) or None


def index_text(conn: sqlite3.Connection, article_id: int, title: str | None, body: str | None) -> None:
    """Add an article's title and body to the index."""
    conn.execute("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                 (article_id, segment(title), segment(body)))


def unindex_text(conn: sqlite3.Connection, article_id: int, title: str | None, body: str | None) -> None:
    """Remove an article from the index; `title` and `body` must be the values it was indexed with."""
    conn.execute("INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)",
                 (article_id, segment(title), segment(body)))


def rebuild_index(conn: sqlite3.Connection, batch: int = 2000) -> int:
    """Re-index every article from scratch; return how many were indexed."""
    conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('delete-all')")
    cursor = conn.execute("SELECT id, title, body FROM articles")
    count = 0
    while rows := cursor.fetchmany(batch):
        conn.executemany("INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
                         [(i, segment(t), segment(b)) for i, t, b in rows])
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


def snippet(text: str | None, term: str, width: int = SNIPPET_CHARS) -> str:
    """Return a window of `text` around the first word of `term`, the match in 【】."""
    text = (text or "").replace("\n", " ")
    words = QUERY_PART.findall(term)
    lowered = text.lower()
    for word in words:
        at = lowered.find(word.lower())
        if at >= 0:
            start, end = max(0, at - width), min(len(text), at + len(word) + width)
            return ("…" if start else "") + text[start:at] + "【" + text[at : at + len(word)] + "】" \
                + text[at + len(word) : end] + ("…" if end < len(text) else "")
    return text[: 2 * width] + ("…" if len(text) > 2 * width else "")


def search(db: Database, term: str, filters: Filters | None = None, limit: int = 20) -> list[dict]:
    """Return the best-ranked articles for `term` (bm25, title weighted), each with a snippet."""
    match = fts_query(term)
    if match is None:
        return []
    where, params = (filters or Filters()).sql()
    # Rank first, on (rowid, rank) alone: the sorter then never carries a body, whatever the
    # number of matches; the few winners are read afterwards.
    source = ("articles_fts f" if not where else "articles_fts f JOIN articles a ON a.id = f.rowid")
    ranked = db.execute(f"SELECT f.rowid, f.rank FROM {source} WHERE articles_fts MATCH ?{where} "
                        f"ORDER BY f.rank LIMIT ?", [match, *params, limit]).fetchall()
    if not ranked:
        return []
    columns = ", ".join(f"a.{c}" for c in RESULT_COLUMNS)
    found = {row[0]: row for row in db.execute(
        f"SELECT {columns}, a.body FROM articles a WHERE a.id IN ({', '.join('?' * len(ranked))})",
        [rowid for rowid, _ in ranked]).fetchall()}
    rows = [(*found[rowid], rank) for rowid, rank in ranked if rowid in found]
    results = []
    for row in rows:
        record = dict(zip((*RESULT_COLUMNS, "body", "rank"), row, strict=True))
        body = record.pop("body")
        record["score"] = round(-record.pop("rank"), 3)
        record["snippet"] = snippet(body, term) if _contains(body, term) else snippet(record["title"], term)
        results.append(record)
    return results


def _contains(text: str | None, term: str) -> bool:
    words = QUERY_PART.findall(term)
    return bool(text) and any(w.lower() in text.lower() for w in words)
