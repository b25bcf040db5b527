"""The archive's versioned migrations, oldest first: the schema is what they add up to.

crawler/archive/schema.py applies the ones an archive lacks, each in its own transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

MIGRATION_1 = """
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    canonical_url TEXT NOT NULL UNIQUE,
    site TEXT,
    title TEXT,
    published TEXT,
    source TEXT,
    author TEXT,
    editor TEXT,
    body TEXT,
    original_url TEXT,
    original_canonical TEXT,
    category TEXT,
    images TEXT,
    encoding TEXT,
    status INTEGER,
    body_hash TEXT,
    story_id INTEGER REFERENCES stories(id),
    version INTEGER NOT NULL DEFAULT 1,
    first_seen_at TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    run_id INTEGER REFERENCES crawl_runs(id)
);
CREATE INDEX idx_articles_site_published ON articles(site, published);
CREATE INDEX idx_articles_body_hash ON articles(body_hash);
CREATE INDEX idx_articles_original_canonical ON articles(original_canonical);
CREATE INDEX idx_articles_story ON articles(story_id);

CREATE TABLE article_versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version INTEGER NOT NULL,
    title TEXT, published TEXT, source TEXT, author TEXT, editor TEXT, body TEXT,
    original_url TEXT, body_hash TEXT, fetched_at TEXT NOT NULL,
    replaced_at TEXT NOT NULL,
    UNIQUE(article_id, version)
);

CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    title TEXT,
    published TEXT,
    original_article_id INTEGER REFERENCES articles(id),
    original_reason TEXT,
    claimed_original_url TEXT,
    copies INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT
);

CREATE TABLE outlets (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL
);

CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    sites TEXT,
    status TEXT,
    pages INTEGER DEFAULT 0,
    articles_new INTEGER DEFAULT 0,
    articles_updated INTEGER DEFAULT 0,
    articles_unchanged INTEGER DEFAULT 0,
    reprints INTEGER DEFAULT 0,
    failures INTEGER DEFAULT 0,
    stats TEXT
);

CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES crawl_runs(id),
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    http_status INTEGER,
    at TEXT NOT NULL
);
CREATE INDEX idx_failures_run ON failures(run_id);
"""

MIGRATION_2 = """
CREATE TABLE minhash (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id),
    sig BLOB NOT NULL
);
CREATE TABLE lsh (
    key INTEGER NOT NULL,
    article_id INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
ALTER TABLE articles ADD COLUMN story_reason TEXT
"""

MIGRATION_3 = """
CREATE TABLE captures (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    warc_file TEXT NOT NULL,
    warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL,
    status INTEGER,
    content_type TEXT,
    fetched_at TEXT NOT NULL,
    run_id INTEGER REFERENCES crawl_runs(id),
    payload_digest TEXT,
    record_id TEXT
);
CREATE INDEX idx_captures_url_run ON captures(url, run_id);
CREATE INDEX idx_captures_run ON captures(run_id);
ALTER TABLE articles ADD COLUMN capture_id INTEGER REFERENCES captures(id);
ALTER TABLE failures ADD COLUMN capture_id INTEGER REFERENCES captures(id);
CREATE INDEX idx_articles_capture ON articles(capture_id);
CREATE INDEX idx_articles_published ON articles(published);
CREATE INDEX idx_stories_published ON stories(published);
CREATE INDEX idx_failures_url ON failures(url);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', \
tokenize='unicode61 remove_diacritics 2');
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0)')
"""


def migration_3(conn: sqlite3.Connection) -> None:
    """Captures (WARC records), the bigram search index filled from existing articles, indexes."""
    from crawler.search.fts import rebuild_index

    for statement in MIGRATION_3.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    rebuild_index(conn)


def migration_4(conn: sqlite3.Connection) -> None:
    """Recompute the near-duplicate index: 32-bit MinHash lanes, 42 bands of 3 rows, and the
    number of distinct shingles of each body (to estimate containment before reading texts)."""
    from crawler.reprints.nearindex import rebuild  # late: nearindex needs nothing from here

    conn.execute("ALTER TABLE minhash ADD COLUMN shingles INTEGER NOT NULL DEFAULT 0")
    rebuild(Database(conn))


def migration_5(conn: sqlite3.Connection) -> None:
    """Re-index the full-text search with character pairs over whole NFKC texts."""
    from crawler.search.fts import rebuild_index  # late: search needs nothing from here

    rebuild_index(conn)


FTS_OPTIONS = {
    "rank": "bm25(4.0, 1.0)",  # a match in the title counts four times one in the body
    "hashsize": 16 * 2**20,  # terms held in memory before a segment is written (default 1 MiB)
    "automerge": 8,  # segments of a level merged at a time (default 4): less rewriting on ingest
}


def migration_6(conn: sqlite3.Connection) -> None:
    """Rebuild the search index as single characters with positions (`ascii` tokenizer), tuned for
    ingest."""
    from crawler.search.fts import rebuild_index  # late: search needs nothing from here

    conn.execute("DROP TABLE articles_fts")
    conn.execute(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', tokenize='ascii')"
    )
    for option, value in FTS_OPTIONS.items():
        conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES (?, ?)", (option, value))
    rebuild_index(conn)


def migration_7(conn: sqlite3.Connection) -> None:
    """Band keys of 32 bits; `lsh_pending`, recently indexed articles whose keys are not in `lsh`
    yet; `lsh_present`, the sorted keys of `lsh` (crawler/reprints/lshmemory.py)."""
    import numpy as np

    # late: neither needs anything from here
    from crawler.reprints.lshmemory import save_stored_keys
    from crawler.reprints.nearindex import rekey

    conn.execute(
        "CREATE TABLE lsh_pending (article_id INTEGER PRIMARY KEY REFERENCES minhash(article_id), "
        "keys TEXT NOT NULL)"
    )  # JSON array of the article's band keys
    conn.execute(
        "CREATE TABLE lsh_present (id INTEGER PRIMARY KEY CHECK (id = 1), keys BLOB NOT NULL)"
    )
    db = Database(conn)
    rekey(db)
    keys = conn.execute(
        "SELECT DISTINCT key FROM lsh ORDER BY key"
    )  # the primary key's order: a scan
    save_stored_keys(db, np.fromiter((key for (key,) in keys), dtype=np.int32))


def migration_8(conn: sqlite3.Connection) -> None:
    """`lsh_pending` lists article ids only: their band keys are computed from `minhash` when
    loaded."""
    conn.execute(
        "CREATE TABLE lsh_pending_ids "
        "(article_id INTEGER PRIMARY KEY REFERENCES minhash(article_id))"
    )
    conn.execute("INSERT INTO lsh_pending_ids SELECT article_id FROM lsh_pending")
    conn.execute("DROP TABLE lsh_pending")
    conn.execute("ALTER TABLE lsh_pending_ids RENAME TO lsh_pending")


def migration_9(conn: sqlite3.Connection) -> None:
    """Recompute every article's `canonical_url` and `original_canonical` from its URLs.

    The rule changed: parameters that select content (sid, from, ref, _t, scene, share) are
    kept, non-ASCII characters are always UTF-8 %-escapes, a registry site may drop its own
    parameters. Rows are never deleted or merged. Two rows can want one canonical URL when
    they are one page linked in two spellings (raw and escaped Chinese, lower-case escapes):
    a row that already holds it keeps it, else the older row (lower id) takes it; the other
    keeps its old canonical URL (or `<old>#<id>` if a third row takes that), so later
    fetches of the page update the row that holds the new one.
    """
    from crawler.archive.canonicals import recompute_canonicals  # late: it needs nothing from here

    recompute_canonicals(conn)


# Each migration runs once, in order, inside one transaction; never edit a released one.
MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
    ("initial schema", MIGRATION_1),
    ("near-duplicate index and story_reason", MIGRATION_2),
    ("captures, Chinese full-text search, query indexes", migration_3),
    ("near-duplicate index with 32-bit MinHash and 42 bands", migration_4),
    ("search index of character pairs", migration_5),
    ("search index of single characters, ascii tokenizer, larger in-memory segments", migration_6),
    ("32-bit LSH band keys; articles whose keys are not in lsh yet", migration_7),
    ("lsh_pending without the keys, computed from minhash", migration_8),
    ("canonical URLs that keep content parameters, recomputed from the URLs", migration_9),
]
