"""parse_page never raises and extract_files yields one dict per file, whatever the bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.items import Article
from crawler.parsing import extract_files, parse_page

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = [p.read_bytes() for p in sorted(FIXTURES.glob("*/*/page.html"))]
SNIPPETS = [
    b"<p>",
    b"</div>",
    b"<!--",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"<meta charset=gbk>",
    b"\x00",
    b"2022\xe5\xb9\xb4",
    "来源：".encode(),
    b"<script>",
    b"<img src=x>",
    b"&#0;",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=4096),
    st.sampled_from(
        [
            None,
            {"Content-Type": "text/html; charset=gbk"},
            {"content-type": "text/html; charset=bogus"},
        ]
    ),
)
def test_arbitrary_bytes(raw: bytes, headers) -> None:
    assert isinstance(parse_page("http://example.org/x", raw, headers), Article)


@st.composite
def mutated_page(draw) -> bytes:
    """Return a fixture page cut, spliced and sprinkled with odd bytes."""
    raw = bytearray(draw(st.sampled_from(PAGES)))
    for _ in range(draw(st.integers(0, 6))):
        pos = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["cut", "insert", "delete"]))
        if action == "cut":
            del raw[pos:]
        elif action == "insert":
            raw[pos:pos] = draw(st.sampled_from(SNIPPETS)) * draw(st.integers(1, 50))
        else:
            del raw[pos : pos + draw(st.integers(1, 500))]
    return bytes(raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    mutated_page(),
    st.sampled_from(["", "http://www.fzzx.org.cn/a.html", "http://www.lnfz.cn/news/1.html", "::"]),
)
def test_mutated_pages(raw: bytes, url: str) -> None:
    article = parse_page(url, raw)
    assert article.kind in ("article", "list")


def test_huge_and_deep_pages() -> None:
    deep = b"<div>" * 5000 + "正文内容，很长的一段话。".encode() * 50 + b"</div>" * 5000
    assert parse_page("", deep).kind in ("article", "list")
    assert parse_page("", b"<p>" + b"x" * 3_000_000).kind in ("article", "list")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.binary(max_size=512), min_size=1, max_size=4))
def test_extract_files_one_dict_per_file(tmp_path_factory, blobs: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("pages")
    paths = []
    for i, blob in enumerate(blobs):
        path = folder / f"{i}.html"
        path.write_bytes(blob)
        paths.append(str(path))
    paths.append(str(folder / "missing.html"))
    records = list(extract_files(paths))
    assert [r["file"] for r in records] == paths
    assert all(("error" in r) or r.get("kind") in ("article", "list") for r in records)
