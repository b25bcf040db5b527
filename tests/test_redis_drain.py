"""The drain in process: batches stored once whatever the moment it is interrupted."""

from __future__ import annotations

import pytest

from crawler.distributed import Keys
from crawler.distributed.drain import Drain
from tests.support.drain_queue import counts, new_drain, queue_pages

pytestmark = [pytest.mark.e2e, pytest.mark.redis]


def test_drain_stores_articles_with_their_captures_and_failures(db, server, tmp_path):
    queue_pages(server, Keys(), 5)
    drain = new_drain(db, server, tmp_path)
    drain.run()
    stats = drain.finish()
    assert counts(db) == (5, 5, 1)
    linked = db.execute(
        "SELECT count(*) FROM articles a JOIN captures c ON c.id = a.capture_id AND c.url = a.url"
    ).fetchone()[0]
    assert linked == 5
    assert stats["new"] == 5 and stats["drain/batch"] == 3 and stats["drain/sites"] == ["x"]
    assert server.smembers(Keys().archived("x")) == {
        f"http://x.cn/a/{n}.html".encode() for n in range(5)
    }
    images = db.execute("SELECT images FROM articles LIMIT 1").fetchone()[0]
    assert "图" in images


def test_batch_committed_but_not_acknowledged_is_not_stored_again(
    db, server, tmp_path, monkeypatch
):
    queue_pages(server, Keys(), 5)
    drain = new_drain(db, server, tmp_path)
    monkeypatch.setattr(
        drain, "acknowledge", lambda letters: (_ for _ in ()).throw(SystemExit("killed"))
    )
    with pytest.raises(SystemExit):
        drain.step()  # the commit happened, the ack did not
    monkeypatch.undo()
    assert counts(db) == (2, 2, 0) and server.llen(Keys().draining) == 4
    again = new_drain(db, server, tmp_path)
    again.run()
    assert counts(db) == (5, 5, 1) and again.counts["batches_replayed_skipped"] == 1


def test_batch_interrupted_before_its_commit_is_stored_on_restart(
    db, server, tmp_path, monkeypatch
):
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


def test_a_redis_that_lost_its_data_never_reuses_a_committed_batch_number(db, server, tmp_path):
    queue_pages(server, Keys(), 5)
    new_drain(db, server, tmp_path).run()
    server.flushall()
    queue_pages(server, Keys(), 8)
    new_drain(db, server, tmp_path).run()
    assert counts(db)[0] == 8
