"""What a connection keeps in memory of the LSH index: recent articles' keys, and which keys `lsh`
has.

LSH band keys are random, so writing an article's 42 keys into the `lsh` B-tree touches
pages all over it, and the larger the archive, the more of its pages each commit rewrites
(at 100,000 articles a commit of 500 articles rewrote two thirds of the pages of the 4.2
million rows). So a newly indexed article only gets a row in `lsh_pending` (its id: its keys
are those of its signature in `minhash`), and its keys live in a map in memory. Once
MERGE_ARTICLES articles are pending, the commit moves all their keys into `lsh` in key order,
one pass over its pages, and empties `lsh_pending`: each page of `lsh` is rewritten once per
MERGE_ARTICLES articles instead of at nearly every commit, like the merge of a log-structured
tree. NumPy sorts the (key, article) pairs, packed in one 64-bit integer each, and SQLite reads
them in that order from one JSON array (`json_each`): half the time of passing 688,000 rows
from Python, and a third of SQLite's own sort of them.

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
from array import array
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from sqlite_utils import Database

from crawler.reprints.neardup import band_key_array, sorted_unique

MERGE_ARTICLES = 16384  # pending articles that make the commit move their keys into `lsh`


class KeyFilter:
    """A Bloom filter of 32-bit band keys: two bits a key among 32 to 64 bits a key.

    Band keys are already well mixed, so the two bit positions are the key's low bits and
    the high bits of the key times an odd constant. False positives: 0.4% to 0.1% of keys.
    Keys are added with NumPy (thousands at a merge) and tested in plain Python (the 42 of
    one article: a third of the time of the NumPy calls, which cost more to set up than to run).
    """

    BITS_PER_KEY = 32
    MULTIPLIER = 0x9E3779B1

    def __init__(self, keys: np.ndarray) -> None:
        self.bits = max(16, int(np.ceil(np.log2(max(1, len(keys)) * self.BITS_PER_KEY))))
        self.capacity = (1 << self.bits) // self.BITS_PER_KEY
        self.mask, self.shift = (1 << self.bits) - 1, 32 - self.bits
        self.bytes = np.zeros((1 << self.bits) // 8, dtype=np.uint8)
        self.view = memoryview(
            self.bytes
        )  # indexing gives Python ints: the fast path of `may_hold`
        self.add(keys)

    def add(self, keys: np.ndarray) -> None:
        u = keys.astype(np.int32).view(np.uint32)
        for at in (
            u & np.uint32(self.mask),
            (u * np.uint32(self.MULTIPLIER)) >> np.uint32(self.shift),
        ):
            np.bitwise_or.at(self.bytes, at >> 3, (np.uint8(1) << (at & 7).astype(np.uint8)))

    def may_hold(self, keys: list[int]) -> list[int]:
        """Return those of `keys` that may be in the filter, in order (the others are not)."""
        bits, mask, shift, multiplier = self.view, self.mask, self.shift, self.MULTIPLIER
        first = [
            k for k in keys if bits[(k & mask) >> 3] >> (k & 7) & 1
        ]  # k & mask: the uint32's low bits
        return [
            k
            for k in first
            if bits[(at := (k * multiplier & 0xFFFFFFFF) >> shift) >> 3] >> (at & 7) & 1
        ]


@dataclass
class LshMemory:
    """The band keys of the articles in `lsh_pending`, and the keys in `lsh`, as this connection
    last saw them.

    A pending key maps to its one article id, or to a tuple of ids in the rare case of
    several: the map of 16,384 articles then takes about 45 MiB instead of 85.
    """

    data_version: int
    stored: np.ndarray = field(
        default_factory=lambda: np.zeros(0, np.int32)
    )  # sorted keys of `lsh`
    filter: KeyFilter = field(init=False)
    articles: dict[int, array] = field(default_factory=dict)  # article id -> its band keys (int32)
    keys: dict[int, int | tuple[int, ...]] = field(
        default_factory=dict
    )  # band key -> article id(s)

    def __post_init__(self) -> None:
        self.filter = KeyFilter(self.stored)

    def store(self, keys: np.ndarray) -> None:
        """Count sorted `keys` as in `lsh` too (a merge wrote them)."""
        merged = np.sort(
            np.concatenate([self.stored, keys]), kind="stable"
        )  # two sorted runs: a linear merge
        self.stored = merged[np.concatenate(([True], merged[1:] != merged[:-1]))]
        if len(self.stored) > self.filter.capacity:
            self.filter = KeyFilter(self.stored)
        else:
            self.filter.add(keys)

    def add(self, article_id: int, keys: list[int]) -> None:
        self.articles[article_id] = array("i", keys)
        own = dict.fromkeys(keys, article_id)  # two bands of one article may share a key
        for key in self.keys.keys() & own.keys():  # keys of other pending articles: few
            ids = self.keys[key]
            if ids != article_id:
                own[key] = (*ids, article_id) if isinstance(ids, tuple) else (ids, article_id)
        self.keys.update(own)

    def drop(self, article_id: int) -> None:
        for key in dict.fromkeys(self.articles.pop(article_id, ())):
            ids = self.keys.pop(key)
            if isinstance(ids, tuple):
                rest = tuple(i for i in ids if i != article_id)
                self.keys[key] = rest if len(rest) > 1 else rest[0]

    def sharing(self, keys: list[int]) -> Counter:
        """Return how many of `keys` (counted once each) each pending article has."""
        shared: Counter = Counter()
        for key in self.keys.keys() & keys:  # set operations run in C: most keys have no article
            ids = self.keys[key]
            if isinstance(ids, int):
                shared[ids] += 1
            else:
                shared.update(ids)
        return shared

    def in_lsh(self, keys: list[int]) -> list[int]:
        """Return those of `keys` that `lsh` may hold (the others it does not)."""
        return self.filter.may_hold(keys)


def lsh_memory(db: Database) -> LshMemory:
    """Return what `db`'s connection knows of the LSH index, (re)loaded when its copy may be
    stale."""
    version = db.conn.execute("PRAGMA data_version").fetchone()[0]
    state = getattr(db, "_legalnews_lsh", None)
    if state is None or state.data_version != version:
        state = LshMemory(version, stored_keys(db))
        pending = db.conn.execute(
            "SELECT article_id, sig FROM lsh_pending JOIN minhash USING (article_id)"
        ).fetchall()
        if pending:  # the band keys of all their signatures in one NumPy pass
            sigs = np.frombuffer(b"".join(sig for _, sig in pending), dtype=np.uint32).reshape(
                len(pending), -1
            )
            for (article_id, _), keys in zip(pending, band_key_array(sigs).tolist(), strict=True):
                state.add(article_id, keys)
        db._legalnews_lsh = state  # state of this connection, not of the module
    return state


def stored_keys(db: Database) -> np.ndarray:
    """Return the sorted array of keys in `lsh`, as `lsh_present` keeps it."""
    row = db.conn.execute("SELECT keys FROM lsh_present WHERE id = 1").fetchone()
    return np.frombuffer(row[0], dtype=np.int32) if row else np.zeros(0, np.int32)


def save_stored_keys(db: Database, keys: np.ndarray) -> None:
    """Replace the array of keys in `lsh` (sorted, unique int32)."""
    db.conn.execute(
        "INSERT OR REPLACE INTO lsh_present (id, keys) VALUES (1, ?)",
        [keys.astype(np.int32).tobytes()],
    )


def add_pending(db: Database, article_id: int, keys: list[int]) -> None:
    """List a newly indexed article as pending and map its keys (those of its row in `minhash`)."""
    state = lsh_memory(db)
    db.conn.execute("INSERT INTO lsh_pending (article_id) VALUES (?)", [article_id])
    state.add(article_id, keys)


def drop_pending(db: Database, article_id: int) -> bool:
    """Remove an article from the pending list and map; return False if it was not pending (its keys
    are in `lsh`)."""
    state = lsh_memory(db)
    if article_id not in state.articles:
        return False
    db.conn.execute("DELETE FROM lsh_pending WHERE article_id = ?", [article_id])
    state.drop(article_id)
    return True


def merge_when_full(db: Database, limit: int = MERGE_ARTICLES) -> int:
    """Move the pending keys into `lsh` once `limit` articles are pending; return how many moved.

    Only a connection that holds the memory (it indexed or looked up articles) merges: another
    one has nothing to add and need not load it; the pending articles wait in `lsh_pending`.
    """
    if getattr(db, "_legalnews_lsh", None) is None:
        return 0
    state = lsh_memory(db)
    if len(state.articles) < limit or not state.articles:
        return 0
    keys = np.frombuffer(b"".join(state.articles.values()), dtype=np.int32)
    ids = np.repeat(
        np.fromiter(state.articles, np.int64, len(state.articles)),
        [len(k) for k in state.articles.values()],
    )
    insert_into_lsh(db, keys, ids)
    db.conn.execute("DELETE FROM lsh_pending")
    state.store(sorted_unique(keys))
    save_stored_keys(db, state.stored)
    moved = len(state.articles)
    state.articles.clear()
    state.keys.clear()
    return moved


def insert_into_lsh(db: Database, keys: np.ndarray, ids: np.ndarray) -> None:
    """Insert (key, article id) pairs into `lsh` in key order: one pass over its pages.

    NumPy sorts the pairs packed in one 64-bit integer each (article ids are < 2**31) and
    SQLite reads them in that order from one JSON array.
    """
    pairs = sorted_unique(keys.astype(np.int64) << 32 | ids.astype(np.int64))
    db.conn.execute(
        "INSERT OR IGNORE INTO lsh (key, article_id) "
        "SELECT j.value >> 32, j.value & 4294967295 FROM json_each(?) j",
        [json.dumps(pairs.tolist())],
    )


def forget(db: Database) -> None:
    """Drop this connection's memory of the index (its transaction rolled back): the next use
    reloads it."""
    db._legalnews_lsh = None
