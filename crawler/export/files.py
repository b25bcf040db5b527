"""Stream the archive out as JSON Lines, CSV (Excel-ready) or Parquet, or a Hugging Face folder.

Rows are read from one cursor in batches and written as they come, so memory stays flat
whatever the archive size. Nothing is written outside the path the user gave.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from sqlite_utils import Database

from crawler.archive.guard import archive_file_role
from crawler.export.dataset_card import dataset_card
from crawler.search.fts import Filters

FORMATS = ("jsonl", "csv", "parquet")
STDOUT = "-"  # as --out: write the export to standard output
# Files SQLite keeps beside an archive; truncating one loses or corrupts what it holds.
BATCH = 2000
# (column, SQL expression, Arrow type name, meaning) in output order.
COLUMNS = [
    ("id", "a.id", "int64", "row id in the archive"),
    ("url", "a.url", "string", "URL the page was first archived under"),
    ("canonical_url", "a.canonical_url", "string", "normalised URL (unique)"),
    ("site", "a.site", "string", "portal slug"),
    ("title", "a.title", "string", "title as shown"),
    (
        "published",
        "a.published",
        "string",
        "ISO 8601 with +08:00 (date only when no time is shown)",
    ),
    ("source", "a.source", "string", "outlet named after 来源"),
    ("author", "a.author", "string", "byline (null for 佚名)"),
    ("editor", "a.editor", "string", "责任编辑"),
    ("body", "a.body", "string", "plain text, one paragraph per line"),
    ("original_url", "a.original_url", "string", "原文链接 of a reprint"),
    ("category", "a.category", "list<string>", "breadcrumb path"),
    ("images", "a.images", "list<struct>", "images with src and caption"),
    ("encoding", "a.encoding", "string", "how the page bytes were decoded"),
    ("status", "a.status", "int64", "HTTP status of the capture"),
    ("story_id", "a.story_id", "int64", "story this copy belongs to"),
    ("story_copies", "s.copies", "int64", "copies of the story in the archive"),
    ("is_original", "s.original_article_id = a.id", "bool", "this copy is the story's original"),
    ("version", "a.version", "int64", "1, +1 each time the page changed"),
    ("first_seen_at", "a.first_seen_at", "string", "UTC time of the first fetch"),
    ("fetched_at", "a.fetched_at", "string", "UTC time of the latest fetch"),
    ("capture_id", "a.capture_id", "int64", "captures row of the WARC record"),
]
JSON_COLUMNS = ("category", "images")


class ExportError(Exception):
    """The export cannot be written where asked; the message says why."""


@dataclass
class ExportReport:
    """What an export wrote: rows, files, rows per site."""

    rows: int = 0
    files: list[Path] = field(default_factory=list)
    sites: Counter = field(default_factory=Counter)


def export_rows(
    db: Database, filters: Filters | None = None, stories_only: bool = False
) -> Iterator[dict]:
    """Yield export records (lists decoded), in id order, from one streaming cursor."""
    where, params = (filters or Filters()).sql()
    if stories_only:  # one row per story: its original, else its first copy
        where += (
            " AND a.id = coalesce(s.original_article_id, "
            "(SELECT min(b.id) FROM articles b WHERE b.story_id = a.story_id))"
        )
    select = ", ".join(expr for _, expr, _, _ in COLUMNS)
    cursor = db.conn.execute(
        f"SELECT {select} FROM articles a LEFT JOIN stories s ON s.id = a.story_id "
        f"WHERE 1 = 1{where} ORDER BY a.id",
        params,
    )
    names = [name for name, _, _, _ in COLUMNS]
    while batch := cursor.fetchmany(BATCH):
        for row in batch:
            record = dict(zip(names, row, strict=True))
            for name in JSON_COLUMNS:
                record[name] = json.loads(record[name]) if record[name] else []
            record["is_original"] = bool(record["is_original"])
            yield record


def check_out_path(db: Database, out: Path, folder: bool) -> None:
    """Refuse an output path that is a folder (or, for a folder, not empty) or a file of the
    archive."""
    role = archive_file_role(out, Path(db.conn.execute("PRAGMA database_list").fetchone()[2]))
    if role == "the archive itself":
        raise ExportError(f"{out} is the archive itself")
    if role:
        raise ExportError(f"{out} is {role}; give --out another path")
    if not out.parent.is_dir():
        raise ExportError(f"folder {out.parent} does not exist")
    if folder:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise ExportError(f"{out} exists and is not an empty folder")
    elif out.is_dir():
        raise ExportError(
            f"{out} is a folder; give a file path for --format {out.suffix or 'jsonl|csv|parquet'}"
        )


@contextmanager
def _binary(out: Path | str) -> Iterator[BinaryIO]:
    """Yield `out` opened for writing bytes, or standard output (left open) for STDOUT."""
    if str(out) == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with open(out, "wb") as fh:
        yield fh


@contextmanager
def _text(out: Path | str, encoding: str, newline: str) -> Iterator[io.TextIOWrapper]:
    """Yield `out` (a path or STDOUT) opened for writing text."""
    with _binary(out) as binary:
        fh = io.TextIOWrapper(binary, encoding=encoding, newline=newline)
        try:
            yield fh
        finally:
            fh.flush()
            fh.detach()  # the binary stream is closed by its owner (stdout never)


def write_jsonl(records: Iterator[dict], out: Path | str, report: ExportReport) -> None:
    """Write records as JSON Lines (UTF-8, no escapes for Chinese)."""
    with _text(out, "utf-8", "\n") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            _count(report, record)


def write_csv(records: Iterator[dict], out: Path | str, report: ExportReport) -> None:
    """Write records as CSV in UTF-8 with a BOM (Excel reads Chinese correctly); lists as JSON."""
    names = [name for name, _, _, _ in COLUMNS]
    with _text(out, "utf-8-sig", "") as fh:
        writer = csv.writer(fh)
        writer.writerow(names)
        for record in records:
            writer.writerow(
                [
                    json.dumps(record[n], ensure_ascii=False)
                    if n in JSON_COLUMNS
                    else int(record[n])
                    if n == "is_original"
                    else record[n]
                    for n in names
                ]
            )
            _count(report, record)


def arrow_schema():
    """Return the Arrow schema of the export."""
    import pyarrow as pa

    types = {
        "int64": pa.int64(),
        "string": pa.string(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
        "list<struct>": pa.list_(pa.struct([("src", pa.string()), ("caption", pa.string())])),
    }
    return pa.schema([(name, types[kind]) for name, _, kind, _ in COLUMNS])


def write_parquet(records: Iterator[dict], out: Path | str, report: ExportReport) -> None:
    """Write records as Parquet (zstd), one row group per batch."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema()
    batch: list[dict] = []
    with _binary(out) as fh, pq.ParquetWriter(fh, schema, compression="zstd") as writer:
        for record in records:
            batch.append(record)
            _count(report, record)
            if len(batch) >= BATCH * 5:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch = []
        if batch or not report.rows:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}


def _count(report: ExportReport, record: dict) -> None:
    report.rows += 1
    report.sites[record["site"]] += 1


def export(
    db: Database,
    fmt: str,
    out: str | Path,
    filters: Filters | None = None,
    stories_only: bool = False,
    hf: bool = False,
) -> ExportReport:
    """Export articles to `out` (a file, STDOUT, or with `hf` a new dataset folder); return what was
    written."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt} (choose {', '.join(FORMATS)})")
    if str(out) == STDOUT:
        if hf:
            raise ExportError(
                "--hf writes a folder (data files and a card), not to stdout; "
                "give --out a new folder"
            )
    else:
        out = Path(out)
        check_out_path(db, out, folder=hf)
    report = ExportReport()
    records = export_rows(db, filters, stories_only)
    if not hf:
        WRITERS[fmt](records, out, report)
        report.files.append(Path(out))
        return report
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    target = data / f"train-00000-of-00001.{fmt}"
    WRITERS[fmt](records, target, report)
    card = out / "README.md"
    card.write_text(
        dataset_card(db, fmt, report.rows, report.sites, filters, stories_only), encoding="utf-8"
    )
    report.files += [target, card]
    return report
