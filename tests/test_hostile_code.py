"""Nothing from a page is executed or evaluated, and configuration is data, not code.

The source of the crawler, spiders and pipelines is scanned: no eval/exec/compile, no
pickle or marshal loads, no shell=True, no yaml.load; the sites file is read with tomllib
or json only.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from crawler.sites import load_sites_file

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted(p for d in ("crawler", "spiders", "pipelines") for p in (ROOT / d).rglob("*.py"))
BANNED_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
BANNED_ATTRS = {
    ("pickle", "loads"),
    ("pickle", "load"),
    ("marshal", "loads"),
    ("marshal", "load"),
    ("yaml", "load"),
    ("os", "system"),
    ("os", "popen"),
    ("subprocess", "getoutput"),
    ("importlib", "import_module"),
    ("runpy", "run_path"),
    ("runpy", "run_module"),
}


def offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in BANNED_CALLS:
            found.append(f"{path.name}:{node.lineno} {func.id}()")
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and (func.value.id, func.attr) in BANNED_ATTRS
        ):
            found.append(f"{path.name}:{node.lineno} {func.value.id}.{func.attr}()")
        if any(
            k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
            for k in node.keywords
        ):
            found.append(f"{path.name}:{node.lineno} shell=")
    return found


def test_there_are_sources_to_scan():
    assert len(SOURCES) > 30


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_no_code_evaluation_in_sources(path):
    assert offences(path) == []


def test_the_scan_catches_an_offence(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle, subprocess\neval(x)\npickle.loads(b)\nsubprocess.run(c, shell=True)\n"
    )
    assert len(offences(bad)) == 3


def test_a_sites_file_is_data_even_when_it_looks_like_code(tmp_path):
    marker = tmp_path / "pwned"
    sites = tmp_path / "sites.toml"
    sites.write_text(
        f"[[site]]\nslug = \"__import__('os').system('touch {marker}')\"\n"
        f'start_urls = ["http://www.example.cn/"]\nname = "{{{{7*7}}}}"\n',
        encoding="utf-8",
    )
    [site] = load_sites_file(sites)
    assert site.slug.startswith("__import__") and site.name == "{{7*7}}"
    assert not marker.exists()
