"""The one storage path of an article, top-down: prepare, store the row, its story, index it.

The crawl's archive writer, the Redis drain, `import-warc` and `reparse` all store through
`store_article` (or `store_prepared`, for articles prepared in worker processes):

1. prepare (crawler.archive.prepare, pure): the row, fingerprints, band keys, search terms;
2. store the row (crawler.archive.store): a new page, or a new version of a stored one;
3. its story (crawler.reprints.stories): evidence from links, bodies and near duplicates
   found in the index; a new page's story is decided before its row is inserted, so that
   the row is written once;
4. index it: near duplicates (crawler.reprints.nearindex) and the search terms, queued
   until the commit (crawler.archive.deferred).

`import-warc` and `reparse` turn a stored response into an article first, with
`crawler.archive.extraction.article_from_capture`: storing needs no parser.
"""

from __future__ import annotations

from sqlite_utils import Database

from crawler.archive.deferred import index_later, settle, unindex_later
from crawler.archive.prepare import Prepared, prepare
from crawler.archive.schema import rows
from crawler.archive.store import NEW, UNCHANGED, find_article, insert_article, update_article
from crawler.items import Article
from crawler.reprints.neardup import DEFAULT, BodyPrint, Thresholds, body_fingerprint
from crawler.reprints.nearindex import index_article
from crawler.reprints.stories import (
    NEW_STORY,
    evidence,
    join_stories,
    name_original,
    open_story,
    place_story,
    refresh_story,
)
from crawler.search.fts import segment


def store_article(
    db: Database, article: Article, run_id: int | None = None, capture_id: int | None = None
) -> tuple[int, str, int | None]:
    """Store `article` (call inside a transaction); return its id, NEW/UPDATED/UNCHANGED, story."""
    return store_prepared(db, prepare(article, run_id), capture_id)


def store_prepared(
    db: Database, prepared: Prepared, capture_id: int | None = None
) -> tuple[int, str, int | None]:
    """Store a prepared article: row with its capture link, story, near-duplicate and search
    index."""
    row = dict(prepared.row) if capture_id is None else {**prepared.row, "capture_id": capture_id}
    old = find_article(db, row["canonical_url"])
    if old is not None:
        return store_again(db, prepared, row, old)
    article_id, story_id = store_new(db, prepared, row)
    index_article(db, article_id, prepared.sig, len(prepared.hashes), prepared.keys, new=True)
    index_later(db, article_id, prepared.title_terms, prepared.body_terms)
    return article_id, NEW, story_id


def store_new(db: Database, prepared: Prepared, row: dict) -> tuple[int, int]:
    """Insert a page seen for the first time in its story; return its id and the story's.

    The story is found from the row about to be inserted, so no statement rewrites the row.
    """
    found = evidence(db, row, prepared.bodyprint)
    if found:
        story_id, reason = join_stories(db, found)
        article_id = insert_article(db, {**row, "story_id": story_id, "story_reason": reason})
        refresh_story(db, story_id)
    else:  # the first copy: its story is decided from its own row
        story_id, own = open_story(db, row)
        article_id = insert_article(db, {**row, "story_id": story_id, "story_reason": NEW_STORY})
        if own:
            name_original(db, story_id, article_id)
    return article_id, story_id


def store_again(
    db: Database, prepared: Prepared, row: dict, old: dict
) -> tuple[int, str, int | None]:
    """Store a new fetch of an archived page: unchanged, or a new version re-placed and
    re-indexed."""
    status = update_article(db, old, row)
    if status == UNCHANGED:
        return old["id"], status, old["story_id"]
    story_id = assign_story(db, old["id"], prepared=prepared.bodyprint)
    unindex_later(db, old["id"], segment(old["title"]), segment(old["body"]))
    index_later(db, old["id"], prepared.title_terms, prepared.body_terms)
    return old["id"], status, story_id


def assign_story(
    db: Database,
    article_id: int,
    thresholds: Thresholds = DEFAULT,
    prepared: BodyPrint | None = None,
) -> int:
    """Put a stored article in its story, merging stories it joins, and (re)index it; return the
    story id.

    `prepared` is the body's shingle hashes, signature and band keys if already computed.
    """
    article = rows(db, "SELECT * FROM articles WHERE id = ?", [article_id])[0]
    bodyprint = prepared or BodyPrint(*body_fingerprint(article["body"]))
    story_id = place_story(db, article, bodyprint, thresholds)
    hashes, sig, keys = bodyprint
    index_article(db, article_id, sig, len(hashes), keys)
    settle(db)  # outside a transaction nobody commits: merge pending band keys now
    return story_id


def is_reprint(db: Database, status: str, story_id: int | None) -> bool:
    """Return whether an article just stored with `status` is a new copy of a story it does not
    start."""
    return (
        status == NEW
        and db.conn.execute("SELECT copies FROM stories WHERE id = ?", [story_id]).fetchone()[0] > 1
    )
