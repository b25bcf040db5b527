"""The archive writer of a crawl process, shared by all its crawlers through a Scrapy extension.

`legalnews crawl fzzx lnfz` runs one crawler per site in one CrawlerProcess. One writer
process per crawler would put several writers on one SQLite file, queueing for its write
lock, each reloading its LSH memory after every commit of another. So each crawler's
ArchiveWriterExtension takes the process's one writer for its archive from SharedWriters:
the first crawler to open starts it, the last to close stops it.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep

from crawler.archive.writer import ArchiveWriter

logger = logging.getLogger(__name__)
POLL_SECONDS = 0.02  # how often a crawler waiting for the writer looks again


class SharedWriters:
    """One ArchiveWriter per archive path in this process, counted by the crawlers using it."""

    def __init__(self) -> None:
        self.writers: dict[str, tuple[ArchiveWriter, int]] = {}

    def acquire(self, path: str, settings: BaseSettings) -> ArchiveWriter:
        """Return the writer of `path`, started now if no crawler holds it."""
        key = str(Path(path).resolve())
        writer, users = self.writers.get(key, (None, 0))
        if writer is None:
            writer = ArchiveWriter(
                path,
                settings.getint("ARCHIVE_COMMIT_ITEMS", 200),
                settings.getfloat("ARCHIVE_COMMIT_SECONDS", 1.0),
                settings.getint("ARCHIVE_WRITER_QUEUE_SIZE", 1000),
            )
        self.writers[key] = (writer, users + 1)
        return writer

    def release(self, path: str) -> None:
        """Let go of the writer of `path`; the last user stops it (every task committed)."""
        key = str(Path(path).resolve())
        writer, users = self.writers[key]
        if users > 1:
            self.writers[key] = (writer, users - 1)
            return
        del self.writers[key]
        writer.close()


def archive_path(crawler: Crawler) -> str:
    """Return ARCHIVE_PATH; NotConfigured when it is empty (the archive is off: Redis workers)."""
    path = crawler.settings.get("ARCHIVE_PATH")
    if not path:
        raise NotConfigured("ARCHIVE_PATH is empty")
    return path


WRITERS = SharedWriters()
CRAWLER_KEYS = itertools.count(1)  # names each crawler's tasks in the shared writer


class ArchiveWriterExtension:
    """Hand this crawler's archive writes to the shared writer; its tasks and counts are its own.

    Reached by the store pipeline and the WARC middleware with `ArchiveWriterExtension.of`.
    Off when ARCHIVE_PATH is empty (Redis workers).
    """

    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path
        self.key = next(CRAWLER_KEYS)
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveWriterExtension:
        extension = cls(crawler, archive_path(crawler))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    @classmethod
    def of(cls, crawler: Crawler) -> ArchiveWriterExtension:
        """Return the crawler's extension, for the components that write through it.

        Raises NotConfigured, switching the caller off, when ARCHIVE_PATH is empty or the
        extension is not in EXTENSIONS.
        """
        archive_path(crawler)  # an empty path is the reason, though the extension is off too
        archive = crawler.get_extension(cls)
        if archive is None:
            raise NotConfigured("the ArchiveWriterExtension is not in EXTENSIONS")
        return archive

    def open(self) -> ArchiveWriter:
        """Return the shared writer, taking a hold on it on first use."""
        if self.writer is None:
            self.writer = WRITERS.acquire(self.path, self.crawler.settings)
            self.writer.on_counts[self.key] = self.count
            self.crawler.stats.set_value("archive/writer_pid", self.writer.process.pid)
        return self.writer

    def count(self, counts: dict[str, int]) -> None:
        """Add what this crawler's committed tasks counted to its stats."""
        for name, value in counts.items():
            self.crawler.stats.inc_value(name, value)

    def submit(self, name: str, *args: Any) -> None:
        """Queue a write task of this crawler now (see crawler.archive.writer_tasks).

        For callers that cannot wait (signal handlers); past the queue's bound the task
        waits in the writer's backlog, in order.
        """
        self.open().submit(name, *args, key=self.key)

    async def put(self, name: str, *args: Any) -> None:
        """Queue a write task of this crawler once the writer has room for it.

        The back-pressure of the crawl: a full queue makes this crawler's item (or
        response) wait here while the reactor goes on, never blocking it in `Queue.put`.
        """
        writer = self.open()
        while not writer.has_room():
            await sleep(POLL_SECONDS)
        writer.submit(name, *args, key=self.key)

    async def flush(self) -> Counter[str]:
        """Wait, without blocking the reactor, until this crawler's tasks are committed; return
        everything they counted."""
        writer = self.open()
        try:
            writer.sync(self.key)
            while not writer.is_synced(self.key):
                await sleep(POLL_SECONDS)
        except RuntimeError:  # the writer died: the run is closed with what it committed
            logger.error("the archive writer process died (exit code %s)", writer.process.exitcode)
        return writer.counts_by_key[self.key]

    def spider_closed(self, spider: Spider) -> None:
        if self.writer is not None:
            writer, self.writer = self.writer, None
            WRITERS.release(self.path)  # the last user's release still counts into its stats
            writer.on_counts.pop(self.key, None)
