"""What a connection keeps in memory of the LSH index: recent articles' keys, and which keys `lsh` has.

LSH band keys are random, so writing an article's 42 keys into the `lsh` B-tree touches
pages all over it, and the larger the archive, the more of its pages each commit rewrites
(at 100,000 articles a commit of 500 articles rewrote two thirds of the pages of the 4.2
million rows). So a newly indexed article only gets a row in `lsh_pending` (its id and its
keys as a JSON array: one small append), and its keys live in a map in memory. Once
MERGE_ARTICLES articles are pending, the commit moves all their keys into `lsh` in key order,
one pass over its pages (SQLite expands and sorts them itself with `json_each`, a third faster
than passing 688,000 rows from Python), and empties `lsh_pending`: each page of `lsh` is
rewritten once per MERGE_ARTICLES articles instead of at nearly every commit, like the merge of a
log-structured tree.

Most band keys of a new article are in no other article, and a B-tree probe that finds
nothing costs as much as one that finds something. So `lsh_present` keeps the sorted array
of the keys `lsh` holds (4 bytes a key), rewritten at each merge, and the connection builds a
Bloom filter of it (`KeyFilter`, 4 to 8 bytes a key): a lookup probes `lsh` only for the
keys the filter may hold, usually none (a binary search of the array itself costs as much
as the probes, its memory being out of the CPU caches). Keys of deleted rows may stay in
the array: they cost a probe, never a wrong answer.

The memory belongs to one connection. It is loaded on first use, again after another
connection committed (`PRAGMA data_version` changed), and after a rollback (`forget`), so a
lookup always sees what the archive holds plus the open transaction's own articles.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

MERGE_ARTICLES = 16384  # pending articles that make the commit move their keys into `lsh`


class KeyFilter:
    """A Bloom filter of 32-bit band keys: two bits a key among 32 to 64 bits a key.

    Band keys are already well mixed, so the two bit positions are the key's low bits and
    the high bits of the key times an odd constant. False positives: 0.4% to 0.1% of keys.
    """

    BITS_PER_KEY = 32

    def __init__(self, keys: np.ndarray) -> None:
        self.bits = max(16, int(np.ceil(np.log2(max(1, len(keys)) * self.BITS_PER_KEY))))
        self.capacity = (1 << self.bits) // self.BITS_PER_KEY
        self.words = np.zeros((1 << self.bits) // 64, dtype=np.uint64)
        self.add(keys)

    def positions(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        u = keys.astype(np.int32).view(np.uint32)
        return u & np.uint32((1 << self.bits) - 1), (u * np.uint32(0x9E3779B1)) >> np.uint32(32 - self.bits)

    def add(self, keys: np.ndarray) -> None:
        for at in self.positions(keys):
            np.bitwise_or.at(self.words, at >> 6, np.uint64(1) << (at & 63).astype(np.uint64))

    def may_hold(self, keys: np.ndarray) -> np.ndarray:
        found = np.ones(len(keys), dtype=bool)
        for at in self.positions(keys):
            found &= ((self.words[at >> 6] >> (at & 63).astype(np.uint64)) & np.uint64(1)).astype(bool)
        return found


@dataclass
class LshMemory:
    """The band keys of the articles in `lsh_pending`, and the keys in `lsh`, as this connection last saw them.

    A pending key maps to its one article id, or to a tuple of ids in the rare case of
    several: the map of 16,384 articles then takes about 45 MiB instead of 85.
    """

    data_version: int
    stored: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))  # sorted keys of `lsh`
    filter: KeyFilter = field(init=False)
    articles: dict[int, np.ndarray] = field(default_factory=dict)  # article id -> its band keys
    keys: dict[int, int | tuple[int, ...]] = field(default_factory=dict)  # band key -> article id(s)

    def __post_init__(self) -> None:
        self.filter = KeyFilter(self.stored)

    def store(self, keys: np.ndarray) -> None:
        """Count sorted `keys` as in `lsh` too (a merge wrote them)."""
        merged = np.sort(np.concatenate([self.stored, keys]), kind="stable")  # two sorted runs: a linear merge
        self.stored = merged[np.concatenate(([True], merged[1:] != merged[:-1]))]
        if len(self.stored) > self.filter.capacity:
            self.filter = KeyFilter(self.stored)
        else:
            self.filter.add(keys)

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

    def in_lsh(self, keys: list[int]) -> list[int]:
        """Return those of `keys` that `lsh` may hold (the others it does not)."""
        wanted = np.array(keys, dtype=np.int32)
        return wanted[self.filter.may_hold(wanted)].tolist()


def lsh_memory(db: Database) -> LshMemory:
    """Return what `db`'s connection knows of the LSH index, (re)loaded when its copy may be stale."""
    version = db.conn.execute("PRAGMA data_version").fetchone()[0]
    state = getattr(db, "_legalnews_lsh", None)
    if state is None or state.data_version != version:
        state = LshMemory(version, stored_keys(db))
        for article_id, keys in db.conn.execute("SELECT article_id, keys FROM lsh_pending"):
            state.add(article_id, json.loads(keys))
        db._legalnews_lsh = state  # state of this connection, not of the module
    return state


def stored_keys(db: Database) -> np.ndarray:
    """Return the sorted array of keys in `lsh`, as `lsh_present` keeps it."""
    row = db.conn.execute("SELECT keys FROM lsh_present WHERE id = 1").fetchone()
    return np.frombuffer(row[0], dtype=np.int32) if row else np.zeros(0, np.int32)


def save_stored_keys(db: Database, keys: np.ndarray) -> None:
    """Replace the array of keys in `lsh` (sorted, unique int32)."""
    db.conn.execute("INSERT OR REPLACE INTO lsh_present (id, keys) VALUES (1, ?)", [keys.astype(np.int32).tobytes()])


def add_pending(db: Database, article_id: int, keys: list[int]) -> None:
    """List a newly indexed article as pending and map its keys."""
    state = lsh_memory(db)
    db.conn.execute("INSERT INTO lsh_pending (article_id, keys) VALUES (?, ?)", [article_id, json.dumps(keys)])
    state.add(article_id, keys)


def drop_pending(db: Database, article_id: int) -> bool:
    """Remove an article from the pending list and map; return False if it was not pending (its keys are in `lsh`)."""
    state = lsh_memory(db)
    if article_id not in state.articles:
        return False
    db.conn.execute("DELETE FROM lsh_pending WHERE article_id = ?", [article_id])
    state.drop(article_id)
    return True


def merge_when_full(db: Database, limit: int = MERGE_ARTICLES) -> int:
    """Move the pending keys into `lsh` once `limit` articles are pending; return how many moved."""
    state = lsh_memory(db)
    if len(state.articles) < limit or not state.articles:
        return 0
    db.conn.execute("INSERT OR IGNORE INTO lsh (key, article_id) SELECT j.value, p.article_id "
                    "FROM lsh_pending p, json_each(p.keys) j ORDER BY 1, 2")
    keys = np.sort(np.concatenate(list(state.articles.values())))
    db.conn.execute("DELETE FROM lsh_pending")
    state.store(keys)
    save_stored_keys(db, state.stored)
    moved = len(state.articles)
    state.articles.clear()
    state.keys.clear()
    return moved


def forget(db: Database) -> None:
    """Drop this connection's memory of the index (its transaction rolled back): the next use reloads it."""
    db._legalnews_lsh = None
