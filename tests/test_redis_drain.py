"""The drain in process: batches stored once whatever the moment it is interrupted."""

from __future__ import annotations

import pytest
import redis
from redis_server import redis_server

from crawler.distributed import Keys
from crawler.distributed.drain import Drain, WarcTarget
from crawler.distributed.messages import article_message, capture_message, failure_message
from crawler.items import Article, Image

PAGE = "<html><body><h1>标题</h1><p>正文</p></body></html>".encode()


def article(n: int) -> Article:
    return Article(url=f"http://x.cn/a/{n}.html", site="x", title=f"第{n}篇报道的标题",
                   body=f"第{n}篇报道的正文，法院依法审理了案件{n}。", published="2024-05-01",
                   images=[Image(src="http://x.cn/1.jpg", caption="图")], status=200)


def queue_pages(server, keys: Keys, count: int) -> None:
    for n in range(count):
        server.rpush(keys.items, capture_message(
            "x", f"http://x.cn/a/{n}.html", 200, [("Content-Type", "text/html; charset=utf-8")], PAGE,
            protocol="HTTP/1.1", method="GET", request_headers=[], fetched_at="2024-05-01T00:00:00+00:00"))
        server.rpush(keys.items, article_message("x", article(n)))
    server.rpush(keys.items, failure_message("x", "http://x.cn/gone", "HTTP 404", 404))


@pytest.fixture
def server(tmp_path):
    with redis_server(tmp_path) as url:
        yield redis.Redis.from_url(url)


def new_drain(db, server, tmp_path, batch: int = 4) -> Drain:
    return Drain(db, server, Keys(), WarcTarget(tmp_path / "warc", 1 << 30), batch)


def counts(db) -> tuple[int, int, int]:
    return tuple(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "captures", "failures"))


def test_drain_stores_articles_with_their_captures_and_failures(db, server, tmp_path):
    queue_pages(server, Keys(), 5)
    drain = new_drain(db, server, tmp_path)
    drain.run()
    stats = drain.finish()
    assert counts(db) == (5, 5, 1)
    linked = db.execute("SELECT count(*) FROM articles a JOIN captures c ON c.id = a.capture_id "
                        "AND c.url = a.url").fetchone()[0]
    assert linked == 5
    assert stats["new"] == 5 and stats["drain/batch"] == 3 and stats["drain/sites"] == ["x"]
    assert server.smembers(Keys().archived("x")) == {f"http://x.cn/a/{n}.html".encode() for n in range(5)}
    images = db.execute("SELECT images FROM articles LIMIT 1").fetchone()[0]
    assert "图" in images


def test_batch_committed_but_not_acknowledged_is_not_stored_again(db, server, tmp_path, monkeypatch):
    queue_pages(server, Keys(), 5)
    drain = new_drain(db, server, tmp_path)
    monkeypatch.setattr(server, "delete", lambda *keys: (_ for _ in ()).throw(SystemExit("killed")))
    with pytest.raises(SystemExit):
        drain.step()  # the commit happened, the ack did not
    monkeypatch.undo()
    assert counts(db) == (2, 2, 0) and server.llen(Keys().draining) == 4
    again = new_drain(db, server, tmp_path)
    again.run()
    assert counts(db) == (5, 5, 1) and again.counts["batches_replayed_skipped"] == 1


def test_batch_interrupted_before_its_commit_is_stored_on_restart(db, server, tmp_path, monkeypatch):
    queue_pages(server, Keys(), 5)
    drain = new_drain(db, server, tmp_path)
    calls = []

    def dies_on_third(message):
        calls.append(message)
        if len(calls) == 3:
            raise KeyboardInterrupt  # not an Exception: the whole batch rolls back
        Drain.store(drain, message)

    monkeypatch.setattr(drain, "store", dies_on_third)
    with pytest.raises(KeyboardInterrupt):
        drain.step()
    assert counts(db) == (0, 0, 0)
    again = new_drain(db, server, tmp_path)
    again.run()
    assert counts(db) == (5, 5, 1)


def test_a_bad_message_is_a_failure_row_not_a_stuck_queue(db, server, tmp_path):
    server.rpush(Keys().items, b'{"type": "article", "article": {"url": "http://x.cn/bad", "nonsense": 1}}')
    queue_pages(server, Keys(), 1)
    drain = new_drain(db, server, tmp_path)
    drain.run()
    assert counts(db) == (1, 1, 2)
    reasons = [row[0] for row in db.execute("SELECT reason FROM failures ORDER BY id")]
    assert reasons[0].startswith("drain error:")


def test_a_redis_that_lost_its_data_never_reuses_a_committed_batch_number(db, server, tmp_path):
    queue_pages(server, Keys(), 5)
    new_drain(db, server, tmp_path).run()
    server.flushall()
    queue_pages(server, Keys(), 8)
    new_drain(db, server, tmp_path).run()
    assert counts(db)[0] == 8
