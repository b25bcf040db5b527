"""Hostile input for the extractor: thousands of fuzzed cases, none may raise.

tests/test_extract_fuzz.py covers parse_page on bytes and mutated fixture pages; this
adds the date parser, the charset decoder, page headers and hostile page shapes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.parsing import parse_page
from crawler.parsing.dates import find_dates, first_date, jsonld_date, meta_date, parse_machine_date
from crawler.parsing.decode import decode_html

DATE_BITS = st.sampled_from(
    [
        "2024",
        "年",
        "月",
        "日",
        "-",
        "/",
        ".",
        ":",
        " ",
        "T",
        "+08:00",
        "Z",
        "12",
        "31",
        "99",
        "0",
        "发布时间：",
        "星期",
        "上午",
        "\u3000",
        "２０２４",
        "时",
        "分",
        "秒",
    ]
)
FAST = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


DATE_TEXT = st.one_of(st.text(max_size=200), st.lists(DATE_BITS, max_size=30).map("".join))


@pytest.mark.e2e
@FAST
@given(DATE_TEXT)
def test_date_finder_never_raises(text: str) -> None:
    result = first_date(text)
    assert result is None or isinstance(result, str)
    assert isinstance(find_dates(text), list)


@pytest.mark.e2e
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATE_TEXT)
def test_machine_date_parser_never_raises(text: str) -> None:
    """Values of <meta> and JSON-LD dates (dateparser behind them: slower, fewer cases)."""
    result = parse_machine_date(text)
    assert result is None or isinstance(result, str)


@pytest.mark.e2e
@settings(max_examples=500, deadline=None)
@given(
    st.dictionaries(st.text(max_size=30), st.text(max_size=60), max_size=5),
    st.lists(st.text(max_size=200), max_size=3),
)
def test_meta_and_jsonld_dates_never_raise(metas: dict[str, str], scripts: list[str]) -> None:
    meta_date(metas)
    jsonld_date(scripts + ['{"datePublished": ' + s[:20] + "}" for s in scripts])
    jsonld_date(["[" * 5000 + "]" * 5000, '{"@graph":' * 3000 + "1" + "}" * 3000])


@pytest.mark.e2e
@FAST
@given(
    st.binary(max_size=2048),
    st.sampled_from(
        [
            None,
            "text/html; charset=utf-8",
            "text/html; charset=gbk",
            "text/html; charset=big5",
            "text/html; charset=utf-16",
            "text/html; charset=\x00;;charset=",
            "charset=" + "x" * 300,
        ]
    ),
)
def test_decoder_never_raises(raw: bytes, ctype) -> None:
    text, codec = decode_html(raw, {"Content-Type": ctype} if ctype else None)
    assert isinstance(text, str) and codec


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=1024),
    st.dictionaries(
        st.sampled_from(["Content-Type", "content-type", "X", ""]), st.text(max_size=80), max_size=3
    ),
    st.text(max_size=60),
)
def test_parse_page_never_raises_whatever_url_and_headers(raw: bytes, headers, url: str) -> None:
    assert parse_page(url, raw, headers).kind in ("article", "list")


def test_hostile_page_shapes() -> None:
    """Deep nesting, huge attributes, entity floods and script-looking text are only text."""
    text = "正文内容，很长的一段话。" * 40
    pages = [
        b"<div>" * 10_000 + text.encode() + b"</div>" * 10_000,
        b"<table><tr><td>" * 10_000 + text.encode(),
        b"<b><i>" * 20_000,
        b'<div class="' + b"x" * 1_000_000 + b'">' + text.encode() + b"</div>",
        (
            b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><p>&b;&b;</p>'
        ),
        b"<p>" + b"&#x10FFFF;&#0;&#xD800;" * 10_000 + b"</p>",
        (
            f"<h1>标题</h1><p>{text}{{{{7*7}}}} ${{7*7}} <%= 7*7 %> "
            "__import__('os').system('id')</p>"
        ).encode(),
    ]
    for raw in pages:
        assert parse_page("http://example.cn/a.html", raw).kind in ("article", "list")
    article = parse_page("http://example.cn/a.html", pages[-1])
    assert "{{7*7}} ${7*7}" in article.body and "__import__('os').system('id')" in article.body
    assert "49" not in article.body
