"""The persistent near-duplicate index: MinHash signatures and LSH band keys in the archive."""

from __future__ import annotations

import numpy as np
from sqlite_utils import Database

from crawler.neardup import NUM_PERM, band_keys, indexable, shingles, signature


def body_signature(body: str | None) -> np.ndarray | None:
    """Return the MinHash signature of a body, or None when it is too short to index."""
    return signature(shingles(body)) if indexable(body) else None


def index_article(db: Database, article_id: int, sig: np.ndarray | None) -> None:
    """(Re)index an article by its body signature; None leaves it to the exact fingerprint."""
    unindex_article(db, article_id)
    if sig is None:
        return
    db.execute("INSERT INTO minhash (article_id, sig) VALUES (?, ?)", [article_id, sig.tobytes()])
    db.conn.executemany(
        "INSERT OR IGNORE INTO lsh (key, article_id) VALUES (?, ?)",
        [(key, article_id) for key in band_keys(sig)],
    )


def unindex_article(db: Database, article_id: int) -> None:
    """Remove an article from the index (its body changed or it is gone)."""
    row = db.execute("SELECT sig FROM minhash WHERE article_id = ?", [article_id]).fetchone()
    if row is None:
        return
    keys = band_keys(np.frombuffer(row[0], dtype=np.uint32))
    db.conn.executemany("DELETE FROM lsh WHERE key = ? AND article_id = ?", [(k, article_id) for k in keys])
    db.execute("DELETE FROM minhash WHERE article_id = ?", [article_id])


def candidates(db: Database, sig: np.ndarray | None, exclude: int | None = None, limit: int = 20) -> list[tuple[int, float]]:
    """Return archived articles sharing an LSH band with a signature, best estimated Jaccard first."""
    if sig is None:
        return []
    keys = band_keys(sig)
    rows = db.execute(
        f"SELECT DISTINCT m.article_id, m.sig FROM lsh JOIN minhash m USING (article_id) "
        f"WHERE lsh.key IN ({', '.join('?' * len(keys))})",
        keys,
    ).fetchall()
    scored = [
        (aid, float(np.count_nonzero(np.frombuffer(blob, dtype=np.uint32) == sig)) / NUM_PERM)
        for aid, blob in rows
        if aid != exclude
    ]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit]
