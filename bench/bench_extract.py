"""Docs/s of our extractor vs trafilatura and GNE on the eval-dev page bytes, same process.

Run from the repo root:  python bench/bench_extract.py [--rounds 3]
Reads the pages of ../shared/eval-dev and ../shared/eval-dev-2 (next to the repo) that exist;
skips with a message when neither does. Ours includes every fallback it calls (htmldate).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL_SETS = (
    ROOT.parent / "shared" / "eval-dev" / "pages",
    ROOT.parent / "shared" / "eval-dev-2" / "pages",
)
sys.path.insert(0, str(ROOT))


def decode(raw: bytes) -> str:
    """Decode as the eval reference wrappers do: UTF-8, else GB18030."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def ours() -> Callable[[bytes], object]:
    from crawler.parsing import parse_page

    return lambda raw: parse_page("", raw)


def trafilatura_fn() -> Callable[[bytes], object] | None:
    try:
        import trafilatura
    except ImportError:
        return None
    return lambda raw: trafilatura.extract(raw, with_metadata=True, output_format="json")


def gne_fn() -> Callable[[bytes], object] | None:
    try:
        from gne import GeneralNewsExtractor
    except ImportError:
        return None
    extractor = GeneralNewsExtractor()
    return lambda raw: extractor.extract(decode(raw))


def one_pass(fn: Callable[[bytes], object], pages: list[bytes]) -> float:
    """Return docs/s of one pass over the pages."""
    start = time.perf_counter()
    for raw in pages:
        try:
            fn(raw)
        except Exception:  # a competitor failing on a page still spent the time
            pass
    return len(pages) / (time.perf_counter() - start)


def rates(
    fns: dict[str, Callable[[bytes], object]], pages: list[bytes], rounds: int
) -> dict[str, float]:
    """Return the best docs/s of each extractor; every round runs all of them, so noise hits all
    alike."""
    for fn in fns.values():
        fn(pages[0])  # warm imports and caches
    best = dict.fromkeys(fns, 0.0)
    for _ in range(rounds):
        for name, fn in fns.items():
            best[name] = max(best[name], one_pass(fn, pages))
    return best


def main(argv: list[str] | None = None) -> int:
    """Print a docs/s table with ratios to ours."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    pages = [p.read_bytes() for folder in EVAL_SETS for p in sorted(folder.glob("*.html"))]
    if not pages:
        print("skipped: ../shared/eval-dev and eval-dev-2 not found (they sit next to the repo)")
        return 0
    fns = {"legalnews": ours()}
    for name, factory in (("trafilatura", trafilatura_fn), ("gne", gne_fn)):
        fn = factory()
        if fn is None:
            print(f"{name}: not installed, skipped")
            continue
        fns[name] = fn
    results = rates(fns, pages, args.rounds)
    print(f"{len(pages)} pages, best of {args.rounds} interleaved rounds, one process")
    print(f"{'extractor':<12} {'docs/s':>8} {'ours is':>9}")
    for name, value in results.items():
        print(f"{name:<12} {value:>8.1f} {results['legalnews'] / value:>8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
