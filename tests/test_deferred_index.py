"""Index writes deferred to the commit: seen inside the transaction, written at COMMIT, gone on ROLLBACK."""

from __future__ import annotations

import pytest

from crawler.archive.ingest import store_article
from crawler.archive.schema import transaction
from crawler.archive.search import search
from crawler.archive.stories import NEAR
from crawler.items import Article
from tests.test_reprints import STORY, body


def article(n: int, text: str) -> Article:
    return Article(url=f"http://www.lnfz.cn/news/{n}.html", site="lnfz", title=f"反诈劝阻{n}", body=text)


def counts(db) -> tuple[int, int, int]:
    """Rows in lsh, minhash and matches of the search index for a word of STORY."""
    lsh = db.execute("SELECT count(*) FROM lsh").fetchone()[0]
    minhash = db.execute("SELECT count(*) FROM minhash").fetchone()[0]
    return lsh, minhash, len(search(db, "验证码"))


def test_a_near_duplicate_in_the_same_transaction_finds_the_first_before_anything_is_written(db):
    with transaction(db):
        _, _, first = store_article(db, article(1, body(*STORY)))
        assert db.execute("SELECT count(*) FROM lsh").fetchone()[0] == 0  # still queued
        second_id, _, second = store_article(db, article(2, body(*STORY[:3], *STORY[4:])))
    assert first == second
    assert db.execute("SELECT story_reason FROM articles WHERE id = ?", [second_id]).fetchone()[0].startswith(NEAR)
    lsh, minhash, hits = counts(db)
    assert (minhash, hits) == (2, 2)
    assert lsh == 2 * 42  # every band key of both, written at commit


def test_a_rolled_back_transaction_leaves_no_index_rows(db):
    with pytest.raises(RuntimeError), transaction(db):
        store_article(db, article(1, body(*STORY)))
        raise RuntimeError("the batch failed")
    assert counts(db) == (0, 0, 0)
    with transaction(db):  # and the next transaction starts clean
        store_article(db, article(2, body(*STORY)))
    assert counts(db) == (42, 1, 1)


def test_without_a_transaction_each_store_is_indexed_at_once(db):
    store_article(db, article(1, body(*STORY)))
    assert counts(db) == (42, 1, 1)
    _, _, story = store_article(db, article(2, body(*STORY[:3], *STORY[4:])))
    assert story == db.execute("SELECT story_id FROM articles WHERE id = 1").fetchone()[0]


def test_a_changed_page_is_reindexed_in_the_same_transaction(db):
    with transaction(db):
        store_article(db, article(1, body(*STORY)))
        store_article(db, article(1, "戒毒所开放日活动举行，市民参观戒毒康复场所，了解禁毒知识和戒毒流程。"
                                        "工作人员现场讲解毒品危害，并发放宣传资料五百余份。"))
    assert search(db, "验证码") == []
    assert [r["title"] for r in search(db, "戒毒所")] == ["反诈劝阻1"]
    assert db.execute("SELECT count(*) FROM lsh").fetchone()[0] == 42  # the new body's keys only
    assert db.execute("SELECT count(*) FROM minhash").fetchone()[0] == 1
