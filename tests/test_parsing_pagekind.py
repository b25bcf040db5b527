"""Article or list is decided by the page's structure: short articles stay articles, rolls stay
lists."""

from __future__ import annotations

from crawler.parsing import parse_page

ROWS = "".join(
    f'<li><a href="/n/{i}.html">本市政法工作动态第{i}条消息标题</a>'
    f"<span>2023-05-{i + 10}</span></li>"
    for i in range(12)
)
PARAGRAPH = (
    "区人民法院昨日公开开庭审理一起民间借贷纠纷案件，原告称被告借款后逾期未还，双方当庭举证质证。"
)


def page(body: str) -> bytes:
    return (
        f'<html><head><meta charset="utf-8"><title>示例</title></head><body>{body}</body></html>'
    ).encode()


def test_column_blurb_over_a_roll_of_dated_links_is_a_list() -> None:
    blurb = (
        "<h2>法治动态</h2><p>本栏目发布本市政法单位的工作动态，"
        "介绍基层调解和普法宣传的经验做法，欢迎读者关注和投稿。</p>"
    )
    assert (
        parse_page("http://www.example.cn/fzdt/", page(blurb + f"<ul>{ROWS}</ul>")).kind == "list"
    )


def test_short_article_beside_a_dated_sidebar_stays_an_article() -> None:
    article = f"<h1>区法院审理一起民间借贷纠纷</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH[:30]}。</p>"
    got = parse_page(
        "http://www.example.cn/a/1.html", page(article + f'<div class="side"><ul>{ROWS}</ul></div>')
    )
    assert got.kind == "article" and got.title == "区法院审理一起民间借贷纠纷"


def test_one_paragraph_headed_document_without_a_date_is_an_article() -> None:
    doc = (
        '<p align="center"><strong>某某市人大常委会<br>关于加强调解工作的决定</strong></p>'
        f"<p>{PARAGRAPH * 3}</p>"
    )
    got = parse_page("http://www.example.gov.cn/a/2.html", page(doc))
    assert got.kind == "article" and got.title == "某某市人大常委会关于加强调解工作的决定"
    assert got.published is None
