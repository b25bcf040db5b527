"""An archive made by an older version is upgraded in place, its data kept and made searchable."""

from __future__ import annotations

import json
import sqlite3

import pytest

import crawler.archive.schema as schema
from crawler.archive.ingest import store_article
from crawler.archive.schema import SCHEMA_VERSION, open_archive, transaction
from crawler.items import Article
from crawler.reprints.neardup import band_keys, body_fingerprint
from crawler.search.fts import search
from tests.support.archive_helpers import archive_of_version


@pytest.mark.parametrize("version", [1, 2])
def test_older_archive_is_upgraded_in_place(tmp_path, monkeypatch, version):
    path = tmp_path / "old.db"
    archive_of_version(
        path, version, monkeypatch, title="全省法院工作会议", body="会议总结了禁毒工作。"
    )
    db = open_archive(path)
    applied = [row[0] for row in db.execute("SELECT version FROM _migrations ORDER BY version")]
    assert applied == list(range(1, SCHEMA_VERSION + 1))
    assert "captures" in db.table_names()
    assert {"capture_id", "story_reason"} <= {c.name for c in db["articles"].columns}
    assert "capture_id" in {c.name for c in db["failures"].columns}
    assert db.execute("SELECT title FROM articles").fetchall() == [("全省法院工作会议",)]
    assert db.execute("SELECT reason FROM failures").fetchall() == [("HTTP 404",)]
    assert [hit["title"] for hit in search(db, "法院")] == ["全省法院工作会议"]
    assert [hit["title"] for hit in search(db, "禁毒工作")] == ["全省法院工作会议"]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.conn.close()


def test_indexes_for_the_common_queries_exist(db):
    indexes = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {
        "idx_captures_url_run",
        "idx_articles_published",
        "idx_articles_capture",
        "idx_stories_published",
    } <= indexes


def test_a_failed_migration_leaves_the_archive_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    archive_of_version(path, 2, monkeypatch, title="全省法院工作会议", body="会议总结了禁毒工作。")

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk full")

    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS[:2], ("broken", broken)])
    with pytest.raises(schema.ArchiveError):
        open_archive(path)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT max(version) FROM _migrations").fetchone()[0] == 2
    assert "half_done" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()


def archive_with_one_article(path, version: int, monkeypatch, body: str, index) -> None:
    """Create an archive as migration `version` left it: story 1 holding article 1 with `body`;
    `index(db)` adds that article's near-duplicate rows in the layout of the time."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:version])
        db = open_archive(path)
        db.execute("INSERT INTO stories (id, title, copies) VALUES (1, '原稿', 1)")
        db.execute(
            "INSERT INTO articles "
            "(url, canonical_url, title, body, first_seen_at, fetched_at, story_id) "
            "VALUES ('http://a.cn/1', 'http://a.cn/1', '原稿', ?, 'x', 'x', 1)",
            [body],
        )
        index(db)
        db.conn.close()


def story_of_a_near_copy(db, body: str) -> int:
    """Store an edited copy of `body` under a new URL; return the story it joined."""
    with transaction(db):
        _, _, story = store_article(
            db, Article(url="http://b.cn/2", title="转载", body=body + "\n（编者按）")
        )
    return story


def test_near_duplicate_index_is_rebuilt_when_its_hashing_changes(tmp_path, monkeypatch):
    body = "\n".join(
        f"第{i}段，沈阳市公安局民警深入社区开展反诈宣传，提醒群众守好钱袋子。" for i in range(6)
    )
    path = tmp_path / "old.db"
    archive_with_one_article(
        path,
        3,
        monkeypatch,
        body,
        lambda db: db.execute(
            "INSERT INTO minhash (article_id, sig) VALUES (1, ?)", [b"\0" * 1024]
        ),
    )  # old layout
    db = open_archive(path)
    assert len(db.execute("SELECT sig FROM minhash WHERE article_id = 1").fetchone()[0]) == 126 * 4
    assert story_of_a_near_copy(db, body) == 1
    assert (
        db.execute("SELECT story_reason FROM articles WHERE id = 2")
        .fetchone()[0]
        .startswith("near_duplicate")
    )
    db.conn.close()


def test_band_keys_of_an_older_archive_are_recomputed_and_still_match(tmp_path, monkeypatch):
    body = "\n".join(
        f"第{i}段，大连市人民检察院依法提起公诉，被告人当庭认罪认罚。" for i in range(6)
    )
    hashes, sig = body_fingerprint(body)

    def index(db):  # 64-bit band keys, no lsh_pending
        db.execute(
            "INSERT INTO minhash (article_id, sig, shingles) VALUES (1, ?, ?)",
            [sig.tobytes(), len(hashes)],
        )
        db.conn.executemany(
            "INSERT INTO lsh (key, article_id) VALUES (?, 1)", [(2**40 + i,) for i in range(42)]
        )

    path = tmp_path / "old.db"
    archive_with_one_article(path, 6, monkeypatch, body, index)
    db = open_archive(path)
    assert sorted(k for (k,) in db.execute("SELECT key FROM lsh")) == sorted(band_keys(sig))
    assert story_of_a_near_copy(db, body) == 1
    db.conn.close()


def test_articles_pending_in_a_version_7_archive_stay_pending_and_are_found(tmp_path, monkeypatch):
    body = "\n".join(
        f"第{i}段，沈阳市中级人民法院公开宣判一起非法集资案，旁听群众八十余人。" for i in range(6)
    )
    hashes, sig = body_fingerprint(body)

    def index(db):  # lsh_pending with the keys as JSON
        db.execute(
            "INSERT INTO minhash (article_id, sig, shingles) VALUES (1, ?, ?)",
            [sig.tobytes(), len(hashes)],
        )
        db.execute(
            "INSERT INTO lsh_pending (article_id, keys) VALUES (1, ?)", [json.dumps(band_keys(sig))]
        )

    path = tmp_path / "v7.db"
    archive_with_one_article(path, 7, monkeypatch, body, index)
    db = open_archive(path)
    assert [c[1] for c in db.execute("PRAGMA table_info(lsh_pending)")] == ["article_id"]
    assert db.execute("SELECT article_id FROM lsh_pending").fetchall() == [(1,)]
    assert story_of_a_near_copy(db, body) == 1
    assert (
        db.execute("SELECT count(*) FROM lsh").fetchone()[0] == 0
    )  # both still pending, found in memory
    db.conn.close()


def test_a_new_archive_has_16k_pages_and_an_older_one_keeps_its_own(tmp_path, monkeypatch):
    assert open_archive(tmp_path / "new.db").execute("PRAGMA page_size").fetchone()[0] == 16384
    with monkeypatch.context() as patch:
        patch.setattr(schema, "PAGE_SIZE", 4096)
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:7])
        open_archive(tmp_path / "old.db").conn.close()
    db = open_archive(tmp_path / "old.db")
    assert db.execute("PRAGMA page_size").fetchone()[0] == 4096
    assert db.execute("SELECT max(version) FROM _migrations").fetchone()[0] == schema.SCHEMA_VERSION


def version_8_archive(path, monkeypatch, articles: list[tuple]) -> None:
    """Create an archive as version 8 left it, with `articles` rows (url, canonical_url[,
    original_url, original_canonical]) whose canonical URLs follow the rule of that time."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:8])
        db = open_archive(path)
    for n, (url, canonical, *original) in enumerate(articles, start=1):
        original_url, original_canonical = original or (None, None)
        db.execute(
            "INSERT INTO articles (url, canonical_url, original_url, original_canonical, "
            "title, body, first_seen_at, fetched_at) "
            "VALUES (?, ?, ?, ?, ?, '正文', 'x', 'x')",
            [url, canonical, original_url, original_canonical, f"第{n}篇"],
        )
    db.conn.close()


def canonicals(db) -> list[tuple]:
    return db.execute(
        "SELECT id, url, canonical_url, original_canonical FROM articles ORDER BY id"
    ).fetchall()


def test_canonical_urls_of_a_version_8_archive_are_recomputed_from_their_urls(
    tmp_path, monkeypatch
):
    path = tmp_path / "v8.db"
    version_8_archive(
        path,
        monkeypatch,
        [
            (
                "http://www.x.cn/show.php?sid=5&utm_source=wx",
                "http://x.cn/show.php",
                "http://y.cn/a.php?from=2&spm=1",
                "http://y.cn/a.php",
            ),
            ("http://x.cn/新闻/1.html", "http://x.cn/新闻/1.html"),
        ],
    )
    db = open_archive(path)
    assert canonicals(db) == [
        (
            1,
            "http://www.x.cn/show.php?sid=5&utm_source=wx",
            "http://x.cn/show.php?sid=5",
            "http://y.cn/a.php?from=2",
        ),
        (2, "http://x.cn/新闻/1.html", "http://x.cn/%E6%96%B0%E9%97%BB/1.html", None),
    ]
    with transaction(
        db
    ):  # the next article of the same script is a new page, the first one is found
        assert store_article(
            db, Article(url="http://x.cn/show.php?sid=6", title="第3篇", body="另一篇")
        )[:2] == (3, "new")
        assert (
            store_article(
                db, Article(url="http://x.cn/show.php?sid=5", title="第1篇", body="正文")
            )[0]
            == 1
        )
    db.conn.close()


def test_rows_that_collide_under_the_new_rule_are_all_kept(tmp_path, monkeypatch):
    path = tmp_path / "v8.db"
    version_8_archive(
        path,
        monkeypatch,
        [
            (
                "http://x.cn/新闻/1.html",
                "http://x.cn/新闻/1.html",
            ),  # 1: raw, wants the escaped form 2 holds
            (
                "http://x.cn/%E6%96%B0%E9%97%BB/1.html",
                "http://x.cn/%E6%96%B0%E9%97%BB/1.html",
            ),  # 2: keeps it
            (
                "http://x.cn/法.html",
                "http://x.cn/法.html",
            ),  # 3: raw, the oldest of two that want one URL
            (
                "http://x.cn/%e6%b3%95.html",
                "http://x.cn/%e6%b3%95.html",
            ),  # 4: lower-case escapes, the younger
            ("http://x.cn/c.html", "http://x.cn/c.html"),  # 5: already right
            (
                "http://www.x.cn/c.html",
                "http://x.cn/d.html",
            ),  # 6: wants 5's URL, and 7 wants its own
            ("http://x.cn/d.html", "http://x.cn/d.html?old"),  # 7
        ],
    )
    db = open_archive(path)
    assert [row[2] for row in canonicals(db)] == [
        "http://x.cn/新闻/1.html",
        "http://x.cn/%E6%96%B0%E9%97%BB/1.html",
        "http://x.cn/%E6%B3%95.html",
        "http://x.cn/%e6%b3%95.html",
        "http://x.cn/c.html",
        "http://x.cn/d.html#6",
        "http://x.cn/d.html",
    ]
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 7
    db.conn.close()
