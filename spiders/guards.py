"""What the spiders do about bad pages: readable failure reasons and a crawl-trap guard."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from urllib.parse import parse_qsl, urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.components.targets import RefusedRequest

# Twisted wraps the real cause: "[<twisted.python.failure.Failure a.b.ConnectionLost: text>]".
_WRAPPED = re.compile(r"Failure (?:[\w]+\.)*(\w+): (.*?)>")
# Download errors whose message Scrapy leaves empty.
_PLAIN = {
    "ResponseDataLossError": "the connection closed before the whole body arrived "
    "(Content-Length promised more)",
    "DownloadCancelledError": "the body is larger than the download size limit",
    "DownloadTimeoutError": "no complete answer within the download timeout",
}


def failure_reason(failure: Failure) -> str | None:
    """Return a one-line reason for a failed request; None for a refusal that is on purpose.

    Robots.txt and off-site links are refused by design and are not failures; an HTTP
    error, a refused target, a redirect out of http(s) or round in a loop is one.
    """
    value = failure.value
    request = failure.request
    if failure.check(HttpError):
        response = value.response
        location = response.headers.get("Location", b"").decode("latin-1")
        if 300 <= response.status < 400 and location:
            return (
                f"HTTP {response.status}: redirect to {location} not followed (only http and https)"
            )
        return f"HTTP {response.status}"
    message = str(value).strip()
    if failure.check(RefusedRequest):
        return message
    if failure.check(IgnoreRequest):
        if message == "max redirections reached":
            return f"redirect loop: more than {request.meta.get('redirect_times', '?')} redirects"
        return None
    name = failure.type.__name__
    wrapped = _WRAPPED.search(message)
    if wrapped:
        message = f"{wrapped.group(1)}: {wrapped.group(2)}"
    return f"{name}: {message or _PLAIN.get(name, 'no detail')}"


def redirect_loop(request) -> str | None:
    """Return the reason for a redirected request dropped as already seen when it closes a loop."""
    chain = request.meta.get("redirect_urls") or []
    if request.url in chain:
        return f"redirect loop: {' -> '.join(chain + [request.url])}"
    return None


# lxml (libxml2) keeps no element nested deeper than about 255 levels: below, the page is empty.
MAX_NESTING = 250
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
# Void elements, and those whose end tag pages often leave out, do not deepen the count.
_FLAT = frozenset(
    b"area base br col embed hr img input link meta param source track wbr "
    b"p li dt dd option tr td th".split()
)


def nesting_depth(body: bytes, limit: int = MAX_NESTING) -> int:
    """Return how deep the tags of `body` nest, counting no further than `limit` + 1."""
    depth = deepest = 0
    for match in _TAG.finditer(body):
        if match.group(2).lower() in _FLAT or match.group(0).endswith(b"/>"):
            continue
        depth = max(depth - 1, 0) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def empty_page_reason(body: bytes) -> str:
    """Return why a page gave neither an article nor a link to follow."""
    if nesting_depth(body) > MAX_NESTING:
        return f"page too deeply nested (depth > {MAX_NESTING}): not extracted"
    return "no article and no links found on the page: not extracted"


def url_template(url: str) -> str:
    """Return the URL's path and query with digit runs masked: /cal?date=20240101 -> /cal?date=#."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={re.sub(r'[0-9]+', '#', v)}" for k, v in sorted(parse_qsl(parts.query)))
    return re.sub(r"[0-9]+", "#", parts.path or "/") + (f"?{query}" if query else "")


class TrapGuard:
    """Close URL templates that trap the crawl: too many list pages, or too many that bring nothing.

    A template is closed after `limit` list pages this run (TRAP_MAX_LIST_PAGES), or after
    `barren_limit` pages in a row that link no new article (TRAP_MAX_BARREN_PAGES): a calendar
    whose days only link more days. Requests for a closed template are not made, and those
    already queued are dropped before download (TrapDropMiddleware).
    """

    def __init__(self, limit: int, barren_limit: int = 0) -> None:
        self.limit = limit
        self.barren_limit = barren_limit
        self.pages: Counter[str] = Counter()
        self.barren: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.shut: set[str] = set()

    def closed(self, url: str) -> bool:
        """Return True when links like `url` are no longer followed."""
        return url_template(url) in self.shut

    def count(self, url: str, links: Collection[str] = ()) -> str | None:
        """Count a list page and the article links it gives; return the reason if it closes its
        template.

        A link is a new article link when this run has not seen it and it has another
        template than the page: a day page linking the next day brings nothing.
        """
        template = url_template(url)
        self.pages[template] += 1
        fresh = any(link not in self.seen and url_template(link) != template for link in links)
        self.seen.update(links)
        self.barren[template] = 0 if fresh else self.barren[template] + 1
        if template in self.shut:
            return None
        if self.limit and self.pages[template] >= self.limit:
            self.shut.add(template)
            return (
                f"crawl trap: {self.limit} list pages like {template} this run "
                "(TRAP_MAX_LIST_PAGES); links to more of them are not followed"
            )
        if self.barren_limit and self.barren[template] >= self.barren_limit:
            self.shut.add(template)
            return (
                f"crawl trap: {self.barren_limit} pages like {template} in a row brought no "
                "new article link (TRAP_MAX_BARREN_PAGES); the pattern is abandoned and its "
                "queued pages dropped"
            )
        return None
