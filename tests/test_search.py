"""Chinese full-text search: terms of one to four characters, filters, ranking, index in sync."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crawler.archive.ingest import store_article
from crawler.archive.schema import transaction
from crawler.cli import main
from crawler.items import Article
from crawler.search.fts import BOUNDARY, Filters, fts_query, search, segment

ARTICLES = [
    (
        "http://www.lnfz.cn/news/1.html",
        "lnfz",
        "2022-06-21",
        "全省禁毒工作会议召开",
        "省禁毒委部署禁毒工作。\n各地公安机关破获毒品案件一百余起。",
    ),
    (
        "http://www.fzzx.org.cn/html/a/20220701/2.html",
        "fzzx",
        "2022-07-01",
        "人民法院公开审理一起诈骗案",
        "沈阳市中级人民法院开庭审理电信诈骗案。\nThe court heard 3 defendants.",
    ),
    (
        "http://www.fzzx.org.cn/html/a/20230105/3.html",
        "fzzx",
        "2023-01-05",
        "社区普法活动",
        "民警走进社区讲解法律知识，提醒居民防范诈骗。法院法官现场答疑。",
    ),
]


@pytest.fixture
def archive(db):
    with transaction(db):
        for url, site, published, title, body in ARTICLES:
            store_article(
                db, Article(url=url, site=site, published=published, title=title, body=body)
            )
    return db


def titles(results):
    return [r["title"] for r in results]


def test_segment_turns_text_into_characters_with_one_token_per_gap():
    # the tokens are what the index sees (spacing between them does not matter)
    gap = chr(BOUNDARY)
    assert segment("人民法院 Court").split() == [
        "人",
        "民",
        "法",
        "院",
        gap,
        "c",
        "o",
        "u",
        "r",
        "t",
    ]
    assert segment("１２人").split() == ["1", "2", "人"]  # NFKC: full-width digits fold
    assert segment("禁毒。\n“各地”").split() == [
        "禁",
        "毒",
        gap,
        "各",
        "地",
        gap,
    ]  # a run of marks: one token


def test_query_terms_become_phrases_of_characters():
    assert fts_query("法院") == '"法 院"'
    assert fts_query("禁毒工作") == '"禁 毒 工 作"'
    assert fts_query("法") == '"法"'
    assert fts_query("法院 Court") == '"法 院" AND "c o u r t"'
    assert fts_query("，。!") is None


@pytest.mark.parametrize(
    "term, expected",
    [
        ("法院", {"人民法院公开审理一起诈骗案", "社区普法活动"}),
        ("禁毒", {"全省禁毒工作会议召开"}),
        ("诈骗", {"人民法院公开审理一起诈骗案", "社区普法活动"}),
        ("禁毒工作", {"全省禁毒工作会议召开"}),
        ("人民法院", {"人民法院公开审理一起诈骗案"}),
        ("电信诈骗", {"人民法院公开审理一起诈骗案"}),
        ("检察院", set()),
        ("毒", {"全省禁毒工作会议召开"}),
        ("COURT", {"人民法院公开审理一起诈骗案"}),
    ],
)
def test_terms_of_every_length_find_exactly_the_articles_containing_them(archive, term, expected):
    assert set(titles(search(archive, term))) == expected


def test_a_term_split_across_a_punctuation_mark_does_not_match(archive):
    assert search(archive, "工作各地") == []  # 禁毒工作。\n各地: not adjacent in the text


def test_title_matches_rank_first_and_results_carry_a_snippet(archive):
    results = search(archive, "法院")
    assert results[0]["title"] == "人民法院公开审理一起诈骗案"
    assert "【法院】" in results[0]["snippet"]


def test_title_matches_come_before_body_matches_even_when_the_body_says_it_more(db):
    body_heavy = Article(
        url="http://www.lnfz.cn/news/10.html",
        site="lnfz",
        title="执行工作会议",
        body="禁毒禁毒禁毒。" * 20,
    )
    in_title = Article(
        url="http://www.lnfz.cn/news/11.html",
        site="lnfz",
        title="禁毒宣传月启动",
        body="宣传活动在全市展开，覆盖学校和社区。",
    )
    with transaction(db):
        store_article(db, body_heavy)
        store_article(db, in_title)
    assert titles(search(db, "禁毒")) == ["禁毒宣传月启动", "执行工作会议"]
    assert titles(search(db, "禁毒", limit=1)) == ["禁毒宣传月启动"]


def test_among_title_matches_bm25_orders_them(db):
    # one occurrence each: bm25 favours the shorter title (other articles make the term's idf
    # positive)
    titles_ = ["市中级法院召开执行工作推进会暨年度工作总结表彰大会", "法院开放日"] + [
        f"第{n}期普法讲座" for n in range(6)
    ]
    with transaction(db):
        for n, title in enumerate(titles_):
            store_article(
                db,
                Article(
                    url=f"http://www.lnfz.cn/news/{20 + n}.html",
                    site="lnfz",
                    title=title,
                    body=f"全市干警{n}人参加活动并交流工作经验。",
                ),
            )
    results = search(db, "法院")
    assert titles(results) == ["法院开放日", "市中级法院召开执行工作推进会暨年度工作总结表彰大会"]
    assert results[0]["score"] > results[1]["score"]


def test_filters_by_site_and_published_dates(archive):
    assert titles(search(archive, "诈骗", Filters(site="fzzx", since="2023-01-01"))) == [
        "社区普法活动"
    ]
    assert titles(search(archive, "诈骗", Filters(until="2022-12-31"))) == [
        "人民法院公开审理一起诈骗案"
    ]
    assert search(archive, "诈骗", Filters(site="lnfz")) == []


def test_index_follows_a_changed_page(archive):
    url, site, published, title, _ = ARTICLES[0]
    with transaction(archive):
        _, status, _ = store_article(
            archive,
            Article(
                url=url, site=site, published=published, title=title, body="戒毒所开放日活动举行。"
            ),
        )
    assert status == "updated"
    assert search(archive, "破获") == []
    assert titles(search(archive, "戒毒所")) == [title]


def test_search_command_prints_json_lines_and_exits_1_without_match(archive, tmp_path):
    path = str(tmp_path / "archive.db")
    result = CliRunner().invoke(main, ["search", "禁毒", "--db", path, "--json"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert [h["title"] for h in hits] == ["全省禁毒工作会议召开"]
    assert CliRunner().invoke(main, ["search", "检察院", "--db", path]).exit_code == 1
