"""The archive at scale: ingest rate, Chinese search latency, export rate and memory.

    python bench/bench_archive.py                     # 100,000 articles (3 to 6 minutes)
    python bench/bench_archive.py --articles 20000    # quicker

Articles come from bench/archive_corpus.py (generated from the demo articles, one in ten an
edited reprint of an earlier one). Each article is stored with a captures row through the bulk
path of import-warc: prepared in a worker process (crawler.archive.prepare), written in
transactions of 5,000 (crawler.archive.bulk) by the store path of a crawl (crawler.archive.ingest:
row, capture link, story, near-duplicate and search index).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.archive_corpus import generate
from bench.common import peak_rss_mb
from crawler.archive.bulk import BULK_ITEMS, write_batches
from crawler.archive.captures import record_capture
from crawler.archive.ingest import store_prepared
from crawler.archive.prepare import Prepared, prepare_all
from crawler.archive.runs import seed_outlets
from crawler.archive.schema import open_archive
from crawler.items import Article
from crawler.reprints.outlets import outlet_hosts
from crawler.search.fts import fts_query, search

SEARCH_TERMS = {
    "two characters": ["法院", "禁毒", "民警", "诈骗"],
    "four characters": ["人民法院", "禁毒工作", "检察机关", "公安机关"],
}


def store(db, item: Prepared) -> list[str]:
    """Write one prepared article with a captures row, as import-warc does."""
    capture_id = record_capture(
        db,
        item.row["url"],
        "archive/warc/bench.warc.gz",
        0,
        9000,
        status=200,
        content_type="text/html; charset=utf-8",
        fetched_at=item.row["fetched_at"],
        run_id=None,
    )
    return [store_prepared(db, item, capture_id)[1]]


def failed(db, item: Prepared, exc: Exception) -> list[str]:
    raise exc  # the benchmark's articles are all valid: a failure is a bug to see


def ingest(db_path: Path, articles: list[Article], batch: int, workers: int) -> float:
    """Store articles (with a captures row each), `batch` per transaction; return articles/s.

    `workers` processes prepare the articles (crawler.archive.prepare.prepare_all) while
    this one writes (crawler.archive.bulk.write_batches); with 0 everything runs here.
    """
    db = open_archive(db_path)
    seed_outlets(db, outlet_hosts())
    start, cpu = time.perf_counter(), cpu_seconds()
    counts = write_batches(
        db,
        prepare_all(((article, None) for article in articles), workers=workers),
        store,
        failed,
        batch,
    )
    rate = len(articles) / (time.perf_counter() - start)
    writer, preparing = (after - before for after, before in zip(cpu_seconds(), cpu, strict=True))
    assert counts["new"] == len(articles), counts
    db.conn.close()
    if workers:
        print(
            f"  CPU per article: writer process {writer / len(articles) * 1e6:,.0f} µs, "
            f"preparing process(es) {preparing / len(articles) * 1e6:,.0f} µs (user + system)"
        )
    return rate


def cpu_seconds() -> tuple[float, float]:
    """Return the user + system CPU seconds of this process and of its ended children."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def prepare_rate(articles: list[Article]) -> float:
    """Return how many articles/s one process prepares (the CPU side of storing, no SQL)."""
    start = time.perf_counter()
    for _ in prepare_all(((article, None) for article in articles), workers=1):
        pass
    return len(articles) / (time.perf_counter() - start)


def search_latency(db_path: Path, repeats: int = 7) -> dict[str, tuple[float, float]]:
    """Return per kind of term the median search time in ms (top 20 with snippets) and the
    mean share of articles a term matches."""
    db = open_archive(db_path)
    total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    result = {}
    for kind, terms in SEARCH_TERMS.items():
        times, shares = [], []
        for term in terms:
            shares.append(
                db.execute(
                    "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?",
                    [fts_query(term)],
                ).fetchone()[0]
                / total
            )
            for _ in range(repeats):
                start = time.perf_counter()
                search(db, term, limit=20)
                times.append((time.perf_counter() - start) * 1000)
        result[kind] = (statistics.median(times), statistics.mean(shares))
    db.conn.close()
    return result


def export_child(db_path: Path, fmt: str, out: Path) -> None:
    """Run in a child process: export and print rows/s and peak memory as JSON."""
    from crawler.export.files import export

    db = open_archive(db_path)
    before = peak_rss_mb()
    start = time.perf_counter()
    report = export(db, fmt, out)
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "rows": report.rows,
                "rate": report.rows / seconds,
                "peak_mb": peak_rss_mb(),
                "baseline_mb": before,
                "size_mb": out.stat().st_size / 2**20,
            }
        )
    )


def warm(path: Path) -> None:
    """Read a file once so that every timed export starts with it in the page cache."""
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def export_rates(db_path: Path, folder: Path) -> dict[str, dict]:
    """Return each format's export figures, each measured in its own process, cache warm."""
    warm(db_path)
    figures = {}
    for fmt in ("jsonl", "csv", "parquet"):
        out = folder / f"export.{fmt}"
        child = subprocess.run(
            [
                sys.executable,
                __file__,
                "--export-child",
                fmt,
                "--db",
                str(db_path),
                "--out",
                str(out),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        figures[fmt] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--batch", type=int, default=BULK_ITEMS, help="articles per transaction in the batched runs"
    )
    parser.add_argument(
        "--single", type=int, default=10_000, help="articles stored one transaction each"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="processes preparing articles beside the writer"
    )
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        return export_child(Path(args.db), args.export_child, Path(args.out))
    articles = generate(args.articles)
    chars = statistics.mean(len(a.body) for a in articles)
    print(f"generated {len(articles)} articles, {chars:.0f} characters of body on average")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        few = articles[: args.single]
        print(
            f"prepare alone (CPU side, one process, {len(few)}): "
            f"{prepare_rate(few):,.0f} articles/s"
        )
        single = ingest(folder / "single.db", few, batch=1, workers=0)
        print(
            f"ingest, one transaction per article, prepared inline ({len(few)}): "
            f"{single:,.0f} articles/s"
        )
        inline = ingest(folder / "inline.db", articles, batch=args.batch, workers=0)
        print(
            f"ingest, {args.batch} per transaction, prepared inline ({len(articles)}): "
            f"{inline:,.0f} articles/s"
        )
        (folder / "inline.db").unlink()
        rate = ingest(folder / "archive.db", articles, batch=args.batch, workers=args.workers)
        print(
            f"ingest, {args.batch} per transaction, {args.workers} preparing process(es) "
            "beside the writer "
            f"({len(articles)}): {rate:,.0f} articles/s"
        )
        print(f"archive size: {(folder / 'archive.db').stat().st_size / 2**20:,.0f} MiB")
        for kind, (ms, share) in search_latency(folder / "archive.db").items():
            print(
                f"search, {kind}: median {ms:.1f} ms "
                f"(a term matches {share:.0%} of the articles on average)"
            )
        for name in ("single.db", "archive.db"):  # flat memory: the same peak at both sizes
            for fmt, fig in export_rates(folder / name, folder).items():
                print(
                    f"export {fmt} ({fig['rows']:,} rows): {fig['rate']:,.0f} rows/s, "
                    f"{fig['size_mb']:,.0f} MiB, peak memory {fig['peak_mb']:.0f} MiB "
                    f"(after imports and open: {fig['baseline_mb']:.0f} MiB)"
                )


if __name__ == "__main__":
    main()
