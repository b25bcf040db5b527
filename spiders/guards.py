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
