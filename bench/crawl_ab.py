"""Two checkouts crawl the same served site alternately: a before/after crawl comparison.

Run: python -m bench.crawl_ab 20000 /path/to/old-checkout .
Serves N generated article pages (bench/bench_crawl.py) once, then runs `legalnews crawl
--start-url` from each checkout in turn (politeness lifted as in bench_crawl), twice, and a
bare Scrapy spider after each round; prints the wall times. Alternating rounds on one server
keep the machine's noise out of the comparison as far as it can be kept out.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_crawl import full_crawl_command, generated_site, timed


def crawl(tree: str, url: str, db: Path) -> float:
    """Crawl `url` into `db` with the code of the checkout `tree`; return the wall seconds."""
    start = time.monotonic()
    subprocess.run(full_crawl_command(url, db), cwd=tree, capture_output=True, check=True)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", type=int)
    parser.add_argument("trees", nargs="+", help="checkouts to compare")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, generated_site(args.pages, tmp) as url:
        for rnd in range(args.rounds):
            for n, tree in enumerate(args.trees):
                seconds = crawl(tree, url, Path(tmp, f"r{rnd}t{n}.db"))
                print(f"round {rnd + 1}  {tree}: {seconds:.1f} s", flush=True)
            bare, _ = timed([sys.executable, "-m", "bench.bench_crawl", "--bare", url])
            print(f"round {rnd + 1}  bare Scrapy: {bare:.1f} s", flush=True)


if __name__ == "__main__":
    main()
