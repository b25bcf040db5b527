"""Export: each format read back, stories only, the Hugging Face folder, refused output paths."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from crawler.archive.ingest import store_article
from crawler.archive.schema import transaction
from crawler.cli import main
from crawler.export.files import ExportError, export
from crawler.items import Article, Image
from crawler.search.fts import Filters

ROOT = Path(__file__).resolve().parent.parent
ORIGINAL = "http://www.lnfz.cn/news/52672.html"
BODY = "省禁毒委部署新一轮禁毒大会战，全省公安机关破获毒品案件一百余起，抓获犯罪嫌疑人二百余名。"


@pytest.fixture
def archive(db):
    with transaction(db):
        store_article(
            db,
            Article(
                url=ORIGINAL,
                site="lnfz",
                title="禁毒大会战",
                published="2022-06-21",
                body=BODY,
                category=["禁毒"],
                images=[Image("/a.png", "民警宣传")],
            ),
        )
        store_article(
            db,
            Article(
                url="http://www.fzzx.org.cn/html/gazx/20220621/1.html",
                site="fzzx",
                title="禁毒大会战",
                published="2022-06-22",
                body=BODY,
                original_url=ORIGINAL,
            ),
        )
        store_article(
            db,
            Article(
                url="http://www.fzzx.org.cn/html/gazx/20230101/2.html",
                site="fzzx",
                title="新年普法",
                published="2023-01-01",
                body='新年普法宣传进社区。\n第二段，含逗号,和"引号"。',
            ),
        )
    return db


def test_jsonl_is_utf8_one_record_per_line(archive, tmp_path):
    out = tmp_path / "a.jsonl"
    report = export(archive, "jsonl", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert report.rows == len(records) == 3
    assert "禁毒大会战" in out.read_text(encoding="utf-8")  # not \u escapes
    first = records[0]
    assert first["category"] == ["禁毒"] and first["images"] == [
        {"src": "/a.png", "caption": "民警宣传"}
    ]
    assert first["is_original"] is True and first["story_copies"] == 2


def test_csv_has_a_bom_and_reads_back(archive, tmp_path):
    out = tmp_path / "a.csv"
    export(archive, "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["title"] for r in rows] == ["禁毒大会战", "禁毒大会战", "新年普法"]
    assert rows[2]["body"] == '新年普法宣传进社区。\n第二段，含逗号,和"引号"。'
    assert json.loads(rows[0]["category"]) == ["禁毒"]


def test_parquet_reads_back_with_pyarrow(archive, tmp_path):
    out = tmp_path / "a.parquet"
    export(archive, "parquet", out, Filters(site="fzzx"))
    table = pq.read_table(out)
    assert table.num_rows == 2
    assert table.column("title").to_pylist() == ["禁毒大会战", "新年普法"]
    assert table.schema.field("images").type.value_type.num_fields == 2


def test_stories_only_keeps_the_original_of_each_story(archive, tmp_path):
    out = tmp_path / "s.jsonl"
    export(archive, "jsonl", out, stories_only=True)
    urls = [json.loads(line)["url"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert urls == [ORIGINAL, "http://www.fzzx.org.cn/html/gazx/20230101/2.html"]


def test_hf_folder_has_data_and_a_dataset_card(archive, tmp_path):
    out = tmp_path / "dataset"
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--format",
            "parquet",
            "--hf",
            "--out",
            str(out),
            "--db",
            str(tmp_path / "archive.db"),
            "--since",
            "2022-06-22",
        ],
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(out / "data" / "train-00000-of-00001.parquet").num_rows == 2
    card = (out / "README.md").read_text(encoding="utf-8")
    assert card.startswith("---\n") and "num_examples: 2" in card
    assert "| `fzzx` | 法治资讯网 |" in card and "| `body` | string |" in card


def another_spelling(tmp: Path, name: str) -> Path:
    """Return `tmp/name` reached through a symbolic link to `tmp` and a `..`."""
    (tmp / "again").symlink_to(tmp)
    (tmp / "sub").mkdir()
    return tmp / "again" / "sub" / ".." / name


@pytest.mark.parametrize(
    "make_out, hf, message",
    [
        (lambda tmp: tmp, False, "is a folder"),
        (lambda tmp: tmp / "missing" / "a.jsonl", False, "does not exist"),
        (lambda tmp: tmp / "archive.db", False, "is the archive itself"),
        (lambda tmp: tmp, True, "not an empty folder"),
        (lambda tmp: tmp / "archive.db-wal", False, "is a file of the archive"),
        (lambda tmp: tmp / "archive.db-shm", False, "is a file of the archive"),
        (lambda tmp: tmp / "archive.db-journal", False, "is a file of the archive"),
        (lambda tmp: another_spelling(tmp, "archive.db-wal"), False, "is a file of the archive"),
        (lambda tmp: another_spelling(tmp, "archive.db"), False, "is the archive itself"),
    ],
    ids=[
        "folder",
        "no-folder",
        "archive",
        "hf-not-empty",
        "wal",
        "shm",
        "journal",
        "wal-spelt-otherwise",
        "archive-spelt-otherwise",
    ],
)
def test_refused_output_paths_write_nothing(archive, tmp_path, make_out, hf, message):
    out = make_out(tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    with pytest.raises(ExportError, match=message):
        export(archive, "jsonl", out, hf=hf)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_export_onto_the_archive_wal_is_refused_and_the_archive_keeps_its_articles(
    archive, tmp_path
):
    wal = tmp_path / "archive.db-wal"
    assert wal.stat().st_size > 0  # the fixture's articles are still in the log
    result = CliRunner().invoke(
        main,
        ["export", "--format", "jsonl", "--out", str(wal), "--db", str(tmp_path / "archive.db")],
    )
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {wal} is a file of the archive itself (its -wal); give --out another path"
    ]
    archive.conn.close()
    assert sqlite3.connect(tmp_path / "archive.db").execute(
        "SELECT count(*) FROM articles"
    ).fetchone() == (3,)


def export_to_stdout(tmp_path, *options):
    """Run `legalnews export --out -` in a new process in an empty folder; return it finished."""
    folder = tmp_path / "cwd"
    folder.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "crawler",
            "export",
            "--out",
            "-",
            "--db",
            str(tmp_path / "archive.db"),
            *options,
        ],
        capture_output=True,
        cwd=folder,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert list(folder.iterdir()) == []  # no file named "-"
    return result


@pytest.mark.e2e
def test_export_to_stdout_as_jsonl_csv_and_parquet(archive, tmp_path):
    jsonl = export_to_stdout(tmp_path, "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    assert [json.loads(line)["title"] for line in jsonl.stdout.decode("utf-8").splitlines()] == [
        "禁毒大会战",
        "禁毒大会战",
        "新年普法",
    ]
    assert jsonl.stderr.decode().strip() == "exported 3 rows to stdout"
    text = export_to_stdout(tmp_path, "--format", "csv", "--site", "fzzx").stdout.decode(
        "utf-8-sig"
    )
    assert [r["title"] for r in csv.DictReader(io.StringIO(text, newline=""))] == [
        "禁毒大会战",
        "新年普法",
    ]
    parquet = export_to_stdout(tmp_path, "--format", "parquet").stdout
    assert pq.read_table(io.BytesIO(parquet)).column("title").to_pylist()[2] == "新年普法"


@pytest.mark.e2e
def test_export_of_a_folder_to_stdout_is_refused(archive, tmp_path):
    result = export_to_stdout(tmp_path, "--format", "jsonl", "--hf")
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr.decode().strip() == (
        "Error: --hf writes a folder (data files and a card), not to stdout; "
        "give --out a new folder"
    )


def test_export_command_errors_are_one_line(archive, tmp_path):
    result = CliRunner().invoke(
        main,
        ["export", "--format", "csv", "--out", str(tmp_path), "--db", str(tmp_path / "archive.db")],
    )
    assert result.exit_code == 2
    assert (
        result.output.strip().splitlines()[0].startswith("Error: ")
        and len(result.output.strip().splitlines()) == 1
    )
