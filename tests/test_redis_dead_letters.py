"""The drain and poison: what it cannot store is dead-lettered with its reason, the rest stored."""

from __future__ import annotations

import base64
import json
import sqlite3
import subprocess

import pytest

from crawler.distributed import Keys
from crawler.distributed.messages import article_message, capture_message
from tests.support.drain_queue import article, counts, new_drain, queue_pages
from tests.support.process_helpers import run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.redis]


def test_a_bad_message_is_a_dead_letter_not_a_stuck_queue(db, server, tmp_path):
    server.rpush(
        Keys().items, b'{"type": "article", "article": {"url": "http://x.cn/bad", "nonsense": 1}}'
    )
    queue_pages(server, Keys(), 1)
    drain = new_drain(db, server, tmp_path)
    drain.run()
    assert counts(db) == (1, 1, 1)  # the 404 of queue_pages
    assert [letter["reason"] for letter in dead_letters(server)] == [
        "article with unknown fields: nonsense"
    ]


def article_fields(**changes) -> dict:
    return {**article(90).to_dict(), **changes}


def article_json(**changes) -> bytes:
    return json.dumps(
        {"type": "article", "job": "x", "article": article_fields(**changes)}, ensure_ascii=False
    ).encode()


def without(name: str) -> bytes:
    fields = article_fields()
    del fields[name]
    return json.dumps({"type": "article", "job": "x", "article": fields}).encode()


URL90 = "http://x.cn/a/90.html"


POISON = {  # message -> key words of its dead-letter reason
    "not_json": (b"{not json", "not JSON"),
    "not_utf8": (b'{"type": "article", "x": "\xff\xfe"}', "not UTF-8"),
    "list": (b"[1, 2]", "not a JSON object (list)"),
    "number": (b"42", "not a JSON object (int)"),
    "string": (b'"article"', "not a JSON object (str)"),
    "no_url": (without("url"), "article without url"),
    "no_site": (without("site"), "article without site"),
    "empty_title": (article_json(title=""), f"no title extracted: {URL90}"),
    "empty_body": (article_json(body=""), f"no body extracted: {URL90}"),
    "list_page": (article_json(kind="list"), f"not an article page (list): {URL90}"),
    "title_not_text": (article_json(title=["标题"]), "article field title is not text"),
    "unknown_field": (article_json(nonsense=1), "article with unknown fields: nonsense"),
    "no_article": (b'{"type": "article", "job": "x"}', "article message without an article object"),
    "unknown_type": (
        b'{"type": "surprise", "url": "http://x.cn/s"}',
        "unknown message type 'surprise'",
    ),
    "no_type": (b'{"url": "http://x.cn/s"}', "message without a type"),
    "capture_no_body": (
        b'{"type": "capture", "url": "http://x.cn/c", "status": 200, "headers": [], '
        b'"fetched_at": "2024-05-01T00:00:00+00:00"}',
        "capture without body",
    ),
    "failure_no_url": (b'{"type": "failure", "reason": "HTTP 404"}', "failure without url"),
}


def dead_letters(server) -> list[dict]:
    return [json.loads(entry) for entry in server.lrange(Keys().dead, 0, -1)]


@pytest.mark.parametrize("case", sorted(POISON))
def test_a_poison_message_is_dead_lettered_and_the_article_behind_it_stored(
    db, server, tmp_path, case
):
    poison, reason = POISON[case]
    server.rpush(Keys().items, poison, article_message("x", article(1)))
    drain = new_drain(db, server, tmp_path)
    drain.run()
    stats = drain.finish()
    assert [row[0] for row in db.execute("SELECT url FROM articles")] == ["http://x.cn/a/1.html"]
    assert stats["dead_letters"] == 1 and stats["new"] == 1
    [letter] = dead_letters(server)
    assert reason in letter["reason"] and letter["at"].endswith("+00:00")
    if case == "not_utf8":
        assert letter["encoding"] == "base64" and base64.b64decode(letter["message"]) == poison
    else:
        assert letter["encoding"] == "utf-8" and letter["message"].encode() == poison
    assert server.llen(Keys().draining) == 0 and server.llen(Keys().items) == 0
    again = new_drain(db, server, tmp_path)
    again.run()
    assert again.finish().get("dead_letters", 0) == 0
    assert len(dead_letters(server)) == 1 and counts(db) == (1, 0, 0)


def test_poison_left_in_the_draining_list_by_a_crashed_drain_is_dead_lettered(db, server, tmp_path):
    keys = Keys()
    server.set(keys.draining_batch, server.incr(keys.batch_counter))  # claimed, never stored
    server.rpush(keys.draining, b"\xff{oops", article_message("x", article(1)), b"[]")
    server.rpush(keys.items, article_message("x", article(2)))
    drain = new_drain(db, server, tmp_path)
    drain.run()
    assert drain.finish()["dead_letters"] == 2 and counts(db) == (2, 0, 0)
    assert [letter["reason"] for letter in dead_letters(server)] == [
        "not UTF-8",
        "not a JSON object (list)",
    ]
    assert server.llen(keys.draining) == 0


def test_dead_letters_of_a_batch_committed_but_not_acknowledged_are_written_once(
    db, server, tmp_path
):
    keys, batch = Keys(), [b"{not json", article_message("x", article(1))]
    server.rpush(keys.items, *batch)
    new_drain(db, server, tmp_path).run()
    # As if killed after the commit, before the ack that also writes the dead letters.
    server.delete(keys.dead)
    server.set(keys.draining_batch, server.get(keys.batch_counter))
    server.rpush(keys.draining, *batch)
    again = new_drain(db, server, tmp_path)
    again.run()
    assert again.counts["batches_replayed_skipped"] == 1 and again.finish()["dead_letters"] == 1
    [letter] = dead_letters(server)
    assert letter["reason"].startswith("not JSON: ") and letter["message"] == "{not json"
    assert counts(db) == (1, 0, 0) and server.llen(keys.draining) == 0


def drain_command(server, db_path) -> subprocess.CompletedProcess:
    url = "redis://{host}:{port}/0".format(**server.connection_pool.connection_kwargs)
    return run_cli("drain", "--redis", url, "--db", str(db_path), "--batch", "50")


def test_drain_command_stores_around_poison_and_a_restart_does_nothing_twice(server, tmp_path):
    queued = []
    for n, (poison, _) in enumerate(POISON.values()):
        queued += [poison, article_message("x", article(n))]
    server.rpush(Keys().items, *queued)
    db_path = tmp_path / "cli.db"
    first = drain_command(server, db_path)
    assert first.returncode == 0 and "Traceback" not in first.stderr, first.stderr[-2000:]
    assert f"{len(POISON)} dead letters (on legalnews:items:dead)" in first.stdout
    second = drain_command(server, db_path)
    assert second.returncode == 0 and "Traceback" not in second.stderr, second.stderr[-2000:]
    assert "drained 0 messages" in second.stdout and "0 dead letters" in second.stdout
    assert len(dead_letters(server)) == len(POISON) and server.llen(Keys().draining) == 0
    with sqlite3.connect(db_path) as conn:
        urls = sorted(row[0] for row in conn.execute("SELECT url FROM articles"))
    assert urls == sorted(f"http://x.cn/a/{n}.html" for n in range(len(POISON)))


def test_a_capture_with_an_empty_body_is_stored_not_dead_lettered(db, server, tmp_path):
    server.rpush(
        Keys().items,
        capture_message(
            "x",
            "http://x.cn/old",
            301,
            [("Location", "http://x.cn/a/1.html")],
            b"",
            protocol="HTTP/1.1",
            method="GET",
            request_headers=[],
            fetched_at="2024-05-01T00:00:00+00:00",
        ),
    )
    drain = new_drain(db, server, tmp_path)
    drain.run()
    assert drain.finish().get("dead_letters", 0) == 0 and dead_letters(server) == []
    assert db.execute("SELECT url, status FROM captures").fetchall() == [("http://x.cn/old", 301)]
