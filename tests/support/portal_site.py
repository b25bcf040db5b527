"""A generated portal with its own layout, served on 127.0.0.1 for the crawl tests.

Home page with a feed link, two columns with pagination, article pages, robots.txt with
Crawl-delay and a Sitemap line, sitemap.xml and an RSS feed, each listing one article that
no column links. Requests are counted and timed server-side.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler

from tests.support.local_server import LocalServer
from tests.support.news_text import SENTENCES

COLUMNS = ("law", "court")
PER_PAGE = 4


class Portal(LocalServer):
    """The generated portal: `articles` per column, `template` "v1" (with 来源) or "v2"
    (without)."""

    def __init__(self, articles: int = 6, crawl_delay: float = 0.0, slow: float = 0.0) -> None:
        self.articles = articles
        self.crawl_delay = crawl_delay
        self.slow = slow
        self.template: dict[int, str] = {}  # article number -> template, default v1
        self.hits: Counter[str] = Counter()
        self.times: list[tuple[float, str]] = []
        self.agents: Counter[str] = Counter()  # User-Agent headers received
        self.lock = threading.Lock()

    def article_paths(self) -> list[str]:
        """Return the paths of every article, the sitemap-only and the feed-only one included."""
        paths = [f"/story/{c}-{n}.html" for c in COLUMNS for n in range(1, self.articles + 1)]
        return paths + ["/story/map-1.html", "/story/feed-1.html"] if self.articles else paths

    def article_hits(self) -> int:
        return sum(n for path, n in self.hits.items() if path.startswith("/story/"))

    # ------------------------------------------------------------------ pages
    def page(self, path: str) -> tuple[int, str, str]:
        if path == "/robots.txt":
            delay = f"Crawl-delay: {self.crawl_delay}\n" if self.crawl_delay else ""
            return (
                200,
                "text/plain",
                f"User-agent: *\n{delay}Disallow: /private/\nSitemap: {self.url}sitemap.xml\n",
            )
        if path == "/sitemap.xml":
            locs = "".join(
                f"<url><loc>{self.url}{p[1:]}</loc></url>" for p in self.article_paths()[:3]
            )
            if self.articles:
                locs += f"<url><loc>{self.url}story/map-1.html</loc></url>"
            return (
                200,
                "application/xml",
                f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>',
            )
        if path == "/feed.xml":
            items = (
                f"<item><title>t</title><link>{self.url}story/feed-1.html</link></item>"
                if self.articles
                else ""
            )
            return (
                200,
                "application/rss+xml",
                '<?xml version="1.0"?><rss version="2.0"><channel><title>法治时报</title>'
                f"{items}</channel></rss>",
            )
        if path == "/":
            return 200, "text/html; charset=utf-8", self.home()
        if path.startswith("/column/"):
            parts = path.strip("/").split("/")
            page = int(parts[2][1:-5]) if len(parts) > 2 else 1
            if parts[1] in COLUMNS:
                return 200, "text/html; charset=utf-8", self.column(parts[1], page)
        if path.startswith("/story/") and self.articles:
            return 200, "text/html; charset=utf-8", self.article(path[7:-5])
        return 404, "text/html", "<html><body>404</body></html>"

    def chrome(self, title: str, main: str) -> str:
        nav = " ".join(f'<a href="/column/{c}/">{c} 栏目</a>' for c in COLUMNS)
        return (
            f'<html><head><meta charset="utf-8"><title>{title}</title>'
            '<link rel="alternate" type="application/rss+xml" href="/feed.xml"></head>'
            f'<body><div id="top"><a href="/">法治时报首页</a> {nav} '
            '<a href="/private/x.html">内部</a></div>'
            f'{main}<div id="foot">法治时报 版权所有 联系我们</div></body></html>'
        )

    def home(self) -> str:
        items = "".join(f'<li><a href="/column/{c}/">{c} 最新</a></li>' for c in COLUMNS)
        return self.chrome("法治时报", f"<ul>{items}</ul>")

    def column(self, col: str, page: int) -> str:
        pages = max(1, -(-self.articles // PER_PAGE))
        newest = range(self.articles, 0, -1)
        chunk = list(newest)[(page - 1) * PER_PAGE : page * PER_PAGE]
        items = "".join(
            f'<li><a href="/story/{col}-{n}.html">{col} 要闻 第{n}篇 报道</a> '
            f"<span>2024-05-{n % 28 + 1:02d}</span></li>"
            for n in chunk
        )
        pager = " ".join(f'<a href="/column/{col}/p{n}.html">{n}</a>' for n in range(1, pages + 1))
        if page < pages:
            pager += f' <a href="/column/{col}/p{page + 1}.html">下一页</a>'
        return self.chrome(
            f"{col} 栏目", f'<ul class="list">{items}</ul><div class="pager">{pager}</div>'
        )

    def article(self, key: str) -> str:
        col, _, n = key.partition("-")
        number = int(n) if n.isdigit() else 1
        title = f"{col}栏目第{number}篇：法院通报涉企案件审理情况"
        source = "" if self.template.get(number, "v1") == "v2" else "来源：法治日报　"
        body = "".join(
            f"<p>{SENTENCES[(number + i) % len(SENTENCES)]}{SENTENCES[i % len(SENTENCES)]}</p>"
            for i in range(5)
        )
        main = (
            f'<div class="art"><h1>{title}</h1><div class="info">'
            f"发布时间：2024-05-{number % 28 + 1:02d} 09:30　"
            f'{source}作者：张明</div><div class="text">{body}</div></div>'
        )
        return self.chrome(title, main)

    # ------------------------------------------------------------------ serving
    def handler(self) -> type[BaseHTTPRequestHandler]:
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?")[0]
                with portal.lock:
                    portal.hits[path] += 1
                    portal.agents[self.headers.get("User-Agent", "")] += 1
                    portal.times.append((time.monotonic(), path))
                if portal.slow:
                    time.sleep(portal.slow)
                status, ctype, text = portal.page(path)
                body = text.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler was killed mid-request

        return Handler


@contextmanager
def delayed_and_fast_hosts() -> Iterator[tuple[Portal, Portal]]:
    """Serve a portal with Crawl-delay: 1.5 and, on another host, one without; yield both."""
    slow = Portal(articles=2, crawl_delay=1.5).start()
    fast = Portal(articles=8, slow=0.1)  # its 28 pages take about 3 s one after the other
    fast.host = "127.0.0.2"
    fast.start()
    try:
        yield slow, fast
    finally:
        slow.stop()
        fast.stop()


def assert_each_kept_its_pace(slow: Portal, fast: Portal) -> None:
    """Check that the fast host was crawled through at its pace, the slow one at its delay."""
    assert all(fast.hits[p] == 1 for p in fast.article_paths())
    fast_gaps = gaps([t for t, _ in fast.times])
    assert max(fast_gaps) < 1.0, fast_gaps  # no page of it waited for the other's delay
    slow_gaps = gaps([t for t, path in slow.times if path != "/robots.txt"])
    assert slow_gaps and min(slow_gaps) >= 1.4, slow_gaps


def gaps(times: list[float]) -> list[float]:
    """Return the time between each request and the next."""
    return [b - a for a, b in zip(times, times[1:], strict=False)]
