"""LSH band keys of recently indexed articles: listed in `lsh_pending`, looked up in memory.

LSH band keys are random, so writing an article's 42 keys into the `lsh` B-tree touches
pages all over it, and the larger the archive, the more of its pages each commit rewrites
(at 100,000 articles a commit of 500 articles rewrote two thirds of the pages of the 4.2
million rows). So a newly indexed article only gets a row in `lsh_pending` (its id: one small
append), and its keys, computed from its stored signature, live in a map in memory. Once
MERGE_ARTICLES articles are pending, the commit writes all their keys into `lsh` in key
order, one pass over its pages, and empties `lsh_pending`: each page of `lsh` is rewritten
once per MERGE_ARTICLES articles instead of at nearly every commit, like the merge of a
log-structured tree.

The map belongs to one connection. It is loaded from `lsh_pending` and `minhash` on first
use, again after another connection committed (`PRAGMA data_version` changed), and after a
rollback (`forget`), so a lookup always sees what the archive holds plus the open
transaction's own articles.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from crawler.neardup import BANDS, band_keys

MERGE_ARTICLES = 16384  # pending articles that make the commit move their keys into `lsh`


@dataclass
class PendingKeys:
    """The band keys of the articles in `lsh_pending`, as this connection last saw them.

    A key maps to its one article id, or to a tuple of ids in the rare case of several:
    the map of 16,384 articles then takes about 45 MiB instead of 85.
    """

    data_version: int
    articles: dict[int, np.ndarray] = field(default_factory=dict)  # article id -> its band keys
    keys: dict[int, int | tuple[int, ...]] = field(default_factory=dict)  # band key -> article id(s)

    def add(self, article_id: int, keys: list[int]) -> None:
        self.articles[article_id] = np.array(keys, dtype=np.int32)
        for key in dict.fromkeys(keys):  # two bands of one article may share a key
            ids = self.keys.setdefault(key, article_id)
            if ids != article_id:
                self.keys[key] = (*ids, article_id) if isinstance(ids, tuple) else (ids, article_id)

    def drop(self, article_id: int) -> None:
        for key in dict.fromkeys(self.articles.pop(article_id, np.zeros(0, np.int32)).tolist()):
            ids = self.keys.pop(key)
            if isinstance(ids, tuple):
                rest = tuple(i for i in ids if i != article_id)
                self.keys[key] = rest if len(rest) > 1 else rest[0]

    def sharing(self, keys: list[int]) -> Counter:
        """Return how many of `keys` each pending article has."""
        shared: Counter = Counter()
        for ids in map(self.keys.get, keys):
            if isinstance(ids, int):
                shared[ids] += 1
            elif ids:
                shared.update(ids)
        return shared


def pending(db: Database) -> PendingKeys:
    """Return the pending keys of `db`, (re)loaded when this connection's copy may be stale."""
    version = db.conn.execute("PRAGMA data_version").fetchone()[0]
    state = getattr(db, "_legalnews_pending", None)
    if state is None or state.data_version != version:
        state = PendingKeys(version)
        for article_id, sig in db.conn.execute(
                "SELECT p.article_id, m.sig FROM lsh_pending p JOIN minhash m USING (article_id)"):
            state.add(article_id, band_keys(np.frombuffer(sig, dtype=np.uint32)))
        db._legalnews_pending = state  # state of this connection, not of the module
    return state


def add_pending(db: Database, article_id: int, keys: list[int]) -> None:
    """List a newly indexed article as pending and map its keys."""
    state = pending(db)
    db.conn.execute("INSERT INTO lsh_pending (article_id) VALUES (?)", [article_id])
    state.add(article_id, keys)


def drop_pending(db: Database, article_id: int) -> None:
    """Remove an article from the pending list and map (nothing if it is not there)."""
    state = pending(db)
    if article_id in state.articles:
        db.conn.execute("DELETE FROM lsh_pending WHERE article_id = ?", [article_id])
        state.drop(article_id)


def merge_when_full(db: Database, limit: int = MERGE_ARTICLES) -> int:
    """Move the pending keys into `lsh` once `limit` articles are pending; return how many moved."""
    state = pending(db)
    if len(state.articles) < limit or not state.articles:
        return 0
    ids = np.repeat(np.fromiter(state.articles, dtype=np.int64, count=len(state.articles)), BANDS)
    keys = np.concatenate(list(state.articles.values()))
    order = np.lexsort((ids, keys))
    db.conn.executemany("INSERT OR IGNORE INTO lsh (key, article_id) VALUES (?, ?)",
                        zip(keys[order].tolist(), ids[order].tolist(), strict=True))
    db.conn.execute("DELETE FROM lsh_pending")
    moved = len(state.articles)
    state.articles.clear()
    state.keys.clear()
    return moved


def forget(db: Database) -> None:
    """Drop this connection's map (its transaction rolled back): the next use reloads it."""
    db._legalnews_pending = None
