"""Sites as data, the job lock, health rules: the crawl operations without a crawl."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.delta import DeltaIndex, url_shape
from crawler.health import HealthRules, failure_kind, fill_drops, run_problems
from crawler.lock import AlreadyRunning, job_lock
from crawler.sites import SITES, Site, load_sites_file, site_for_start_urls

TOML = """
[[site]]
slug = "example"
name = "示例法治网"
start_urls = ["http://www.example.cn/"]
parser = "www.fzzx.org.cn"
"""


def test_a_site_from_a_toml_file_is_a_few_lines(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(TOML, encoding="utf-8")
    (site,) = load_sites_file(path)
    assert (site.slug, site.hosts, site.spider, site.parser) == (
        "example", ("www.example.cn", "example.cn"), "portal", "www.fzzx.org.cn")


def test_a_site_names_its_own_parameters_to_drop(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(TOML + 'drop_params = ["from", "Ref"]\n', encoding="utf-8")
    (site,) = load_sites_file(path)
    assert site.drop_params == ("from", "Ref")
    assert Site(slug="x", name="x", hosts=(), start_urls=()).drop_params == ()


def test_drop_params_must_be_a_list_of_names():
    with pytest.raises(ValueError, match="drop_params must be a list of parameter names"):
        Site.from_dict({"slug": "x", "start_urls": ["http://x.cn/"], "drop_params": "from"})


def test_sites_command_lists_builtin_and_user_sites(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(TOML, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "crawler", "sites"], capture_output=True, text=True,
                            env={"LEGALNEWS_SITES": str(path), "PATH": ""}, timeout=60, check=True)
    slugs = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert slugs == ["fzzx", "lnfz", "example"]


def test_unknown_portal_is_named_after_its_host():
    assert site_for_start_urls(["https://www.court.example/news/"]).slug == "court.example"
    assert site_for_start_urls(["http://www.fzzx.org.cn/list/a/index.html"]).slug == "fzzx"
    with pytest.raises(ValueError):
        site_for_start_urls(["ftp://x.cn/"])


def test_crawl_needs_a_site_or_a_start_url(tmp_path):
    result = CliRunner().invoke(main, ["crawl", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2 and result.output.startswith("Error: name a registered site")


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


def test_delta_index_keeps_content_parameters_and_drops_the_sites_own(monkeypatch):
    monkeypatch.setitem(SITES, "x", Site(slug="x", name="x", hosts=("www.x.cn", "x.cn"), start_urls=("http://x.cn/",),
                                         drop_params=("from",)))
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
    return {"finish_reason": "finished", "response_received_count": 10,
            "downloader/response_status_count/200": 10, "archive/new": articles,
            f"fields/{site}/articles": articles, f"fields/{site}/filled/source": source,
            f"fields/{site}/missing/source": articles - source, **extra}


def test_run_problems():
    rules = HealthRules()
    assert run_problems(stats("s", 5, 5), "s", rules) == []
    assert run_problems({**stats("s", 0, 0)}, "s", rules)[0].reason.startswith("no articles found")
    assert run_problems({**stats("s", 5, 5), "finish_reason": "shutdown"}, "s", rules)[0].code == 1


def test_fill_drop_against_recent_runs(db):
    import json

    for _ in range(3):
        db.execute("INSERT INTO crawl_runs (started_at, sites, stats) VALUES ('x', 's', ?)",
                   [json.dumps(stats("s", 10, 10))])
    run_id = db.execute("INSERT INTO crawl_runs (started_at, sites) VALUES ('x', 's')").lastrowid
    rules = HealthRules()
    assert fill_drops(db, run_id, "s", stats("s", 10, 9), rules) == []
    (problem,) = fill_drops(db, run_id, "s", stats("s", 10, 2), rules)
    assert problem.code == 4 and "field source filled in 20% of 10 articles, was 100%" in problem.reason
    assert fill_drops(db, run_id, "s", stats("s", 3, 0), rules) == []  # too few to judge
