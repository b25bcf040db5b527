"""Index writes deferred to the commit, and LSH band keys pending in memory before they move to
`lsh`: seen inside the transaction, written at COMMIT, gone on ROLLBACK, seen by other
connections."""

from __future__ import annotations

import numpy as np
import pytest

from crawler.archive.ingest import store_article
from crawler.archive.schema import open_archive, transaction
from crawler.items import Article
from crawler.reprints.lshmemory import LshMemory, merge_when_full
from crawler.reprints.stories import NEAR
from crawler.search.fts import search
from tests.test_reprints import STORY, body

# A second story, about another event, that shares no sentence with STORY.
OTHER_STORY = (
    "戒毒所开放日活动举行，市民参观戒毒康复场所，了解禁毒知识和戒毒流程。"
    "工作人员现场讲解毒品危害，并发放宣传资料五百余份。"
)


def article(n: int, text: str) -> Article:
    return Article(
        url=f"http://www.lnfz.cn/news/{n}.html", site="lnfz", title=f"反诈劝阻{n}", body=text
    )


def counts(db) -> tuple[int, int, int, int]:
    """Rows in lsh, lsh_pending, minhash and matches of the search index for a word of STORY."""
    lsh, waiting, minhash = (
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("lsh", "lsh_pending", "minhash")
    )
    return lsh, waiting, minhash, len(search(db, "验证码"))


def story_of(db, article_id: int) -> tuple[int, str]:
    return tuple(
        db.execute(
            "SELECT story_id, story_reason FROM articles WHERE id = ?", [article_id]
        ).fetchone()
    )


def test_a_near_duplicate_in_the_same_transaction_finds_the_first_before_anything_is_written(db):
    with transaction(db):
        _, _, first = store_article(db, article(1, body(*STORY)))
        assert search(db, "验证码") == []  # search terms still queued
        second_id, _, second = store_article(db, article(2, body(*STORY[:3], *STORY[4:])))
    assert first == second
    assert story_of(db, second_id)[1].startswith(NEAR)
    assert counts(db) == (0, 2, 2, 2)  # both pending: band keys in memory, not in `lsh` yet


def test_a_rolled_back_transaction_leaves_no_index_rows(db):
    with pytest.raises(RuntimeError), transaction(db):
        store_article(db, article(1, body(*STORY)))
        raise RuntimeError("the batch failed")
    assert counts(db) == (0, 0, 0, 0)
    with transaction(db):  # and the next transaction starts clean: no band keys of the lost article
        second_id, _, story = store_article(db, article(2, body(*STORY)))
    assert counts(db) == (0, 1, 1, 1)
    assert story_of(db, second_id) == (story, "new_story")


def test_without_a_transaction_each_store_is_indexed_at_once(db):
    store_article(db, article(1, body(*STORY)))
    assert counts(db) == (0, 1, 1, 1)
    _, _, story = store_article(db, article(2, body(*STORY[:3], *STORY[4:])))
    assert story == db.execute("SELECT story_id FROM articles WHERE id = 1").fetchone()[0]


def test_pending_band_keys_move_to_lsh_at_a_commit_and_are_still_found_there(db):
    with transaction(db):
        store_article(db, article(1, body(*STORY)))
        store_article(db, article(2, OTHER_STORY))
        assert merge_when_full(db, limit=3) == 0  # not full yet
        assert merge_when_full(db, limit=2) == 2
    assert counts(db)[:3] == (2 * 42, 0, 2)
    third_id, _, story = store_article(db, article(3, body(*STORY[:3], *STORY[4:])))
    assert story == story_of(db, 1)[0] and story_of(db, third_id)[1].startswith(NEAR)


def test_an_article_another_connection_stored_is_found_as_a_near_duplicate(db, tmp_path):
    store_article(db, article(1, OTHER_STORY))  # loads this connection's map
    other = open_archive(tmp_path / "archive.db")
    try:
        with transaction(other):
            store_article(other, article(2, body(*STORY)))
    finally:
        other.conn.close()
    third_id, _, story = store_article(db, article(3, body(*STORY[:3], *STORY[4:])))
    assert story == story_of(db, 2)[0] and story_of(db, third_id)[1].startswith(NEAR)


def test_a_changed_page_is_reindexed_in_the_same_transaction(db):
    with transaction(db):
        store_article(db, article(1, body(*STORY)))
        store_article(db, article(1, OTHER_STORY))
    assert search(db, "验证码") == []
    assert [r["title"] for r in search(db, "戒毒所")] == ["反诈劝阻1"]
    assert counts(db)[:3] == (0, 1, 1)  # the new body's signature only
    new_body = store_article(
        db,
        article(
            2,
            "戒毒所开放日活动举行，市民参观戒毒康复场所，了解禁毒知识和戒毒流程。"
            "工作人员现场讲解毒品危害，并发放宣传资料五百余份。（本文有删节）",
        ),
    )
    assert new_body[2] == story_of(db, 1)[0]  # matched by the new body, not the old one


def test_the_pending_map_keeps_keys_shared_by_several_articles_apart():
    state = LshMemory(data_version=0)
    state.add(1, [10, 11, 12])
    state.add(2, [10, 20, 20])  # a key shared with article 1, and one twice in its own bands
    state.add(3, [10, 30])
    assert state.sharing([10, 11, 20, 99]) == {1: 2, 2: 2, 3: 1}
    state.drop(2)
    assert state.sharing([10, 20]) == {1: 1, 3: 1}
    state.drop(1)
    assert state.keys == {10: 3, 30: 3}


def test_lsh_is_probed_only_for_the_keys_it_holds():
    state = LshMemory(data_version=0, stored=np.array([-5, 3, 9], dtype=np.int32))
    assert state.in_lsh([9, 4, -5, 100, -(2**31)]) == [9, -5]
    assert LshMemory(data_version=0).in_lsh([1, 2]) == []


def test_the_key_filter_grows_with_lsh_and_never_loses_a_key():
    state = LshMemory(data_version=0)
    rng = np.random.default_rng(7)
    batches = [np.unique(rng.integers(-(2**31), 2**31, 5000).astype(np.int32)) for _ in range(4)]
    for keys in batches:
        state.store(keys)
    every = np.concatenate(batches)
    assert np.array_equal(state.stored, np.unique(every))
    assert len(state.stored) <= state.filter.capacity
    assert sorted(state.in_lsh(every.tolist())) == sorted(every.tolist())
    others = np.setdiff1d(rng.integers(-(2**31), 2**31, 20000).astype(np.int32), every)
    assert len(state.in_lsh(others.tolist())) < 0.01 * len(others)  # false positives: rare


def test_a_changed_page_whose_keys_were_merged_leaves_lsh_and_is_pending_again(db):
    with transaction(db):
        store_article(db, article(1, body(*STORY)))
        assert merge_when_full(db, limit=1) == 1
    assert counts(db)[:3] == (42, 0, 1)
    with transaction(db):
        store_article(db, article(1, OTHER_STORY))
    assert counts(db)[:3] == (0, 1, 1)  # the old body's keys are gone from `lsh`, the new ones wait


def test_a_connection_that_indexes_nothing_never_loads_the_index_memory(db):
    with transaction(db):
        db.execute("INSERT INTO crawl_runs (started_at) VALUES ('2022-06-21T00:00:00+00:00')")
    assert getattr(db, "_legalnews_lsh", None) is None  # its commit did not read `lsh_present`
