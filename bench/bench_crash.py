"""Crash trials: kill -9 a crawl at random points, resume, and check nothing is lost or doubled.

Each trial crawls the generated test portal (tests/support/portal_site.py) into a new archive,
sends SIGKILL after a random share of an uninterrupted crawl's duration, resumes the job
to the end, then checks `PRAGMA integrity_check`, the article count against the portal
and duplicates. Prints a Markdown table for RELIABILITY.md.

    python bench/bench_crash.py --trials 10 --articles 24 --seed 8
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.crash_trials import full_crawl_seconds, run_trial
from tests.support.portal_site import Portal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument(
        "--articles", type=int, default=24, help="articles per column (two columns)"
    )
    parser.add_argument(
        "--slow", type=float, default=0.03, help="seconds the portal waits per request"
    )
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    portal = Portal(articles=args.articles, slow=args.slow).start()
    trials = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            full = full_crawl_seconds(portal, Path(tmp))
            print(f"uninterrupted crawl: {full:.2f} s, {len(portal.article_paths())} articles\n")
            print(
                "| trial | killed after (s) | stored at kill | stored after resume | expected "
                "| doubled | integrity_check | resume exit | resume (s) | articles fetched again |"
            )
            print("|---|---|---|---|---|---|---|---|---|---|")
            for n in range(1, args.trials + 1):
                folder = Path(tmp) / f"trial{n}"
                folder.mkdir()
                t = run_trial(portal, folder, rng, full)
                trials.append(t)
                print(
                    f"| {n} | {t.kill_after} | {t.stored_at_kill} | {t.stored_after} | "
                    f"{t.expected} | {t.doubled} | {t.integrity} | {t.resume_exit} | "
                    f"{t.resume_seconds} | {t.refetched} |",
                    flush=True,
                )
    finally:
        portal.stop()
    good = sum(t.ok for t in trials)
    print(
        f"\n{good}/{len(trials)} trials complete, intact, nothing lost or doubled; "
        f"killed with {min(t.stored_at_kill for t in trials)}-"
        f"{max(t.stored_at_kill for t in trials)} "
        f"of {trials[0].expected} articles stored; at most {max(t.refetched for t in trials)} "
        "article pages fetched twice per trial"
    )
    return 0 if good == len(trials) else 1


if __name__ == "__main__":
    sys.exit(main())
