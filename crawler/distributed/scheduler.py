"""The worker's scheduler: scrapy-redis's queue and duplicate filter, with in-flight recovery.

scrapy-redis pops a request off the shared queue and forgets it: a worker that dies loses
whatever it was fetching. Here a pop moves the request, in one Lua script, into the
worker's processing hash; it leaves that hash only when Scrapy has finished with it (the
response parsed, its items queued and its links scheduled). Each worker refreshes a
heartbeat key with a TTL; any worker that finds a registered worker without heartbeat
moves that worker's processing hash back onto the queue. So a killed worker's requests
are fetched again by the others, and no live worker's request is ever handed out twice.

A request leaves the worker for the downloader only when its host's download slot is due (its
delay since the last request, Crawl-delay included, has passed and it has room: pacing's
ReadySlots) and its retry backoff is over. Scrapy counts a request waiting in the downloader
against CONCURRENT_REQUESTS, so one slow host would hold up all the others. The worker pops
requests into its processing hash as before, one at a time, and holds those not due in a small
waiting room (crawler.distributed.waiting) that next_request serves first, and the engine is
woken when the first of them is due. One shared sorted set cannot be read host by host, so the
worker reads ahead past the requests of hosts not due: at most LOOKAHEAD of them wait, whatever
their host (within a priority, Redis orders the queue by the encoded bytes, not by host).
A worker that stops before the job's end gives its waiting requests back to the queue.

A retry waiting out its backoff (request meta NOT_BEFORE, set by the retry middleware) is not
parked in memory (pacing's ParkedRequests is off on workers): the scheduler writes it into this
worker's processing hash, while the response it retries is still in flight, and keeps it in the
waiting room until its time. A worker killed with -9 has its retries recovered with the rest;
NOT_BEFORE stays in the encoded request, so the worker that pops it waits for it too.

A worker stops only when the job has nothing left anywhere (queue and every processing
hash empty, checked atomically); the last one clears the job's queue and duplicate filter
so the next crawl starts fresh.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

from crawler.components.pacing import NOT_BEFORE, EngineWakeup, ReadySlots
from crawler.distributed import Keys, connect
from crawler.distributed.queue import PENDING, RECOVER, ReliableQueue
from crawler.distributed.waiting import Waiting, WaitingRoom

# Seconds between looks at the shared queue while this worker has nothing to do.
POLL_INTERVAL = 0.1
# Requests popped ahead whose host is not due, held by a worker at the most.
LOOKAHEAD = 16


def job_name(spider: Spider) -> str:
    """Return the job a spider crawls: its site's slug (the `portal` spider crawls many)."""
    return getattr(getattr(spider, "site", None), "slug", None) or spider.name


class ReliableScheduler(Scheduler):
    """scrapy-redis's Scheduler, one queue and duplicate filter per job, in-flight requests
    recovered.

    Settings: REDIS_URL, REDIS_PREFIX, REDIS_HEARTBEAT_INTERVAL (seconds between
    heartbeats and recovery checks), REDIS_WORKER_TIMEOUT (seconds without
    heartbeat after which a worker is dead and its requests go back on the queue).
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        settings = crawler.settings
        scheduler = cls(
            connect(settings.get("REDIS_URL")),
            persist=True,
            serializer=load_object(
                settings.get("SCHEDULER_SERIALIZER") or "scrapy_redis.picklecompat"
            ),
        )
        scheduler.crawler = crawler
        scheduler.stats = crawler.stats
        scheduler.keys = Keys(settings.get("REDIS_PREFIX"))
        scheduler.interval = settings.getfloat("REDIS_HEARTBEAT_INTERVAL")
        scheduler.timeout_ms = int(settings.getfloat("REDIS_WORKER_TIMEOUT") * 1000)
        scheduler.worker = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        scheduler.inflight = {}
        return scheduler

    # ---------------------------------------------------------------- lifecycle
    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.keys = self.keys.for_job(job_name(spider))
        self.queue = ReliableQueue(
            self.server,
            spider,
            self.keys.requests,
            self.keys.processing(self.worker),
            self.serializer,
        )
        self.df = RFPDupeFilter(
            self.server, key=self.keys.dupefilter, debug=spider.settings.getbool("DUPEFILTER_DEBUG")
        )
        self._recover = self.server.register_script(RECOVER)
        self._pending = self.server.register_script(PENDING)
        self.waiting = WaitingRoom(ReadySlots(self.crawler), LOOKAHEAD)
        self.wakeup = EngineWakeup(self.crawler)
        self.beat()
        self.server.sadd(self.keys.jobs, self.keys.job)
        self.recover()
        if len(self.queue):
            spider.logger.info("joining job %s: %d requests queued", self.keys.job, len(self.queue))
        self.stats.set_value("redis/worker", self.worker)
        self.ticker = LoopingCall(self.tick)
        self.ticker.start(self.interval, now=False)
        self.poller = LoopingCall(self.wake)
        self.poller.start(POLL_INTERVAL, now=False)

    def close(self, reason: str) -> None:
        for loop in (self.ticker, self.poller):
            if loop.running:
                loop.stop()
        self.acknowledge(everything=True)  # the engine closes the spider only once idle
        self.queue.requeue(*(entry.data for entry in self.waiting.clear()))
        self.server.delete(self.keys.alive(self.worker))
        if not self.server.hlen(self.keys.processing(self.worker)):
            self.server.srem(self.keys.workers, self.worker)
        # else: left registered without heartbeat, so the others requeue what it still holds
        if reason == "finished" and not self.pending_anywhere():
            self.clear_job()

    def clear_job(self) -> None:
        """Forget the finished crawl of this job once REDIS_WORKER_TIMEOUT has passed.

        The seen-set and delta-fetch snapshot outlive the crawl by that grace period, so a
        worker started together with the others but slower to come up finds the crawl
        done instead of starting it over; later, the next crawl starts fresh.
        """
        pipe = self.server.pipeline()
        pipe.delete(self.keys.requests)
        for key in (self.keys.dupefilter, self.keys.snapshot, self.keys.snapshot_taken):
            pipe.pexpire(key, self.timeout_ms)
        pipe.srem(self.keys.jobs, self.keys.job)
        pipe.execute()

    # ------------------------------------------------------------- scheduling
    def enqueue_request(self, request: Request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            self.stats.inc_value("redis/filtered")
            return False
        if request.meta.get(NOT_BEFORE, 0) > time.time():
            self.park(request)
            return True
        self.queue.push(request)
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def park(self, request: Request) -> None:
        """Hold a retry in its backoff in this worker's processing hash and waiting room."""
        self.waiting.add(self.waiting.entry(request, self.queue.hold(request)))
        self.stats.inc_value("retry/parked")

    def next_request(self) -> Request | None:
        self.acknowledge()
        entry = self.waiting.take() or self.pop_due()
        if entry is None:
            self.wakeup.at(self.waiting.next_due())  # a host without room asks when it is done
            return None
        request = entry.request
        request.meta.pop(NOT_BEFORE, None)
        self.inflight[request] = entry.data
        self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def pop_due(self) -> Waiting | None:
        """Pop requests off the shared queue until one is due, holding the others; return it."""
        while not self.waiting.full():
            data = self.queue.pop_raw()
            if not data:
                return None
            entry = self.waiting.entry(self.queue._decode_request(data), data)
            if self.waiting.is_due(entry):
                return entry
            self.waiting.add(entry)
        return None

    def has_pending_requests(self) -> bool:
        self.acknowledge()
        return bool(self.inflight) or bool(self.waiting) or self.pending_anywhere() > 0

    def pending_anywhere(self) -> int:
        """Return how many requests of the job are queued or in flight on any worker."""
        return int(
            self._pending(keys=[self.keys.workers, self.keys.requests], args=[self.keys.job_prefix])
        )

    # ---------------------------------------------------------- reliability
    def acknowledge(self, everything: bool = False) -> None:
        """Drop from the processing hash the requests Scrapy has finished with.

        Scrapy has no signal for "response parsed, items stored, links scheduled"; the
        engine keeps each request in its slot's `inprogress` set until exactly then.
        """
        if not self.inflight:
            return
        inprogress = set() if everything else self._engine_slot().inprogress
        done = [r for r in self.inflight if r not in inprogress]
        if done:
            self.queue.ack(*(self.inflight.pop(r) for r in done))

    def beat(self) -> None:
        """Refresh this worker's heartbeat (and its registration, should it have been taken for
        dead)."""
        pipe = self.server.pipeline()
        pipe.set(self.keys.alive(self.worker), b"1", px=self.timeout_ms)
        pipe.sadd(self.keys.workers, self.worker)
        pipe.execute()

    def recover(self) -> int:
        """Requeue the in-flight requests of workers whose heartbeat expired; return how many."""
        moved = int(
            self._recover(keys=[self.keys.workers, self.keys.requests], args=[self.keys.job_prefix])
        )
        if moved:
            self.stats.inc_value("redis/recovered", moved)
            self.spider.logger.warning("requeued %d requests of a dead worker", moved)
        return moved

    def tick(self) -> None:
        """Heartbeat, recover dead workers, acknowledge finished requests."""
        try:
            self.beat()
            self.recover()
            self.acknowledge()
        except Exception:  # a Redis hiccup must not stop the heartbeat loop
            self.spider.logger.exception("redis heartbeat failed")

    def wake(self) -> None:
        """Wake the engine when other workers queued requests (it looks by itself only every 5
        s)."""
        try:
            if len(self.queue):
                self._engine_slot().nextcall.schedule()
        except Exception:
            self.spider.logger.exception("redis poll failed")

    def _engine_slot(self) -> Any:
        """Return the engine's slot (private in Scrapy 2.19; see tests/test_redis_scheduler.py)."""
        return self.crawler.engine._slot
