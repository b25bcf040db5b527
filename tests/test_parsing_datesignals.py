"""Date signals beside the shown text: the URL, <time>, year-less shown dates and htmldate."""

from __future__ import annotations

import pytest
from lxml import html

from crawler.parsing.datesignals import (
    htmldate_fallback,
    script_date,
    time_element_date,
    url_date,
    yearless_date,
)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("http://news.example.cn/2019-09-24/detail-abc.shtml", "2019-09-24"),
        ("http://www.example.gov.cn/zwgk/202206/t20220621_123456.html", "2022-06-21"),
        ("http://www.example.com/a/20200911/001234.htm", "2020-09-11"),
        ("https://example.cn/news/2021/03/05/x.html", "2021-03-05"),
        ("https://example.cn/news/202103/05/x.html", "2021-03-05"),
    ],
)
def test_url_date_forms(url: str, day: str) -> None:
    assert url_date(url) == day


@pytest.mark.parametrize(
    "url",
    [
        "http://www.example.cn/news/52672.html",  # an id, not a date
        "http://www.example.cn/a/20221345.html",  # month 13
        "http://www.example.cn/a/120220621999.html",  # digits inside a longer number
        "http://www.example.cn/?d=2022-06-21",  # the query is not the path
        "",
    ],
)
def test_url_date_rejects_ids(url: str) -> None:
    assert url_date(url) is None


def test_yearless_date_takes_the_year_of_another_signal() -> None:
    assert (
        yearless_date("示例号 09-30 22:46 发布于河南", "2021-09-30T22:46:00+08:00")
        == "2021-09-30T22:46+08:00"
    )
    assert yearless_date("9月30日 08:05", "2021-09-30") == "2021-09-30T08:05+08:00"
    assert yearless_date("第3-4版", "2021-09-30") is None  # a month-day needs its time
    assert yearless_date("09-30 22:46", None) is None  # never today's year


def test_time_element_date() -> None:
    root = html.document_fromstring(
        '<p>发布于 <time datetime="2023-04-05T06:07:00+08:00">昨天</time></p>'
    )
    assert time_element_date(root) == "2023-04-05T06:07+08:00"
    assert time_element_date(html.document_fromstring("<p>无</p>")) is None


def test_htmldate_fallback_reads_dates_our_rules_miss() -> None:
    page = (
        '<html><head><meta name="citation_publication_date" content="2018/07/09"></head>'
        "<body><p>正文</p></body></html>"
    )
    assert htmldate_fallback(page) == "2018-07-09"
    assert htmldate_fallback("<html><body><p>没有日期</p></body></html>") is None


@pytest.mark.parametrize(
    ("script", "iso"),
    [
        ('var ct = "1655776800"; var publish_time = "2022-06-21" || "";', "2022-06-21T10:00+08:00"),
        ('window.DATA = {"publishTime":"2021-09-30 22:46:23"};', "2021-09-30T22:46:23+08:00"),
        ('var pubDate = "2020/03/04 05:06";', "2020-03-04T05:06+08:00"),
    ],
)
def test_script_date_reads_times_filled_in_by_javascript(script: str, iso: str) -> None:
    root = html.document_fromstring(
        f"<html><body><script>{script}</script><p>正文</p></body></html>"
    )
    assert script_date(root) == iso


def test_script_date_ignores_other_variables() -> None:
    root = html.document_fromstring(
        '<html><body><script>var ctx = "abc"; var act = "12345678901";</script></body></html>'
    )
    assert script_date(root) is None


def test_machine_date_at_the_precision_the_page_shows() -> None:
    from crawler.parsing.datesignals import as_displayed

    machine = "2021-04-07T16:20:00+08:00"
    assert as_displayed(machine, "生成日期：2021-04-07 索引号：000") == "2021-04-07"
    assert as_displayed(machine, "发布时间：2021年4月7日 16:20") == "2021-04-07T16:20+08:00"
    assert as_displayed(machine, "没有显示日期") == machine
    assert as_displayed(machine, "相关：2021-04-06") == machine
