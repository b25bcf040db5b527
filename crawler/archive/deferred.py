"""Index writes held back until their transaction commits: the search terms.

FTS5 keeps the terms of the rows inserted in a transaction in memory and writes them as
one index segment, but any statement that opens a statement journal in between (many
UPDATEs and INSERTs with constraints do) makes it write what it holds first: storing
articles one by one then leaves one tiny segment per article to merge. So the store path
queues its index writes on the connection's `Deferred` and `commit` writes them, in order,
just before COMMIT. A rollback drops them with the rest of the transaction.

The commit is also when the LSH band keys of recently indexed articles move into `lsh`
once enough of them wait (crawler/reprints/lshmemory.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from crawler.reprints.lshmemory import forget, merge_when_full

INSERT = "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)"
DELETE = "INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', ?, ?, ?)"


@dataclass
class Deferred:
    """The index writes of the open transaction, in the order they were asked for."""

    writes: list[tuple[str, tuple]] = field(default_factory=list)

    def flush(self, db: Database) -> None:
        """Run the queued writes, runs of the same statement as one executemany; merge pending band
        keys."""
        merge_when_full(db)
        start = 0
        for end in range(1, len(self.writes) + 1):
            if end == len(self.writes) or self.writes[end][0] != self.writes[start][0]:
                db.conn.executemany(
                    self.writes[start][0], [args for _, args in self.writes[start:end]]
                )
                start = end
        self.writes.clear()

    def discard(self, db: Database) -> None:
        """Forget the queued writes and the pending band keys (the transaction was rolled back)."""
        self.writes.clear()
        forget(db)


def deferred(db: Database) -> Deferred:
    """Return the queue of index writes of `db`'s connection (made on first use)."""
    queue = getattr(db, "_legalnews_deferred", None)
    if queue is None:
        queue = Deferred()
        db._legalnews_deferred = queue  # state of this connection, not of the module
    return queue


def index_later(db: Database, article_id: int, title_terms: str, body_terms: str) -> None:
    """Queue adding an article's search terms (see crawler.search.fts.segment)."""
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
