"""End-to-end crawl throughput: the full pipeline against a bare Scrapy spider, same pages, same
run.

Run: python -m bench.bench_crawl --pages 5000 20000
A local server (its own process) serves N generated article pages behind list pages of 50 links.
For each N, a bare spider (fetch, follow links, nothing else) and `legalnews crawl --start-url`
(parse, validate, dedup, near-duplicates, store, WARC) crawl it with politeness lifted; we report
pages/s, their ratio and each crawler's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.news_text import filler
from tests.support.process_helpers import crawl_command

PER_LIST = 50
LIFTED = [
    "ROBOTSTXT_OBEY=False",
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=32",
    "SITEMAP_DISCOVERY=False",
    "LOG_LEVEL=ERROR",
    "PROGRESS_ENABLED=False",
]
LIFTED_ARGS = [arg for pair in LIFTED for arg in ("-s", pair)]


def article_html(n: int) -> bytes:
    """Return a distinct article page: title, date, 来源, five paragraphs."""
    rng = random.Random(n)  # distinct text per page, as on a real portal: no false near-duplicates
    paras = []
    for p in range(5):
        paras.append(f"<p>第{n}号报道第{p + 1}段：{filler(rng)}。</p>")
    return (
        f'<html><head><meta charset="utf-8"><title>报道{n}</title></head><body>'
        '<div id="nav"><a href="/">首页</a></div>'
        f'<h1>基层法治建设报道第{n}篇</h1><div class="info">'
        f"发布时间：2024-03-{n % 28 + 1:02d} 08:00　来源：法治日报　作者：王{n % 97}</div>"
        f'<div class="text">{"".join(paras)}</div><div id="foot">版权所有</div></body></html>'
    ).encode()


def list_html(page: int, pages: int, total: int) -> bytes:
    items = "".join(
        f'<li><a href="/a/{n}.html">基层法治建设报道第{n}篇</a></li>'
        for n in range((page - 1) * PER_LIST + 1, min(page * PER_LIST, total) + 1)
    )
    nxt = f'<a href="/list/{page + 1}.html">下一页</a>' if page < pages else ""
    return (
        f'<html><head><meta charset="utf-8"><title>列表{page}</title></head>'
        f"<body><ul>{items}</ul>{nxt}"
        "</body></html>"
    ).encode()


def serve(total: int, port_file: str) -> None:
    """Serve the generated site until killed (run in its own process)."""
    pages = -(-total // PER_LIST)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path
            if path == "/":
                body = list_html(1, pages, total)
            elif path.startswith("/list/"):
                body = list_html(int(path[6:-5]), pages, total)
            elif path.startswith("/a/"):
                body = article_html(int(path[3:-5]))
            else:
                body = b"no"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Path(port_file).write_text(str(server.server_address[1]))
    server.serve_forever()


def bare(url: str) -> None:
    """The baseline: a bare Scrapy spider that fetches the same pages and does nothing."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class BareSpider(scrapy.Spider):
        name = "bare"
        start_urls = [url]

        def parse(self, response):
            if "/a/" not in response.url:
                yield from response.follow_all(css="a::attr(href)")

    settings = {k: v for k, _, v in (p.partition("=") for p in LIFTED)}
    process = CrawlerProcess(
        {**settings, "TELNETCONSOLE_ENABLED": False, "REMOTE_CONTROL_ENABLED": False}
    )
    process.crawl(BareSpider)
    process.start()


def timed(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return wall seconds and its peak RSS in MiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{cmd[:4]} failed with status {status}")
    return time.perf_counter() - start, usage.ru_maxrss / 1024


@contextmanager
def generated_site(total: int, folder: str) -> Iterator[str]:
    """Serve `total` generated articles from a process of their own; yield the start URL."""
    port_file = Path(folder, "port")
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.bench_crawl", "--serve", str(total), str(port_file)]
    )
    try:
        while not port_file.exists() or not port_file.read_text():
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port_file.read_text()}/"
    finally:
        server.kill()
        server.wait()


def full_crawl_command(url: str, db: Path) -> list[str]:
    """Return the `legalnews crawl --start-url` command of `url` into `db`, politeness lifted."""
    return crawl_command(url, "--db", str(db), *LIFTED_ARGS)


def site_pages(total: int) -> int:
    """Return how many pages the generated site of `total` articles has (lists and home
    included)."""
    return total + -(-total // PER_LIST) + 1


def measure(total: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp, generated_site(total, tmp) as url:
        pages = site_pages(total)
        bare_s, bare_rss = timed([sys.executable, "-m", "bench.bench_crawl", "--bare", url])
        db = Path(tmp, "archive.db")
        full_s, full_rss = timed(full_crawl_command(url, db))
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
    return {
        "pages": pages,
        "stored": stored,
        "bare_pps": pages / bare_s,
        "full_pps": pages / full_s,
        "ratio": bare_s / full_s,
        "bare_rss": bare_rss,
        "full_rss": full_rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--serve", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--bare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(int(args.serve[0]), args.serve[1])
    if args.bare:
        return bare(args.bare)
    print(
        "| article pages | pages fetched | stored | bare pages/s | full pages/s | ratio "
        "| bare peak RSS | full peak RSS |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for total in args.pages:
        r = measure(total)
        print(
            f"| {total} | {r['pages']} | {r['stored']} | {r['bare_pps']:.0f} | "
            f"{r['full_pps']:.0f} | {r['ratio']:.2f} | {r['bare_rss']:.0f} MiB | "
            f"{r['full_rss']:.0f} MiB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
