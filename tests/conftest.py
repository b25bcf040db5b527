"""Shared fixtures: a fresh archive file per test, a throwaway Redis; the e2e/redis marks kept
honest."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import redis

from crawler.archive.runs import seed_outlets
from crawler.archive.schema import open_archive
from crawler.reprints.outlets import outlet_hosts
from tests.support.redis_server import redis_server

_RUNNING: list[pytest.Item] = []  # the test in progress, for the audit hook below


def _refuse_unmarked_processes(event: str, args: tuple) -> None:
    """Audit hook: stop a test that starts a process without the marks that deselect it.

    `pytest -m "not e2e"` stays fast only if every test that starts a crawl, the CLI or
    redis-server says so; this makes a forgotten mark fail at once, in the full run too.
    """
    if event != "subprocess.Popen" or not _RUNNING:
        return
    command = args[1] if isinstance(args[1], list | tuple) else [args[1]]
    program = Path(str(args[0] or command[0])).name
    needed = ("e2e", "redis") if program == "redis-server" else ("e2e",)
    missing = [mark for mark in needed if _RUNNING[-1].get_closest_marker(mark) is None]
    if missing:
        marks = " and ".join(f"@pytest.mark.{mark}" for mark in missing)
        raise RuntimeError(
            f"{_RUNNING[-1].nodeid} starts {program} but lacks {marks} "
            "(see the markers in pyproject.toml)"
        )


sys.addaudithook(_refuse_unmarked_processes)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None):
    """Remember the running test (setup, call and teardown) for the audit hook."""
    _RUNNING.append(item)
    try:
        return (yield)
    finally:
        _RUNNING.pop()


@pytest.fixture
def db(tmp_path):
    """A real, freshly migrated SQLite archive in a temporary folder."""
    database = open_archive(tmp_path / "archive.db")
    seed_outlets(database, outlet_hosts())
    yield database
    database.conn.close()


@pytest.fixture
def server(tmp_path):
    """A client of a throwaway redis-server (the tests that use it are marked e2e and redis)."""
    with redis_server(tmp_path) as url:
        yield redis.Redis.from_url(url)
