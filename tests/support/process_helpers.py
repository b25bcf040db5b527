"""Helpers for tests and bench scripts that run Python in another process: the CLI, scrapy, a
crawl to watch."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Return the finished run of `python ARGS` (this interpreter, from the repo root).

    Output is captured as text and a non-zero exit raises nothing: the test asserts the code.
    `env`, when given, is the child's whole environment.
    """
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Return the finished run of `legalnews ARGS` (python -m crawler), as run_python does."""
    return run_python("-m", "crawler", *args, env=env, timeout=timeout)


def settings_args(settings: Mapping[str, object]) -> list[str]:
    """Return the `-s NAME=VALUE` arguments that give `settings` to a crawl."""
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


# No politeness delays and quiet logs: test crawls of a local server finish in seconds.
FAST = settings_args({"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING"})


def crawl_command(start_url: str, *args: str) -> list[str]:
    """Return the command of `legalnews crawl --start-url start_url *args` in this Python."""
    return [sys.executable, "-m", "crawler", "crawl", "--start-url", start_url, *args]


def run_crawl(
    start_url: str, *args: str, timeout: float | None = 60
) -> subprocess.CompletedProcess:
    """Run `legalnews crawl --start-url` in a fresh process to its end; return the result, its
    output as text."""
    return subprocess.run(
        crawl_command(start_url, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_crawl(start_url: str, *args: str) -> subprocess.Popen:
    """Start `legalnews crawl --start-url` in a fresh process; return it, its pipes as text."""
    return subprocess.Popen(
        crawl_command(start_url, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout: float = 60) -> None:
    """Poll `condition` until it holds; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def stored(db) -> int:
    """Return how many articles the archive at `db` holds (0 before it exists), read-only."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def spawned_children(pid: int) -> set[int]:
    """Return the pids of the children of process `pid` started by multiprocessing's spawn."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.add(int(entry.name))
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
    return found
