"""One run per job at a time: an flock on a file in the job folder, released by the OS on any
exit."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class AlreadyRunning(Exception):
    """Another process holds the lock of this job; the message names it."""


@contextmanager
def job_lock(path: str | os.PathLike[str], job: str) -> Iterator[None]:
    """Hold the lock file at `path` for the block, or raise AlreadyRunning at once.

    A run killed with SIGKILL leaves the file but not the lock, so it never blocks the next run.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
        os.close(fd)
        raise AlreadyRunning(
            f"another run of {job} is still running (pid {holder}, lock {path})"
        ) from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
