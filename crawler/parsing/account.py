"""Find the publishing account of a self-media page: a bare name in a source-named element."""

from __future__ import annotations

from .dom import Stream
from .patterns import ACCOUNT_NAME, LABEL_WORDS, NOT_ACCOUNT, SOURCE_HINT

HINT_LEVELS = 2  # the name's own element and its parent


def _hinted(stream: Stream, idx: int) -> bool:
    """Return True when the element or its parent is named like a source / media account."""
    for _ in range(HINT_LEVELS):
        if idx < 0:
            break
        el = stream.elems[idx]
        if SOURCE_HINT.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
        idx = stream.parent[idx]
    return False


def account_name(stream: Stream, start: int, stop: int) -> str | None:
    """Return the bare account name shown between the headline (start) and the body (stop)."""
    for block in stream.blocks[max(start, 0): max(stop, 0)]:
        text = block.text.strip()
        if block.img is not None or not ACCOUNT_NAME.match(text) or NOT_ACCOUNT.search(text):
            continue
        if any(word in text for word in LABEL_WORDS):
            continue
        if _hinted(stream, block.owner):
            return text
    return None
