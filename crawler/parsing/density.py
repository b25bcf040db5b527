"""Pick the main text element of a page by text, punctuation and link density."""

from __future__ import annotations

from dataclasses import dataclass

from .dom import Block, Stream
from .patterns import END_PUNCT, SENTENCE_PUNCT

BAD_WEIGHT = 1.0  # how much link text and short furniture cost the run
GAP_COST = 2.0  # every block costs a little, so long runs of tiny blocks do not pay
SHORT_TAIL = 2  # short sentences after the run that still belong to it


@dataclass
class Main:
    """The chosen main element and the figures that describe it."""

    node: int  # lowest element holding the whole run
    first: int  # stream index of the first block of the run
    last: int
    good: float
    bad: float
    paragraphs: int
    links: int


def block_weight(block: Block) -> tuple[float, float]:
    """Return (prose chars, furniture chars) for one block."""
    text = block.text
    prose = max(len(text) - text.count(" ") - block.link_chars, 0)
    punct = sum(1 for ch in text if ch in SENTENCE_PUNCT)
    if block.furniture or (block.row and block.link_chars):
        return 0.0, prose * 0.5 + block.link_chars  # a table row with a link is a list entry
    if prose >= 8 and (punct >= 1 or prose >= 40) and block.link_chars < prose:
        return prose * (1.0 + min(punct / max(prose, 1) * 4, 0.5)), block.link_chars
    return 0.0, prose * 0.5 + block.link_chars


def _lca(stream: Stream, a: int, b: int) -> int:
    """Return the lowest element holding both elements a and b."""
    while a >= 0 and not stream.inside(b, a):
        a = stream.parent[a]
    return max(a, 0)


def _best_run(values: list[float]) -> tuple[int, int, float]:
    """Return (first, last, sum) of the contiguous run with the largest sum (Kadane)."""
    best = (-1, -1, 0.0)
    start, total = 0, 0.0
    for i, value in enumerate(values):
        if total <= 0:
            start, total = i, 0.0
        total += value
        if total > best[2]:
            best = (start, i, total)
    return best


def _extend(stream: Stream, last: int) -> int:
    """Take in short closing sentences (特此公告。) that the run left out, skipping blank blocks."""
    pos = last + 1
    for _ in range(SHORT_TAIL):
        while pos < len(stream.blocks) and stream.blocks[pos].img is not None:
            pos += 1
        if pos >= len(stream.blocks):
            break
        block = stream.blocks[pos]
        if block.furniture or block.link_chars or not block.text.endswith(END_PUNCT):
            break
        last, pos = pos, pos + 1
    return last


def find_main(stream: Stream) -> Main | None:
    """Return the densest run of prose blocks: most prose for the least furniture between."""
    weights = [block_weight(b) for b in stream.blocks]
    values = [g - BAD_WEIGHT * b - GAP_COST for g, b in weights]
    first, last, _ = _best_run(values)
    if first < 0:
        return None
    last = _extend(stream, last)
    span = weights[first : last + 1]
    blocks = stream.blocks[first : last + 1]
    node = blocks[0].owner
    for block in blocks[1:]:
        node = _lca(stream, node, block.owner)
    return Main(
        node=node,
        first=first,
        last=last,
        good=sum(g for g, _ in span),
        bad=sum(b for _, b in span),
        paragraphs=sum(1 for g, _ in span if g > 0),
        links=sum(1 for b in blocks if b.link_chars > 0),
    )
