"""A worker's last pipeline: queue each article in Redis for `legalnews drain`, and each failure."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy_redis.pipelines import RedisPipeline

from crawler.distributed import Keys, connect
from crawler.distributed.messages import article_message, failure_message
from crawler.distributed.scheduler import job_name
from crawler.health import failure_kind
from crawler.items import Article
from pipelines.failure_signals import FailureSignals


class QueuePipeline(FailureSignals, RedisPipeline):
    """scrapy-redis's item pipeline, pushing our JSON messages (crawler.distributed.messages).

    The push is synchronous (a local round trip): the request that produced the item is
    acknowledged to the scheduler only after its items are in Redis.
    """

    def __init__(self, crawler: Crawler, server, key: str) -> None:
        super().__init__(server, key)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QueuePipeline:
        settings = crawler.settings
        if not settings.get("REDIS_URL"):
            raise NotConfigured("REDIS_URL is empty")
        pipeline = cls(
            crawler, connect(settings.get("REDIS_URL")), Keys(settings.get("REDIS_PREFIX")).items
        )
        pipeline.connect_failure_signals(crawler)
        return pipeline

    def process_item(self, item: Article) -> Article:
        self.server.rpush(self.key, article_message(job_name(self.crawler.spider), item))
        self.crawler.stats.inc_value("redis/items_queued")
        return item

    def submit_failure(self, url: str, reason: str, status: int | None) -> None:
        """Queue a failed page for the drain's failures table."""
        self.server.rpush(
            self.key, failure_message(job_name(self.crawler.spider), url, reason, status)
        )
        self.crawler.stats.inc_value(f"failures/{failure_kind(reason)}")
