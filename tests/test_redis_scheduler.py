"""The worker scheduler's Redis side: reliable pops, recovery of dead workers, the job's end."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.core.engine import _Slot

from crawler.distributed import Keys
from crawler.distributed.scheduler import PENDING, RECOVER, ReliableQueue, job_name


class Spider(scrapy.Spider):
    name = "unit"

    def parse(self, response):
        pass


def worker_queue(server, keys: Keys, worker: str) -> ReliableQueue:
    server.sadd(keys.workers, worker)
    server.set(keys.alive(worker), b"1", px=60_000)
    return ReliableQueue(server, Spider(), keys.requests, keys.processing(worker))


def pending(server, keys: Keys) -> int:
    return server.register_script(PENDING)(
        keys=[keys.workers, keys.requests], args=[keys.job_prefix]
    )


@pytest.mark.e2e
@pytest.mark.redis
def test_pop_parks_the_request_until_it_is_acknowledged(server):
    keys = Keys().for_job("site")
    queue = worker_queue(server, keys, "a")
    spider = queue.spider
    queue.push(scrapy.Request("http://x.cn/1", callback=spider.parse, meta={"link": "article"}))
    data = queue.pop_raw()
    assert len(queue) == 0 and server.hlen(keys.processing("a")) == 1
    request = queue._decode_request(data)
    assert request.url == "http://x.cn/1" and request.meta["link"] == "article"
    assert request.callback == spider.parse
    assert pending(server, keys) == 1  # in flight still counts: the job is not over
    queue.ack(data)
    assert pending(server, keys) == 0 and queue.pop_raw() is None


@pytest.mark.e2e
@pytest.mark.redis
def test_requests_of_a_dead_worker_go_back_on_the_queue_keeping_their_priority(server):
    keys = Keys().for_job("site")
    dead, alive = worker_queue(server, keys, "dead"), worker_queue(server, keys, "alive")
    for n, priority in ((1, 0), (2, 5), (3, 0)):
        dead.push(scrapy.Request(f"http://x.cn/{n}", priority=priority))
    assert dead._decode_request(dead.pop_raw()).url == "http://x.cn/2"  # highest priority first
    dead.pop_raw()
    recover = server.register_script(RECOVER)
    assert recover(keys=[keys.workers, keys.requests], args=[keys.job_prefix]) == 0  # still alive
    server.delete(keys.alive("dead"))  # its heartbeat expired
    assert recover(keys=[keys.workers, keys.requests], args=[keys.job_prefix]) == 2
    assert server.smembers(keys.workers) == {b"alive"}
    urls = [alive._decode_request(alive.pop_raw()).url for _ in range(3)]
    assert urls == ["http://x.cn/2", "http://x.cn/1", "http://x.cn/3"]
    assert alive.pop_raw() is None and pending(server, keys) == 3


def test_jobs_are_named_by_site_and_their_keys_never_clash():
    class Site:
        slug = "127.0.0.1:8080"

    spider = Spider()
    assert job_name(spider) == "unit"
    spider.site = Site()
    keys = Keys("legalnews").for_job(job_name(spider))
    assert keys.requests == "legalnews:job:127.0.0.1_8080:requests"
    assert keys.processing("w1") != Keys("legalnews").for_job("other").processing("w1")


def test_the_engine_still_tracks_requests_in_flight_where_the_scheduler_reads_them():
    # ReliableScheduler.acknowledge() reads the engine slot's `inprogress` set (Scrapy has no
    # public "request finished" hook); this fails loudly if a Scrapy upgrade moves it.
    assert "inprogress" in _Slot.__init__.__code__.co_names
    assert hasattr(_Slot, "remove_request")
