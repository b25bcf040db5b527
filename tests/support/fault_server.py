"""A small portal on 127.0.0.1 whose pages misbehave on purpose, for the fault tests.

The home page links `good` sound articles and every fault route. A fault is a function
that writes the raw HTTP answer itself (or none at all), so a test can serve what real
servers do wrong: 5xx bursts, stalls, slow drips, resets, short bodies, redirect loops,
huge or binary bodies, lying charsets. Requests are counted and timed per path, query included.
"""

from __future__ import annotations

import gzip
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from tests.support.local_server import LocalServer

SENTENCES = (
    "市人民法院今天召开新闻发布会，通报了近年来审理涉企案件的总体情况和典型案例。",
    "据介绍，法院坚持依法平等保护各类市场主体，不断优化法治化营商环境。",
    "在审理过程中，合议庭充分听取了双方当事人的意见，并依法组织了证据交换和质证。",
    "下一步，全市法院将持续深化诉源治理，推动矛盾纠纷多元化解机制建设走深走实。",
    "检察机关表示，将进一步加强法律监督，切实维护人民群众的合法权益和社会公平正义。",
)
WORDS = (
    "法院",
    "检察院",
    "案件",
    "审理",
    "当事人",
    "依法",
    "判决",
    "调解",
    "执行",
    "证据",
    "合同",
    "纠纷",
    "企业",
    "群众",
    "权益",
    "监督",
    "改革",
    "司法",
    "公正",
    "社区",
    "律师",
    "仲裁",
)
Fault = Callable[["Handler", "FaultSite"], None]


def paragraphs(key: str, count: int = 5) -> str:
    """Return `count` paragraphs of text that differ from key to key (no two pages
    near-duplicates)."""
    rng = random.Random(key)
    return "".join(
        "<p>"
        + "，".join("".join(rng.choice(WORDS) for _ in range(6)) for _ in range(5))
        + "。"
        + SENTENCES[i % len(SENTENCES)]
        + "</p>"
        for i in range(count)
    )


def title_of(key: str) -> str:
    """Return the title of the article page for `key`."""
    return f"{key}号报道：法院通报涉企案件审理情况"


def article_html(key: str, charset: str | None = "utf-8", extra: str = "") -> str:
    """Return an article page whose title names `key` (so a test can find its row)."""
    title = title_of(key)
    body = paragraphs(key)
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<html><head>{meta}<title>{title}</title></head><body>"
        f'<div id="top"><a href="/">法治时报首页</a></div>'
        f'<div class="art"><h1>{title}</h1><div class="info">发布时间：2024-05-06 09:30　'
        f'来源：法治日报　作者：张明</div><div class="text">{body}</div></div>{extra}'
        f'<div id="foot">法治时报 版权所有</div></body></html>'
    )


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


# ---------------------------------------------------------------------- faults
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


def redirect(target: str | Callable[[FaultSite], str], code: int = 302) -> Fault:
    """Redirect to `target` (a URL, or a function of the site giving one)."""

    def fault(h: Handler, site: FaultSite) -> None:
        location = target(site) if callable(target) else target
        h.answer(code, b"", headers={"Location": location})

    return fault


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


def by_query(name: str) -> Fault:
    """A different article for each value of the query parameter `name` (show.php?sid=5 is "S5")."""

    def fault(h: Handler, site: FaultSite) -> None:
        value = parse_qs(urlsplit(h.path).query).get(name, [""])[0]
        (article(f"S{value}") if value else status(404))(h, site)

    return fault


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


def calendar_trap(width: int = 2, delay: float = 0.0, article_every: int = 0) -> Fault:
    """Date pages /cal?date=N answered after `delay` seconds, each linking `width` new ones.

    The days form a tree (N links N1, N2, ...), so the crawler's queue fills up fast. With
    `article_every`, a day N with N % article_every == 0 also links an article (route
    /_/day.html: day_article).
    """

    def fault(h: Handler, site: FaultSite) -> None:
        time.sleep(delay)
        day = int(parse_qs(urlsplit(h.path).query).get("date", ["20240101"])[0])
        days = [day * 10 + i for i in range(1, width + 1)]
        links = "".join(f'<a href="?date={d}">{d}</a> ' for d in days)
        if article_every and day % article_every == 0:
            links += f'<a href="/_/day.html?d={day}">{day} 的报道</a>'
        h.answer(
            200,
            f"<html><body><h2>{day} 的新闻</h2><p>本日暂无新闻。</p>{links}</body></html>".encode(),
        )

    return fault


def day_article(h: Handler, site: FaultSite) -> None:
    """The article page /_/day.html?d=N that a calendar_trap day may link."""
    article("D" + parse_qs(urlsplit(h.path).query)["d"][0])(h, site)


def paged_list(pages: int, per_page: int) -> dict[str, Fault]:
    """Routes of a list /list?page=N (N = 1..pages, 下一页 to N+1) with `per_page` new articles
    each."""

    def fault(h: Handler, site: FaultSite) -> None:
        n = int(parse_qs(urlsplit(h.path).query).get("page", ["1"])[0])
        items = "".join(
            f'<li><a href="/_/p/{n}-{k}.html">报道 {n}-{k}</a></li>' for k in range(per_page)
        )
        more = f'<a href="/list?page={n + 1}">下一页</a>' if n < pages else ""
        h.answer(200, f"<html><body><h2>列表</h2><ul>{items}</ul>{more}</body></html>".encode())

    routes: dict[str, Fault] = {"/list": fault}
    routes.update(
        {
            f"/_/p/{n}-{k}.html": article(f"P{n}-{k}")
            for n in range(1, pages + 1)
            for k in range(per_page)
        }
    )
    return routes


def calendar(h: Handler, site: FaultSite) -> None:
    """A calendar whose every day links the next one and the day before: endless pages."""
    day = parse_qs(urlsplit(h.path).query).get("date", ["2024-01-01"])[0]
    try:
        n = int(day.replace("-", ""))
    except ValueError:
        n = 20240101
    links = (
        f'<a href="/cal?date={n - 1}">前一天</a> <a href="/cal?date={n + 1}">后一天</a> '
        f'<a href="/cal?date={n + 1}">下一页</a>'
    )
    h.answer(
        200, f"<html><body><h2>{day} 的新闻</h2><p>本日暂无新闻。</p>{links}</body></html>".encode()
    )


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
