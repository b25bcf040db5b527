r"""Print trafilatura's or GNE's extraction of saved pages in the scorers' batch format.

Run from the repo root, for a side-by-side score with ours:
    python ../shared/tools/score_dev2.py --cmd "python bench/anchor_extract.py gne"
    python ../shared/tools/score_extraction.py --batch \
        --cmd "python bench/anchor_extract.py trafilatura"
One JSON object per page on stdout (title, published, author, body; trafilatura's sitename as
source).
"""

from __future__ import annotations

import json
import sys


def decode(raw: bytes) -> str:
    """Decode as the eval reference wrappers do: UTF-8, else GB18030."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", "replace")


def with_gne(text: str) -> dict:
    from gne import GeneralNewsExtractor

    got = GeneralNewsExtractor().extract(text)
    return {
        "title": got.get("title"),
        "published": got.get("publish_time"),
        "author": got.get("author"),
        "body": got.get("content"),
    }


def with_trafilatura(text: str) -> dict:
    import trafilatura

    got = json.loads(trafilatura.extract(text, with_metadata=True, output_format="json") or "{}")
    return {
        "title": got.get("title"),
        "published": got.get("date"),
        "source": got.get("sitename"),
        "author": got.get("author"),
        "body": got.get("text"),
    }


def main(argv: list[str]) -> int:
    """Extract every page named after the extractor's name."""
    extract = {"gne": with_gne, "trafilatura": with_trafilatura}[argv[0]]
    paths = argv[1:]
    if "--url" in paths:  # the per-page mode passes the page's URL; these libraries do not use it
        at = paths.index("--url")
        paths = paths[:at] + paths[at + 2 :]
    for path in paths:
        try:
            with open(path, "rb") as fh:
                record = extract(decode(fh.read()))
        except Exception as exc:  # one page the library cannot read is that page's miss
            record = {"error": str(exc)[:200]}
        print(json.dumps({"file": path, **record}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
