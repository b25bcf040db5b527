"""Reasons an item leaves the pipeline without being stored."""

from scrapy.exceptions import DropItem


class NotAnArticle(DropItem):
    """The page is a list, index or other non-article page: expected, not a failure."""


class DuplicateInRun(DropItem):
    """This run already passed on the same page under another URL: expected, not a failure."""


class IncompleteArticle(DropItem):
    """The page looked like an article but lacked a title or body: recorded as a failure."""
