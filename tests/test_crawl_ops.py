"""The crawl's operations without a crawl: the job lock, the delta-fetch index, health rules."""

from __future__ import annotations

import pytest

from crawler.components.delta import DeltaIndex, url_shape
from crawler.health import HealthRules, failure_kind, fill_drops, run_problems
from crawler.lock import AlreadyRunning, job_lock


def test_lock_refuses_a_second_holder_and_is_released(tmp_path):
    with job_lock(tmp_path / "lock", "job"):
        with pytest.raises(AlreadyRunning, match="another run of job is still running"):
            with job_lock(tmp_path / "lock", "job"):
                pass
    with job_lock(tmp_path / "lock", "job"):
        pass


def test_delta_index_knows_archived_urls_and_article_shapes():
    index = DeltaIndex({"http://a.cn/news/2024/17.html"})
    assert index.is_archived("https://www.a.cn/news/2024/17.html#top")
    assert index.looks_like_article("http://a.cn/news/2025/3.html")
    assert not index.looks_like_article("http://a.cn/list/3.html")
    assert url_shape("http://www.a.cn/list_2.html") == "a.cn/list_#.html"


def test_delta_index_keeps_content_parameters_and_drops_the_sites_own(monkeypatch, tmp_path):
    sites = tmp_path / "sites.toml"
    sites.write_text(
        '[[site]]\nslug = "x"\nhosts = ["www.x.cn", "x.cn"]\n'
        'start_urls = ["http://x.cn/"]\ndrop_params = ["from"]\n'
    )
    monkeypatch.setenv("LEGALNEWS_SITES", str(sites))
    index = DeltaIndex({"http://x.cn/show.php?sid=5"})
    assert index.is_archived("http://www.x.cn/show.php?sid=5&from=timeline&utm_source=wx")
    assert not index.is_archived("http://x.cn/show.php?sid=6")
    other = DeltaIndex({"http://y.cn/show.php?sid=5"})  # another host keeps its `from`
    assert not other.is_archived("http://y.cn/show.php?sid=5&from=timeline")


def test_failure_kinds():
    assert failure_kind("HTTP 503") == "http_503"
    assert failure_kind("TimeoutError: took too long") == "TimeoutError"
    assert failure_kind("dropped: no body extracted: http://a") == "dropped"


def stats(site: str, articles: int, source: int, **extra) -> dict:
    return {
        "finish_reason": "finished",
        "response_received_count": 10,
        "downloader/response_status_count/200": 10,
        "archive/new": articles,
        f"fields/{site}/articles": articles,
        f"fields/{site}/filled/source": source,
        f"fields/{site}/missing/source": articles - source,
        **extra,
    }


def test_run_problems():
    rules = HealthRules()
    assert run_problems(stats("s", 5, 5), "s", rules) == []
    assert run_problems({**stats("s", 0, 0)}, "s", rules)[0].reason.startswith("no articles found")
    assert run_problems({**stats("s", 5, 5), "finish_reason": "shutdown"}, "s", rules)[0].code == 1


def test_fill_drop_against_recent_runs(db):
    import json

    for _ in range(3):
        db.execute(
            "INSERT INTO crawl_runs (started_at, sites, stats) VALUES ('x', 's', ?)",
            [json.dumps(stats("s", 10, 10))],
        )
    run_id = db.execute("INSERT INTO crawl_runs (started_at, sites) VALUES ('x', 's')").lastrowid
    rules = HealthRules()
    assert fill_drops(db, run_id, "s", stats("s", 10, 9), rules) == []
    (problem,) = fill_drops(db, run_id, "s", stats("s", 10, 2), rules)
    assert (
        problem.code == 4
        and "field source filled in 20% of 10 articles, was 100%" in problem.reason
    )
    assert fill_drops(db, run_id, "s", stats("s", 3, 0), rules) == []  # too few to judge
