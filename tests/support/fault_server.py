"""A small portal on 127.0.0.1 whose pages misbehave on purpose, for the fault tests.

The home page links `good` sound articles and every fault route. A fault is a function
that writes the raw HTTP answer itself (or none at all), so a test can serve what real
servers do wrong: 5xx bursts, stalls, slow drips, resets, short bodies, redirect loops,
huge or binary bodies, lying charsets. Requests are counted and timed per path, query included.

The faults live by kind in fault_pages, fault_wire, fault_bodies and fault_traps, the article
text in news_text; this module serves them and names them all, so tests write `fs.stall(80)`.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from tests.support.fault_bodies import (
    billion_laughs,
    binary_as_html,
    deep,
    empty,
    gzip_bomb,
    huge,
    nested,
)
from tests.support.fault_pages import Fault, article, home, redirect, status, text
from tests.support.fault_traps import by_query, calendar, calendar_trap, day_article, paged_list
from tests.support.fault_wire import burst, drip, reset, stall, truncated
from tests.support.local_server import LocalServer
from tests.support.news_text import SENTENCES, article_html, paragraphs, title_of

__all__ = [
    "SENTENCES",
    "Fault",
    "FaultSite",
    "Handler",
    "article",
    "article_html",
    "billion_laughs",
    "binary_as_html",
    "burst",
    "by_query",
    "calendar",
    "calendar_trap",
    "day_article",
    "deep",
    "drip",
    "empty",
    "gzip_bomb",
    "home",
    "huge",
    "nested",
    "paged_list",
    "paragraphs",
    "redirect",
    "reset",
    "stall",
    "status",
    "text",
    "title_of",
    "truncated",
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: FaultSite

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        with self.site.lock:
            self.site.hits[self.path] += 1
            self.site.times.append((time.monotonic(), self.path))
            count = self.site.hits[self.path]
        fault = self.site.routes.get(urlsplit(self.path).path)
        try:
            if fault is None:
                self.answer(404, b"<html><body>404 not found</body></html>")
            else:
                self.count = count
                fault(self, self.site)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler gave up on us: that is the point of some faults

    def answer(
        self,
        status: int,
        body: bytes,
        ctype: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        length: int | None = None,
    ) -> None:
        """Write a complete answer; `length` overrides Content-Length (to lie about it)."""
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def reset(self) -> None:
        """Drop the connection with a TCP RST (SO_LINGER 0) instead of an answer."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True


class FaultSite(LocalServer):
    """The portal: `good` sound articles /a/N.html plus the fault routes given."""

    def __init__(
        self,
        good: int = 6,
        faults: dict[str, Fault] | None = None,
        robots: str = "User-agent: *\nDisallow: /private/\n",
        host: str = "127.0.0.1",
    ) -> None:
        self.good = good
        self.host = host
        self.routes: dict[str, Fault] = {"/": home, "/robots.txt": text(robots, "text/plain")}
        self.routes.update({f"/a/{n}.html": article(f"A{n}") for n in range(1, good + 1)})
        self.faults = dict(faults or {})
        self.routes.update(self.faults)
        self.links: list[str] = []  # extra links on the home page, besides /a/* and the faults
        self.feeds: list[str] = []  # RSS feeds linked from the home page
        self.hits: Counter[str] = Counter()
        self.times: list[tuple[float, str]] = []  # (monotonic time, path) of every request
        self.lock = threading.Lock()

    def good_urls(self) -> list[str]:
        return [f"{self.url}a/{n}.html" for n in range(1, self.good + 1)]

    def handler(self) -> type[Handler]:
        return type("BoundHandler", (Handler,), {"site": self})
