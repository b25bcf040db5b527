"""Command line: python -m crawler.parsing [--url URL] FILE... prints one JSON line per file."""

from __future__ import annotations

import argparse
import json
import sys

from .api import extract_files

LIST_EXIT = 3


def main(argv: list[str] | None = None) -> int:
    """Print the extraction of each file; exit 3 when the only file is a list page."""
    parser = argparse.ArgumentParser(prog="python -m crawler.parsing",
                                     description="Extract articles from saved HTML pages.")
    parser.add_argument("--url", help="URL the page was fetched from (picks the site parser)")
    parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    status = 0
    for record in extract_files(args.files, args.url):
        print(json.dumps(record, ensure_ascii=False), flush=False)
        if "error" in record:
            status = 1
        elif record.get("kind") == "list" and len(args.files) == 1:
            status = LIST_EXIT
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
