"""Moving pending LSH band keys into `lsh`: sorted by SQLite, or by NumPy and read from one JSON
array.

    python bench/bench_lsh_merge.py            # 60,000 articles in lsh, 20,000 pending, 3 rounds

A merge (crawler.reprints.lshmemory.merge_when_full) inserts the 42 keys of each pending
article into the `lsh` B-tree in (key, article) order. Two ways, alternated on the same table,
each rolled back: SQLite expanding the pending articles' JSON arrays with `json_each` and
sorting them itself (ORDER BY), as the merge did before; or NumPy sorting the pairs packed in
one 64-bit integer each and SQLite reading them, in that order, from one JSON array (today's).
Random 32-bit keys, as band keys are.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

BANDS = 42
SCHEMA = """
CREATE TABLE lsh (
    key INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE TABLE pending (article_id INTEGER PRIMARY KEY, keys TEXT NOT NULL)
"""


def build(
    path: Path, stored: int, pending: int
) -> tuple[sqlite3.Connection, np.ndarray, np.ndarray]:
    """Return a connection to an archive-like file with `stored` articles' keys in lsh and the
    pending keys."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "page_size=16384",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "cache_size=-32768",
    ):
        conn.execute(f"PRAGMA {pragma}")
    conn.executescript(SCHEMA)
    rng = np.random.default_rng(0)
    keys = rng.integers(-(2**31), 2**31, (stored + pending, BANDS)).astype(np.int32)
    ids = np.arange(1, stored + pending + 1, dtype=np.int64)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT OR IGNORE INTO lsh VALUES (?, ?)",
        sorted(
            (int(k), int(i))
            for i, row in zip(ids[:stored], keys[:stored], strict=True)
            for k in row
        ),
    )
    conn.executemany(
        "INSERT INTO pending VALUES (?, ?)",
        [
            (int(i), json.dumps(row.tolist()))
            for i, row in zip(ids[stored:], keys[stored:], strict=True)
        ],
    )
    conn.execute("COMMIT")
    return conn, keys[stored:], ids[stored:]


def by_sqlite(conn: sqlite3.Connection, keys: np.ndarray, ids: np.ndarray) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO lsh (key, article_id) SELECT j.value, p.article_id "
        "FROM pending p, json_each(p.keys) j ORDER BY 1, 2"
    )


def by_numpy(conn: sqlite3.Connection, keys: np.ndarray, ids: np.ndarray) -> None:
    pairs = np.sort(keys.astype(np.int64).reshape(-1) << 32 | np.repeat(ids, BANDS))
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
    conn.execute(
        "INSERT OR IGNORE INTO lsh (key, article_id) SELECT j.value >> 32, j.value & 4294967295 "
        "FROM json_each(?) j",
        [json.dumps(pairs.tolist())],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stored", type=int, default=60_000, help="articles whose keys are in lsh")
    parser.add_argument(
        "--pending", type=int, default=20_000, help="articles whose keys are merged"
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        conn, keys, ids = build(Path(tmp, "lsh.db"), args.stored, args.pending)
        print(
            f"lsh: {args.stored * BANDS:,} rows; "
            f"merging {args.pending * BANDS:,} keys of {args.pending:,} articles"
        )
        for round_ in range(1, args.rounds + 1):
            for name, merge in (
                ("SQLite sorts (json_each per article, ORDER BY)", by_sqlite),
                ("NumPy sorts, one JSON array", by_numpy),
            ):
                conn.execute("BEGIN")
                start = time.perf_counter()
                merge(conn, keys, ids)
                seconds = time.perf_counter() - start
                conn.execute("ROLLBACK")
                print(f"round {round_}, {name}: {seconds:.2f} s")
        conn.close()


if __name__ == "__main__":
    main()
