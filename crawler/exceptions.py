"""Reasons an item leaves the pipeline without being stored."""

from scrapy.exceptions import DropItem

from crawler.items import ARTICLE, Article


class NotAnArticle(DropItem):
    """The page is a list, index or other non-article page: expected, not a failure."""


class DuplicateInRun(DropItem):
    """This run already passed on the same page under another URL: expected, not a failure."""


class IncompleteArticle(DropItem):
    """The page looked like an article but lacked a title or body: recorded as a failure."""


def why_dropped(item: object) -> DropItem | None:
    """Return the exception a crawl's validation drops `item` with, or None when it is
    archivable."""
    if not isinstance(item, Article):
        return DropItem(f"not an Article: {type(item).__name__}")
    if item.kind != ARTICLE:
        return NotAnArticle(f"not an article page ({item.kind}): {item.url}")
    if not item.title or not item.body:
        missing = " and ".join(n for n in ("title", "body") if not getattr(item, n))
        return IncompleteArticle(f"no {missing} extracted: {item.url}")
    return None
