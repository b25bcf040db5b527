"""The one writer of a crawl: a separate process that owns the archive connection.

The WARC middleware and the store pipeline hand it their work as named tasks (picklable data,
no code); it runs them in the order given, inside transactions of up to ARCHIVE_COMMIT_ITEMS
tasks or ARCHIVE_COMMIT_SECONDS, whichever comes first. Its own process gives WARC
compression, hashing, extraction bookkeeping and SQLite a core of their own: the crawl thread
only queues. What the tasks counted (articles new or unchanged, reprints, failures) comes
back as stats increments.

If the crawl is killed, the writer finishes the tasks it already has and commits them; what
was never handed over is fetched again by the resumed run (delta-fetch skips only articles
that are in the archive), and storage is idempotent by canonical URL.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import time
from collections import Counter
from functools import partial
from typing import Any

from scrapy.crawler import Crawler
from sqlite_utils import Database

from crawler.archive import writer_tasks
from crawler.archive.bulk import write_one_by_one
from crawler.archive.schema import commit, open_archive, rollback

logger = logging.getLogger(__name__)
STOP = "stop"


class ArchiveWriter:
    """Run named write tasks against one archive in a child process, in batched transactions."""

    def __init__(self, path: str, commit_items: int = 200, commit_seconds: float = 1.0) -> None:
        open_archive(path).conn.close()  # a bad path fails here, in the caller, with a clear error
        context = multiprocessing.get_context("spawn")  # never fork a process that runs a reactor
        self.tasks = context.Queue(maxsize=1000)  # back-pressure: memory stays bounded
        self.results = context.Queue()
        self.process = context.Process(
            target=serve, args=(path, max(1, commit_items), commit_seconds, self.tasks, self.results),
            name="legalnews-archive-writer", daemon=True,
        )
        self.process.start()
        self.counts: Counter[str] = Counter()
        self.on_counts = None  # called with each batch of increments, on the caller's thread
        self.closed = False

    @classmethod
    def for_crawler(cls, crawler: Crawler) -> ArchiveWriter:
        """Return the writer of this crawler (one per crawl, shared by its components)."""
        writer = getattr(crawler, "archive_writer", None)
        if writer is None:
            settings = crawler.settings
            writer = cls(settings.get("ARCHIVE_PATH"), settings.getint("ARCHIVE_COMMIT_ITEMS", 200),
                         settings.getfloat("ARCHIVE_COMMIT_SECONDS", 1.0))
            writer.on_counts = lambda counts: [crawler.stats.inc_value(k, v) for k, v in counts.items()]
            crawler.archive_writer = writer
        return writer

    def submit(self, name: str, *args: Any) -> None:
        """Queue task `name` (a function of crawler.archive.writer_tasks) with picklable args."""
        if self.closed or not self.process.is_alive():
            raise RuntimeError("the archive writer has stopped")
        self.tasks.put((name, args))
        self._collect(block=False)

    def close(self) -> Counter[str]:
        """Run every queued task, commit, stop the process; return everything it counted."""
        if not self.closed:
            self.closed = True
            self.tasks.put((STOP, ()))
            while self._collect(block=True):
                pass
            self.process.join()
        return self.counts

    def _collect(self, block: bool) -> bool:
        """Apply the counts the process sent back; return False once it said it is done."""
        while True:
            try:
                message = self.results.get(block=block, timeout=1.0 if block else 0)
            except queue.Empty:
                if block and not self.process.is_alive():
                    logger.error("the archive writer process died (exit code %s)", self.process.exitcode)
                    return False
                return True
            if message is None:
                return False
            self.counts.update(message)
            if self.on_counts is not None:
                self.on_counts(message)
            if block:
                return True


PARENT_CHECK_SECONDS = 0.5  # how soon a writer whose crawl process died commits and exits


def serve(path: str, commit_items: int, commit_seconds: float, tasks, results) -> None:
    """The writer process: run tasks in batched transactions until STOP or the crawl dies."""
    db = open_archive(path)
    parent = multiprocessing.parent_process()
    state: dict[str, Any] = {}
    batch: list[tuple[str, tuple]] = []
    counts: Counter[str] = Counter()
    opened = 0.0
    try:
        while True:
            timeout = PARENT_CHECK_SECONDS
            if batch:
                timeout = min(timeout, max(0.0, opened + commit_seconds - time.monotonic()))
            try:
                task = tasks.get(timeout=timeout)
            except queue.Empty:
                task = None
                if parent is not None and not parent.is_alive():
                    results.cancel_join_thread()  # nobody reads them any more: never block on exit
                    break  # the crawl was killed: commit the tasks it handed over, then stop
            except (EOFError, OSError):
                break
            if task is not None and task[0] == STOP:
                break
            if task is not None:
                if not batch:
                    db.conn.execute("BEGIN IMMEDIATE")
                    opened = time.monotonic()
                batch.append(task)
                if not run_newest(db, state, batch, counts):
                    batch = []
            if batch and (len(batch) >= commit_items or time.monotonic() - opened >= commit_seconds):
                commit(db)
                batch = []
                send(results, counts)
    finally:
        if batch:
            commit(db)
        writer_tasks.close_files(state)
        db.conn.close()
        send(results, counts)
        results.put(None)


def send(results, counts: Counter[str]) -> None:
    """Send the counts of committed work back to the crawl process."""
    if counts:
        results.put(dict(counts))
        counts.clear()


def run_newest(db: Database, state: dict, batch: list[tuple[str, tuple]], counts: Counter[str]) -> bool:
    """Run the newest task of the open batch; on failure redo the batch one task per transaction.

    No savepoint per task: a savepoint makes FTS5 flush its pending terms, which would turn
    every article into its own index segment. A failure is rare, so it pays instead: the
    batch is rolled back and its tasks are redone one by one, as bulk writes do
    (crawler.archive.bulk.write_one_by_one); the one that fails again becomes a failure row.
    """
    pending: Counter[str] = Counter()
    try:
        writer_tasks.run(db, state, batch[-1], pending)
    except Exception:  # one bad item must not lose the batch around it
        rollback(db)
        counts.clear()  # the rolled-back tasks are counted again as they are redone
        counts.update(write_one_by_one(db, batch, partial(run_task, state), partial(record_failed_task, state)))
        return False
    counts.update(pending)
    return True


def run_task(state: dict, db: Database, task: tuple[str, tuple]) -> Counter[str]:
    """Run one task; return what it counted."""
    done: Counter[str] = Counter()
    writer_tasks.run(db, state, task, done)
    return done


def record_failed_task(state: dict, db: Database, task: tuple[str, tuple], exc: BaseException) -> Counter[str]:
    """Log a task that failed on its own and record it as a failure of its run; return the counts."""
    logger.error("archive write failed (%s): %s", task[0], exc, exc_info=exc)
    done: Counter[str] = Counter()
    try:
        writer_tasks.record_error(db, task, exc, done)
    except Exception:  # the crawl goes on; the log has both errors
        logger.exception("could not record the failed archive write")
        done.clear()
    return done
