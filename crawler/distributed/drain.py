"""The single writer: move the workers' queued messages into the SQLite archive, exactly once.

Messages are claimed in batches: one Lua script moves up to N of them from the item list
to a draining list and gives the batch a number. The batch is stored in one SQLite
transaction that also records its number in the drain's crawl_runs row; only after the
commit is the draining list deleted (the ack). A drain stopped at any point finds the
draining list on restart and stores it again only when its number is not recorded in the
archive. So an interrupted drain neither loses nor doubles anything, captures included.

Elements that are not messages the drain can store (see messages.parse) never stop the
queue: the rest of their batch is stored, and they are moved, with their reason, to the
dead-letter list <prefix>:items:dead in the same Redis transaction as the ack, so that a
restart neither loses nor repeats them.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import redis
from sqlite_utils import Database

from crawler.archive.ingest import is_reprint, store_article
from crawler.archive.runs import finish_run, record_failure, seed_outlets, start_run
from crawler.archive.schema import transaction
from crawler.archive.warc import WarcFileSet
from crawler.distributed import Keys
from crawler.distributed.drain_warc import WarcTarget, open_warc, write_capture
from crawler.distributed.messages import BadMessage, article_of, dead_letter, parse
from crawler.health import failure_kind
from crawler.reprints.fingerprints import canonical_url
from crawler.reprints.outlets import outlet_hosts
from crawler.sites import drop_params_for

DRAIN_SITES = "drain"  # crawl_runs.sites of drain runs
BATCH_STAT = "drain/batch"
# KEYS: draining, items, batch counter, draining batch id. ARGV: batch size.
# Returns {batch id, message...}: the unfinished batch if there is one, else a new one.
CLAIM = """
if redis.call('LLEN', KEYS[1]) == 0 then
  for i = 1, tonumber(ARGV[1]) do
    if not redis.call('LMOVE', KEYS[2], KEYS[1], 'LEFT', 'RIGHT') then break end
  end
  if redis.call('LLEN', KEYS[1]) == 0 then return {} end
  redis.call('SET', KEYS[4], redis.call('INCR', KEYS[3]))
end
local out = redis.call('LRANGE', KEYS[1], 0, -1)
table.insert(out, 1, redis.call('GET', KEYS[4]))
return out
"""


class Drain:
    """Store queued messages into one archive; one crawl_runs row per drain invocation."""

    def __init__(
        self, db: Database, server: redis.Redis, keys: Keys, warc: WarcTarget, batch_size: int = 200
    ) -> None:
        self.db = db
        self.server = server
        self.keys = keys
        self.warc = warc
        self.batch_size = batch_size
        self.counts: Counter[str] = Counter()
        self.seen: set[str] = set()
        self.sites: set[str] = set()
        self.files: WarcFileSet | None = None
        self._claim = server.register_script(CLAIM)
        with transaction(db):
            db.execute(
                "UPDATE crawl_runs SET status = 'interrupted' "
                "WHERE status = 'running' AND sites = ?",
                [DRAIN_SITES],
            )
            seed_outlets(db, outlet_hosts())
            self.run_id = start_run(db, [DRAIN_SITES])
        self.last_batch = self.committed_batch()
        # A Redis restarted without its data restarts the counter: never reuse a committed number.
        if int(server.get(keys.batch_counter) or 0) < self.last_batch:
            server.set(keys.batch_counter, self.last_batch)

    # ------------------------------------------------------------------ setup
    def committed_batch(self) -> int:
        """Return the number of the last batch any drain committed to this archive (0: none)."""
        row = self.db.execute(
            f"SELECT max(CAST(json_extract(stats, '$.\"{BATCH_STAT}\"') AS INTEGER)) "
            "FROM crawl_runs WHERE sites = ? AND json_valid(stats)",
            [DRAIN_SITES],
        ).fetchone()
        return row[0] or 0

    def seed_archived(self, chunk: int = 5000) -> int:
        """Add every archived canonical URL to its site's Redis set (for workers' delta-fetch)."""
        pipe, n = self.server.pipeline(transaction=False), 0
        for site, url in self.db.execute("SELECT coalesce(site, ''), canonical_url FROM articles"):
            pipe.sadd(self.keys.archived(site), url)
            n += 1
            if n % chunk == 0:
                pipe.execute()
        pipe.execute()
        return n

    # ------------------------------------------------------------------ loop
    def run(
        self, follow: bool = False, stop: Callable[[], bool] = lambda: False, poll: float = 0.2
    ) -> None:
        """Drain until the queue is empty and no worker is alive (with `follow`, until `stop()`)."""
        while not stop():
            if self.step():
                continue
            if not follow and not self.server.llen(self.keys.items) and not self.workers_alive():
                break
            time.sleep(poll)

    def step(self) -> int:
        """Claim and store one batch; return how many messages it held (0: queue empty)."""
        claimed = self._claim(
            keys=[
                self.keys.draining,
                self.keys.items,
                self.keys.batch_counter,
                self.keys.draining_batch,
            ],
            args=[self.batch_size],
        )
        if not claimed:
            return 0
        batch = int(claimed[0] or 0)
        messages, letters = self.sort_out(batch, claimed[1:])
        if batch and batch <= self.last_batch:
            self.counts["batches_replayed_skipped"] += 1  # committed before an interruption
        else:
            self.store_batch(batch, messages)
        self.acknowledge(letters)
        self.publish_archived(messages)
        return len(claimed) - 1

    def sort_out(
        self, batch: int, elements: list[bytes]
    ) -> tuple[list[dict[str, Any]], list[bytes]]:
        """Return the batch's storable messages, and the dead-letter entries of the others."""
        messages, letters = [], []
        for data in elements:
            try:
                messages.append(parse(data))
            except BadMessage as exc:
                letters.append(dead_letter(data, str(exc), batch))
                self.counts["dead_letters"] += 1
        return messages, letters

    def acknowledge(self, letters: list[bytes]) -> None:
        """Delete the stored batch and push its dead letters, both or neither (MULTI/EXEC)."""
        pipe = self.server.pipeline(transaction=True)
        if letters:
            pipe.rpush(self.keys.dead, *letters)
        pipe.delete(self.keys.draining, self.keys.draining_batch)
        pipe.execute()

    def workers_alive(self) -> bool:
        """Return True while any worker of any job has a live heartbeat."""
        return any(
            True
            for _ in self.server.scan_iter(match=self.keys.prefix + ":job:*:alive:*", count=1000)
        )

    # ----------------------------------------------------------------- storing
    def store_batch(self, batch: int, messages: list[dict[str, Any]]) -> None:
        """Store a batch and record its number, in one transaction."""
        with transaction(self.db):
            for message in messages:
                self.db.conn.execute("SAVEPOINT message")
                try:
                    self.store(message)
                except Exception as exc:  # one bad message must not block the queue
                    self.db.conn.execute("ROLLBACK TO message")
                    self.failure(
                        {
                            "url": message.get("url") or "?",
                            "reason": f"drain error: {exc}",
                            "status": None,
                        }
                    )
                self.db.conn.execute("RELEASE message")
            self.db.execute(
                "UPDATE crawl_runs SET stats = json_set("
                "CASE WHEN json_valid(stats) THEN stats ELSE '{}' END, "
                f"'$.\"{BATCH_STAT}\"', ?) WHERE id = ?",
                [batch, self.run_id],
            )
        self.last_batch = max(self.last_batch, batch)

    def store(self, message: dict[str, Any]) -> None:
        """Store one message."""
        kind = message.get("type")
        self.counts[f"messages/{kind}"] += 1
        if kind == "capture":
            self.capture(message)
        elif kind == "article":
            self.article(message)
        elif kind == "failure":
            self.failure(message)
        else:
            raise ValueError(f"unknown message type {kind!r}")

    def capture(self, message: dict[str, Any]) -> None:
        """Write a response to the drain's WARC files and add its captures row."""
        self.counts["pages"] += 1
        if self.warc.folder is None:
            return
        if self.files is None:
            self.files = open_warc(self.warc, self.run_id)
        write_capture(self.db, self.files, message, self.run_id)

    def latest_capture(self, url: str) -> int | None:
        """Return the latest capture of `url`: the queue holds it before its article or failure."""
        row = self.db.execute("SELECT max(id) FROM captures WHERE url = ?", [url]).fetchone()
        return row[0] if row else None

    def article(self, message: dict[str, Any]) -> None:
        """Store an article (one page under two URLs is stored once per drain run)."""
        article = article_of(message)
        key = canonical_url(article.url, drop_params_for(article.url))
        if key in self.seen:
            self.counts["dedup/same_url"] += 1
            return
        _, status, story_id = store_article(
            self.db, article, self.run_id, self.latest_capture(article.url)
        )
        self.seen.add(key)
        self.sites.add(article.site or "")
        self.counts[f"archive/{status}"] += 1
        self.counts[status] += 1
        self.counts["reprints"] += is_reprint(self.db, status, story_id)

    def failure(self, message: dict[str, Any]) -> None:
        """Record a failed page, pointing at its capture when it has one."""
        record_failure(
            self.db,
            self.run_id,
            message["url"],
            message["reason"],
            message.get("status"),
            self.latest_capture(message["url"]),
        )
        self.counts["failures"] += 1
        self.counts[f"failures/{failure_kind(message['reason'])}"] += 1

    def publish_archived(self, messages: list[dict[str, Any]]) -> None:
        """Tell the workers' delta-fetch which articles the archive now holds."""
        pipe = self.server.pipeline(transaction=False)
        for message in messages:
            if message.get("type") == "article":
                fields = message["article"]
                key = canonical_url(fields["url"], drop_params_for(fields["url"]))
                pipe.sadd(self.keys.archived(fields.get("site") or ""), key)
        pipe.execute()

    def finish(self) -> dict[str, Any]:
        """Close the WARC files and the drain's run row; return its stats."""
        if self.files is not None:
            self.files.close()
        stats = {**self.counts, BATCH_STAT: self.last_batch, "drain/sites": sorted(self.sites)}
        with transaction(self.db):
            finish_run(
                self.db,
                self.run_id,
                "ok" if not self.counts["failures"] else "failures",
                dict(self.counts),
                stats,
            )
        return stats
