"""Raw captures: the crawl writes WARC, `import-warc` rebuilds the same archive from it,
foreign WARC records that are not HTML responses are counted and skipped."""

from __future__ import annotations

import gzip
import io
import sqlite3

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive.captures import load_capture
from crawler.archive.importer import import_warcs
from crawler.archive.runs import seed_outlets
from crawler.archive.schema import open_archive
from crawler.archive.warc import WarcFileSet
from crawler.cli import main
from crawler.parsing import parse_page
from crawler.reprints.outlets import outlet_hosts
from tests.support.archive_helpers import demo_pages, write_warc
from tests.support.process_helpers import run_cli

FIELDS = (
    "url, site, title, published, source, author, editor, body, original_url, category, images, "
    "encoding, status"
)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    folder = tmp_path_factory.mktemp("crawl")
    result = run_cli("demo", "--db", str(folder / "archive.db"), timeout=120)
    assert result.returncode == 0, result.stderr
    return folder


def rows(path, sql):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.mark.e2e
def test_every_response_is_captured_and_every_article_points_to_its_record(crawled):
    db = open_archive(crawled / "archive.db")
    warcs = sorted((crawled / "archive" / "warc").glob("*.warc.gz"))
    assert len(warcs) == 2  # one set per run: one run per site
    pages = db.execute("SELECT sum(pages) FROM crawl_runs").fetchone()[0]
    assert db.execute("SELECT count(*) FROM captures").fetchone()[0] >= pages
    articles = db.execute("SELECT url, title, capture_id FROM articles").fetchall()
    assert all(capture_id for _, _, capture_id in articles)
    for url, title, capture_id in articles[:5]:
        capture = load_capture(db, capture_id)
        assert capture.url == url and capture.status == 200
        assert parse_page(url, capture.body, capture.headers).title == title
    db.conn.close()


@pytest.mark.e2e
def test_import_warc_into_a_fresh_archive_gives_the_same_articles(crawled, tmp_path):
    warcs = sorted((crawled / "archive" / "warc").glob("*.warc.gz"))
    result = run_cli(
        "import-warc", *map(str, warcs), "--db", str(tmp_path / "copy.db"), timeout=120
    )
    assert result.returncode == 0, result.stderr
    sql = f"SELECT {FIELDS} FROM articles ORDER BY url"
    assert rows(tmp_path / "copy.db", sql) == rows(crawled / "archive.db", sql)
    stories = (
        "SELECT a.url, o.url FROM articles a JOIN stories s ON s.id = a.story_id "
        "LEFT JOIN articles o ON o.id = s.original_article_id ORDER BY a.url"
    )
    assert rows(tmp_path / "copy.db", stories) == rows(crawled / "archive.db", stories)
    total = rows(crawled / "archive.db", "SELECT count(*) FROM articles")[0][0]
    assert f"new           {total}" in result.stdout.splitlines()


@pytest.mark.e2e
def test_import_in_worker_processes_and_small_batches_gives_the_same_archive(crawled, tmp_path):
    warcs = sorted((crawled / "archive" / "warc").glob("*.warc.gz"))
    db = open_archive(tmp_path / "copy.db")
    seed_outlets(db, outlet_hosts())
    counts = import_warcs(db, warcs, workers=1, inline_first=0, batch=10)
    db.conn.close()
    assert counts["new"] == rows(crawled / "archive.db", "SELECT count(*) FROM articles")[0][0]
    for sql in (
        f"SELECT {FIELDS} FROM articles ORDER BY url",
        "SELECT a.url, o.url FROM articles a JOIN stories s ON s.id = a.story_id "
        "LEFT JOIN articles o ON o.id = s.original_article_id ORDER BY a.url",
    ):
        assert rows(tmp_path / "copy.db", sql) == rows(crawled / "archive.db", sql)


def foreign_warc(path):
    """A WARC as other crawlers write them: gzip-encoded and chunked HTML, images, revisits,
    metadata."""
    url, content_type, body = demo_pages(1)[0]
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(writer.create_warcinfo_record("x.warc.gz", {"software": "Wget/1.21"}))
        encoded = gzip.compress(body)
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(encoded), encoded)
        http = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", content_type),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(chunked), http_headers=http
            )
        )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "http://www.lnfz.cn/a.png",
                "response",
                payload=io.BytesIO(b"\x89PNG..."),
                http_headers=image,
            )
        )
        writer.write_record(
            writer.create_revisit_record(url, "sha1:AAAA", url, "2022-06-21T00:00:00Z")
        )
        writer.write_record(
            writer.create_warc_record(
                url,
                "metadata",
                payload=io.BytesIO(b"outlinks: none"),
                warc_content_type="text/plain",
            )
        )
    with open(path, "ab") as fh:
        fh.write(
            gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntrunc")[
                :40
            ]
        )
    return url


def test_foreign_warc_decodes_gzip_and_chunking_and_counts_what_it_skips(db, tmp_path):
    url = foreign_warc(tmp_path / "wget.warc.gz")
    counts = import_warcs(db, [tmp_path / "wget.warc.gz", tmp_path / "not-a-warc.txt"])
    assert counts["new"] == 1 and counts["not_html"] == 1 and counts["revisit"] == 1
    assert counts["other_record"] == 2  # warcinfo and metadata
    assert counts["broken"] == 2  # the truncated record, the missing file
    title = db.execute("SELECT title FROM articles WHERE url = ?", [url]).fetchone()[0]
    assert title.startswith("“五大战场”铲毒斩网")
    capture_id = db.execute("SELECT capture_id FROM articles WHERE url = ?", [url]).fetchone()[0]
    assert load_capture(db, capture_id).body.startswith(b"<!DOCTYPE")


def test_a_page_that_gives_no_article_is_a_failure_pointing_at_its_capture(db, tmp_path):
    files = WarcFileSet(tmp_path, "gone")
    url = "http://www.lnfz.cn/news/404.html"
    files.write_response(
        url, 404, [("Content-Type", "text/html; charset=utf-8")], b"<html>not found</html>"
    )
    files.close()
    counts = import_warcs(db, [files.path])
    assert counts["failures"] == 1
    linked = db.execute(
        "SELECT f.reason, c.url, c.status FROM failures f JOIN captures c ON c.id = f.capture_id "
        "WHERE f.url = ?",
        [url],
    ).fetchall()
    assert linked == [("HTTP 404", url, 404)]


@pytest.mark.parametrize(
    "content",
    [b"these are my notes\n", gzip.compress(b"not a warc either\n"), b""],
    ids=["text", "gzip of text", "empty"],
)
def test_import_of_a_file_that_is_not_a_warc_is_one_line_and_creates_nothing(tmp_path, content):
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["import-warc", str(path), "--db", str(tmp_path / "new.db")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"Error: {path} is not a WARC file"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.warc.gz"]


def test_importing_the_same_warc_twice_adds_no_capture(db, tmp_path):
    path = write_warc(tmp_path, demo_pages(3))
    first = import_warcs(db, [path])
    captures = db.execute("SELECT id, url, record_id FROM captures ORDER BY id").fetchall()
    articles = db.execute("SELECT id, url, version FROM articles ORDER BY id").fetchall()
    second = import_warcs(db, [path])
    assert first["responses"] == 3 and first["duplicate"] == 0
    assert second["duplicate"] == 3 and second["responses"] == 0
    assert db.execute("SELECT id, url, record_id FROM captures ORDER BY id").fetchall() == captures
    assert db.execute("SELECT id, url, version FROM articles ORDER BY id").fetchall() == articles


def cut_warcs(folder):
    """Two WARCs whose last response is cut mid-body: a truncated gzip member, and an
    uncompressed record whose Content-Length promises more bytes than the file holds."""
    path = write_warc(folder, demo_pages(2))
    data = path.read_bytes()
    with open(path, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            records.read_to_end(record)
            last = records.get_record_offset(), records.get_record_length()
    gz = folder / "cut.warc.gz"
    gz.write_bytes(data[: last[0] + last[1] // 2])
    plain = folder / "cut.warc"
    plain.write_bytes(gzip.decompress(data)[:-1500])
    return [gz, plain]


@pytest.mark.parametrize("which", [0, 1], ids=["gzip member cut", "content-length past the end"])
def test_a_record_cut_mid_body_is_broken_and_stores_nothing(db, tmp_path, which):
    path = cut_warcs(tmp_path)[which]
    counts = import_warcs(db, [path])
    assert (counts["responses"], counts["new"], counts["broken"]) == (1, 1, 1)
    assert counts["not_article"] == 0
    assert db.execute("SELECT count(*) FROM captures").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM articles").fetchone() == (1,)
