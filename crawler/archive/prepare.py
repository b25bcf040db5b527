"""The CPU side of storing an article, done before any SQL: one pure function.

The `articles` row of an article is built here (`article_row`). Normalising the body once
gives its exact fingerprint, its shingles, MinHash signature and LSH band keys; the search
terms of title and body are built here too. Keeping this apart from the writes lets bulk
ingest (import-warc, which extracts there too, and the archive benchmark) prepare articles
in worker processes while one connection writes (see `parallel_map`); reparse and the Redis
drain still prepare in their writing process.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from itertools import islice
from typing import TypeVar

import numpy as np

from crawler.clock import utcnow
from crawler.items import TEXT_FIELDS, Article
from crawler.reprints import fingerprints, neardup
from crawler.reprints.fingerprints import body_fingerprint, canonical_url, nfkc, normalize_nfkc
from crawler.reprints.neardup import band_keys
from crawler.search.fts import segment, segment_nfkc
from crawler.sites import drop_params_for

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class Prepared:
    """Everything the archive derives from an article before writing (the article itself is its
    row)."""

    row: dict  # the `articles` columns, as `article_row`
    hashes: np.ndarray  # sorted unique shingle hashes of the normalised body
    sig: np.ndarray | None  # MinHash signature; None when the body is too short to index
    keys: list[int]  # LSH band keys of `sig` (empty without a signature)
    title_terms: str  # the search index's terms (crawler.search.fts.segment)
    body_terms: str

    @property
    def bodyprint(self) -> neardup.BodyPrint:
        """Return the body's hashes, signature and band keys, as the story search takes them."""
        return neardup.BodyPrint(self.hashes, self.sig, self.keys)

    def __getstate__(self) -> dict:
        """Pickle the arrays as bytes: a third of the time of pickling numpy arrays and lists."""
        state = dict(self.__dict__)
        state["hashes"] = self.hashes.tobytes()
        state["sig"] = None if self.sig is None else self.sig.tobytes()
        state["keys"] = np.array(self.keys, dtype=np.int64).tobytes()
        return state

    def __setstate__(self, state: dict) -> None:
        state["hashes"] = np.frombuffer(state["hashes"], dtype=np.uint64)
        state["sig"] = (
            None if state["sig"] is None else np.frombuffer(state["sig"], dtype=np.uint32)
        )
        state["keys"] = np.frombuffer(state["keys"], dtype=np.int64).tolist()
        self.__dict__.update(state)


def article_row(article: Article, run_id: int | None, body_hash: str | None = None) -> dict:
    """Return the `articles` columns for `article` (without id, story, capture and version)."""
    return {
        "url": article.url,
        "canonical_url": canonical_url(article.url, drop_params_for(article.url)),
        "site": article.site,
        **{name: getattr(article, name) for name in TEXT_FIELDS},
        "original_canonical": original_canonical(article.original_url),
        "category": json.dumps(article.category, ensure_ascii=False),
        "images": json.dumps([asdict(i) for i in article.images], ensure_ascii=False),
        "encoding": article.encoding,
        "status": article.status,
        "body_hash": body_hash or body_fingerprint(article.body or ""),
        "fetched_at": article.fetched_at or utcnow(),
        "run_id": run_id,
    }


def original_canonical(url: str | None) -> str | None:
    """Return the canonical URL of the original a page names, or None without one."""
    return canonical_url(url, drop_params_for(url)) if url else None


def prepare(article: Article, run_id: int | None = None) -> Prepared:
    """Return the row, fingerprints and search terms of `article`."""
    body = nfkc(article.body or "")  # once for the fingerprints and the search terms
    norm = normalize_nfkc(body)
    row = article_row(article, run_id, body_hash=fingerprints.normalized_fingerprint(norm))
    hashes, sig = neardup.normalized_fingerprint(norm)
    return Prepared(
        row,
        hashes,
        sig,
        band_keys(sig) if sig is not None else [],
        segment(article.title),
        segment_nfkc(body),
    )


def _run_chunk(work: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [work(item) for item in chunk]


def parallel_map(
    work: Callable[[T], R],
    items: Iterable[T],
    workers: int | None = None,
    chunk: int = 64,
    ahead: int = 32,
    inline_first: int = 0,
) -> Iterator[R]:
    """Yield `work(item)` for each item, in order, computed in `workers` other processes.

    `work` must be a module-level function (it is pickled by name). The default is one
    process per CPU but this one; with none, everything runs here. The first `inline_first`
    items run here too, so that a short input never pays for starting processes. Chunks go
    to a pool, at most `ahead` chunks per worker in flight: enough to keep the workers busy
    while this process commits, and memory stays flat on long inputs.
    """
    workers = (os.cpu_count() or 1) - 1 if workers is None else workers
    items = iter(items)
    for item in islice(items, inline_first if workers > 0 else None):
        yield work(item)
    if workers <= 0:
        return
    first = list(islice(items, chunk))
    if not first:
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = [pool.submit(_run_chunk, work, first)]
        while batch := list(islice(items, chunk)):
            pending.append(pool.submit(_run_chunk, work, batch))
            if len(pending) > ahead * workers:
                yield from pending.pop(0).result()
        for future in pending:
            yield from future.result()


def _prepare_item(item: tuple[Article, int | None]) -> Prepared:
    return prepare(*item)


def prepare_all(
    items: Iterable[tuple[Article, int | None]], workers: int | None = None, **options
) -> Iterator[Prepared]:
    """Yield `prepare(article, run_id)` for each item, in order (see `parallel_map`)."""
    return parallel_map(_prepare_item, items, workers, **options)
