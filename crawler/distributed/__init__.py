"""Crawling on several machines: a shared Redis request queue, one writer to the archive.

Workers (`legalnews crawl ... --redis URL`) share each job's request queue and duplicate
filter in Redis (scrapy-redis) and push what they fetch to one Redis list; `legalnews drain`
is the single writer that moves that list into the SQLite archive. Key layout, all under
REDIS_PREFIX (default "legalnews"):

    <p>:items                      list: JSON messages (captures, articles, failures),
                                   in fetch order
    <p>:items:draining             list: the batch the drain is storing (acked after its commit)
    <p>:items:dead                 list: elements the drain could not store, as JSON with the reason
    <p>:items:batch, ...:draining:batch   batch counter and the id of the batch being drained
    <p>:archived:<site>            set: canonical URLs in the archive (kept by the drain)
    <p>:jobs                       set: jobs with workers
    <p>:job:<job>:requests         sorted set: scheduled requests (scrapy-redis PriorityQueue)
    <p>:job:<job>:dupefilter       set: request fingerprints (scrapy-redis RFPDupeFilter)
    <p>:job:<job>:workers          set: worker ids
    <p>:job:<job>:processing:<w>   hash: requests worker w popped (or made: retries in backoff)
                                   and has not finished, with their queue scores
    <p>:job:<job>:alive:<w>        string with a TTL: worker w's heartbeat
    <p>:job:<job>:archived         set: the archived URLs as the crawl found them (delta-fetch)
    <p>:job:<job>:archived:taken   marker: the snapshot above was taken by the crawl's first worker
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import redis

DEFAULT_PREFIX = "legalnews"


def connect(url: str) -> redis.Redis:
    """Return a client for the Redis at `url` (redis://HOST:PORT/DB); raises redis errors when
    down."""
    client = redis.Redis.from_url(
        url, socket_timeout=30, socket_connect_timeout=10, retry_on_timeout=True
    )
    client.ping()
    return client


@dataclass(frozen=True)
class Keys:
    """The Redis key names of one prefix, and of one job under it."""

    prefix: str = DEFAULT_PREFIX
    job: str = ""

    def for_job(self, job: str) -> Keys:
        """Return the keys of `job` (a site slug) under the same prefix."""
        return Keys(self.prefix, re.sub(r"[^\w.-]", "_", job))

    @property
    def items(self) -> str:
        return f"{self.prefix}:items"

    @property
    def draining(self) -> str:
        return f"{self.prefix}:items:draining"

    @property
    def dead(self) -> str:
        return f"{self.prefix}:items:dead"

    @property
    def batch_counter(self) -> str:
        return f"{self.prefix}:items:batch"

    @property
    def draining_batch(self) -> str:
        return f"{self.prefix}:items:draining:batch"

    @property
    def jobs(self) -> str:
        return f"{self.prefix}:jobs"

    def archived(self, site: str) -> str:
        return f"{self.prefix}:archived:{site}"

    @property
    def job_prefix(self) -> str:
        return f"{self.prefix}:job:{self.job}:"

    @property
    def requests(self) -> str:
        return self.job_prefix + "requests"

    @property
    def dupefilter(self) -> str:
        return self.job_prefix + "dupefilter"

    @property
    def workers(self) -> str:
        return self.job_prefix + "workers"

    def processing(self, worker: str) -> str:
        return self.job_prefix + f"processing:{worker}"

    def alive(self, worker: str) -> str:
        return self.job_prefix + f"alive:{worker}"

    @property
    def snapshot(self) -> str:
        return self.job_prefix + "archived"

    @property
    def snapshot_taken(self) -> str:
        return self.job_prefix + "archived:taken"
