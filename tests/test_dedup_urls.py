"""Canonical URLs and body fingerprints."""

import pytest

from crawler.reprints.fingerprints import body_fingerprint, canonical_url, normalize_text

SAME_PAGE = [
    ("http://www.lnfz.cn/news/52672.html", "http://lnfz.cn/news/52672.html"),
    ("https://www.lnfz.cn/news/52672.html", "http://lnfz.cn/news/52672.html"),
    ("http://www.lnfz.cn:80/news/52672.html#top", "http://lnfz.cn/news/52672.html"),
    (
        "http://lnfz.cn/news/52672.html?utm_source=wx&spm=a2c4g.1.2",
        "http://lnfz.cn/news/52672.html",
    ),
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
    assert canonical_url("http://x.cn/show.asp?id=12") != canonical_url(
        "http://x.cn/show.asp?id=13"
    )


# Parameters that select the page on some CMS (show.php?sid=5, ?from=2024, list.asp?page=3...).
CONTENT_PARAMS = [
    "sid",
    "from",
    "ref",
    "_t",
    "scene",
    "share",
    "id",
    "aid",
    "page",
    "mid",
    "idx",
    "sn",
]
# Parameters that only say who sent the visitor or which session it was.
NOISE_PARAMS = [
    "utm_source",
    "utm_campaign",
    "UTM_Medium",
    "spm",
    "gclid",
    "fbclid",
    "msclkid",
    "yclid",
    "dclid",
    "share_token",
    "isappinstalled",
    "jsessionid",
    "PHPSESSID",
    "sessionid",
]


@pytest.mark.parametrize("name", CONTENT_PARAMS)
def test_parameters_that_select_content_make_two_pages(name):
    five = canonical_url(f"http://www.x.cn/show.php?{name}=5&utm_source=wx")
    assert five == f"http://x.cn/show.php?{name}=5"
    assert five != canonical_url(f"http://x.cn/show.php?{name}=6")


@pytest.mark.parametrize("name", NOISE_PARAMS)
def test_tracking_and_session_parameters_are_dropped(name):
    assert canonical_url(f"http://x.cn/show.php?sid=5&{name}=abc") == "http://x.cn/show.php?sid=5"


def test_session_id_in_the_path_is_dropped():
    assert (
        canonical_url("http://x.cn/a/show.jsp;jsessionid=0A1B?sid=5")
        == "http://x.cn/a/show.jsp?sid=5"
    )
    assert canonical_url("http://x.cn/a/;phpsessid=0A1B") == "http://x.cn/a"


def test_a_repeated_parameter_keeps_every_value():
    assert canonical_url("http://x.cn/a?tag=2&tag=1") == "http://x.cn/a?tag=1&tag=2"
    assert canonical_url("http://x.cn/a?tag=2&tag=1") != canonical_url("http://x.cn/a?tag=1")


def test_a_site_can_drop_more_parameters():
    url = "http://x.cn/show.php?from=timeline&Ref=wx&sid=5"
    assert canonical_url(url, drop={"from", "ref"}) == "http://x.cn/show.php?sid=5"
    assert canonical_url(url) == "http://x.cn/show.php?Ref=wx&from=timeline&sid=5"


RAW = "http://x.cn/新闻/法治 要闻.html?q=禁毒&t=a b"
ENCODED = "http://x.cn/%E6%96%B0%E9%97%BB/%e6%b3%95%e6%b2%bb%20%E8%A6%81%E9%97%BB.html?t=a+b&q=%E7%A6%81%E6%AF%92"


def test_chinese_in_raw_and_percent_encoded_links_is_one_page_in_utf8_escapes():
    expected = (
        "http://x.cn/%E6%96%B0%E9%97%BB/%E6%B3%95%E6%B2%BB%20%E8%A6%81%E9%97%BB.html"
        "?q=%E7%A6%81%E6%AF%92&t=a+b"
    )
    assert canonical_url(RAW) == canonical_url(ENCODED) == expected


def test_gbk_escapes_in_a_query_stay_apart():
    # 中 and 文 in GBK: not UTF-8, so they must not both decode to the replacement character.
    assert canonical_url("http://x.cn/s.asp?q=%D6%D0") == "http://x.cn/s.asp?q=%D6%D0"
    assert canonical_url("http://x.cn/s.asp?q=%D6%D0") != canonical_url(
        "http://x.cn/s.asp?q=%CE%C4"
    )


def test_a_chinese_host_and_its_punycode_are_one_host():
    assert canonical_url("http://www.法治.中国/a") == canonical_url("http://xn--wvw1b.xn--fiqs8s/a")


def test_escapes_of_plain_characters_are_decoded():
    assert (
        canonical_url("http://x.cn/a%5Fb%2Dc.html?utm%5Fsource=x&id=%31")
        == "http://x.cn/a_b-c.html?id=1"
    )


def test_normalize_text_folds_width_spaces_and_punctuation():
    assert normalize_text("禁毒　工作，\n ２０２２年！") == "禁毒工作2022年"


def test_body_fingerprint_ignores_layout_but_not_words():
    a = body_fingerprint("第一段。\n第二段，有数字 12。")
    assert a == body_fingerprint("  第一段.  第二段, 有数字 １２ ")
    assert a != body_fingerprint("第一段。\n第二段，有数字 13。")
