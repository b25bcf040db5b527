"""Cut the main element's blocks down to the article's paragraphs, and collect its images."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..items import Image
from .density import Main
from .dom import Block, Stream, is_centred
from .images import image_of
from .lines import (
    ends_sentence,
    is_header_line,
    is_prose,
    similarity,
    squash,
    strip_byline,
    timed_header,
)
from .patterns import (
    AD_HINT,
    CAPTION_HINT,
    CAPTION_LINE,
    CJK,
    DATELINE_ONLY,
    DROP_LINE,
    END_PUNCT,
    FOOTER_LINE,
    RELATED_LINE,
    STOP_LINE,
    SUBHEADING,
    TITLE_HINT,
)
from .signature import signature_tail

BULLETS = "□■●◆◇▲△★☆·•◎○ \u3000"  # marks some templates set before a byline line
MIN_BEFORE_REPLIES = 40  # text a post needs before timed header lines below it are replies
WIDGET_CHARS = 12
PULL_QUOTE_MIN = 12  # a repeated line shorter than this may be a refrain, not a pull quote
PULL_QUOTE_MAX = 120  # a pull quote is a sentence or two
DECK_TAGS = frozenset(
    {"h2", "h3", "h4", "h5", "h6"}
)  # a heading above the first paragraph is a deck
MAX_CAPTION = 90
LONG_PROSE = 40  # prose chars of a block that surely belongs to the article text
TAIL_LABEL = 12  # unpunctuated lines this short at the very end are page furniture
TITLE_LIKE = 0.6  # a leading line sharing this much with the headline repeats it
MIN_BEFORE_STOP = 60  # a stop line before this much text is furniture above the article
CONTINUE_MIN = (
    150  # running prose after a related-links box that shows the article goes on below it
)


@dataclass
class BodyCut:
    """Article lines, their images and where in the block stream they came from."""

    lines: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)  # stream index of each line
    images: list[Image] = field(default_factory=list)
    byline: str | None = None  # a byline cut from the end of the last paragraph
    dropped: list[str] = field(
        default_factory=list
    )  # header lines met inside the text (作者, 编辑, 来源)
    signed: str | None = None  # the date under a notice's signature (2023年5月4日)
    first: int = -1  # index of the first kept block
    last: int = -1


def _named(stream: Stream, block: Block, stop: int, hint: re.Pattern, tag: str = "") -> bool:
    """Return True when the block sits below stop in an element whose class/id matches hint (or is
    tag)."""
    i = block.owner
    while i > stop:
        el = stream.elems[i]
        if el.tag == tag or hint.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True
        i = stream.parent[i]
    return False


def _owner_hint(stream: Stream, block: Block, stop: int) -> bool:
    """Return True when the block sits in an element named like a caption."""
    return _named(stream, block, stop, CAPTION_HINT, "figcaption")


class _Cutter:
    """One pass over the main element's blocks."""

    def __init__(
        self, stream: Stream, main: Main, title_pos: int, base: str, title_last: int
    ) -> None:
        self.s, self.main, self.node, self.base = stream, main, main.node, base
        title = stream.blocks[title_pos].text if title_pos >= 0 else None
        self.start = max(main.first, title_last + 1)
        self.title = squash(title or "")
        self.cut = BodyCut()
        self.after_img = False

    def caption(self, block: Block, text: str) -> bool:
        img = self.cut.images[-1] if self.cut.images else None
        if SUBHEADING.match(text):
            return False  # 一、… under a picture is the next section's heading
        near = self.after_img and len(text) <= MAX_CAPTION and not self.paragraph(block, text)
        hinted = (
            len(text) <= MAX_CAPTION
            and _owner_hint(self.s, block, self.node)
            and (self.after_img or not self.paragraph(block, text))
        )  # a video's description is text
        if not (near or CAPTION_LINE.search(text) or hinted):
            return False
        if len(text) > MAX_CAPTION * 2:
            return False
        if img is not None and img.caption is None and (near or CAPTION_LINE.search(text)):
            img.caption = text
        return True

    def widget(self, block: Block, text: str) -> bool:
        """Return True for a short label with a link in it (直播实录 正序, 展开 收起): a control,
        not text."""
        return bool(block.link_chars) and len(text) <= WIDGET_CHARS and not ends_sentence(text)

    def paragraph(self, block: Block, text: str) -> bool:
        """Return True for a full sentence set as running text: not a caption, even right after an
        image."""
        return (
            len(text) >= LONG_PROSE
            and text.endswith(END_PUNCT)
            and is_prose(text)
            and not self.centred(block)
        )

    def centred(self, block: Block) -> bool:
        """Return True when the block's element (or its parent) is centred."""
        return is_centred(self.s.elems[block.owner])

    def keep(self, text: str) -> bool:
        if not any(ch.isalnum() for ch in text):
            return False  # a separator or a bullet left by an advert slot (·, |, ——)
        if self.title and squash(text) == self.title:
            return False
        bare = text.lstrip(BULLETS)
        if DROP_LINE.search(bare) or is_header_line(text) or DATELINE_ONLY.match(bare):
            self.cut.dropped.append(text)
            return False
        return True

    def run(self) -> BodyCut:
        for pos in range(self.start, self.main.last + 1):
            block = self.s.blocks[pos]
            if block.img is not None:
                # an advert slot is neither an article image nor followed by its caption
                image = (
                    None
                    if _named(self.s, block, self.node, AD_HINT)
                    else image_of(block.img, self.base)
                )
                if image:
                    self.cut.images.append(image)
                    self.after_img = True
                continue
            text = block.text
            if STOP_LINE.match(text) or (len(text) < 150 and FOOTER_LINE.search(text)):
                if RELATED_LINE.match(text) and self.continues(pos):
                    continue  # a 延伸阅读 box set inside the article: its links are skipped below
                if sum(map(len, self.cut.lines)) >= MIN_BEFORE_STOP:
                    break
                self.cut.lines.clear()
                self.cut.first = -1
                continue
            if self.reply_header(pos, text):
                break  # replies or comments under the post, each under its own dated header
            if (
                block.furniture
                or block.link_chars > 0.5 * len(text)
                or self.widget(block, text)
                or self.caption(block, text)
            ):
                self.after_img = False
                continue
            self.after_img = False
            if self.keep(text):
                self.cut.lines.append(text)
                self.cut.positions.append(pos)
        self.trim_head()
        self.trim_tail()
        self.drop_pull_quotes()
        self.document_tail()
        self.cut.byline = strip_byline(self.cut.lines)
        if self.cut.positions:
            self.cut.first, self.cut.last = self.cut.positions[0], self.cut.positions[-1]
        return self.cut

    def reply_header(self, pos: int, text: str) -> bool:
        """Return True for the first of several timed header lines below the text
        (发表于 2012-3-5 09:40)."""
        if sum(map(len, self.cut.lines)) < MIN_BEFORE_REPLIES or not timed_header(text):
            return False
        return any(timed_header(b.text) for b in self.s.blocks[pos + 1 : self.main.last + 1])

    def continues(self, pos: int) -> bool:
        """Return True when the article's own prose goes on after a related-links box at pos."""
        so_far = sum(map(len, self.cut.lines))
        if so_far < MIN_BEFORE_STOP:
            return False
        rest, previous, counted = 0, 0, False
        for block in self.s.blocks[pos + 1 : self.main.last + 1]:
            if STOP_LINE.match(block.text) and not RELATED_LINE.match(block.text):
                break
            if block.img is not None or not block.text:
                continue
            prose = len(block.text) if len(block.text) >= LONG_PROSE and is_prose(block.text) else 0
            prose = 0 if block.link_chars else prose
            if prose and previous:  # two paragraphs in a row: a list of snippets never has them
                rest += prose + (0 if counted else previous)
            counted = bool(prose and previous)
            previous = prose
        return rest >= max(CONTINUE_MIN, so_far // 3)

    def drop_pull_quotes(self) -> None:
        """Drop a line the text repeats in full (a pull quote), and the ——name line under it."""
        texts = [squash(t) for t in self.cut.lines]
        joined = "\n".join(texts)
        keep: list[int] = []
        for i, text in enumerate(texts):
            # inside a longer line too: found more often than the lines equal to it
            repeated = PULL_QUOTE_MIN <= len(text) <= PULL_QUOTE_MAX and joined.count(
                text
            ) > texts.count(text)
            attribution = (
                bool(keep)
                and keep[-1] != i - 1
                and self.cut.lines[i].startswith("——")
                and len(text) <= 12
            )
            if not repeated and not attribution:
                keep.append(i)
        self.cut.lines = [self.cut.lines[i] for i in keep]
        self.cut.positions = [self.cut.positions[i] for i in keep]

    def document_tail(self) -> None:
        """Keep the signature of a notice or bulletin: issuer, 2023年5月4日, （此件公开发布）,
        附件."""
        if not self.cut.positions:
            return
        tail, signed = signature_tail(self.s, self.cut.positions[-1] + 1)
        if signed:
            self.cut.positions += [p for p, _ in tail]
            self.cut.lines += [t for _, t in tail]
            self.cut.signed = signed

    def lead_junk(self, text: str, pos: int) -> bool:
        """Return True for a line above the first paragraph that is not article text."""
        if not CJK.search(text) or self.title_like(text) or text.startswith(("——", "--")):
            return True  # a 副标题 (——…) or headline repeat above the text
        el = self.s.elems[self.s.blocks[pos].owner]
        if el.tag in DECK_TAGS or TITLE_HINT.search(f"{el.get('class', '')} {el.get('id', '')}"):
            return True  # a deck or a section's head (答 专业解答) above the text
        return self.centred(self.s.blocks[pos])

    def title_like(self, text: str) -> bool:
        """Return True for a headline repeat; a sub-heading that quotes only part of the headline is
        not one."""
        covers = len(squash(text)) >= TITLE_LIKE * len(self.title)
        return covers and similarity(text, self.title) >= TITLE_LIKE

    def trim_tail(self) -> None:
        """Drop short unpunctuated lines (link labels, channel names) after the last paragraph."""
        lines = self.cut.lines
        while lines and len(lines[-1]) <= TAIL_LABEL and not lines[-1].endswith(END_PUNCT):
            lines.pop()
            self.cut.positions.pop()

    def trim_head(self) -> None:
        """Drop headline repeats, centred decks and widget labels above the first paragraph."""
        lines, positions = self.cut.lines, self.cut.positions
        first = next((i for i, t in enumerate(lines) if is_prose(t)), 0)
        keep = [
            i for i in range(len(lines)) if i >= first or not self.lead_junk(lines[i], positions[i])
        ]
        self.cut.lines = [lines[i] for i in keep]
        self.cut.positions = [positions[i] for i in keep]


def cut_body(
    stream: Stream, main: Main, title_pos: int, base: str, title_last: int | None = None
) -> BodyCut:
    """Return the article lines and images of the main run, below the headline at
    title_pos..title_last."""
    return _Cutter(
        stream, main, title_pos, base, title_pos if title_last is None else title_last
    ).run()
