"""The Redis drain tests' queue: articles, a page's messages pushed to Redis, a drain over them."""

from __future__ import annotations

from crawler.distributed import Keys
from crawler.distributed.drain import Drain
from crawler.distributed.drain_warc import WarcTarget
from crawler.distributed.messages import article_message, capture_message, failure_message
from crawler.items import Article, Image

PAGE = "<html><body><h1>标题</h1><p>正文</p></body></html>".encode()


def article(n: int) -> Article:
    """Return test article `n` of site x, Chinese title and body, one image."""
    return Article(
        url=f"http://x.cn/a/{n}.html",
        site="x",
        title=f"第{n}篇报道的标题",
        body=f"第{n}篇报道的正文，法院依法审理了案件{n}。",
        published="2024-05-01",
        images=[Image(src="http://x.cn/1.jpg", caption="图")],
        status=200,
    )


def queue_pages(server, keys: Keys, count: int) -> None:
    """Queue `count` pages (a capture and an article each), then one 404 failure."""
    for n in range(count):
        server.rpush(
            keys.items,
            capture_message(
                "x",
                f"http://x.cn/a/{n}.html",
                200,
                [("Content-Type", "text/html; charset=utf-8")],
                PAGE,
                protocol="HTTP/1.1",
                method="GET",
                request_headers=[],
                fetched_at="2024-05-01T00:00:00+00:00",
            ),
        )
        server.rpush(keys.items, article_message("x", article(n)))
    server.rpush(keys.items, failure_message("x", "http://x.cn/gone", "HTTP 404", 404))


def new_drain(db, server, tmp_path, batch: int = 4) -> Drain:
    """Return a drain of the default keys into `db`, writing WARC files under `tmp_path`."""
    return Drain(db, server, Keys(), WarcTarget(tmp_path / "warc", 1 << 30), batch)


def counts(db) -> tuple[int, int, int]:
    """Return the number of (articles, captures, failures) rows in `db`."""
    return tuple(
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("articles", "captures", "failures")
    )
