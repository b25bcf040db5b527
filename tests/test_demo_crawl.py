"""End to end: `legalnews demo` crawls the bundled portals with the real spiders into SQLite."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess

import pytest

from crawler.demo.content import expected_articles
from tests.support.process_helpers import run_cli

pytestmark = pytest.mark.e2e

SEED_TITLE = "“五大战场”铲毒斩网 ——我省构建共建共治禁毒工作新格局"
SEED_ORIGINAL = "http://www.lnfz.cn/news/52672.html"
NOT_BODY = [
    "当前所在",
    "发布时间",
    "原文链接",
    "免责声明",
    "版权所有",
    "上一篇",
    "分享到",
    "责任编辑",
]


def run_demo(db_path) -> subprocess.CompletedProcess:
    return run_cli("demo", "--db", str(db_path), timeout=120)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "archive.db"
    first = run_demo(path)
    assert first.returncode == 0, first.stderr
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    yield path, first.stdout, conn
    conn.close()


ROLES = {"记者", "通讯员", "实习生", "文", "作者"}


def names(value: str | None) -> set[str]:
    """Return the person names of a byline, without role words (记者 X 通讯员 Y -> {X, Y})."""
    return set(re.split(r"[\s、,，]+", value or "")) - ROLES - {""}


def rows_by_url(conn) -> dict[str, sqlite3.Row]:
    return {row["url"]: row for row in conn.execute("SELECT * FROM articles")}


def test_summary_reports_the_run(demo_db):
    _, stdout, _ = demo_db
    expected = len(expected_articles())
    assert f"articles stored:     {expected} new" in stdout
    assert "failures:            0" in stdout
    assert "reprints recognised:" in stdout


def test_every_demo_article_is_stored_once_with_its_fields(demo_db):
    _, _, conn = demo_db
    rows = rows_by_url(conn)
    expected = expected_articles()
    assert set(rows) == {e["url"] for e in expected}
    for item in expected:
        row = rows[item["url"]]
        for name in ("title", "published", "source", "original_url"):
            assert row[name] == item[name], f"{item['url']} {name}"
        assert names(row["author"]) == names(item["author"]), f"{item['url']} author"
        assert row["body"] == item["body"], f"{item['url']} body"
        assert row["site"] == item["site"]
        assert row["fetched_at"]


def test_seed_reprint(demo_db):
    _, _, conn = demo_db
    row = conn.execute("SELECT * FROM articles WHERE original_url = ?", [SEED_ORIGINAL]).fetchone()
    assert row["site"] == "fzzx"
    assert (row["title"], row["published"], row["source"], row["author"]) == (
        SEED_TITLE,
        "2022-06-21",
        "辽宁长安网",
        None,
    )
    images = json.loads(row["images"])
    assert any(i["caption"].startswith("盘锦市公安局") for i in images)
    assert "盘锦市公安局" not in row["body"]
    for marker in NOT_BODY:
        assert marker not in row["body"], marker


def test_gbk_original_decodes_and_is_the_original_of_the_reprint(demo_db):
    _, _, conn = demo_db
    original = conn.execute("SELECT * FROM articles WHERE url = ?", [SEED_ORIGINAL]).fetchone()
    assert original["title"] == SEED_TITLE and original["encoding"] in ("gbk", "gb18030")
    story = conn.execute("SELECT * FROM stories WHERE id = ?", [original["story_id"]]).fetchone()
    assert story["original_article_id"] == original["id"]
    assert story["original_reason"] == "original_url"
    assert story["copies"] == 2


def test_second_run_adds_no_rows(demo_db):
    path, _, conn = demo_db
    before = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    second = run_demo(path)
    assert second.returncode == 0, second.stderr
    assert "0 new" in second.stdout
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == before
    assert (
        conn.execute(
            "SELECT count(*) FROM articles GROUP BY canonical_url HAVING count(*) > 1"
        ).fetchall()
        == []
    )


def test_reprints_command_shows_the_seed_story_with_original_and_lag(demo_db):
    path, _, conn = demo_db
    story_id = conn.execute(
        "SELECT story_id FROM articles WHERE url = ?", [SEED_ORIGINAL]
    ).fetchone()[0]
    result = run_cli("reprints", "--db", str(path), "--story", str(story_id))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(
        f"story {story_id}: {SEED_TITLE}  (2 copies, original by original_url)"
    )
    assert "original" in lines[1] and SEED_ORIGINAL in lines[1]
    assert "fzzx" in lines[2] and lines[2].split()[0] == "+0d"
