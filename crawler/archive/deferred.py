"""Index writes held back until their transaction commits: search terms and LSH band keys.

FTS5 keeps the terms of the rows inserted in a transaction in memory and writes them as
one index segment, but any statement that opens a statement journal in between (many
UPDATEs and INSERTs with constraints do) makes it write what it holds first: storing
articles one by one then leaves one tiny segment per article to merge. So the store path
queues its index writes on the connection's `Deferred` and `commit` writes them, in order,
just before COMMIT. A rollback drops them with the rest of the transaction.

LSH band keys are random, so inserting an article's 42 keys one article at a time touches 42
pages all over the `lsh` B-tree; written sorted at commit, the keys of a whole transaction
land in one ordered pass. Until then they live in `lsh_keys`, which lookups in the same
transaction consult beside the table (crawler/archive/nearindex.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

INSERT = "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)"
DELETE = "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)"


@dataclass
class Deferred:
    """The index writes of the open transaction, in the order they were asked for."""

    writes: list[tuple[str, tuple]] = field(default_factory=list)
    lsh_keys: dict[int, tuple[int, ...]] = field(default_factory=dict)  # band key -> ids not yet in `lsh`

    def add_keys(self, keys: list[int], article_id: int) -> None:
        """Queue an article's band keys (a key another queued article has keeps both)."""
        shared = {key: self.lsh_keys[key] for key in self.lsh_keys.keys() & keys}
        self.lsh_keys.update(dict.fromkeys(keys, (article_id,)))
        for key, ids in shared.items():
            self.lsh_keys[key] = (*ids, article_id)

    def drop_keys(self, keys: list[int], article_id: int) -> None:
        """Unqueue an article's band keys."""
        for key in keys:
            ids = tuple(i for i in self.lsh_keys.get(key, ()) if i != article_id)
            if ids:
                self.lsh_keys[key] = ids
            else:
                self.lsh_keys.pop(key, None)

    def flush(self, db: Database) -> None:
        """Run the queued writes, runs of the same statement as one executemany."""
        db.conn.executemany("INSERT OR IGNORE INTO lsh (key, article_id) VALUES (?, ?)",
                            sorted((key, aid) for key, ids in self.lsh_keys.items() for aid in ids))
        start = 0
        for end in range(1, len(self.writes) + 1):
            if end == len(self.writes) or self.writes[end][0] != self.writes[start][0]:
                db.conn.executemany(self.writes[start][0], [args for _, args in self.writes[start:end]])
                start = end
        self.discard()

    def discard(self) -> None:
        """Forget the queued writes (the transaction was rolled back)."""
        self.writes.clear()
        self.lsh_keys.clear()


def deferred(db: Database) -> Deferred:
    """Return the queue of index writes of `db`'s connection (made on first use)."""
    queue = getattr(db, "_legalnews_deferred", None)
    if queue is None:
        queue = Deferred()
        db._legalnews_deferred = queue  # state of this connection, not of the module
    return queue


def index_later(db: Database, article_id: int, title_terms: str, body_terms: str) -> None:
    """Queue adding an article's search terms (see crawler.archive.search.segment)."""
    deferred(db).writes.append((INSERT, (article_id, title_terms, body_terms)))
    settle(db)


def unindex_later(db: Database, article_id: int, title_terms: str, body_terms: str) -> None:
    """Queue removing an article's search terms; they must be the terms it was indexed with."""
    deferred(db).writes.append((DELETE, (article_id, title_terms, body_terms)))
    settle(db)


def settle(db: Database) -> None:
    """Write the queue now when no transaction is open (autocommit): nobody would commit it."""
    if not db.conn.in_transaction:
        deferred(db).flush(db)
