"""Tell an article from a list page by the page's structure, not by its length."""

from __future__ import annotations

from dataclasses import dataclass

from .dates import DATE_RE
from .density import Main, block_weight
from .dom import Block, Stream

MIN_PROSE = 80  # prose characters below which a page has no article text at all
TEASER_LOOKAHEAD = 3  # blocks after a linked headline in which its snippet may start
MIN_TEASERS = 3  # linked headlines each followed by a snippet: a result list or a column page
HEADLINE_REACH = 12  # blocks between a headline and the prose it heads
MAX_LINK_SHARE = 0.55  # link characters per prose character above which the run is a link list
BLURB = 180  # one paragraph shorter than this, under more text in dated links, is a blurb
BLURB_LINKS = 1.5  # dated-link text per blurb character that makes a headed page a list
BLURB_LINKS_HEADLESS = 1.0  # the same without a headline over a date line near the paragraph
SHORT_TEXT = 300  # text this short without a date line over it must outweigh the page's link rows
LINK_ROWS_SHARE = 3.0  # linked-headline text per text character that makes such a page a list


def _linked_headline(block: Block, text: str) -> bool:
    """Return True when text (the block's, or part of it) is of headline length and mostly the
    block's links."""
    return 5 <= len(text) <= 80 and block.link_chars >= 0.6 * len(text.replace(" ", ""))


def _is_link_headline(block: Block) -> bool:
    """Return True for a block that is mostly one linked line of headline length."""
    return _linked_headline(block, block.text)


def _is_snippet(block: Block) -> bool:
    """Return True for an unlinked run of prose."""
    return block.img is None and block.link_chars == 0 and block_weight(block)[0] > 0


def teaser_rows(stream: Stream, main: Main) -> tuple[int, float]:
    """Return how many linked headlines of the main run have their own snippet, and the snippets'
    prose."""
    blocks = stream.blocks
    rows, prose = 0, 0.0
    for pos in range(main.first, main.last + 1):
        if not _is_link_headline(blocks[pos]):
            continue
        stop = min(pos + 1 + TEASER_LOOKAHEAD, len(blocks))
        for nxt in range(pos + 1, stop):
            if _is_link_headline(blocks[nxt]):
                break
            if _is_snippet(blocks[nxt]):
                rows += 1
                prose += block_weight(blocks[nxt])[0]
                break
    return rows, prose


def dated_row_chars(stream: Stream) -> int:
    """Return the link characters of rows that pair a linked headline with a date (news rolls)."""
    blocks = stream.blocks
    total = 0
    for pos, block in enumerate(blocks):
        after = blocks[pos + 1].text if pos + 1 < len(blocks) else ""
        dated = DATE_RE.search(block.text) or (len(after) <= 24 and DATE_RE.search(after))
        if dated and _linked_headline(block, DATE_RE.sub("", block.text).strip()):
            total += block.link_chars
    return total


def _under_link(stream: Stream, pos: int) -> bool:
    """Return True when a linked headline stands in the few blocks right above pos."""
    if pos < 0:
        return False
    above = [b for b in stream.blocks[max(pos - TEASER_LOOKAHEAD, 0) : pos] if b.text]
    return any(_is_link_headline(b) for b in above)


def link_row_chars(stream: Stream) -> int:
    """Return the link characters of all linked headline rows of the page (dated or not)."""
    return sum(b.link_chars for b in stream.blocks if _is_link_headline(b))


@dataclass(frozen=True)
class Text:
    """What the parser found of the page's own text: where it starts, how much, and what heads
    it."""

    title_pos: int  # stream index of the headline, or -1
    chars: int  # characters of the body
    paragraphs: int  # lines of the body
    first: int  # stream index of the body's first line, or -1
    anchored: bool  # a headline over a date line, or a date line right above the text


def is_list(stream: Stream, main: Main | None, text: Text) -> bool:
    """Return True for index, search-result and link-list pages; when in doubt, an article."""
    title_pos, body_chars, paragraphs, anchored = (
        text.title_pos,
        text.chars,
        text.paragraphs,
        text.anchored,
    )
    if main is None or main.good < MIN_PROSE or body_chars == 0:
        return True
    teasers, snippet_prose = teaser_rows(stream, main)
    if teasers >= MIN_TEASERS and snippet_prose * 2 >= main.good:
        return True  # most prose sits under linked headlines: snippets of other pages
    if main.links > max(main.paragraphs, 1) * 3 and main.bad > main.good * MAX_LINK_SHARE:
        return True  # the densest run is made of links
    headed = 0 <= title_pos and main.first - title_pos <= HEADLINE_REACH
    if paragraphs == 1 and body_chars < BLURB and not anchored:
        # A topic's intro or an author's bio above a roll of dated links: the links outweigh it.
        share = BLURB_LINKS if headed else BLURB_LINKS_HEADLESS
        if dated_row_chars(stream) > share * body_chars:
            return True
    if paragraphs == 1 and not anchored and _under_link(stream, text.first):
        return True  # the one paragraph is a featured story's summary under its linked headline
    if (
        not anchored
        and body_chars < SHORT_TEXT
        and link_row_chars(stream) > LINK_ROWS_SHARE * body_chars
    ):
        # a little text with no date line over it, among many linked headlines: a front page
        return True
    return not headed and main.paragraphs < 2 and main.good < 2 * MIN_PROSE
