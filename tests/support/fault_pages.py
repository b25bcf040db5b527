"""The sound answers a fault site is built from: home page, articles, plain bodies, errors.

A fault is a function that writes the raw HTTP answer itself (or none at all); these are
the ones that answer properly, and the other fault modules build on them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.support.news_text import article_html

if TYPE_CHECKING:
    from tests.support.fault_server import FaultSite, Handler

Fault = Callable[["Handler", "FaultSite"], None]


def home(h: Handler, site: FaultSite) -> None:
    faults = [p for p in site.faults if not p.startswith(("/_/", "/robots.txt"))]  # /_/: not linked
    links = [f"/a/{n}.html" for n in range(1, site.good + 1)] + faults
    items = "".join(f'<li><a href="{p}">链接 {p}</a></li>' for p in links + site.links)
    feeds = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="{f}">' for f in site.feeds
    )
    h.answer(
        200,
        f"<html><head><title>法治时报</title>{feeds}</head><body><ul>{items}</ul></body></html>".encode(),
    )


def article(
    key: str,
    encoding: str = "utf-8",
    ctype: str | None = None,
    meta: str | None = None,
    bom: bytes = b"",
    extra: str = "",
) -> Fault:
    """A sound article page encoded in `encoding`; Content-Type `ctype` and <meta> `meta` may
    lie."""

    def fault(h: Handler, site: FaultSite) -> None:
        body = bom + article_html(key, encoding if meta is None else meta, extra).encode(encoding)
        h.answer(200, body, ctype or f"text/html; charset={encoding}")

    return fault


def text(body: str | bytes, ctype: str = "text/html; charset=utf-8") -> Fault:
    def fault(h: Handler, site: FaultSite) -> None:
        h.answer(200, body.encode() if isinstance(body, str) else body, ctype)

    return fault


def status(code: int) -> Fault:
    """Always answer `code` with a small error page."""

    def fault(h: Handler, site: FaultSite) -> None:
        h.answer(code, f"<html><body>error {code}</body></html>".encode())

    return fault


def redirect(target: str | Callable[[FaultSite], str], code: int = 302) -> Fault:
    """Redirect to `target` (a URL, or a function of the site giving one)."""

    def fault(h: Handler, site: FaultSite) -> None:
        location = target(site) if callable(target) else target
        h.answer(code, b"", headers={"Location": location})

    return fault
