"""Plain-text tables for the CLI, aligned in display width so that Chinese text lines up.

tabulate measures cells with wcwidth (a declared dependency): a wide or full-width character
takes two terminal columns. It writes plain text, never terminal colour codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tabulate import tabulate


def cell_text(value: Any, max_cell: int | None = None) -> str:
    """Return a value as one line of cell text (None empty), cut to `max_cell` characters."""
    text = "" if value is None else str(value).replace("\r", " ").replace("\n", " ")
    return text[:max_cell] if max_cell else text


def format_table(
    columns: Sequence[str], rows: Iterable[Sequence[Any]], max_cell: int | None = None
) -> str:
    """Return `rows` under a header of `columns` and a dashed rule, as aligned plain text."""
    cells = [[cell_text(v, max_cell) for v in row] for row in rows]
    return tabulate(
        cells, headers=[str(c) for c in columns], tablefmt="simple", disable_numparse=True
    )


def format_rows(rows: Iterable[Sequence[Any]], align: Sequence[str], indent: str = "") -> list[str]:
    """Return `rows` without a header as aligned plain lines; `align` is "left" or "right" per
    column."""
    cells = [[cell_text(v) for v in row] for row in rows]
    if not cells:
        return []
    text = tabulate(cells, tablefmt="plain", colalign=tuple(align), disable_numparse=True)
    return [indent + line.rstrip() for line in text.splitlines()]
