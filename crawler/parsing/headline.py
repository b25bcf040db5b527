"""Find the displayed headline: heading tags, title classes, centred bold text, <title> agreement,
position."""

from __future__ import annotations

import re
from functools import cached_property

from .account import INLINE_TAGS
from .dom import is_bold, is_centred
from .lines import ends_sentence, is_header_line, squash
from .patterns import DROP_LINE, END_PUNCT, LABELLED_TITLE, SOURCE_HINT, TITLE_HINT

LABEL_REACH = 6  # blocks past the first paragraph where a labelled title may still stand
OVER_HEADER = 2.0  # what standing right over a header line adds to a headline's score
MIN_HEADLINE = 3.0  # the score a block needs to be the headline
HEADLINE_WINDOW = 6  # blocks above the first paragraph where an unmarked headline may stand
LABELLED = re.compile(r"[:：]")
MAX_TITLE_LINES = 3  # lines of one headline split by <br>
TITLE_SHARE = 0.6  # a <title> inside a longer block must cover this much of it to name it
_TITLE_PARTS = re.compile(r"[|｜_—–-]+")  # <title> parts, glued or not: 标题-栏目-网站
_TAG_WEIGHT = {"h1": 3.0, "h2": 2.0, "h3": 1.0}


class HeadlineMixin:
    """The headline analysis of GenericParser: needs self.page, self.stream and
    self.first_paragraph."""

    @cached_property
    def title_refs(self) -> list[str]:
        """Return the headline as meta data gives it: og:title, ArticleTitle (government sites),
        <title>."""
        metas = self.page.metas
        return [metas.get("og:title", ""), metas.get("articletitle", ""), self.page.title_tag]

    @cached_property
    def title_block(self) -> int:
        """Return the stream index of the displayed headline, or -1."""
        refs = [squash(r) for r in self.title_refs if r]
        limit = self.first_paragraph
        best, best_score = -1, 0.0
        for pos, block in enumerate(self.stream.blocks[: limit + LABEL_REACH]):
            if pos > limit and not LABELLED_TITLE.match(block.text):
                continue  # past the text only a labelled title (标  题: …) counts
            score = self._title_score(block, refs)
            if score and self._over_header_line(pos):
                score += OVER_HEADER  # a headline stands over its date / source line
            if score >= MIN_HEADLINE and score > best_score:
                best, best_score = pos, score
        return best if best >= 0 else self._headline_by_position(limit)

    def _over_header_line(self, pos: int) -> bool:
        """Return True when one of the next two lines is a header line (date, 来源, 作者)."""
        following = [b for b in self.stream.blocks[pos + 1 : pos + 4] if b.text][:2]
        return any(is_header_line(b.text) and b.link_chars * 2 < len(b.text) for b in following)

    def _headline_by_position(self, first: int) -> int:
        """Return the headline-like line of the few above the text (a title-named one first)."""
        found = [
            pos for pos in range(max(first - HEADLINE_WINDOW, 0), first) if self._headline_like(pos)
        ]
        hinted = [pos for pos in found if TITLE_HINT.search(self._names(pos))]
        return (hinted or found or [-1])[0]

    def _names(self, pos: int) -> str:
        """Return the class and id of a block's element and its parent."""
        idx = self.stream.blocks[pos].owner
        els = (self.stream.elems[idx], self.stream.elems[self.stream.parent[idx]] if idx else None)
        return " ".join(f"{e.get('class', '')} {e.get('id', '')}" for e in els if e is not None)

    def _headline_like(self, pos: int) -> bool:
        """Return True for a short unlinked line that is not a sentence, date, byline, label or
        account."""
        block = self.stream.blocks[pos]
        text = block.text
        if block.img is not None or block.link_chars or block.furniture or not 5 <= len(text) <= 60:
            return False
        if (
            ends_sentence(text)
            or is_header_line(text)
            or LABELLED.search(text)
            or DROP_LINE.search(text)
        ):
            return False
        return not self._names_account(block)

    def _names_account(self, block) -> bool:
        """Return True when the block's element (or an inline part) is named like an author or
        account."""
        el = self.stream.elems[block.owner]
        names = " ".join(
            f"{e.get('class', '')} {e.get('id', '')}" for e in (el, *el.iterchildren(*INLINE_TAGS))
        )
        return bool(SOURCE_HINT.search(names))

    def _title_score(self, block, refs: list[str]) -> float:
        """Score one block as the headline: heading tag, title class, match with <title>."""
        if block.img is not None or not 4 <= len(block.text) <= 120:
            return 0.0
        if LABELLED_TITLE.match(block.text):
            return 8.0  # 标  题: …, as a forum or letter box prints it
        el = self.stream.elems[block.owner]
        parent = self.stream.elems[self.stream.parent[block.owner]] if block.owner else el
        score = _TAG_WEIGHT.get(el.tag, 0.0)
        names = (
            f"{el.get('class', '')} {el.get('id', '')} "
            f"{parent.get('class', '')} {parent.get('id', '')}"
        )
        if TITLE_HINT.search(names):
            score += 1.5
        if (
            score < MIN_HEADLINE
            and not block.text.endswith(END_PUNCT)
            and is_centred(el)
            and is_bold(el, block.text)
        ):
            # a headline set as centred bold text, as old templates and gazettes do
            score = MIN_HEADLINE
        text = squash(block.text)
        if len(text) >= 4:
            score += max((_ref_match(text, r) for r in refs), default=0.0)
        return score

    @cached_property
    def title_last(self) -> int:
        """Return the stream index of the headline's last line: a <br> may split it in one
        element."""
        pos = self.title_block
        blocks = self.stream.blocks
        if pos >= 0 and LABELLED_TITLE.match(blocks[pos].text):
            return pos  # 标  题: … is one line
        while 0 <= pos < len(blocks) - 1 and pos - self.title_block < MAX_TITLE_LINES - 1:
            nxt = blocks[pos + 1]
            if nxt.owner != blocks[self.title_block].owner or nxt.img is not None:
                break
            if (
                not 2 <= len(nxt.text) <= 60
                or nxt.text.endswith(END_PUNCT)
                or is_header_line(nxt.text)
            ):
                break
            pos += 1
        return pos


def _ref_match(text: str, ref: str) -> float:
    """Score how well a block (squashed) matches <title> / og:title: the headline part, not a column
    name."""
    head = max(_TITLE_PARTS.split(ref), key=len)
    if text in ref and len(text) < TITLE_SHARE * len(head):
        return (
            0.0  # a column or site name that <title> also carries (工作动态 in 标题_工作动态_某局)
        )
    if ref.startswith(text) or text.startswith(ref):
        return 5.0
    if text in ref or (ref in text and len(ref) >= TITLE_SHARE * len(text)):
        return 4.0
    return 0.0
