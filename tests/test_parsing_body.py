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
