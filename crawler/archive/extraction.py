"""An article from a stored response, for `import-warc` and `reparse`: the crawl's extraction
(`parse_page`) and the crawl pipelines' checks, kept apart from the storage path, which needs no
parser."""

from __future__ import annotations

from crawler.archive.warc import Capture
from crawler.items import ARTICLE, Article
from crawler.parsing import parse_page
from crawler.reprints.stories import host_of
from crawler.sites import site_for_url

NOT_ARTICLE = "not_article"  # a list or index page: expected, not a failure


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
