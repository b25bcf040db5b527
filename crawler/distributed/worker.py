"""A crawl worker: settings that put the queue in Redis, its capture and delta-fetch components."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.clock import utcnow
from crawler.components.delta import DeltaIndex
from crawler.components.delta_fetch import DeltaFetchMiddleware
from crawler.distributed import Keys, connect
from crawler.distributed.messages import capture_message
from crawler.distributed.scheduler import job_name
from crawler.health import COMPLETE

# KEYS: taken marker, job snapshot, the site's archived set. The crawl's first worker
# copies the archived set; every worker of the crawl reads that same copy.
SNAPSHOT = """
if redis.call('SET', KEYS[1], '1', 'NX') then
  redis.call('SUNIONSTORE', KEYS[2], KEYS[3])
end
return redis.call('SMEMBERS', KEYS[2])
"""


def worker_settings(base: Any, redis_url: str) -> dict[str, Any]:
    """Return the overrides of `base` settings that make a crawl a worker of the Redis at
    `redis_url`.

    The archive components (store pipeline, WARC capture, delta-fetch against archive.db)
    give way to their Redis counterparts; nothing on this machine writes an archive.
    """
    return {
        "REDIS_URL": redis_url,
        "ARCHIVE_PATH": "",
        "SCHEDULER": "crawler.distributed.scheduler.ReliableScheduler",
        "ITEM_PIPELINES": {
            **base.getdict("ITEM_PIPELINES"),
            "pipelines.store.StorePipeline": None,
            "pipelines.queue.QueuePipeline": 300,
        },
        "DOWNLOADER_MIDDLEWARES": {
            **base.getdict("DOWNLOADER_MIDDLEWARES"),
            "crawler.components.warc_capture.WarcCaptureMiddleware": None,
            "crawler.distributed.worker.CaptureQueueMiddleware": 950,
        },
        # The scheduler parks retries in Redis, where they outlive the worker.
        "EXTENSIONS": {
            **base.getdict("EXTENSIONS"),
            "crawler.components.pacing.ParkedRequests": None,
        },
        "SPIDER_MIDDLEWARES": {
            **base.getdict("SPIDER_MIDDLEWARES"),
            "crawler.components.delta_fetch.DeltaFetchMiddleware": None,
            "crawler.distributed.worker.RedisDeltaFetchMiddleware": 950,
        },
    }


def _pairs(headers) -> list[tuple[str, str]]:
    return [
        (k.decode("latin-1"), v.decode("latin-1")) for k, values in headers.items() for v in values
    ]


class CaptureQueueMiddleware:
    """Queue every response as received (the WARC middleware's place, order 950) for the drain."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.server = connect(settings.get("REDIS_URL"))
        self.key = Keys(settings.get("REDIS_PREFIX")).items

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureQueueMiddleware:
        if not crawler.settings.get("REDIS_URL") or not crawler.settings.getbool("WARC_ENABLED"):
            raise NotConfigured
        return cls(crawler)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if "cached" in response.flags:
            return response
        message = capture_message(
            job_name(self.crawler.spider),
            response.url,
            response.status,
            _pairs(response.headers),
            response.body,
            protocol=getattr(response, "protocol", None) or "HTTP/1.1",
            method=request.method,
            request_headers=_pairs(request.headers),
            fetched_at=utcnow(),
        )
        self.server.rpush(self.key, message)
        self.crawler.stats.inc_value("redis/captures_queued")
        return response


class RedisDeltaFetchMiddleware(DeltaFetchMiddleware):
    """Delta-fetch against the archived URLs the drain keeps in Redis, as the crawl found them."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisDeltaFetchMiddleware:
        settings = crawler.settings
        if not settings.getbool("DELTAFETCH_ENABLED") or not settings.get("REDIS_URL"):
            raise NotConfigured
        middleware = cls(crawler, "", settings.getbool("DELTAFETCH_STOP_PAGINATION"))
        middleware.server = connect(settings.get("REDIS_URL"))
        middleware.keys = Keys(settings.get("REDIS_PREFIX"))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        keys = self.keys.for_job(job_name(spider))
        site = getattr(getattr(spider, "site", None), "slug", None) or spider.name
        members = self.server.register_script(SNAPSHOT)(
            keys=[keys.snapshot_taken, keys.snapshot, self.keys.archived(site)]
        )
        self.index = DeltaIndex({m.decode("utf-8") for m in members})
        self.stats.set_value("deltafetch/archived_at_start", len(self.index.archived))


@dataclass
class WorkerSummary:
    """What this worker did for each job: finish reason, pages fetched, items queued."""

    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """Return one line per job."""
        return [
            f"{job}: {s['finish_reason']}, {s['pages']} pages fetched, "
            f"{s['items']} articles queued, "
            f"{s['recovered']} requests of dead workers recovered"
            for job, s in self.jobs.items()
        ]

    @property
    def exit_status(self) -> int:
        """Return 0 when every job finished (or was stopped by a limit), else 1."""
        return 0 if all(s["finish_reason"] in COMPLETE for s in self.jobs.values()) else 1


def run_workers(
    jobs: list, redis_url: str, overrides: dict[str, Any] | None = None
) -> WorkerSummary:
    """Crawl `jobs` (crawler.runner.Job) as a worker of the Redis at `redis_url`; return the
    summary."""
    from crawler.runner import project_settings

    connect(redis_url)  # fail early, with the Redis error, when the server is unreachable
    base = project_settings(overrides or {})
    settings = project_settings({**(overrides or {}), **worker_settings(base, redis_url)})
    process = CrawlerProcess(settings)
    crawlers = []
    for job in jobs:
        crawler = process.create_crawler(job.spider)
        crawlers.append((job, crawler))
        process.crawl(crawler, **job.kwargs)
    process.start()
    summary = WorkerSummary()
    for job, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        summary.jobs[job.site.slug] = {
            "finish_reason": stats.get("finish_reason", "not started"),
            "pages": stats.get("response_received_count", 0),
            "items": stats.get("redis/items_queued", 0),
            "recovered": stats.get("redis/recovered", 0),
        }
    return summary
