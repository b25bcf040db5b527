"""Hostile bodies: huge, binary, empty, deeply nested, entity and gzip bombs."""

from __future__ import annotations

import gzip
from typing import TYPE_CHECKING

from tests.support.fault_pages import Fault, article
from tests.support.news_text import article_html

if TYPE_CHECKING:
    from tests.support.fault_server import FaultSite, Handler


def huge(size: int, announce: bool = True) -> Fault:
    """An HTML body of `size` bytes; without `announce`, no Content-Length (chunked)."""

    def fault(h: Handler, site: FaultSite) -> None:
        head = article_html("huge").encode()
        if announce:
            h.answer(200, head + b" " * (size - len(head)))
            return
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        chunk = b" " * 65536
        sent = 0
        while sent < size:
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        h.wfile.write(b"0\r\n\r\n")

    return fault


def binary_as_html(h: Handler, site: FaultSite) -> None:
    """A PNG-like binary file served as text/html."""
    blob = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    h.answer(200, blob, "text/html; charset=utf-8")


def empty(h: Handler, site: FaultSite) -> None:
    h.answer(200, b"")


def deep(levels: int) -> Fault:
    """An article followed by `levels` nested <div>s (never closed)."""
    return article("deep", extra="<div>" * levels + "深处的文字" + "</div>" * (levels // 2))


def nested(
    key: str, levels: int, opening: str = "<div>", closing: str = "</div>", inside: bool = True
) -> Fault:
    """An article inside `levels` nested tags (`inside`), or after a closed nest of them."""

    def fault(h: Handler, site: FaultSite) -> None:
        page = article_html(key)
        nest = opening * levels + ("" if inside else closing * levels)
        page = page.replace("<body>", "<body>" + nest, 1)
        if inside:
            page = page.replace("</body>", closing * levels + "</body>", 1)
        h.answer(200, page.encode())

    return fault


def billion_laughs(kind: str) -> Fault:
    """A sitemap or RSS feed whose DTD expands one entity to ~3 GB ("billion laughs")."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    doc = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'

    def fault(h: Handler, site: FaultSite) -> None:
        if kind == "sitemap":
            body = (
                doc + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{site.url}a/laughs.html?&lol9;</loc></url></urlset>"
            )
        else:
            body = (
                doc + '<rss version="2.0"><channel><title>&lol9;</title>'
                f"<item><link>{site.url}a/laughs.html?&lol9;</link></item></channel></rss>"
            )
        h.answer(200, body.encode(), "application/xml")

    return fault


def gzip_bomb(size: int) -> Fault:
    """A gzipped sitemap that inflates to `size` bytes (a decompression bomb)."""
    blob = gzip.compress(b'<?xml version="1.0"?><urlset>' + b" " * size, compresslevel=9)

    def fault(h: Handler, site: FaultSite) -> None:
        h.answer(200, blob, "application/x-gzip")

    return fault
