"""The archive's writer alone: how fast one connection stores articles already prepared, by page
size.

    python bench/bench_archive_writer.py    # 100,000 articles, 4 and 16 KiB pages, 2 rounds
    python bench/bench_archive_writer.py --articles 20000 --page-sizes 4096 8192 16384

The writer process is the bottleneck of bulk ingest (bench/bench_archive.py prints the CPU of
each side). Here the articles of archive_corpus.generate are prepared first (two worker
processes) and kept pickled in memory, as a worker would send them; then each page size in
turn writes all of them into a fresh archive through the bulk path (unpickle, then
crawler.archive.bulk.write_batches with the benchmark's store: captures row, article, story,
near-duplicate and search index), and the search of bench_archive is timed on the result. The
variants alternate, round after round, so that a drift of the machine's speed shows as a spread
within a variant rather than as a difference between them.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.archive_corpus import generate
from bench.bench_archive import failed, search_latency, store
from crawler.archive import schema
from crawler.archive.bulk import BULK_ITEMS, write_batches
from crawler.archive.prepare import prepare_all
from crawler.archive.runs import seed_outlets
from crawler.reprints.outlets import outlet_hosts


def write_all(path: Path, items: list[bytes], page_size: int) -> tuple[float, float, float]:
    """Write every pickled prepared article into a new archive; return articles/s, CPU µs per
    article, MiB."""
    schema.PAGE_SIZE = page_size  # read when the file is created
    db = schema.open_archive(path)
    seed_outlets(db, outlet_hosts())
    start, cpu = time.perf_counter(), time.process_time()
    counts = write_batches(db, (pickle.loads(item) for item in items), store, failed, BULK_ITEMS)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert counts["new"] == len(items), counts
    db.conn.close()
    return len(items) / wall, cpu / len(items) * 1e6, path.stat().st_size / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--page-sizes", type=int, nargs="+", default=[4096, 16384])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    items = [
        pickle.dumps(p)
        for p in prepare_all(((a, None) for a in generate(args.articles)), workers=2)
    ]
    print(f"prepared {len(items):,} articles ({sum(map(len, items)) / 2**20:,.0f} MiB pickled)")
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(1, args.rounds + 1):
            for page_size in args.page_sizes:
                path = Path(tmp, f"archive-{page_size}.db")
                rate, cpu, size = write_all(path, items, page_size)
                search = "; ".join(
                    f"{kind} {ms:.1f} ms" for kind, (ms, _) in search_latency(path).items()
                )
                print(
                    f"round {round_}, pages of {page_size:>5} bytes: {rate:,.0f} articles/s, "
                    f"{cpu:,.0f} µs CPU per article, archive {size:,.0f} MiB; "
                    f"search median: {search}"
                )
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
