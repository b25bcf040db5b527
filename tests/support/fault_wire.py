"""Faults on the wire: 5xx bursts, stalls, slow drips, resets, bodies shorter than announced."""

from __future__ import annotations

import socket
import time
from typing import TYPE_CHECKING

from tests.support.fault_pages import Fault, article
from tests.support.news_text import article_html

if TYPE_CHECKING:
    from tests.support.fault_server import FaultSite, Handler


def burst(key: str, failures: int, code: int = 503) -> Fault:
    """Answer `code` to the first `failures` requests, then the article (a 5xx burst that heals)."""
    good = article(key)

    def fault(h: Handler, site: FaultSite) -> None:
        if h.count <= failures:
            h.answer(code, b"<html><body>busy</body></html>")
        else:
            good(h, site)

    return fault


def stall(seconds: float) -> Fault:
    """Say nothing for `seconds` (past the download timeout), then the article."""
    good = article("stalled")

    def fault(h: Handler, site: FaultSite) -> None:
        time.sleep(seconds)
        good(h, site)

    return fault


def drip(key: str, seconds: float, chunks: int = 20) -> Fault:
    """Send the article's bytes a few at a time over `seconds` (a slow drip)."""

    def fault(h: Handler, site: FaultSite) -> None:
        body = article_html(key).encode()
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        step = -(-len(body) // chunks)
        for start in range(0, len(body), step):
            h.wfile.write(body[start : start + step])
            h.wfile.flush()
            time.sleep(seconds / chunks)

    return fault


def reset(h: Handler, site: FaultSite) -> None:
    """Reset the connection before answering."""
    h.reset()


def truncated(h: Handler, site: FaultSite) -> None:
    """Promise 1,000 more bytes than are sent, then close (a short body)."""
    body = article_html("truncated").encode()
    h.answer(200, body[: len(body) // 2], length=len(body) + 1000)
    h.close_connection = True
    h.connection.shutdown(socket.SHUT_RDWR)
