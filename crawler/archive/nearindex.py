"""The persistent near-duplicate index: MinHash signatures and LSH band keys in the archive."""

from __future__ import annotations

import numpy as np
from sqlite_utils import Database

from crawler.dedup import normalize_text
from crawler.neardup import MIN_CHARS, NUM_PERM, band_keys, shingles, signature

MAX_CANDIDATES = 20  # verified per article, most shared bands first: bounds the cost per article
MIN_ESTIMATE = 0.2  # candidates whose estimated Jaccard is below this are not worth a text check


def body_fingerprint(body: str | None) -> tuple[np.ndarray, np.ndarray | None]:
    """Return a body's shingle hashes and MinHash signature (None when too short to index)."""
    norm = normalize_text(body or "")
    hashes = shingles(norm, normalized=True)
    return hashes, (signature(hashes) if len(norm) >= MIN_CHARS else None)


def index_article(db: Database, article_id: int, sig: np.ndarray | None) -> None:
    """(Re)index an article by its body signature; None leaves it to the exact fingerprint."""
    unindex_article(db, article_id)
    if sig is None:
        return
    db.conn.execute("INSERT INTO minhash (article_id, sig) VALUES (?, ?)", [article_id, sig.tobytes()])
    db.conn.executemany(
        "INSERT OR IGNORE INTO lsh (key, article_id) VALUES (?, ?)",
        [(key, article_id) for key in band_keys(sig)],
    )


def unindex_article(db: Database, article_id: int) -> None:
    """Remove an article from the index (its body changed or it is gone)."""
    row = db.conn.execute("SELECT sig FROM minhash WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return
    keys = band_keys(np.frombuffer(row[0], dtype=np.uint32))
    db.conn.executemany("DELETE FROM lsh WHERE key = ? AND article_id = ?", [(k, article_id) for k in keys])
    db.conn.execute("DELETE FROM minhash WHERE article_id = ?", [article_id])


def candidates(db: Database, sig: np.ndarray | None, exclude: int | None = None) -> list[tuple[int, float]]:
    """Return archived articles sharing LSH bands with a signature, best estimated Jaccard first."""
    if sig is None:
        return []
    keys = band_keys(sig)
    hits = db.conn.execute(
        f"SELECT article_id FROM lsh WHERE key IN ({', '.join('?' * len(keys))}) AND article_id != ? "
        f"GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT {MAX_CANDIDATES * 2}",
        [*keys, -1 if exclude is None else exclude],
    ).fetchall()
    if not hits:
        return []
    ids = [row[0] for row in hits]
    sigs = db.conn.execute(
        f"SELECT article_id, sig FROM minhash WHERE article_id IN ({', '.join('?' * len(ids))})", ids
    ).fetchall()
    scored = [
        (aid, float(np.count_nonzero(np.frombuffer(blob, dtype=np.uint32) == sig)) / NUM_PERM)
        for aid, blob in sigs
    ]
    scored = [pair for pair in scored if pair[1] >= MIN_ESTIMATE]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:MAX_CANDIDATES]


def rebuild(db: Database) -> int:
    """Recompute every signature and band key from the stored bodies; return how many."""
    db.conn.execute("DELETE FROM lsh")
    db.conn.execute("DELETE FROM minhash")
    count = 0
    for article_id, body in db.conn.execute("SELECT id, body FROM articles").fetchall():
        _, sig = body_fingerprint(body)
        index_article(db, article_id, sig)
        count += sig is not None
    return count
