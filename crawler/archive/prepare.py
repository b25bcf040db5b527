"""The CPU side of storing an article, done before any SQL: one pure function.

Normalising the body once gives its exact fingerprint, its shingles, MinHash signature
and LSH band keys; the search terms of title and body are built here too. Keeping this
apart from the writes lets bulk ingest (import-warc, reparse, drain) prepare articles in
worker processes while one connection writes (see `prepare_all`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from crawler import dedup
from crawler.archive import nearindex
from crawler.archive.search import segment
from crawler.archive.store import article_row
from crawler.dedup import normalize_text
from crawler.items import Article
from crawler.neardup import band_keys


@dataclass
class Prepared:
    """An article with everything the archive derives from it before writing."""

    article: Article
    row: dict  # the `articles` columns, as crawler.archive.store.article_row
    hashes: np.ndarray  # sorted unique shingle hashes of the normalised body
    sig: np.ndarray | None  # MinHash signature; None when the body is too short to index
    keys: list[int]  # LSH band keys of `sig` (empty without a signature)
    title_terms: str  # the search index's terms (crawler.archive.search.segment)
    body_terms: str

    def __getstate__(self) -> dict:
        """Pickle the arrays as bytes: a third of the time of pickling numpy arrays and lists."""
        state = dict(self.__dict__)
        state["hashes"] = self.hashes.tobytes()
        state["sig"] = None if self.sig is None else self.sig.tobytes()
        state["keys"] = np.array(self.keys, dtype=np.int64).tobytes()
        return state

    def __setstate__(self, state: dict) -> None:
        state["hashes"] = np.frombuffer(state["hashes"], dtype=np.uint64)
        state["sig"] = None if state["sig"] is None else np.frombuffer(state["sig"], dtype=np.uint32)
        state["keys"] = np.frombuffer(state["keys"], dtype=np.int64).tolist()
        self.__dict__.update(state)


def prepare(article: Article, run_id: int | None = None) -> Prepared:
    """Return the row, fingerprints and search terms of `article`."""
    norm = normalize_text(article.body or "")
    row = article_row(article, run_id, body_hash=dedup.normalized_fingerprint(norm))
    hashes, sig = nearindex.normalized_fingerprint(norm)
    return Prepared(article, row, hashes, sig, band_keys(sig) if sig is not None else [],
                    segment(article.title), segment(article.body))


def _prepare_chunk(chunk: list[tuple[Article, int | None]]) -> list[Prepared]:
    return [prepare(article, run_id) for article, run_id in chunk]


def prepare_all(items: Iterable[tuple[Article, int | None]], workers: int | None = None,
                chunk: int = 64, ahead: int = 16) -> Iterator[Prepared]:
    """Yield `prepare(article, run_id)` for each item, in order, from `workers` other processes.

    The default is one per CPU but this one. With none, everything runs here. Otherwise
    chunks go to a pool and at most a few chunks per worker are in flight, so memory stays
    flat on long inputs.
    """
    workers = (os.cpu_count() or 1) - 1 if workers is None else workers
    if workers <= 0:
        for article, run_id in items:
            yield prepare(article, run_id)
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending = []
        batch: list[tuple[Article, int | None]] = []
        for item in items:
            batch.append(item)
            if len(batch) == chunk:
                pending.append(pool.submit(_prepare_chunk, batch))
                batch = []
                if len(pending) > ahead * workers:
                    yield from pending.pop(0).result()
        if batch:
            pending.append(pool.submit(_prepare_chunk, batch))
        for future in pending:
            yield from future.result()
