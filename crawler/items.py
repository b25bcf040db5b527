"""The one item type that flows from parsers through pipelines into the archive."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ARTICLE = "article"
LIST = "list"
# The text fields a parser extracts, in page order: the archive keeps a version of a page when
# one of them changes, and the validate pipeline counts how often each is filled.
TEXT_FIELDS = ("title", "published", "source", "author", "editor", "body", "original_url")
# Every field a parser extracts from an article page.
PARSED_FIELDS = (*TEXT_FIELDS, "category", "images")


@dataclass
class Image:
    """An image inside the article body, with the caption shown next to it."""

    src: str
    caption: str | None = None


@dataclass
class Article:
    """One fetched page as the parsers understood it.

    Text fields keep the page's original characters and punctuation; only
    comparison and hashing normalise them.
    """

    url: str
    kind: str = ARTICLE  # "article" or "list"
    site: str | None = None  # registry slug (fzzx, lnfz) or the host for unknown portals
    title: str | None = None
    published: str | None = None  # ISO 8601 with +08:00; date only when the page shows no time
    source: str | None = None  # outlet named after 来源
    author: str | None = None  # None for 佚名 or when no byline is shown
    editor: str | None = None  # 责任编辑 / 编辑
    body: str | None = None  # paragraphs and sub-headings, one per line
    original_url: str | None = None  # 原文链接
    category: list[str] = field(default_factory=list)  # breadcrumb path without 首页 and the title
    images: list[Image] = field(default_factory=list)
    encoding: str | None = None  # how the raw bytes were decoded
    fetched_at: str | None = None  # UTC ISO 8601, set by the spider
    status: int | None = None  # HTTP status of the capture

    def to_dict(self) -> dict[str, Any]:
        """Return the item as plain JSON-ready data."""
        return asdict(self)
