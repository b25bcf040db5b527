"""What the spiders do about bad pages: readable failure reasons and a crawl-trap guard."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import parse_qsl, urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.middlewares import RefusedRequest

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
            return f"HTTP {response.status}: redirect to {location} not followed (only http and https)"
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
_FLAT = frozenset(b"area base br col embed hr img input link meta param source track wbr "
                  b"p li dt dd option tr td th".split())


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
    """Count list pages per URL template; past `limit`, a template is a crawl trap."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pages: Counter[str] = Counter()

    def closed(self, url: str) -> bool:
        """Return True when links like `url` are no longer followed."""
        return bool(self.limit) and self.pages[url_template(url)] >= self.limit

    def count(self, url: str) -> str | None:
        """Count one list page; return the failure reason when this page closes its template."""
        template = url_template(url)
        self.pages[template] += 1
        if self.limit and self.pages[template] == self.limit:
            return (f"crawl trap: {self.limit} list pages like {template} this run "
                    "(TRAP_MAX_LIST_PAGES); links to more of them are not followed")
        return None
