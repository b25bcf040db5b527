"""Find the publishing account of a self-media page: a bare name in a source-named element."""

from __future__ import annotations

from .dom import Stream
from .patterns import ACCOUNT_NAME, LABEL_WORDS, NOT_ACCOUNT, SOURCE_HINT

HINT_LEVELS = 2  # the name's own element and its parent
INLINE_TAGS = ("span", "a", "em", "strong", "b", "i", "font", "label")


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


def _is_account(text: str) -> bool:
    """Return True for text that can be an account's bare name."""
    return (
        bool(ACCOUNT_NAME.match(text))
        and not NOT_ACCOUNT.search(text)
        and not any(word in text for word in LABEL_WORDS)
    )


def account_name(stream: Stream, start: int, stop: int) -> str | None:
    """Return the bare account name shown between the headline (start) and the body (stop)."""
    for block in stream.blocks[max(start, 0) : max(stop, 0)]:
        text = block.text.strip()
        if block.img is not None:
            continue
        if _is_account(text) and _hinted(stream, block.owner):
            return text.lstrip("@")
        # The name in its own inline element beside a badge:
        # <span class="name">X</span><span>认证</span>
        for child in stream.elems[block.owner].iterchildren(*INLINE_TAGS):
            names = f"{child.get('class', '')} {child.get('id', '')}"
            inner = child.text_content().strip() if names.strip() else ""
            if inner and inner != text and _is_account(inner) and SOURCE_HINT.search(names):
                return inner.lstrip("@")
    return None
