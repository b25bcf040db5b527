"""A scheduled crawl of a badly behaved site must finish: time it with the default settings.

The site (tests/support/fault_server.py, 127.0.0.1) has 34 URLs: 24 sound articles, 4 URLs that hang
past the 30 s download timeout, one that drips its page at 1 byte/s, one 404, one 500, one
empty page, one connection reset and a calendar whose every day links two more days and
never an article. The crawl runs with the defaults of crawler/settings.py (no test
shortcuts) in a fresh process; the script prints the wall time, the exit status, the
articles stored, the failures rows and the requests each kind of URL received. With
--max-time it also shows a run cut short and its resumption.

    python bench/bench_bad_server.py
    python bench/bench_bad_server.py --max-time 60
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import fault_server as fs
from tests.support.process_helpers import run_crawl

HANGING = [f"/f/hang-{n}.html" for n in range(1, 5)]


def site() -> fs.FaultSite:
    """Return the 34-URL site (not started)."""
    faults: dict[str, fs.Fault] = {path: fs.stall(75) for path in HANGING}
    faults.update(
        {
            "/f/drip.html": fs.drip("drip", 4000, 4000),  # 1 byte a second
            "/f/404.html": fs.status(404),
            "/f/500.html": fs.status(500),
            "/f/empty.html": fs.empty,
            "/f/reset.html": fs.reset,
            "/cal": fs.calendar_trap(width=2),
        }
    )
    return fs.FaultSite(good=24, faults=faults)


def crawl(portal: fs.FaultSite, db: Path, *args: str) -> tuple[float, int]:
    """Run one crawl in a fresh process; return its wall time and exit status."""
    start = time.monotonic()
    log = str(db.with_suffix(".log"))
    result = run_crawl(portal.url, "--db", str(db), "--log-file", log, *args, timeout=None)
    return time.monotonic() - start, result.returncode


def report(label: str, seconds: float, code: int, portal: fs.FaultSite, db: Path) -> None:
    """Print one run's figures as a Markdown table row."""
    conn = sqlite3.connect(db)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    failures = conn.execute("SELECT count(*) FROM failures").fetchone()[0]
    status = conn.execute("SELECT status FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()[0]
    conn.close()
    hits = portal.hits
    calendar = sum(n for path, n in hits.items() if path.startswith("/cal"))
    hanging = sum(hits[path] for path in HANGING)
    print(
        f"| {label} | {seconds:.0f} | {code} | {status} | {articles}/24 | {failures} | "
        f"{hanging} | {hits['/f/drip.html']} | {hits['/f/500.html']} | {calendar} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-time", help="also run with this --max-time, then resume")
    args = parser.parse_args()
    print(
        "| run | wall (s) | exit | run status | articles | failures rows | requests to 4 "
        "hanging URLs | to the drip | to the 500 | calendar pages |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        with site() as portal:
            db = Path(tmp) / "full.db"
            report("defaults", *crawl(portal, db), portal, db)
        if args.max_time:
            db = Path(tmp) / "cut.db"
            with site() as portal:
                report(
                    f"--max-time {args.max_time}",
                    *crawl(portal, db, "--max-time", args.max_time),
                    portal,
                    db,
                )
            with site() as portal:
                report("resumed", *crawl(portal, db), portal, db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
