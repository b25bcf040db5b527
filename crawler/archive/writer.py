"""The one writer of a crawl: a background thread that owns the archive connection.

The WARC middleware and the store pipeline hand it their work; it runs the tasks in the
order given, inside transactions of up to ARCHIVE_COMMIT_ITEMS tasks or
ARCHIVE_COMMIT_SECONDS, whichever comes first. The crawl thread never waits for SQLite,
gzip or hashing (which release the GIL), and one connection means no lock contention.

A task that raises is logged and handed to `on_error`; the batch goes on. If the process is
killed, what was not yet committed is lost as a whole batch and the crawl's resume fetches
those pages again: delta-fetch only skips articles that are in the archive.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from scrapy.crawler import Crawler
from sqlite_utils import Database

from crawler.archive.schema import open_archive

logger = logging.getLogger(__name__)
Task = Callable[[Database], Any]
_STOP = object()


class ArchiveWriter:
    """Run write tasks against one archive on a background thread, in batched transactions."""

    def __init__(self, path: str, commit_items: int = 200, commit_seconds: float = 1.0,
                 on_error: Callable[[Database, Task, BaseException], None] | None = None) -> None:
        self.db = open_archive(path)  # opened here so a bad path fails in the caller
        self.db.conn.close()
        self.path = path
        self.commit_items = max(1, commit_items)
        self.commit_seconds = commit_seconds
        self.on_error = on_error
        self.tasks: queue.Queue = queue.Queue(maxsize=10_000)  # back-pressure on a slow disk
        self.closers: list[Task] = []  # run on the writer thread before it stops
        self.thread = threading.Thread(target=self._run, name="archive-writer", daemon=True)
        self.thread.start()

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> ArchiveWriter:
        """Return the writer of this crawler (one per crawl, shared by its components)."""
        writer = getattr(crawler, "archive_writer", None)
        if writer is None:
            settings = crawler.settings
            writer = cls(settings.get("ARCHIVE_PATH"), settings.getint("ARCHIVE_COMMIT_ITEMS", 200),
                         settings.getfloat("ARCHIVE_COMMIT_SECONDS", 1.0))
            crawler.archive_writer = writer
        return writer

    def submit(self, task: Task) -> None:
        """Queue `task(db)` to run on the writer thread, after every task submitted before it."""
        if not self.thread.is_alive():
            raise RuntimeError("the archive writer has stopped")
        self.tasks.put(task)

    def close(self) -> None:
        """Run every queued task and the closers, commit, and close the connection."""
        if self.thread.is_alive():
            for closer in self.closers:
                self.tasks.put(closer)
            self.tasks.put(_STOP)
            self.thread.join()

    def _run(self) -> None:
        db = open_archive(self.path)
        batch: list[Task] = []
        opened = 0.0
        try:
            while True:
                timeout = None if not batch else max(0.0, opened + self.commit_seconds - time.monotonic())
                try:
                    task = self.tasks.get(timeout=timeout)
                except queue.Empty:
                    task = None
                if task is _STOP:
                    break
                if task is not None:
                    if not batch:
                        db.conn.execute("BEGIN IMMEDIATE")
                        opened = time.monotonic()
                    batch.append(task)
                    if not self._try(db, batch):
                        batch = []
                if batch and (len(batch) >= self.commit_items or time.monotonic() - opened >= self.commit_seconds):
                    db.conn.execute("COMMIT")
                    batch = []
        finally:
            if batch:
                db.conn.execute("COMMIT")
            db.conn.close()

    def _try(self, db: Database, batch: list[Task]) -> bool:
        """Run the newest task of the open batch; on failure redo the batch without it.

        No savepoint per task: a savepoint makes FTS5 flush its pending terms, which would
        turn every article into its own index segment. A failure is rare, so it pays instead:
        the batch is rolled back and its other tasks are committed one by one.
        """
        try:
            batch[-1](db)
            return True
        except Exception as exc:  # one bad item must not lose the batch around it
            db.conn.execute("ROLLBACK")
            self._report(db, batch[-1], exc)
        for task in batch[:-1]:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                task(db)
                db.conn.execute("COMMIT")
            except Exception as exc:
                db.conn.execute("ROLLBACK")
                self._report(db, task, exc)
        return False

    def _report(self, db: Database, task: Task, exc: BaseException) -> None:
        """Log a failed task and let `on_error` record it, in a transaction of its own."""
        logger.error("archive write failed: %s", exc, exc_info=exc)
        if self.on_error is None:
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            self.on_error(db, task, exc)
            db.conn.execute("COMMIT")
        except Exception:
            db.conn.execute("ROLLBACK")
            logger.exception("archive error handler failed")
