"""A throwaway redis-server on a free loopback port, and a generated portal big enough to share.

Without a redis-server binary the Redis tests skip, saying why, on a developer's machine, and
fail when the environment variable CI is set: a skipped test must not let CI pass. `.ci/run`
installs redis-server with apt-get when it is missing, and stops when it cannot.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.support.news_text import filler
from tests.support.portal_site import Portal


def redis_binary() -> str | None:
    """Return the path of redis-server, or None."""
    found = shutil.which("redis-server")
    if found:
        return found
    return next(
        (
            p
            for p in (
                "/usr/bin/redis-server",
                "/usr/sbin/redis-server",
                "/usr/local/bin/redis-server",
            )
            if Path(p).exists()
        ),
        None,
    )


def require_redis(binary: str | None, environ: Mapping[str, str] = os.environ) -> str:
    """Return `binary`, the redis-server a Redis test needs; without one, fail the test when CI
    is set in `environ` and skip it otherwise."""
    if binary is not None:
        return binary
    missing = "no redis-server binary found (apt-get install redis-server)"
    if environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(
            f"{missing}: CI is set, so the Redis tests fail instead of skipping", pytrace=False
        )
    pytest.skip(f"{missing}; Redis tests skipped")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Run redis-server on 127.0.0.1 without persistence for a test; yield its URL."""
    with running_redis(require_redis(redis_binary()), folder) as url:
        yield url


@contextmanager
def running_redis(binary: str, folder: Path) -> Iterator[str]:
    """Run the redis-server `binary` on a free loopback port without persistence, its files in
    `folder`; yield its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--save",
            "",
            "--appendonly",
            "no",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                assert process.poll() is None, "redis-server exited at start"
                assert time.monotonic() < deadline, "redis-server did not answer"
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(10)


class BigPortal(Portal):
    """The test portal with distinct article text, so that hundreds of pages are hundreds of
    stories."""

    def article(self, key: str) -> str:
        col, _, n = key.partition("-")
        number = int(n) if n.isdigit() else 1
        rng = random.Random(f"{col}-{number}")
        paras = "".join(
            f"<p>{col}第{number}号报道第{p + 1}段：" + filler(rng) + "。</p>" for p in range(4)
        )
        main = (
            f'<div class="art"><h1>{col}栏目第{number}篇：基层法治建设报道</h1><div class="info">'
            f"发布时间：2024-05-{number % 28 + 1:02d} 09:30　来源：法治日报　作者：张明</div>"
            f'<div class="text">{paras}</div></div>'
        )
        return self.chrome(f"{col}栏目第{number}篇", main)

    def page_hits(self) -> dict[str, int]:
        """Return the fetch count of every path but robots.txt (each worker reads it once)."""
        return {path: n for path, n in self.hits.items() if path != "/robots.txt"}
