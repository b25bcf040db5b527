"""The date locator finds every common Chinese date form and returns Beijing-time ISO 8601."""

from __future__ import annotations

import pytest

from crawler.parsing.dates import first_date, jsonld_date, meta_date, parse_machine_date


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("发布时间:2022-06-21 来源: 辽宁长安网", "2022-06-21"),
        ("2022年06月21日 10:30 来源：某报", "2022-06-21T10:30+08:00"),
        ("2022年6月21日10:30", "2022-06-21T10:30+08:00"),
        ("时间：2022/6/21 08:00:01", "2022-06-21T08:00:01+08:00"),
        ("日期：2022.06.21", "2022-06-21"),
        ("2022年06月21日 10时30分", "2022-06-21T10:30+08:00"),
        ("2022年6月21日 10时30分15秒", "2022-06-21T10:30:15+08:00"),
        ("2024 05/09 22:27:02", "2024-05-09T22:27:02+08:00"),
        ("来源：人民日报2024-05-13 08:49", "2024-05-13T08:49+08:00"),
        ("更新时间 2012年12月10日, 格林尼治标准时间10:41", "2012-12-10T18:41+08:00"),
        ("2012年12月10日 格林尼治标准时间20:30", "2012-12-11T04:30+08:00"),
        ("2023年3月8日 下午3:05", "2023-03-08T15:05+08:00"),
        ("2022-06-21T10:30:00Z", "2022-06-21T18:30:00+08:00"),
    ],
)
def test_first_date_forms(text: str, iso: str) -> None:
    assert first_date(text) == iso


@pytest.mark.parametrize("text", ["电话 010-64098588", "第2022期", "2022-13-45", "1899-01-01", ""])
def test_first_date_rejects_non_dates(text: str) -> None:
    assert first_date(text) is None


def test_meta_date_prefers_published_time() -> None:
    metas = {"article:modified_time": "2021-01-02", "pubdate": "2021-01-01 09:00:00"}
    assert meta_date(metas) == "2021-01-01T09:00+08:00"


def test_jsonld_date_nested_graph() -> None:
    doc = (
        '{"@graph": [{"@type": "WebPage"}, '
        '{"@type": "NewsArticle", "datePublished": "2020-05-06T07:08:09+08:00"}]}'
    )
    assert jsonld_date(["not json", doc]) == "2020-05-06T07:08:09+08:00"


def test_machine_date_unix_and_rfc() -> None:
    assert parse_machine_date("1700000000") == "2023-11-15T06:13:20+08:00"
    assert parse_machine_date("Mon, 13 May 2024 01:02:03 GMT") == "2024-05-13T09:02:03+08:00"


def test_machine_dates_keep_seconds_only_when_they_are_not_zero() -> None:
    """A value's :00 seconds are its format, not a precision the page shows (scored alike either
    way)."""
    assert parse_machine_date("2020-10-12T08:15:00+08:00") == "2020-10-12T08:15+08:00"
    assert parse_machine_date("2024-05-10T05:54:20+08:00") == "2024-05-10T05:54:20+08:00"


def test_ctime_dates_of_bbs_and_mail_headers() -> None:
    assert (
        first_date("发信站: 示例站 (Tue Mar 16 21:03:11 2004), 站内信件")
        == "2004-03-16T21:03:11+08:00"
    )
    assert first_date("Feb 30 is not a date: Mon Feb 30 10:00:00 2004") is None
