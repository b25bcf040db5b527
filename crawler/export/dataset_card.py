"""The README.md dataset card of a Hugging Face export folder: schema, sources and counts."""

from __future__ import annotations

from collections import Counter

from sqlite_utils import Database

from crawler.clock import utcnow
from crawler.sites import SITES

FEATURES = {
    "int64": "    dtype: int64",
    "string": "    dtype: string",
    "bool": "    dtype: bool",
    "list<string>": "    sequence: string",
    "list<struct>": (
        "    list:\n    - name: src\n      dtype: string\n    - name: caption\n      dtype: string"
    ),
}


def dataset_card(
    db: Database, fmt: str, rows: int, sites: Counter, filters, stories_only: bool
) -> str:
    """Return the dataset card (YAML header for the Hub, then a human description)."""
    from crawler.export.files import COLUMNS

    features = "\n".join(f"  - name: {name}\n{FEATURES[kind]}" for name, _, kind, _ in COLUMNS)
    schema = "\n".join(f"| `{name}` | {kind} | {meaning} |" for name, _, kind, meaning in COLUMNS)
    sources = "\n".join(
        f"| `{slug}` | {SITES[slug].name if slug in SITES else slug} | "
        f"{', '.join(SITES[slug].hosts) if slug in SITES else '-'} | {count} |"
        for slug, count in sorted(sites.items(), key=lambda kv: (-kv[1], str(kv[0])))
    )
    stories = db.execute("SELECT count(*), coalesce(sum(copies > 1), 0) FROM stories").fetchone()
    span = db.execute(
        "SELECT min(substr(published, 1, 10)), max(substr(published, 1, 10)) FROM articles"
    ).fetchone()
    chosen = [
        f"site = {filters.site}" if filters and filters.site else "",
        f"published since {filters.since}" if filters and filters.since else "",
        f"published until {filters.until}" if filters and filters.until else "",
        "one row per story (its original copy)" if stories_only else "",
    ]
    chosen = [c for c in chosen if c] or ["none: every article"]
    return f"""---
language:
- zh
pretty_name: legalnews archive export
task_categories:
- text-classification
- summarization
size_categories:
- {_size_category(rows)}
configs:
- config_name: default
  data_files:
  - split: train
    path: data/train-*.{fmt}
dataset_info:
  features:
{features}
  splits:
  - name: train
    num_examples: {rows}
---

# legalnews archive export

Chinese legal-news articles crawled from the portals below by
[legalnews](https://example.invalid/legalnews): title, date, 来源, author, editor and body of
each page, deduplicated, with reprints of the same article grouped into stories.

- Rows: **{rows}** ({fmt}, one file in `data/`)
- Published between {span[0] or "-"} and {span[1] or "-"}
- The archive holds {stories[0]} stories, {stories[1]} of them with more than one copy
- Filters: {"; ".join(chosen)}
- Exported at {utcnow()}

## Sources

| site | portal | hosts | rows |
| --- | --- | --- | --- |
{sources}

## Schema

| column | type | meaning |
| --- | --- | --- |
{schema}

## Use

The texts belong to their publishers; check each portal's terms before redistributing.
"""


def _size_category(rows: int) -> str:
    for limit, name in (
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
    ):
        if rows < limit:
            return name
    return "1M<n<10M"
