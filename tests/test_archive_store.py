"""Writing articles: one row per page, history kept, stories and their originals."""

import pytest

from crawler.archive.ingest import assign_story, store_article
from crawler.archive.schema import SCHEMA_VERSION, open_archive, transaction
from crawler.archive.store import NEW, UNCHANGED, UPDATED, save_article
from crawler.items import Article
from crawler.reprints.stories import (
    BY_DATE,
    BY_LINK,
    BY_OUTLET,
    ONLY_COPY,
    refresh_story,
)

ORIGINAL = "http://www.lnfz.cn/news/52672.html"
REPRINT = "http://www.fzzx.org.cn/html/gazx/20220621/1001.html"
BODY = "省禁毒委部署新一轮禁毒大会战。\n全省公安机关破获毒品案件一百余起。"


def article(url, **fields):
    values = {"title": "禁毒大会战", "published": "2022-06-21", "body": BODY, "site": "x"}
    values.update(fields)
    return Article(url=url, **values)


def store(db, item):
    article_id, status = save_article(db, item)
    story_id = assign_story(db, article_id) if status != UNCHANGED else None
    return article_id, status, story_id


def story(db, story_id):
    return next(db.query("SELECT * FROM stories WHERE id = ?", [story_id]))


def test_schema_is_created_and_reopened_without_rerunning(tmp_path):
    path = tmp_path / "a.db"
    open_archive(path).conn.close()
    db = open_archive(path)
    assert db.execute("SELECT max(version) FROM _migrations").fetchone()[0] == SCHEMA_VERSION
    assert {"articles", "stories", "crawl_runs", "failures", "outlets"} <= set(db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_same_page_under_two_urls_is_one_row(db):
    first = store(db, article(ORIGINAL))
    second = store(db, article("https://lnfz.cn/news/52672.html?utm_source=weixin#p2"))
    assert first[0] == second[0] and second[1] == UNCHANGED
    assert db.execute("SELECT count(*), min(url) FROM articles").fetchone() == (1, ORIGINAL)


def test_changed_content_keeps_the_earlier_version(db):
    article_id, status, _ = store(db, article(ORIGINAL))
    assert status == NEW
    _, status, _ = store(db, article(ORIGINAL, body=BODY + "\n新增一段。"))
    assert status == UPDATED
    row = next(db.query("SELECT version, body FROM articles WHERE id = ?", [article_id]))
    assert row["version"] == 2 and row["body"].endswith("新增一段。")
    old = next(
        db.query("SELECT version, body FROM article_versions WHERE article_id = ?", [article_id])
    )
    assert old == {"version": 1, "body": BODY}


def test_reprint_after_original_links_by_original_url(db):
    orig_id, _, s1 = store(db, article(ORIGINAL, site="lnfz", source="辽宁长安网"))
    _, _, s2 = store(
        db,
        article(
            REPRINT,
            site="fzzx",
            source="辽宁长安网",
            original_url=ORIGINAL,
            body=BODY + "\n（本网编者按）",
        ),
    )
    assert s1 == s2
    row = story(db, s1)
    assert (row["copies"], row["original_article_id"], row["original_reason"]) == (
        2,
        orig_id,
        BY_LINK,
    )


def test_reprint_before_original_records_claim_then_links_up(db):
    _, _, s1 = store(db, article(REPRINT, original_url=ORIGINAL, body="转载正文。"))
    row = story(db, s1)
    assert row["original_article_id"] is None and row["claimed_original_url"] == ORIGINAL
    orig_id, _, s2 = store(db, article(ORIGINAL, body="原始正文，略有不同。"))
    assert s2 == s1
    assert story(db, s1)["original_article_id"] == orig_id


def test_outlet_named_in_source_decides_the_original(db):
    reprint_id, _, s1 = store(db, article(REPRINT, source="辽宁长安网", published="2022-06-20"))
    orig_id, _, s2 = store(db, article(ORIGINAL, source="辽宁长安网", published="2022-06-21"))
    assert s1 == s2
    row = story(db, s1)
    assert (row["original_article_id"], row["original_reason"]) == (orig_id, BY_OUTLET)
    assert reprint_id != orig_id


def test_earliest_published_when_no_other_evidence(db):
    store(db, article("http://a.example.cn/1.html", published="2022-06-22"))
    early_id, _, s = store(
        db, article("http://b.example.cn/2.html", published="2022-06-21T09:00+08:00")
    )
    row = story(db, s)
    assert (row["original_article_id"], row["original_reason"], row["published"]) == (
        early_id,
        BY_DATE,
        "2022-06-21T09:00+08:00",
    )


@pytest.mark.parametrize(
    ("url", "source", "original_url", "reason", "is_original"),
    [
        (
            "http://www.legaldaily.com.cn/a/1.html",
            "法治日报",
            None,
            BY_OUTLET,
            True,
        ),  # on its outlet's site
        ("http://www.lnfz.cn/news/1.html", "法治日报", None, ONLY_COPY, True),
        (
            "http://www.lnfz.cn/news/2.html",
            None,
            "http://www.legaldaily.com.cn/a/9.html",
            BY_LINK,
            False,
        ),
        (
            "http://www.lnfz.cn/news/3.html",
            None,
            "http://lnfz.cn/news/3.html",
            BY_LINK,
            True,
        ),  # names itself
    ],
)
def test_a_first_copy_gets_the_story_that_a_full_refresh_computes(
    db, url, source, original_url, reason, is_original
):
    with transaction(db):
        article_id, _, story_id = store_article(
            db,
            Article(
                url=url,
                site="x",
                title="标题",
                published="2022-03-01",
                source=source,
                original_url=original_url,
                body="正文" * 40,
            ),
        )
    columns = "title, published, original_article_id, original_reason, claimed_original_url, copies"
    opened = db.execute(f"SELECT {columns} FROM stories WHERE id = ?", [story_id]).fetchone()
    assert opened == (
        "标题",
        "2022-03-01",
        article_id if is_original else None,
        reason,
        original_url,
        1,
    )
    with transaction(db):
        refresh_story(db, story_id)
    assert (
        db.execute(f"SELECT {columns} FROM stories WHERE id = ?", [story_id]).fetchone() == opened
    )
