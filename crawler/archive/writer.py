"""The one writer of a crawl process: a separate process that owns the archive connection.

The WARC middleware and the store pipeline of every crawler of the process hand it their
work as named tasks (picklable data, no code), each tagged with a key naming its crawler;
it runs them in the order given, inside transactions of up to ARCHIVE_COMMIT_ITEMS tasks or
ARCHIVE_COMMIT_SECONDS, whichever comes first. Its own process gives WARC compression,
hashing, extraction bookkeeping and SQLite a core of their own: the crawl thread only
queues. What the tasks counted (articles new or unchanged, reprints, failures) comes back
per key as stats increments; `sync(key)` asks for a commit and a word once the key's tasks
so far are committed, so one crawler can finish its run while the others go on.

If the crawl is killed, the writer finishes the tasks it already has and commits them; what
was never handed over is fetched again by the resumed run (delta-fetch skips only articles
that are in the archive), and storage is idempotent by canonical URL.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlite_utils import Database

from crawler.archive import writer_tasks
from crawler.archive.bulk import write_one_by_one
from crawler.archive.schema import commit, open_archive, rollback

logger = logging.getLogger(__name__)
STOP = "stop"
SYNC = "sync"  # not a task: commit, send the counts, then say ("synced", key)


class ArchiveWriter:
    """Run named write tasks against one archive in a child process, in batched transactions."""

    def __init__(
        self,
        path: str,
        commit_items: int = 200,
        commit_seconds: float = 1.0,
        queue_size: int = 1000,
    ) -> None:
        open_archive(path).conn.close()  # a bad path fails here, in the caller, with a clear error
        context = multiprocessing.get_context("spawn")  # never fork a process that runs a reactor
        self.tasks = context.Queue(
            maxsize=max(1, queue_size)
        )  # back-pressure: memory stays bounded
        self.results = context.Queue()
        self.process = context.Process(
            target=serve,
            args=(path, max(1, commit_items), commit_seconds, self.tasks, self.results),
            name="legalnews-archive-writer",
            daemon=True,
        )
        self.process.start()
        self.counts: Counter[str] = Counter()  # everything counted, all keys together
        self.counts_by_key: defaultdict[Any, Counter[str]] = defaultdict(Counter)
        self.on_counts: dict[Any, Callable[[dict[str, int]], None]] = {}  # key -> stats callback
        self.synced: set[Any] = set()
        self.backlog: deque[tuple[Any, str, tuple]] = deque()  # tasks waiting for room, in order
        self.closed = False

    def submit(self, name: str, *args: Any, key: Any = None) -> None:
        """Queue task `name` (a function of crawler.archive.writer_tasks) with picklable args.

        Never blocks: when the queue is full the task waits here, behind the others, until
        `has_room` or `close` moves it on. Callers that can wait await `has_room` first.
        """
        if self.closed or not self.process.is_alive():
            raise RuntimeError("the archive writer has stopped")
        self.backlog.append((key, name, args))
        self._feed()
        self._collect(block=False)

    def has_room(self) -> bool:
        """Return True when nothing waits for room in the queue (a task submitted now goes in)."""
        if not self.process.is_alive():
            raise RuntimeError("the archive writer has stopped")
        self._feed()
        self._collect(block=False)
        return not self.backlog

    def _feed(self, block: bool = False) -> None:
        """Move waiting tasks into the queue, in order, while it has room (or until all are in)."""
        while self.backlog:
            try:
                self.tasks.put(self.backlog[0], block=block, timeout=1.0 if block else None)
            except queue.Full:
                if not block or not self.process.is_alive():
                    return
                continue
            self.backlog.popleft()

    def sync(self, key: Any) -> None:
        """Ask the writer to commit now and to say when the tasks of `key` so far are committed."""
        self.synced.discard(key)
        self.submit(SYNC, key=key)

    def is_synced(self, key: Any) -> bool:
        """Return True once the tasks of `key` before `sync(key)` are committed and counted."""
        if key not in self.synced:
            self.has_room()  # moves the sync on if it waits for room; raises if the writer died
        return key in self.synced

    def close(self) -> Counter[str]:
        """Run every queued task, commit, stop the process; return everything it counted."""
        if not self.closed:
            self.closed = True
            self.backlog.append((None, STOP, ()))
            self._feed(block=True)
            while self._collect(block=True):
                pass
            self.process.join()
        return self.counts

    def _collect(self, block: bool) -> bool:
        """Take in what the process sent back; return False once it said it is done."""
        while True:
            try:
                message = self.results.get(block=block, timeout=1.0 if block else 0)
            except queue.Empty:
                if block and not self.process.is_alive():
                    logger.error(
                        "the archive writer process died (exit code %s)", self.process.exitcode
                    )
                    return False
                return True
            if message is None:
                return False
            kind, payload = message
            if kind == "synced":
                self.synced.add(payload)
            else:
                self._count(payload)
            if block:
                return True

    def _count(self, counts_by_key: dict[Any, dict[str, int]]) -> None:
        """Add the counts of committed tasks, and hand each key's to its stats callback."""
        for key, counts in counts_by_key.items():
            self.counts.update(counts)
            self.counts_by_key[key].update(counts)
            if key in self.on_counts:
                self.on_counts[key](counts)


PARENT_CHECK_SECONDS = 0.5  # how soon a writer whose crawl process died commits and exits


def serve(path: str, commit_items: int, commit_seconds: float, tasks, results) -> None:
    """The writer process: run tasks in batched transactions until STOP or the crawl dies."""
    db = open_archive(path)
    state: dict[str, Any] = {}
    batch: list[tuple[Any, str, tuple]] = []
    counts: Counter[tuple[Any, str]] = Counter()  # (key, stat) -> increment, since the last send
    opened = 0.0
    try:
        while True:
            timeout = PARENT_CHECK_SECONDS
            if batch:
                timeout = min(timeout, max(0.0, opened + commit_seconds - time.monotonic()))
            task = next_task(tasks, timeout, results)
            if task is not None and task[1] in (STOP, SYNC):
                if task[1] == STOP:
                    break
                if batch:
                    commit(db)
                    batch = []
                send(results, counts)
                results.put(("synced", task[0]))
                continue
            if task is not None:
                if not batch:
                    db.conn.execute("BEGIN IMMEDIATE")
                    opened = time.monotonic()
                batch.append(task)
                if not run_newest(db, state, batch, counts):
                    batch = []
            if batch and (
                len(batch) >= commit_items or time.monotonic() - opened >= commit_seconds
            ):
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


def next_task(tasks, timeout: float, results) -> tuple[Any, str, tuple] | None:
    """Return the next task, None if none came within `timeout`, STOP once the crawl is gone."""
    try:
        return tasks.get(timeout=timeout)
    except queue.Empty:
        parent = multiprocessing.parent_process()
        if parent is not None and not parent.is_alive():
            results.cancel_join_thread()  # nobody reads them any more: never block on exit
            return (
                None,
                STOP,
                (),
            )  # the crawl was killed: commit the tasks it handed over, then stop
        return None
    except (EOFError, OSError):
        return (None, STOP, ())


def send(results, counts: Counter[tuple[Any, str]]) -> None:
    """Send the counts of committed work back to the crawl process, grouped by key."""
    if counts:
        by_key: defaultdict[Any, dict[str, int]] = defaultdict(dict)
        for (key, stat), value in counts.items():
            by_key[key][stat] = value
        results.put(("counts", dict(by_key)))
        counts.clear()


def run_newest(
    db: Database, state: dict, batch: list[tuple[Any, str, tuple]], counts: Counter[tuple[Any, str]]
) -> bool:
    """Run the newest task of the open batch; on failure redo the batch one task per transaction.

    No savepoint per task: a savepoint makes FTS5 flush its pending terms, which would turn
    every article into its own index segment. A failure is rare, so it pays instead: the
    batch is rolled back and its tasks are redone one by one, as bulk writes do
    (crawler.archive.bulk.write_one_by_one); the one that fails again becomes a failure row.
    """
    try:
        pending = run_task(state, db, batch[-1])
    except Exception:  # one bad item must not lose the batch around it
        rollback(db)
        counts.clear()  # the rolled-back tasks are counted again as they are redone
        counts.update(
            write_one_by_one(
                db, batch, partial(run_task, state), partial(record_failed_task, state)
            )
        )
        return False
    counts.update(pending)
    return True


def run_task(state: dict, db: Database, task: tuple[Any, str, tuple]) -> Counter[tuple[Any, str]]:
    """Run one task; return what it counted, by (key, stat)."""
    done: Counter[str] = Counter()
    writer_tasks.run(db, state, task[1:], done)
    return Counter({(task[0], stat): value for stat, value in done.items()})


def record_failed_task(
    state: dict, db: Database, task: tuple[Any, str, tuple], exc: BaseException
) -> Counter[tuple[Any, str]]:
    """Log a task that failed on its own and record it as a failure of its run; return the
    counts."""
    logger.error("archive write failed (%s): %s", task[1], exc, exc_info=exc)
    done: Counter[str] = Counter()
    try:
        writer_tasks.record_error(db, task[1:], exc, done)
    except Exception:  # the crawl goes on; the log has both errors
        logger.exception("could not record the failed archive write")
        done.clear()
    return Counter({(task[0], stat): value for stat, value in done.items()})
