"""The text of the test portals' articles: Chinese sentences, and pages that differ by key.

A fault site (fault_server) serves these article pages; the generated portal (portal_site)
writes its own layout around the same sentences.
"""

from __future__ import annotations

import random

SENTENCES = (
    "市人民法院今天召开新闻发布会，通报了近年来审理涉企案件的总体情况和典型案例。",
    "据介绍，法院坚持依法平等保护各类市场主体，不断优化法治化营商环境。",
    "在审理过程中，合议庭充分听取了双方当事人的意见，并依法组织了证据交换和质证。",
    "下一步，全市法院将持续深化诉源治理，推动矛盾纠纷多元化解机制建设走深走实。",
    "检察机关表示，将进一步加强法律监督，切实维护人民群众的合法权益和社会公平正义。",
)
# Legal words of generated article text (paragraphs, filler).
WORDS = (
    "法院",
    "检察院",
    "依法",
    "审理",
    "案件",
    "当事人",
    "调解",
    "执行",
    "普法",
    "宣传",
    "社区",
    "矫正",
    "律师",
    "仲裁",
    "公证",
    "合同",
    "纠纷",
    "赔偿",
    "判决",
    "上诉",
    "维持",
    "原判",
    "群众",
    "权益",
)


def filler(rng: random.Random, count: int = 30) -> str:
    """Return `count` words of WORDS, each followed by a random CJK character: text that no
    other generated page shares, so that no two pages look like near-duplicates."""
    return "".join(rng.choice(WORDS) + chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(count))


def paragraphs(key: str, count: int = 5) -> str:
    """Return `count` paragraphs of text that differ from key to key (no two pages
    near-duplicates)."""
    rng = random.Random(key)
    return "".join(
        "<p>"
        + "，".join("".join(rng.choice(WORDS) for _ in range(6)) for _ in range(5))
        + "。"
        + SENTENCES[i % len(SENTENCES)]
        + "</p>"
        for i in range(count)
    )


def title_of(key: str) -> str:
    """Return the title of the article page for `key`."""
    return f"{key}号报道：法院通报涉企案件审理情况"


def article_html(key: str, charset: str | None = "utf-8", extra: str = "") -> str:
    """Return an article page whose title names `key` (so a test can find its row)."""
    title = title_of(key)
    body = paragraphs(key)
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<html><head>{meta}<title>{title}</title></head><body>"
        f'<div id="top"><a href="/">法治时报首页</a></div>'
        f'<div class="art"><h1>{title}</h1><div class="info">发布时间：2024-05-06 09:30　'
        f'来源：法治日报　作者：张明</div><div class="text">{body}</div></div>{extra}'
        f'<div id="foot">法治时报 版权所有</div></body></html>'
    )
