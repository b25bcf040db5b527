"""CI runs the Redis tests or fails: a missing redis-server is a skip only outside CI."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.redis_server import require_redis

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_without_redis_server_ci_fails_the_redis_tests(value):
    with pytest.raises(pytest.fail.Exception, match=r"no redis-server binary found.*\bCI\b"):
        require_redis(None, {"CI": value})


@pytest.mark.parametrize("environ", [{}, {"CI": ""}, {"CI": "false"}, {"CI": "0"}])
def test_without_redis_server_a_developer_machine_skips_saying_why(environ):
    with pytest.raises(pytest.skip.Exception, match="no redis-server binary found"):
        require_redis(None, environ)


@pytest.mark.parametrize("environ", [{}, {"CI": "true"}])
def test_with_redis_server_its_path_comes_back(environ):
    assert require_redis("/usr/bin/redis-server", environ) == "/usr/bin/redis-server"


def _shim(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


@pytest.mark.e2e
def test_ci_run_stops_when_it_cannot_install_redis_server(tmp_path):
    """A PATH with no redis-server, and an apt-get (or sudo) that fails, as on a runner with no
    network: .ci/run must stop with an error, not go on to run the tests without Redis."""
    for tool in ("dirname", "id"):
        (tmp_path / tool).symlink_to(f"/usr/bin/{tool}")
    for tool in ("apt-get", "sudo"):
        _shim(tmp_path, tool, "exit 100")
    result = subprocess.run(
        ["/bin/bash", str(ROOT / ".ci" / "run")],
        env={"PATH": str(tmp_path), "HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: could not install redis-server, so CI cannot run the Redis tests "
        "(install it with apt-get install redis-server, then run .ci/run again)"
    )
