"""Crashes: kill -9 at random points, then resume; readers while a crawl writes."""

from __future__ import annotations

import random
import time

import pytest
from click.testing import CliRunner

from crawler.cli import main
from tests.support.crash_trials import full_crawl_seconds, run_trial
from tests.support.portal_site import Portal
from tests.support.process_helpers import FAST, run_crawl, start_crawl, stored

pytestmark = pytest.mark.e2e

TRIALS = 3  # bench/bench_crash.py runs ten


@pytest.fixture(scope="module")
def portal():
    site = Portal(articles=12, slow=0.03).start()
    yield site
    site.stop()


def test_kill_9_at_random_points_loses_and_doubles_nothing(portal, tmp_path_factory):
    rng = random.Random(8)
    full = full_crawl_seconds(portal, tmp_path_factory.mktemp("full"))
    for number in range(TRIALS):
        trial = run_trial(portal, tmp_path_factory.mktemp(f"trial{number}"), rng, full)
        assert trial.integrity == "ok", trial
        assert trial.resume_exit == 0, trial
        assert trial.doubled == 0, trial
        assert trial.stored_after == trial.expected, trial


def test_readers_never_see_database_is_locked_while_a_crawl_writes(tmp_path):
    """search, query and export run in a loop, each opening the archive anew, during a crawl."""
    site = Portal(articles=24, slow=0.01).start()
    db = tmp_path / "archive.db"
    crawl = start_crawl(site.url, "--db", str(db), *FAST)
    runner = CliRunner()
    commands = [
        ["search", "法院", "--db", str(db)],
        [
            "query",
            "SELECT count(*) FROM articles a JOIN stories s ON s.id = a.story_id",
            "--db",
            str(db),
        ],
        ["export", "--format", "jsonl", "--out", str(tmp_path / "out.jsonl"), "--db", str(db)],
    ]
    runs, seen = 0, set()
    try:
        while stored(db) == 0 and crawl.poll() is None:
            time.sleep(0.01)
        while crawl.poll() is None:
            for args in commands:
                result = runner.invoke(main, args)
                assert "locked" not in result.output.lower(), result.output
                assert result.exit_code in (0, 1), (args, result.output, result.exception)
                runs += 1
            seen.add(stored(db))
    finally:
        out, err = crawl.communicate(timeout=60)
        site.stop()
    assert crawl.returncode == 0, err
    assert runs >= 6 and len(seen) >= 2  # the readers really ran while rows were added


def test_kill_9_during_the_very_first_seconds_is_harmless(tmp_path):
    """A kill while the archive is being created and migrated leaves one that opens and resumes."""
    site = Portal(articles=4).start()
    try:
        for delay in (0.0, 0.4):
            db = tmp_path / f"a{delay}.db"
            proc = start_crawl(site.url, "--db", str(db), *FAST)
            time.sleep(delay)
            proc.kill()
            proc.communicate(timeout=10)
            result = run_crawl(site.url, "--db", str(db), *FAST)
            assert result.returncode == 0, result.stderr
            assert stored(db) == len(site.article_paths())
    finally:
        site.stop()
