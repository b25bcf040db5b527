"""Header lines are told from sentences that merely mention a date."""

from __future__ import annotations

import pytest

from crawler.parsing.body import is_header_line


@pytest.mark.parametrize("text", [
    "2022-02-13 07:00:00来源：央广网",
    "发布时间：2023年5月18日 来源：某某区人民法院",
    "2021-03-05 08:12 作者 孙立新",
    "2004-12-10 阅读10544次",
])
def test_header_lines(text: str) -> None:
    assert is_header_line(text)


@pytest.mark.parametrize("text", [
    "示例台北京2月13日消息 据报道，有关部门日前发布《某某工作规定》，自2022年2月10日起施行，对相关工作作出全面规范。",
    "2023年4月起，区法院对全部执行案件实行节点管理，办案时间平均缩短了二十天，当事人满意度明显上升。",
])
def test_sentences_with_dates_are_not_header_lines(text: str) -> None:
    assert not is_header_line(text)


def test_separator_lines_and_a_disclaimer_tail_are_not_body() -> None:
    from crawler.parsing import parse_page
    para = "区人民法院昨日公开开庭审理一起民间借贷纠纷案件，原告称被告借款后逾期未还，双方当庭举证质证。"
    page = (f"<html><body><h1>区法院审理一起民间借贷纠纷</h1><p>{para}</p><p>·</p><p>|</p><p>{para}</p>"
            "<p>【推荐</p><p>】</p><p>【关闭】</p><p>示例网版权与免责声明：</p><p>凡本网注明来源的作品，版权归本网所有。</p>"
            "</body></html>").encode()
    assert parse_page("http://www.example.cn/a/1.html", page).body == f"{para}\n{para}"
