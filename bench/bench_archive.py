"""The archive at scale: ingest rate, Chinese search latency, export rate and memory.

    python bench/bench_archive.py                     # 100,000 articles (3 to 6 minutes)
    python bench/bench_archive.py --articles 20000    # quicker

Articles are generated from the demo articles (crawler/demo): sentences made of their words
(the character runs of 2 to 4 characters seen at least twice, drawn by frequency) mixed with
generated words of their characters, and one sentence in seven a real demo sentence with
names, places and figures replaced. Unrelated articles then share about as little text as
real news does (mean Jaccard of 5-character shingles 0.0015, against 0.0003 between the
eval-dev pages), while common words like 法院 and 禁毒 stay common. One article in ten is an
edited reprint of an earlier one, so the story path (link, exact and near-duplicate
matching) does real work. Each article is stored with a captures row through the bulk path of
import-warc: prepared in a worker process (crawler.archive.prepare), written in transactions of
5,000 (crawler.archive.bulk) by the store path of a crawl (crawler.archive.ingest: row, capture
link, story, near-duplicate and search index).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import LIAONING_CITIES, peak_rss_mb
from crawler.archive.bulk import BULK_ITEMS, write_batches
from crawler.archive.captures import record_capture
from crawler.archive.ingest import store_prepared
from crawler.archive.prepare import Prepared, prepare_all
from crawler.archive.runs import seed_outlets
from crawler.archive.schema import open_archive
from crawler.demo.content import load_records
from crawler.items import Article
from crawler.reprints.outlets import outlet_hosts
from crawler.search.fts import fts_query, search

NAMES = list("张王李刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
PLACES = [*LIAONING_CITIES, "和平区", "沈河区", "中山区", "西岗区"]
SITES = [
    ("fzzx", "http://www.fzzx.org.cn/html/gazx/{d}/{n}.html"),
    ("lnfz", "http://www.lnfz.cn/news/{n}.html"),
    ("court", "http://www.court.example.cn/article/{d}/{n}.shtml"),
]
SEARCH_TERMS = {
    "two characters": ["法院", "禁毒", "民警", "诈骗"],
    "four characters": ["人民法院", "禁毒工作", "检察机关", "公安机关"],
}


def sentence_pool() -> list[str]:
    """Return the sentences of the demo articles."""
    pool = []
    for record in load_records():
        for paragraph in record["paragraphs"]:
            pool += [s for s in re.split(r"(?<=[。！？])", paragraph) if len(s) > 8]
    return pool


class Vocabulary:
    """Words to write sentences with: the demo texts' own (by frequency) and generated ones."""

    def __init__(self, rng: random.Random, generated: int = 40_000) -> None:
        runs = re.findall(r"[\u4e00-\u9fff]+", "".join(sentence_pool()))
        grams = Counter(
            run[i : i + n] for run in runs for n in (2, 3, 4) for i in range(len(run) - n + 1)
        )
        self.words = [w for w, count in grams.items() if count >= 2]
        self.word_weights = list(accumulate(grams[w] for w in self.words))
        chars = Counter("".join(runs))
        letters, weights = list(chars), list(accumulate(chars.values()))
        self.novel = [
            "".join(rng.choices(letters, cum_weights=weights, k=rng.choice((2, 2, 2, 3, 4))))
            for _ in range(generated)
        ]
        self.novel_weights = list(
            accumulate(rank**-0.8 for rank in range(1, generated + 1))
        )  # Zipf-like

    def clause(self, rng: random.Random) -> str:
        count = rng.randint(3, 8)
        known = rng.choices(self.words, cum_weights=self.word_weights, k=count)
        novel = rng.choices(self.novel, cum_weights=self.novel_weights, k=count)
        return "".join(k if rng.random() < 0.5 else n for k, n in zip(known, novel, strict=True))


def person(rng: random.Random) -> str:
    return rng.choice(NAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def vary(sentence: str, rng: random.Random) -> str:
    """Return a sentence with its figures, places and names replaced."""
    sentence = re.sub(r"\d+", lambda m: str(rng.randint(1, 10 ** len(m.group()))), sentence)
    sentence = re.sub("|".join(PLACES[:10]), lambda _: rng.choice(PLACES), sentence)
    return sentence.replace("记者", f"记者{person(rng)}", 1)


def sentence(rng: random.Random, words: Vocabulary, pool: list[str]) -> str:
    """Return one sentence: a real demo sentence varied (one in seven) or one of 1-3 generated
    clauses."""
    if rng.random() < 1 / 7:
        return vary(rng.choice(pool), rng)
    return "，".join(words.clause(rng) for _ in range(rng.randint(1, 3))) + "。"


def generate(n: int, seed: int = 5) -> list[Article]:
    """Return n realistic articles, one in ten an edited reprint of an earlier one."""
    rng = random.Random(seed)
    pool = sentence_pool()
    words = Vocabulary(rng)
    articles: list[Article] = []
    for i in range(n):
        site, pattern = SITES[i % len(SITES)]
        day = f"2022-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        url = pattern.format(d=day.replace("-", ""), n=100000 + i)
        if articles and rng.random() < 0.1:
            base = rng.choice(articles[-2000:])
            paragraphs = base.body.split("\n")
            paragraphs.insert(
                rng.randrange(len(paragraphs) + 1), "（编者按：本文转载时略有删节。）"
            )
            articles.append(
                Article(
                    url=url,
                    site=site,
                    title=base.title,
                    published=day,
                    source=base.source,
                    body="\n".join(paragraphs),
                    original_url=base.url,
                    fetched_at=f"{day}T10:00:00+00:00",
                    status=200,
                )
            )
            continue
        paragraphs = [
            "".join(sentence(rng, words, pool) for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(4, 10))
        ]
        title = (
            f"{rng.choice(PLACES)}"
            f"{sentence(rng, words, pool)[: rng.randint(10, 24)].rstrip('，。')}"
        )
        articles.append(
            Article(
                url=url,
                site=site,
                title=title,
                published=day,
                source=rng.choice(["辽宁长安网", "法治日报", "人民法院报", None]),
                author=person(rng),
                body="\n".join(paragraphs),
                fetched_at=f"{day}T10:00:00+00:00",
                status=200,
            )
        )
    return articles


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
        print(
            f"prepare alone (CPU side, one process, {args.single}): "
            f"{prepare_rate(articles[: args.single]):,.0f} articles/s"
        )
        single = ingest(folder / "single.db", articles[: args.single], batch=1, workers=0)
        print(
            f"ingest, one transaction per article, prepared inline ({args.single}): "
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
