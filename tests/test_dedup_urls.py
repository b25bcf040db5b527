"""Canonical URLs and body fingerprints."""

import pytest

from crawler.dedup import body_fingerprint, canonical_url, normalize_text

SAME_PAGE = [
    ("http://www.lnfz.cn/news/52672.html", "http://lnfz.cn/news/52672.html"),
    ("https://www.lnfz.cn/news/52672.html", "http://lnfz.cn/news/52672.html"),
    ("http://www.lnfz.cn:80/news/52672.html#top", "http://lnfz.cn/news/52672.html"),
    ("http://lnfz.cn/news/52672.html?utm_source=wx&from=timeline", "http://lnfz.cn/news/52672.html"),
    ("http://LNFZ.cn/news/52672.html;jsessionid=ABC123", "http://lnfz.cn/news/52672.html"),
    ("http://www.fzzx.org.cn/list/gazx/index.html", "http://fzzx.org.cn/list/gazx"),
    ("http://www.fzzx.org.cn/list/gazx/", "http://fzzx.org.cn/list/gazx"),
    ("http://fzzx.org.cn", "http://fzzx.org.cn/"),
    ("http://fzzx.org.cn/a?b=2&a=1", "http://fzzx.org.cn/a?a=1&b=2"),
]


@pytest.mark.parametrize("url,expected", SAME_PAGE)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_canonical_url_keeps_content_parameters_and_ports():
    assert canonical_url("http://x.cn/show.asp?id=12") == "http://x.cn/show.asp?id=12"
    assert canonical_url("http://x.cn:8080/a") == "http://x.cn:8080/a"
    assert canonical_url("http://x.cn/show.asp?id=12") != canonical_url("http://x.cn/show.asp?id=13")


def test_normalize_text_folds_width_spaces_and_punctuation():
    assert normalize_text("禁毒　工作，\n ２０２２年！") == "禁毒工作2022年"


def test_body_fingerprint_ignores_layout_but_not_words():
    a = body_fingerprint("第一段。\n第二段，有数字 12。")
    assert a == body_fingerprint("  第一段.  第二段, 有数字 １２ ")
    assert a != body_fingerprint("第一段。\n第二段，有数字 13。")
