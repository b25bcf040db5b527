"""Many sites in one crawl process against one process per site: wall time, writers, memory.

Run: python -m bench.bench_multisite --sites 10 --articles 12
Serves N generated portals (tests/portal_site.py: two columns of A articles each, plus a
sitemap-only and a feed-only one) on 127.0.0.1, registers them in a LEGALNEWS_SITES file, and
crawls them with politeness lifted: once as `legalnews crawl site01 ... siteN` (one process),
once as N `legalnews crawl siteNN` run one after the other, each into a new archive. For each
we report the wall time, the articles stored, how many archive writer processes ran (the
children started by multiprocessing's spawn) and the peak RSS of the whole process tree
(crawl process and its children, summed, sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.portal_site import Portal

LIFTED = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "LOG_LEVEL=ERROR",
    "PROGRESS_ENABLED=False",
]
SAMPLE_SECONDS = 0.02


@dataclass
class Tree:
    """What was seen of a process tree while it ran."""

    peak_rss_mb: float = 0.0
    writers: set[int] = field(default_factory=set)


def children(pid: int) -> list[int]:
    """Return the pids of the live children of `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def rss_mb(pid: int) -> float:
    """Return the resident memory of `pid` in MiB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def is_spawned(pid: int) -> bool:
    """Return True for a child started by multiprocessing's spawn (the archive writer)."""
    try:
        return b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def run_watched(cmd: list[str], env: dict[str, str], tree: Tree) -> None:
    """Run `cmd` to its end, adding its peak tree RSS and its writer pids to `tree`."""
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    while proc.poll() is None:
        kids = children(proc.pid)
        tree.writers |= {pid for pid in kids if is_spawned(pid)}
        total = rss_mb(proc.pid) + sum(rss_mb(pid) for pid in kids)
        tree.peak_rss_mb = max(tree.peak_rss_mb, total)
        time.sleep(SAMPLE_SECONDS)
    if proc.returncode not in (0, 4):  # 4: a fill-rate warning, not a failed crawl
        raise SystemExit(
            f"{' '.join(cmd[3:5])} failed ({proc.returncode}): {proc.stderr.read()[-500:]}"
        )


def stored(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    finally:
        conn.close()


def crawl_cmd(slugs: list[str], db: Path) -> list[str]:
    cmd = [sys.executable, "-m", "crawler", "crawl", *slugs, "--db", str(db)]
    for pair in LIFTED:
        cmd += ["-s", pair]
    return cmd


def measure(slugs: list[str], folder: Path, env: dict[str, str], together: bool) -> dict:
    """Crawl `slugs` in one process (`together`) or one process each; return the figures."""
    db = folder / ("together.db" if together else "apart.db")
    tree = Tree()
    began = time.perf_counter()
    for group in [slugs] if together else [[slug] for slug in slugs]:
        run_watched(crawl_cmd(group, db), env, tree)
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "stored": stored(db),
        "writers": len(tree.writers),
        "rss": tree.peak_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument(
        "--articles", type=int, default=12, help="articles per column (two columns)"
    )
    args = parser.parse_args()
    portals = [Portal(articles=args.articles).start() for _ in range(args.sites)]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            slugs = [f"site{n:02d}" for n in range(1, args.sites + 1)]
            registry = folder / "sites.json"
            registry.write_text(
                json.dumps(
                    [
                        {"slug": slug, "start_urls": [portal.url]}
                        for slug, portal in zip(slugs, portals, strict=True)
                    ]
                )
            )
            env = {**os.environ, "LEGALNEWS_SITES": str(registry)}
            expected = sum(len(portal.article_paths()) for portal in portals)
            print(f"{args.sites} sites, {expected} articles in all")
            print(
                "| mode | processes | wall time | articles stored | writer processes "
                "| peak RSS (tree) |"
            )
            print("| --- | ---: | ---: | ---: | ---: | ---: |")
            for together in (True, False):
                r = measure(slugs, folder, env, together)
                mode, processes = (
                    ("one process", 1) if together else ("one process per site", args.sites)
                )
                print(
                    f"| {mode} | {processes} | {r['seconds']:.1f} s | {r['stored']} | "
                    f"{r['writers']} | {r['rss']:.0f} MiB |",
                    flush=True,
                )
    finally:
        for portal in portals:
            portal.stop()


if __name__ == "__main__":
    main()
