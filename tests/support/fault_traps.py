"""Crawler traps: pages keyed by a query, endless calendars, long paged lists."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from tests.support.fault_pages import Fault, article, status

if TYPE_CHECKING:
    from tests.support.fault_server import FaultSite, Handler


def by_query(name: str) -> Fault:
    """A different article for each value of the query parameter `name` (show.php?sid=5 is "S5")."""

    def fault(h: Handler, site: FaultSite) -> None:
        value = parse_qs(urlsplit(h.path).query).get(name, [""])[0]
        (article(f"S{value}") if value else status(404))(h, site)

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
