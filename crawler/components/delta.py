"""Delta-fetch state: which article URLs the archive already holds, and what article URLs look like.

Kept in archive.db itself (the `articles` table), so it can never drift from what is stored.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlite_utils import Database

from crawler.reprints.fingerprints import canonical_url
from crawler.sites import drop_params_for

DIGITS = re.compile(r"\d+")


def url_shape(url: str) -> str:
    """Return the URL's host and path with digit runs masked: /news/2024/17.html ->
    /news/#/#.html."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return host + DIGITS.sub("#", parts.path)


class DeltaIndex:
    """The canonical URLs of archived articles and the URL shapes seen on article pages."""

    def __init__(self, archived: set[str] | None = None) -> None:
        self.archived: set[str] = set(archived or ())
        self.shapes: set[str] = {url_shape(u) for u in self.archived}

    @classmethod
    def from_archive(cls, db: Database, site: str | None) -> DeltaIndex:
        """Return the index of the articles of `site` (every site when None) in `db`."""
        sql, args = "SELECT canonical_url FROM articles", []
        if site:
            sql, args = sql + " WHERE site = ?", [site]
        return cls({row[0] for row in db.execute(sql, args)})

    def is_archived(self, url: str) -> bool:
        """Return True when the page at `url` is already an archived article."""
        return canonical_url(url, drop_params_for(url)) in self.archived

    def looks_like_article(self, url: str) -> bool:
        """Return True when `url` has the shape of an article URL seen before."""
        return url_shape(url) in self.shapes

    def learn(self, url: str) -> None:
        """Remember the shape of `url`, an article page fetched in this run.

        The URL itself is not marked archived: "new" means new to the archive as the run
        found it, so a list that repeats this run's articles still gets paginated.
        """
        self.shapes.add(url_shape(url))
