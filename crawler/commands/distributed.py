"""Commands of a crawl spread over machines: the drain, and the worker side of `crawl --redis`."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from crawler.commands import check_db, db_option, fail
from crawler.health import EXIT_ALREADY_RUNNING


def redis_or_fail(url: str):
    """Return a client for `url`, or exit 2 with a one-line error."""
    import redis

    from crawler.distributed import connect

    try:
        return connect(url)
    except (redis.RedisError, ValueError) as exc:
        fail(f"cannot reach Redis at {url}: {exc}")


def crawl_worker(jobs: list, redis_url: str, overrides: dict) -> None:
    """Run `jobs` as a worker of the Redis at `redis_url`, print one line per job, exit with its
    status."""
    from crawler.distributed.worker import run_workers

    redis_or_fail(redis_url)
    summary = run_workers(jobs, redis_url, overrides)
    for line in summary.lines():
        click.echo(line)
    sys.exit(summary.exit_status)


@click.command()
@click.option(
    "--redis",
    "redis_url",
    required=True,
    metavar="URL",
    help="The Redis the workers queue into, redis://HOST:PORT/DB.",
)
@db_option("Archive to write.")
@click.option(
    "--batch",
    default=200,
    show_default=True,
    type=click.IntRange(min=1),
    help="Messages stored per SQLite transaction.",
)
@click.option(
    "--follow",
    is_flag=True,
    help="Keep waiting for items when the queue is empty (a service); stop with Ctrl-C or SIGTERM.",
)
def drain(redis_url: str, db: str, batch: int, follow: bool) -> None:
    """Store what Redis workers crawled into the archive: the single writer of a distributed crawl.

    Runs alongside the workers or after them; without --follow it stops once the queue is
    empty and no worker is alive. Interrupted and started again, it neither loses nor doubles
    anything. Exit status 3 when another drain holds this archive.

    Queue elements it cannot store (not JSON, not an object, an unknown type, an article a
    local crawl would drop) do not stop it: they are moved to the Redis list
    legalnews:items:dead (<REDIS_PREFIX>:items:dead), each a JSON object with its reason, the
    element ("message", base64 when not UTF-8), its batch and the UTC time, and counted as
    dead letters. To read them:

    \b
        redis-cli -u redis://10.0.0.5:6379/0 --raw LRANGE legalnews:items:dead 0 -1

    Example: legalnews drain --redis redis://10.0.0.5:6379/0 --db archive.db
    """
    from crawler.archive.schema import open_archive
    from crawler.distributed import Keys
    from crawler.distributed.drain import Drain
    from crawler.distributed.drain_warc import WarcTarget
    from crawler.lock import AlreadyRunning, job_lock
    from crawler.runner import project_settings

    check_db(db)
    server = redis_or_fail(redis_url)
    settings = project_settings({"ARCHIVE_PATH": db})
    folder = None
    if settings.getbool("WARC_ENABLED"):
        folder = Path(settings.get("WARC_DIR") or Path(db).resolve().parent / "archive" / "warc")
    stopping: list[int] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda number, frame: stopping.append(number))
    try:
        with job_lock(Path(db).resolve().parent / "jobs" / "drain" / "lock", "drain"):
            database = open_archive(db)
            keys = Keys(settings.get("REDIS_PREFIX"))
            work = Drain(
                database, server, keys, WarcTarget(folder, settings.getint("WARC_MAX_BYTES")), batch
            )
            seeded = work.seed_archived()
            click.echo(
                f"draining {redis_url} into {db} ({seeded} archived URLs published for delta-fetch)"
            )
            work.run(follow=follow, stop=lambda: bool(stopping))
            stats = work.finish()
            database.conn.close()
    except AlreadyRunning as exc:
        fail(str(exc), EXIT_ALREADY_RUNNING)
    click.echo(
        f"drained {sum(v for k, v in stats.items() if k.startswith('messages/'))} messages: "
        f"{stats.get('pages', 0)} pages, {stats.get('new', 0)} new, "
        f"{stats.get('updated', 0)} updated, "
        f"{stats.get('unchanged', 0)} unchanged articles, {stats.get('failures', 0)} failures, "
        f"{stats.get('dead_letters', 0)} dead letters (on {keys.dead})"
    )
