"""The one storage path: save, search index, capture link, story; and captures -> articles.

The crawl pipeline, `import-warc` and `reparse` all store through `store_article`, and
the last two turn a stored response into an article with `article_from_capture`, which
applies the same extraction (`parse_page`) and the same checks as the crawl pipelines.
"""

from __future__ import annotations

from sqlite_utils import Database

from crawler.archive.deferred import index_later, unindex_later
from crawler.archive.prepare import Prepared, prepare
from crawler.archive.store import NEW, UNCHANGED, find_article, insert_article, update_article
from crawler.archive.warc import Capture
from crawler.items import ARTICLE, Article
from crawler.parsing import parse_page
from crawler.reprints.nearindex import index_article
from crawler.reprints.stories import (
    NEW_STORY,
    assign_story,
    evidence,
    host_of,
    join_stories,
    name_original,
    open_story,
    refresh_story,
)
from crawler.search.fts import segment
from crawler.sites import site_for_url

NOT_ARTICLE = "not_article"  # a list or index page: expected, not a failure


def store_article(db: Database, article: Article, run_id: int | None = None,
                  capture_id: int | None = None) -> tuple[int, str, int | None]:
    """Store `article` (call inside a transaction); return its id, NEW/UPDATED/UNCHANGED, story."""
    return store_prepared(db, prepare(article, run_id), capture_id)


def store_prepared(db: Database, prepared: Prepared, capture_id: int | None = None) -> tuple[int, str, int | None]:
    """Store a prepared article: row, capture link, story, near-duplicate and search index.

    A new page is written once, its story already decided: the story is found from the
    row about to be inserted, so no statement rewrites the row afterwards.
    """
    row = dict(prepared.row) if capture_id is None else {**prepared.row, "capture_id": capture_id}
    old = find_article(db, row["canonical_url"])
    if old is not None:
        return store_again(db, prepared, row, old)
    found = evidence(db, row, prepared.hashes, prepared.sig, prepared.keys)
    if found:
        story_id, reason = join_stories(db, found)
        article_id = insert_article(db, {**row, "story_id": story_id, "story_reason": reason})
        refresh_story(db, story_id)
    else:  # the first copy: its story is decided from its own row
        story_id, own = open_story(db, row)
        article_id = insert_article(db, {**row, "story_id": story_id, "story_reason": NEW_STORY})
        if own:
            name_original(db, story_id, article_id)
    index_article(db, article_id, prepared.sig, len(prepared.hashes), prepared.keys, new=True)
    index_later(db, article_id, prepared.title_terms, prepared.body_terms)
    return article_id, NEW, story_id


def store_again(db: Database, prepared: Prepared, row: dict, old: dict) -> tuple[int, str, int | None]:
    """Store a new fetch of an archived page: unchanged, or a new version re-indexed and re-placed."""
    status = update_article(db, old, row)
    if status == UNCHANGED:
        return old["id"], status, old["story_id"]
    unindex_later(db, old["id"], segment(old["title"]), segment(old["body"]))
    index_later(db, old["id"], prepared.title_terms, prepared.body_terms)
    story_id = assign_story(db, old["id"], prepared=(prepared.hashes, prepared.sig, prepared.keys))
    return old["id"], status, story_id


def is_reprint(db: Database, status: str, story_id: int | None) -> bool:
    """Return whether an article just stored with `status` is a new copy of a story it does not start."""
    return status == NEW and db.conn.execute("SELECT copies FROM stories WHERE id = ?", [story_id]).fetchone()[0] > 1


def article_from_capture(capture: Capture, site: str | None = None) -> Article | str:
    """Return the Article extracted from a stored response, or why it is not one.

    The reason is NOT_ARTICLE for list pages, else a failure reason like the crawl's.
    """
    if capture.status >= 400:
        return f"HTTP {capture.status}"
    article = parse_page(capture.url, capture.body, capture.headers)
    if article.kind != ARTICLE:
        return NOT_ARTICLE
    if not article.title or not article.body:
        missing = " and ".join(n for n in ("title", "body") if not getattr(article, n))
        return f"dropped: no {missing} extracted: {capture.url}"
    registered = site_for_url(capture.url)
    article.site = site or (registered.slug if registered else host_of(capture.url))
    article.status = capture.status
    article.fetched_at = capture.fetched_at
    return article

