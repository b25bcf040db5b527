"""Distributed crawl throughput: 1, 2 and 4 Redis workers against the single-process crawl.

Run: python -m bench.bench_redis --pages 5000 --workers 1 2 4
The generated site of bench/bench_crawl.py (its own server process; lists of 50 links with
下一页 pagination) is crawled with politeness lifted, first by `legalnews crawl` in one process
(parse, store, WARC), then for each worker count by N `legalnews crawl --redis` workers on a
fresh redis-server, followed by `legalnews drain` into a fresh archive. Needs redis-server.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_crawl import LIFTED_ARGS, full_crawl_command, generated_site, site_pages
from tests.support.process_helpers import crawl_command
from tests.support.redis_server import redis_binary, running_redis


def run_all(commands: list[list[str]]) -> float:
    """Run commands in parallel; return the wall seconds until the last one exits."""
    start = time.perf_counter()
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL) for cmd in commands]
    if any(p.wait() for p in procs):
        raise SystemExit(f"{commands[0][:5]} failed")
    return time.perf_counter() - start


def articles(db: Path) -> int:
    return sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]


def measure(binary: str, url: str, tmp: str, workers: int) -> dict:
    """Crawl with `workers` Redis workers, then drain; return the timings."""
    with running_redis(binary, Path(tmp)) as redis_url:
        worker = crawl_command(url, "--redis", redis_url, *LIFTED_ARGS)
        crawl_s = run_all([worker] * workers)
        db = Path(tmp, f"workers{workers}.db")
        drain_s = run_all(
            [[sys.executable, "-m", "crawler", "drain", "--redis", redis_url, "--db", str(db)]]
        )
    return {"crawl_s": crawl_s, "drain_s": drain_s, "stored": articles(db)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    binary = redis_binary()
    if binary is None:
        raise SystemExit("Error: no redis-server found (apt-get install redis-server)")
    pages = site_pages(args.pages)
    with tempfile.TemporaryDirectory() as tmp, generated_site(args.pages, tmp) as url:
        db = Path(tmp, "single.db")
        single_s = run_all([full_crawl_command(url, db)])
        print(
            f"{pages} pages; single-process crawl: {single_s:.1f} s, "
            f"{pages / single_s:.0f} pages/s, {articles(db)} stored",
            flush=True,
        )
        print(
            "| workers | crawl s | crawl pages/s | drain s | drain articles/s "
            "| crawl+drain pages/s | stored | (crawl+drain) ÷ single-process time |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for n in args.workers:
            r = measure(binary, url, tmp, n)
            both = r["crawl_s"] + r["drain_s"]
            print(
                f"| {n} | {r['crawl_s']:.1f} | {pages / r['crawl_s']:.0f} | {r['drain_s']:.1f} | "
                f"{r['stored'] / r['drain_s']:.0f} | {pages / both:.0f} | {r['stored']} | "
                f"{both / single_s:.2f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
