"""The persistent near-duplicate index: MinHash signatures and LSH band keys in the archive."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from sqlite_utils import Database

from crawler.reprints.lshmemory import add_pending, drop_pending, insert_into_lsh, lsh_memory
from crawler.reprints.neardup import (
    DEFAULT,
    NUM_PERM,
    Thresholds,
    band_key_array,
    band_keys,
    body_fingerprint,
)

MAX_CANDIDATES = 20  # looked at per article, most shared bands first: bounds the cost per article
# A candidate's texts are compared only when its estimated Jaccard or containment comes this close
# to the thresholds of crawler.reprints.neardup (three standard deviations of a 126-lane estimate).
ESTIMATE_MARGIN = 0.15


class Candidate(NamedTuple):
    """An archived article sharing LSH bands with a body, with estimates from the signatures."""

    article_id: int
    jaccard: float
    containment: float


def index_article(
    db: Database,
    article_id: int,
    sig: np.ndarray | None,
    size: int = 0,
    keys: list[int] | None = None,
    new: bool = False,
) -> None:
    """(Re)index an article by its body signature and shingle count; None leaves it to the exact
    fingerprint.

    `keys` are the signature's band keys if already known; `new` says the article was never indexed.
    The keys wait as pending until a commit merges them into `lsh` (crawler.archive.deferred).
    """
    if not new:
        unindex_article(db, article_id)
    if sig is None:
        return
    db.conn.execute(
        "INSERT INTO minhash (article_id, sig, shingles) VALUES (?, ?, ?)",
        [article_id, sig.tobytes(), size],
    )
    add_pending(
        db, article_id, band_keys(sig) if keys is None else keys
    )  # into `lsh` later, with others


def unindex_article(db: Database, article_id: int) -> None:
    """Remove an article from the index (its body changed or it is gone)."""
    row = db.conn.execute("SELECT sig FROM minhash WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return
    if not drop_pending(db, article_id):  # a pending article has no rows in `lsh` yet
        keys = band_keys(np.frombuffer(row[0], dtype=np.uint32))
        db.conn.executemany(
            "DELETE FROM lsh WHERE key = ? AND article_id = ?", [(k, article_id) for k in keys]
        )
    db.conn.execute("DELETE FROM minhash WHERE article_id = ?", [article_id])


def candidates(
    db: Database,
    sig: np.ndarray | None,
    size: int,
    exclude: int | None = None,
    thresholds: Thresholds = DEFAULT,
    keys: list[int] | None = None,
) -> list[Candidate]:
    """Return archived articles worth a text check: sharing LSH bands, close enough by estimate.

    Jaccard is estimated from the signatures; with both shingle counts it gives the estimated
    intersection, hence the containment of the smaller body in the larger one.
    """
    if sig is None:
        return []
    keys = band_keys(sig) if keys is None else keys
    memory = lsh_memory(db)
    shared = memory.sharing(keys)  # recently indexed articles, not in `lsh` yet
    stored = memory.in_lsh(keys)
    if stored:
        shared.update(
            dict(
                db.conn.execute(
                    "SELECT article_id, count(*) FROM lsh "
                    f"WHERE key IN ({', '.join('?' * len(stored))}) GROUP BY article_id",
                    stored,
                ).fetchall()
            )
        )
    shared.pop(exclude, None)
    if not shared:
        return []
    ids = sorted(shared, key=lambda aid: (-shared[aid], aid))[:MAX_CANDIDATES]
    rows = db.conn.execute(
        "SELECT article_id, sig, shingles FROM minhash "
        f"WHERE article_id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    found = []
    for aid, blob, other_size in rows:
        jaccard = float(np.count_nonzero(np.frombuffer(blob, dtype=np.uint32) == sig)) / NUM_PERM
        common = jaccard * (size + other_size) / (1 + jaccard)
        containment = common / max(1, min(size, other_size)) if other_size else 1.0
        if (
            jaccard >= thresholds.jaccard - ESTIMATE_MARGIN
            or containment >= thresholds.containment - ESTIMATE_MARGIN
        ):
            found.append(Candidate(aid, jaccard, containment))
    found.sort(key=lambda c: (-c.jaccard, c.article_id))
    return found


def rebuild(db: Database) -> int:
    """Recompute every signature from the stored bodies, then the band keys; return how many.

    Migration 4 runs it, on the schema of its time (no `lsh_pending` yet).
    """
    db.conn.execute("DELETE FROM minhash")
    count = 0
    cursor = db.conn.execute("SELECT id, body FROM articles")
    while batch := cursor.fetchmany(5000):
        for article_id, body in batch:
            hashes, sig = body_fingerprint(body)
            if sig is not None:
                db.conn.execute(
                    "INSERT INTO minhash (article_id, sig, shingles) VALUES (?, ?, ?)",
                    [article_id, sig.tobytes(), len(hashes)],
                )
                count += 1
    rekey(db)
    return count


def rekey(db: Database, batch: int = 20_000) -> None:
    """Recompute `lsh` from the stored signatures (all of them: nothing is left pending)."""
    db.conn.execute("DELETE FROM lsh")
    cursor = db.conn.execute("SELECT article_id, sig FROM minhash")
    while rows := cursor.fetchmany(batch):
        sigs = np.frombuffer(b"".join(sig for _, sig in rows), dtype=np.uint32).reshape(
            len(rows), -1
        )
        keys = band_key_array(sigs)
        insert_into_lsh(
            db, keys.reshape(-1), np.repeat([article_id for article_id, _ in rows], keys.shape[1])
        )
