"""Pages that lie about their encoding, or say nothing: the archive holds the right characters."""

from __future__ import annotations

import codecs
import sqlite3

import pytest
from test_faults_http import crawl

from tests.support import fault_server as fs

pytestmark = pytest.mark.e2e

SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "LOG_LEVEL": "WARNING",
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
}
BIG5_TITLE = "臺北地方法院審理涉外貿易糾紛案件"
BIG5_PAGE = (
    '<html><head><meta charset="big5"><title>{t}</title></head><body><div class="art"><h1>{t}</h1>'
    '<div class="info">發布時間：2024-05-06 09:30　來源：司法週刊</div><div class="text">'
    + "".join(
        f"<p>本院於今日{n}時公開審理一起涉外貿易糾紛案件，雙方當事人均到庭參加訴訟，"
        f"合議庭依法組織了證據交換和質證，並當庭宣判。案件第{n}次庭審歷時三個小時。</p>"
        for n in range(5)
    )
    + "</div></div></body></html>"
).format(t=BIG5_TITLE)
# route -> (fault, expected title): each key names what the page gets wrong.
CASES = {
    "/c/gbk-served-as-utf8.html": (
        fs.article("GBK谎称UTF8", "gbk", "text/html; charset=utf-8", meta="utf-8"),
        "GBK谎称UTF8",
    ),
    "/c/utf8-served-as-gbk.html": (
        fs.article("UTF8谎称GBK", "utf-8", "text/html; charset=gbk", meta="gbk"),
        "UTF8谎称GBK",
    ),
    "/c/gbk-no-charset.html": (fs.article("无声明GBK", "gbk", "text/html", meta=""), "无声明GBK"),
    "/c/gb18030.html": (fs.article("龘䶮𠀀", "gb18030"), "龘䶮𠀀"),  # beyond GBK: 4-byte GB18030
    "/c/gb2312-declared-gb18030-bytes.html": (
        fs.article("䶮扩展", "gb18030", "text/html; charset=gb2312", meta="gb2312"),
        "䶮扩展",
    ),
    "/c/utf8-bom-served-as-gbk.html": (
        fs.article("带BOM", "utf-8", "text/html; charset=gbk", meta="gbk", bom=codecs.BOM_UTF8),
        "带BOM",
    ),
    "/c/utf16-bom.html": (
        fs.article("UTF16", "utf-16-le", "text/html", meta="", bom=codecs.BOM_UTF16_LE),
        "UTF16",
    ),
}


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    faults = {route: fault for route, (fault, _) in CASES.items()}
    faults["/c/big5.html"] = fs.text(BIG5_PAGE.encode("big5"), "text/html; charset=big5")
    faults["/c/big5-meta-only.html"] = fs.text(
        BIG5_PAGE.replace("審理", "審結").encode("big5"), "text/html"
    )
    with fs.FaultSite(good=3, faults=faults) as site:
        db = tmp_path_factory.mktemp("charset") / "archive.db"
        result = crawl(site, db, SETTINGS)
        assert result.returncode == 0, result.stderr
        conn = sqlite3.connect(db)
        yield (
            site,
            {
                url: (title, body)
                for url, title, body in conn.execute("SELECT url, title, body FROM articles")
            },
        )
        conn.close()


@pytest.mark.parametrize("route", list(CASES))
def test_lying_or_missing_charset_is_read_right(archived, route):
    site, rows = archived
    title, body = rows[site.url + route[1:]]
    assert title == fs.title_of(CASES[route][1])
    assert fs.SENTENCES[0] in body and "\ufffd" not in body


@pytest.mark.parametrize(
    ("route", "title"),
    [("/c/big5.html", BIG5_TITLE), ("/c/big5-meta-only.html", BIG5_TITLE.replace("審理", "審結"))],
)
def test_big5_is_read_right(archived, route, title):
    site, rows = archived
    stored_title, body = rows[site.url + route[1:]]
    assert stored_title == title
    assert "合議庭依法組織了證據交換和質證" in body


def test_good_pages_next_to_them_are_archived(archived):
    site, rows = archived
    assert set(site.good_urls()) <= set(rows)
