"""The offline demo portals: routing, encodings, links and the expected items."""

from __future__ import annotations

import http.client
import re
import urllib.error
import urllib.request
from collections import Counter, deque
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest

from crawler.demo.content import expected_articles, load_records, non_article_urls
from crawler.demo.routes import build_routes
from crawler.demo.server import HOSTS, START_URLS, DemoPortals

SEED_TITLE = "“五大战场”铲毒斩网 ——我省构建共建共治禁毒工作新格局"
SEED_LNFZ = "http://www.lnfz.cn/news/52672.html"
HREF = re.compile(rb'href="([^"#]+)')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Let 3xx surface as HTTPError so tests can see them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture(scope="module")
def portals() -> Iterator[DemoPortals]:
    with DemoPortals() as server:
        yield server


@pytest.fixture(scope="module")
def opener(portals: DemoPortals) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({"http": portals.proxy_url}), NoRedirect
    )


def fetch(opener: urllib.request.OpenerDirector, url: str) -> tuple[int, dict, bytes]:
    try:
        with opener.open(url, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def seed_reprint() -> dict:
    return next(a for a in expected_articles() if a["site"] == "fzzx" and a["title"] == SEED_TITLE)


def test_hosts_and_start_urls() -> None:
    assert HOSTS["www.fzzx.org.cn"] == "fzzx" and HOSTS["lnfz.cn"] == "lnfz"
    assert START_URLS == ["http://www.fzzx.org.cn/", "http://www.lnfz.cn/"]


def test_gbk_page_through_proxy(opener: urllib.request.OpenerDirector) -> None:
    status, headers, body = fetch(opener, SEED_LNFZ)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=GBK"
    assert int(headers["Content-Length"]) == len(body)
    text = body.decode("gbk")
    assert SEED_TITLE in text and 'content="text/html; charset=gbk"' in text
    assert "来源：辽宁长安网" in text and "时间：2022-06-21 08:52" in text and "责任编辑：" in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")


def test_every_lnfz_page_is_gbk() -> None:
    for res in build_routes()["lnfz"].values():
        if res.content_type.startswith("text/html"):
            assert 'charset=gbk"' in res.body.decode("gbk")


def test_seed_reprint_on_fzzx(opener: urllib.request.OpenerDirector) -> None:
    item = seed_reprint()
    status, headers, body = fetch(opener, item["url"])
    text = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<meta charset="utf-8">' in text
    assert "发布时间:2022-06-21</span> <span>来源: 辽宁长安网</span> <span>作者:佚名" in text
    assert f'原文链接:<a href="{SEED_LNFZ}"' in text
    assert "当前所在:" in text and "[免责声明]" in text and "相关阅读" in text
    assert item["original_url"] == SEED_LNFZ and item["author"] is None
    assert item["images"][0]["caption"].startswith("盘锦市公安局")


def test_host_header_request(portals: DemoPortals) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", portals.port, timeout=10)
    conn.request("GET", "/robots.txt", headers={"Host": "www.fzzx.org.cn"})
    resp = conn.getresponse()
    assert resp.status == 200 and b"User-agent: *" in resp.read()
    conn.request("HEAD", "/", headers={"Host": "www.lnfz.cn"})
    resp = conn.getresponse()
    assert resp.status == 200 and int(resp.getheader("Content-Length")) > 1000
    assert resp.read() == b""
    conn.close()


def test_bare_host_redirects(opener: urllib.request.OpenerDirector) -> None:
    status, headers, _ = fetch(opener, "http://fzzx.org.cn/about.html")
    assert status == 301 and headers["Location"] == "http://www.fzzx.org.cn/about.html"
    status, headers, _ = fetch(opener, "http://lnfz.cn/")
    assert status == 301 and headers["Location"] == "http://www.lnfz.cn/"


@pytest.mark.parametrize(
    "url",
    ["http://www.fzzx.org.cn/nope.html", "http://www.lnfz.cn/news/1.html", "http://example.com/"],
)
def test_unknown_is_404(opener: urllib.request.OpenerDirector, url: str) -> None:
    assert fetch(opener, url)[0] == 404


def test_pagination_links(opener: urllib.request.OpenerDirector) -> None:
    _, _, first = fetch(opener, "http://www.fzzx.org.cn/list/gazx/index.html")
    assert b'href="/list/gazx/index_2.html">' in first and "下一页".encode() in first
    _, _, second = fetch(opener, "http://www.fzzx.org.cn/list/gazx/index_2.html")
    assert "上一页".encode() in second
    _, _, lnfz = fetch(opener, "http://www.lnfz.cn/channel/jdgz.html")
    assert b'href="/channel/jdgz_2.html"' in lnfz


def crawl(opener: urllib.request.OpenerDirector) -> set[str]:
    """Follow every same-portal link from the home pages; return the URLs seen with 200."""
    seen, ok, queue = set(START_URLS), set(), deque(START_URLS)
    while queue:
        url = queue.popleft()
        status, headers, body = fetch(opener, url)
        if status != 200 or not headers["Content-Type"].startswith("text/html"):
            continue
        ok.add(url)
        for href in HREF.findall(body):
            link = urljoin(url, href.decode("ascii"))
            if urlsplit(link).hostname in HOSTS and link not in seen:
                seen.add(link)
                queue.append(link)
    return ok


def test_every_page_reachable_and_hits_counted(
    portals: DemoPortals, opener: urllib.request.OpenerDirector
) -> None:
    portals.reset_hits()
    reached = crawl(opener)
    articles = expected_articles()
    assert {a["url"] for a in articles} <= reached
    assert set(non_article_urls()) <= reached
    assert portals.hits[START_URLS[0]] == 1 and portals.hits[SEED_LNFZ] == 1
    fetch(opener, SEED_LNFZ)
    assert portals.hits[SEED_LNFZ] == 2
    portals.reset_hits()
    assert not portals.hits


def test_counts() -> None:
    articles = expected_articles()
    keys = Counter(a["key"] for a in articles)
    assert len(keys) >= 41
    assert sum(1 for n in keys.values() if n == 2) >= 12
    assert len({a["url"] for a in articles}) == len(articles)


def test_records_are_well_formed() -> None:
    for rec in load_records():
        text = "".join(rec["paragraphs"])
        assert 3 <= len(rec["paragraphs"]) <= 20 and 200 <= len(text) <= 1000, rec["key"]
        rec["title"].encode("gbk")
        assert rec.get("lnfz") or rec.get("fzzx")


def test_expected_item_shapes() -> None:
    for item in expected_articles():
        assert re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d\+08:00)?", item["published"])
        if item["site"] == "fzzx":
            assert len(item["published"]) == 10 and item["editor"] is None
        else:
            assert item["original_url"] is None and item["editor"]
    reprints = [
        a
        for a in expected_articles()
        if a["site"] == "fzzx" and a["original_url"] and "lnfz.cn" in a["original_url"]
    ]
    assert len(reprints) >= 12 and all(a["source"] == "辽宁长安网" for a in reprints)


def test_edited_reprints_and_hard_negatives() -> None:
    by_key: dict[str, dict[str, dict]] = {}
    for item in expected_articles():
        by_key.setdefault(item["key"], {})[item["site"]] = item
    pairs = [v for v in by_key.values() if len(v) == 2]
    edited = [
        p
        for p in pairs
        if (p["fzzx"]["title"], p["fzzx"]["paragraphs"])
        != (p["lnfz"]["title"], p["lnfz"]["paragraphs"])
    ]
    assert len(edited) >= 4
    for a, b in [("23", "24"), ("zhang", "li")]:
        first, second = (
            next(v for k, v in by_key.items() if k.endswith(suffix)) for suffix in (a, b)
        )
        one, two = (next(iter(x.values())) for x in (first, second))
        assert one["paragraphs"][-1] == two["paragraphs"][-1] and one["body"] != two["body"]
