"""Sites as data: the registry file, the sites command, and a bad file as a one-line error."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import main
from crawler.sites import Site, load_sites_file, site_for_start_urls
from tests.support.process_helpers import run_cli

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
        "example",
        ("www.example.cn", "example.cn"),
        "portal",
        "www.fzzx.org.cn",
    )


def test_a_site_names_its_own_parameters_to_drop(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(TOML + 'drop_params = ["from", "Ref"]\n', encoding="utf-8")
    (site,) = load_sites_file(path)
    assert site.drop_params == ("from", "Ref")
    assert Site(slug="x", name="x", hosts=(), start_urls=()).drop_params == ()


def test_drop_params_must_be_a_list_of_names():
    with pytest.raises(ValueError, match="drop_params must be a list of parameter names"):
        Site.from_dict({"slug": "x", "start_urls": ["http://x.cn/"], "drop_params": "from"})


@pytest.mark.e2e
def test_sites_command_lists_builtin_and_user_sites(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(TOML, encoding="utf-8")
    result = run_cli("sites", env={"LEGALNEWS_SITES": str(path), "PATH": ""})
    assert result.returncode == 0, result.stderr
    slugs = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert slugs == ["fzzx", "lnfz", "example"]


def display_width(text: str) -> int:
    """Terminal columns of `text`: wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def column_offsets(line: str) -> list[int]:
    """Return the display offset where each cell of a table line starts (cells end at 2+ spaces)."""
    return [display_width(line[: m.start()]) for m in re.finditer(r"(?:^|(?<=  ))\S", line)]


@pytest.mark.e2e
def test_sites_table_columns_line_up_with_chinese_names(tmp_path):
    path = tmp_path / "sites.toml"
    path.write_text(
        TOML + '[[site]]\nslug = "mixed"\nname = "Court 新闻 net"\n'
        'start_urls = ["http://court.example.cn/"]\n',
        encoding="utf-8",
    )
    result = run_cli("sites", env={"LEGALNEWS_SITES": str(path), "PATH": ""})
    assert result.returncode == 0, result.stderr
    header, rule, *rows = result.stdout.splitlines()
    assert "\x1b" not in result.stdout  # plain text in a pipe: no terminal colour codes
    assert [r.split()[0] for r in rows] == ["fzzx", "lnfz", "example", "mixed"]
    assert any("法治资讯网" in r for r in rows) and any("Court 新闻 net" in r for r in rows)
    assert column_offsets(rule) == column_offsets(header)
    for row in rows:
        assert column_offsets(row) == column_offsets(header), row


def test_unknown_portal_is_named_after_its_host():
    assert site_for_start_urls(["https://www.court.example/news/"]).slug == "court.example"
    assert site_for_start_urls(["http://www.fzzx.org.cn/list/a/index.html"]).slug == "fzzx"
    with pytest.raises(ValueError):
        site_for_start_urls(["ftp://x.cn/"])


def test_crawl_needs_a_site_or_a_start_url(tmp_path):
    result = CliRunner().invoke(main, ["crawl", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 2 and result.output.startswith("Error: name a registered site")


NO_SLUG = TOML + '\n[[site]]\nname = "无名"\nstart_urls = ["http://b.example.cn/"]\n'


# One folder per bad sites file: the file as a user wrote it (none: the file is missing) and
# problem.txt, the words the one-line error must contain.
BAD_SITES = Path(__file__).parent / "fixtures" / "bad_sites"


def bad_sites_file(case: Path) -> tuple[Path, str]:
    """Return the sites file of a bad-sites case (sites.toml when it has none) and its problem."""
    files = [f for f in case.iterdir() if f.name != "problem.txt"]
    path = files[0] if files else case / "sites.toml"
    return path, (case / "problem.txt").read_text(encoding="utf-8").strip()


def write_sites(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", sorted(BAD_SITES.iterdir()), ids=lambda case: case.name)
def test_a_bad_sites_file_is_a_one_line_error_naming_the_file(tmp_path, monkeypatch, case):
    path, problem = bad_sites_file(case)
    monkeypatch.setenv("LEGALNEWS_SITES", str(path))
    for args in (
        ["sites"],
        ["crawl", "example", "--db", str(tmp_path / "a.db")],
        ["crawl", "--start-url", "http://c.cn/", "--db", str(tmp_path / "a.db")],
    ):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: LEGALNEWS_SITES file {path}: "), (
            lines
        )
        assert problem in lines[0]
    assert not (tmp_path / "a.db").exists() and not (tmp_path / "jobs").exists()


@pytest.mark.e2e
def test_a_bad_sites_file_leaves_help_and_commands_without_sites_working(tmp_path):
    path = write_sites(tmp_path, "sites.toml", NO_SLUG)
    page = tmp_path / "page.html"
    page.write_text("<html><body><h1>标题</h1><p>正文</p></body></html>", encoding="utf-8")
    env = {"LEGALNEWS_SITES": str(path), "PATH": ""}
    for args in (["--help"], ["extract", str(page)]):
        result = run_cli(*args, env=env)
        assert result.returncode in (0, 3), result.stderr  # extract: 3 when the page is a list
        assert "Traceback" not in result.stderr
    assert "crawl" in run_cli("--help", env=env).stdout


def test_a_bad_sites_file_met_by_any_command_is_a_one_line_error(db, tmp_path, monkeypatch):
    db.execute(
        "INSERT INTO articles (url, canonical_url, title, site, first_seen_at, fetched_at) "
        "VALUES ('http://a.cn/1', 'http://a.cn/1', '标题', 'fzzx', 'x', 'x')"
    )
    db.conn.commit()
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    sites = write_sites(tmp_path, "sites.toml", NO_SLUG)
    monkeypatch.setenv("LEGALNEWS_SITES", str(sites))
    result = CliRunner().invoke(
        main, ["export", "--format", "jsonl", "--hf", "--db", path, "--out", str(tmp_path / "hf")]
    )
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"Error: LEGALNEWS_SITES file {sites}: entry 2 has no slug"
    ]


def test_a_portal_spider_leaves_the_parser_registry_alone_and_uses_the_parser_its_site_names(
    monkeypatch,
):
    from pathlib import Path

    from scrapy.http import HtmlResponse

    from crawler.components.spiderloader import site_spider
    from crawler.parsing import GenericParser, parser_for, register, registry

    monkeypatch.setattr(
        registry, "_PARSERS", dict(registry._PARSERS)
    )  # the test's parser leaves with it

    @register("parsers.example")
    class ColumnParser(GenericParser):
        def category(self) -> str:
            return "站点栏目"

    site = Site.from_dict(
        {"slug": "named", "start_urls": ["http://www.named.example/"], "parser": "parsers.example"}
    )
    spider = site_spider(site)()
    assert parser_for("http://www.named.example/a/1.html") is GenericParser  # registry unchanged
    assert parser_for("http://named.example/a/1.html") is GenericParser
    page = Path(__file__).parent / "fixtures" / "fzzx" / "article" / "page.html"
    response = HtmlResponse(
        "http://www.named.example/html/fzdt/20240501/1.html", body=page.read_bytes()
    )
    article = spider.article(response)
    assert (article.kind, article.category, article.site) == ("article", "站点栏目", "named")
