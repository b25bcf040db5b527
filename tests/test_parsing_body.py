"""Header lines are told from sentences that merely mention a date."""

from __future__ import annotations

import pytest

from crawler.parsing.lines import is_header_line


@pytest.mark.parametrize(
    "text",
    [
        "2022-02-13 07:00:00来源：央广网",
        "发布时间：2023年5月18日 来源：某某区人民法院",
        "2021-03-05 08:12 作者 孙立新",
        "2004-12-10 阅读10544次",
    ],
)
def test_header_lines(text: str) -> None:
    assert is_header_line(text)


@pytest.mark.parametrize(
    "text",
    [
        (
            "示例台北京2月13日消息 据报道，有关部门日前发布《某某工作规定》，"
            "自2022年2月10日起施行，对相关工作作出全面规范。"
        ),
        "2023年4月起，区法院对全部执行案件实行节点管理，办案时间平均缩短了二十天，当事人满意度明显上升。",
    ],
)
def test_sentences_with_dates_are_not_header_lines(text: str) -> None:
    assert not is_header_line(text)


def test_separator_lines_and_a_disclaimer_tail_are_not_body() -> None:
    from crawler.parsing import parse_page

    para = (
        "区人民法院昨日公开开庭审理一起民间借贷纠纷案件，"
        "原告称被告借款后逾期未还，双方当庭举证质证。"
    )
    page = (
        f"<html><body><h1>区法院审理一起民间借贷纠纷</h1><p>{para}</p><p>·</p><p>|</p><p>{para}</p>"
        "<p>【推荐</p><p>】</p><p>【关闭】</p><p>示例网版权与免责声明：</p><p>凡本网注明来源的作品，版权归本网所有。</p>"
        "</body></html>"
    ).encode()
    assert parse_page("http://www.example.cn/a/1.html", page).body == f"{para}\n{para}"


def _page(body: str) -> bytes:
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>".encode()


def test_a_notice_keeps_its_signature_and_takes_its_date() -> None:
    from crawler.parsing import parse_page

    para = (
        "5月3日22时许，辖区某烧烤店门前发生一起纠纷，民警接警后迅速到场处置，现场秩序已恢复正常。"
    )
    page = _page(
        f"<h1>警情通报</h1><p>{para}</p><p>{para}</p>"
        "<p style='text-align:right'>示例市公安局示例分局</p>"
        "<p style='text-align:right'>2023年5月4日</p><div class='share'>分享到：微信</div>"
    )
    got = parse_page("http://www.example.gov.cn/jqtb/1.html", page)
    assert got.body.splitlines()[-2:] == ["示例市公安局示例分局", "2023年5月4日"]
    assert got.published == "2023-05-04"


def test_replies_under_a_post_are_not_its_body() -> None:
    from crawler.parsing import parse_page

    post = (
        "我们小区的车位原来只租不售，最近开发商突然要求业主高价购买，"
        "否则不再续租，想请大家帮忙分析一下应该怎么办。"
    )
    page = _page(
        "<h1>车位只租不售变成高价出售怎么办</h1><div>楼主：清风 | 发表于 2012-3-5 09:12</div>"
        f"<p>{post}</p>"
        "<div>发表于 2012-3-5 09:40</div><p>同问，我们小区也是这样。</p>"
        "<div>发表于 2012-3-5 10:05</div><p>建议先到房管部门查一下车位的产权登记情况。</p>"
    )
    got = parse_page("http://bbs.example.cn/thread-1.html", page)
    assert got.body == post and got.author == "清风" and got.published == "2012-03-05T09:12+08:00"


def test_signed_dates_in_chinese_numerals() -> None:
    from crawler.parsing.dates import first_date
    from crawler.parsing.signature import arabic_date

    assert first_date(arabic_date("二〇二一年三月十二日")) == "2021-03-12"
    assert first_date(arabic_date("二〇一九年十二月三十一日")) == "2019-12-31"
    assert first_date(arabic_date("二〇二〇年十月十日")) == "2020-10-10"


def test_a_notice_dated_only_under_its_signature_in_chinese_numerals() -> None:
    from crawler.parsing import parse_page

    para = (
        "本院受理原告某某诉被告某某民间借贷纠纷一案，因你下落不明，依法向你公告送达起诉状副本及开庭传票。"
        "自公告之日起经过三十日即视为送达，提出答辩状的期限为公告期满后十五日内。"
    )
    page = _page(
        f"<h2>示例市示例区人民法院公告</h2><p>张某：</p><p>{para}</p>"
        "<p align='right'>示例市示例区人民法院</p><p align='right'>二〇二一年三月十二日</p>"
    )
    got = parse_page("http://www.example-court.cn/gg/1.html", page)
    assert got.published == "2021-03-12"
    assert got.body.splitlines()[-1] == "二〇二一年三月十二日"


def test_a_data_table_row_is_one_line_and_a_layout_table_is_not_merged() -> None:
    from crawler.parsing import parse_page

    para = (
        "为保障节日期间道路交通安全，决定对下列路段实施临时交通管制，"
        "请过往车辆和行人提前规划出行路线。"
    )
    table = (
        "<table><tr><th>序号</th><th>管制路段</th><th>管制时间</th></tr>"
        "<tr><td>1</td><td>滨河路（人民桥至沿江大道）</td><td>每日9:00至22:00</td></tr></table>"
    )
    layout = (
        "<table><tr><td><a href='/'>首页</a></td><td><h1>示例市公安局交通管制通告</h1>"
        f"<p>{para}</p>{table}<p>{para}</p></td></tr></table>"
    )
    got = parse_page("http://www.example.gov.cn/tg/1.html", _page(layout))
    assert got.title == "示例市公安局交通管制通告"
    assert got.body.splitlines() == [
        para,
        "序号 管制路段 管制时间",
        "1 滨河路（人民桥至沿江大道） 每日9:00至22:00",
        para,
    ]
