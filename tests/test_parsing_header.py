"""Header and footer lines give 来源 / 作者 only when a label or a clear statement names them."""

from __future__ import annotations

import pytest

from crawler.parsing.header import byline_name, find_author, find_source, unlabelled_source


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("本文为示例观察网授权示例财经发布，转载请注明出处。", "示例观察网"),
        ("本文由某某网授权发布", "某某网"),
        ("本文系示例周刊原创", "示例周刊"),
        ("本文转载自微信公众号“城南法治”", "城南法治"),
        ("本文转自公众号：城南法治", "城南法治"),
        ("（本文来源：示例法治报 作者：某某）", "示例法治报"),
        ("本文为作者在某论坛上的发言。", None),
        ("本文系某基金项目（12AB34）的阶段性成果。", None),
        ("本文系作者原创", None),
    ],
)
def test_source_statements(text: str, source: str | None) -> None:
    assert find_source(text) == source


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("2024年03月05日 09:30 示例晚报作者：示例晚报", "示例晚报"),
        ("2024-05-09 22:30·示例社", "示例社"),
        ("2024-05-01 栏目：要闻", None),
        ("2024-05-01 作者：张三", None),
        ("作者：张三 2024-05-01", None),
    ],
)
def test_outlet_next_to_the_date(line: str, source: str | None) -> None:
    assert unlabelled_source(line) == source


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("（本文来源：示例法治报 作者：某某大学法学院副院长、教授陈思远）", "陈思远"),
        ("作者：示例研究院“数字经济”研究部主任、研究员林知远）", "林知远"),
        ("作者lawwatcher，为示例观察网特约专栏作者。", "lawwatcher"),
        ("（作者周明系某智库研究员）", "周明"),
        ("作者认为是这样", None),
        ("作者系某大学教授", None),
    ],
)
def test_author_notes(text: str, author: str | None) -> None:
    assert find_author(text) == author


@pytest.mark.parametrize(
    ("inner", "names"),
    [
        ("示例台记者 李明 赵雪", "李明、赵雪"),
        ("编译/林某", "林某"),
        ("示例日报评论员", None),
    ],
)
def test_trailing_byline_names(inner: str, names: str | None) -> None:
    assert byline_name(inner) == names


def test_meta_source_with_or_without_its_label() -> None:
    from crawler.parsing.header import meta_source

    assert meta_source({"source": "来源：人民网－人民日报"}) == "人民网－人民日报"
    assert meta_source({"mediaid": "新京报"}) == "新京报"
    assert meta_source({"source": "本站"}) is None
    assert meta_source({"source": "http://www.example.cn/"}) is None


def test_source_value_on_the_line_after_its_label_and_other_provenance_forms() -> None:
    assert find_source("来源：\n江城法治报\n2023-01-01") == "江城法治报"
    assert find_source("本文来自微信公众号：清风法苑，作者：某某") == "清风法苑"


def test_dateline_byline_after_xiaoxi() -> None:
    assert find_author("示例网消息（记者 王小明）：今天上午", lead=True) == "王小明"


def test_editor_before_a_proofreader_without_a_colon() -> None:
    from crawler.parsing.header import find_editor

    assert find_editor("编辑 张雨晴 校对 吴兴发") == "张雨晴"


def test_page_widgets_next_to_the_date_are_not_outlets() -> None:
    assert unlabelled_source("2022-06-21 10:30:15 微信微博手机看") is None
