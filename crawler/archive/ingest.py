"""The one storage path: save, search index, capture link, story; and captures -> articles.

The crawl pipeline, `import-warc` and `reparse` all store through `store_article`, and
the last two turn a stored response into an article with `article_from_capture`, which
applies the same extraction (`parse_page`) and the same checks as the crawl pipelines.
"""

from __future__ import annotations

from sqlite_utils import Database

from crawler.archive.search import index_text, unindex_text
from crawler.archive.store import UNCHANGED, UPDATED, save_article
from crawler.archive.stories import assign_story, host_of
from crawler.archive.warc import Capture
from crawler.items import ARTICLE, Article
from crawler.parsing import parse_page
from crawler.sites import site_for_url

NOT_ARTICLE = "not_article"  # a list or index page: expected, not a failure


def store_article(db: Database, article: Article, run_id: int | None = None,
                  capture_id: int | None = None) -> tuple[int, str, int | None]:
    """Store `article` (call inside a transaction); return its id, NEW/UPDATED/UNCHANGED, story."""
    article_id, status = save_article(db, article, run_id)
    if capture_id is not None:
        db.execute("UPDATE articles SET capture_id = ? WHERE id = ?", [capture_id, article_id])
    if status == UNCHANGED:
        story = db.execute("SELECT story_id FROM articles WHERE id = ?", [article_id]).fetchone()
        return article_id, status, story[0]
    if status == UPDATED:  # the index holds the content just moved to article_versions
        old = db.execute("SELECT title, body FROM article_versions WHERE article_id = ? "
                         "ORDER BY version DESC LIMIT 1", [article_id]).fetchone()
        unindex_text(db.conn, article_id, old[0], old[1])
    index_text(db.conn, article_id, article.title, article.body)
    return article_id, status, assign_story(db, article_id)


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

